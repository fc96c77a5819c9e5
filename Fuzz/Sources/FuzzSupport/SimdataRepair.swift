import Foundation
import SimKernel

/// Makes a mutated binary survey file self-consistent again: header lengths
/// and every checksum recomputed over the (mutated) content.
///
/// The layout is `SurveyCache`'s (see its documentation): magic at 0, the
/// directory's offset at 16, its length at 24, its checksum at 32, the file
/// length at 40, the JSON directory at the end, each column entry naming its
/// `offset`, `count`, `elementSize` and `checksum` (hexadecimal).
enum SimdataRepair {
    /// `input` with consistent lengths and checksums, or nil when it has no
    /// header and directory to repair.
    static func repaired(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let bytes = Array(input)
        guard bytes.count >= 64, bytes[0..<8].elementsEqual("SIMDATA1".utf8) else { return nil }
        let offset = Int(truncatingIfNeeded: load(bytes, at: 16))
        guard offset >= 64, offset <= bytes.count else { return nil }
        var data = Array(bytes[0..<offset])
        var directory = Array(bytes[offset...])
        if var json = try? JSONSerialization.jsonObject(with: Data(directory)) as? [String: Any],
           let columns = json["columns"] as? [[String: Any]] {
            json["columns"] = columns.map { column -> [String: Any] in
                var column = column
                if let start = column["offset"] as? Int, let count = column["count"] as? Int,
                   let size = column["elementSize"] as? Int, start >= 0, count >= 0, size >= 0 {
                    let (length, overflow) = count.multipliedReportingOverflow(by: size)
                    if !overflow, length <= offset - min(start, offset) {
                        let sum = data.withUnsafeBytes { ColumnChecksum.of(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
                        column["checksum"] = String(sum, radix: 16)
                    }
                }
                return column
            }
            if let encoded = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) {
                directory = Array(encoded)
            }
        }
        let directorySum = directory.withUnsafeBytes { ColumnChecksum.of($0) }
        data.append(contentsOf: directory)
        store(UInt64(offset), in: &data, at: 16)
        store(UInt64(directory.count), in: &data, at: 24)
        store(directorySum, in: &data, at: 32)
        store(UInt64(data.count), in: &data, at: 40)
        return data
    }

    static func load(_ bytes: [UInt8], at position: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[position + $1]) << (8 * UInt64($1)) }
    }

    static func store(_ value: UInt64, in bytes: inout [UInt8], at position: Int) {
        for i in 0..<8 { bytes[position + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }
}
