/// The data rows of a Stata file of format 117, 118 or 119, decoded without
/// ReadStat's per-value callbacks: the speed path of ``SurveyTable/readStat``.
///
/// ReadStat reads the header, the variables, their labels and value labels
/// (``ReadStatMetadata``) and every file the path below does not take. The
/// rows of these formats are fixed-width records after the `<data>` tag,
/// whose offset the file's `<map>` gives; each variable's storage type is in
/// `<variable_types>` (Stata's dta documentation, "dta file format 117 / 118 /
/// 119"): `65530` byte (Int8), `65529` int (Int16), `65528` long (Int32),
/// `65527` float, `65526` double, `1`-`2045` str# (that many bytes,
/// NUL-padded), `32768` strL. Missing values are Stata's: for byte, int and
/// long the codes above the largest valid value (101, 32741, 2147483621 for
/// `.`, then `.a`...`.z` one by one); for float and double the values from
/// `0x7f000000` (float) and `0x7fe0000000000000` (double) up, `.` first, then
/// `.a`...`.z` in steps of `0x800` and `2^40` of the bit pattern; any other
/// NaN or infinity (a negative one) is missing (`.`) too, as ReadStat's path reads it.
///
/// The path is taken only when everything checks: a release of 117-119 in
/// the header, the `<map>`, `<variable_types>` and `<data>` tags where the
/// map says, as many types as variables (text where ReadStat says text), the rows
/// inside the file, no strL, and text only in UTF-8 files (118, 119). Any
/// doubt (a damaged file, text that is not UTF-8) returns `nil`, and ReadStat
/// reads the file, with its messages. The result is the same table as
/// ReadStat's path, value for value (tested on every fixture).
enum StataRows {
    /// The columns of the file's rows (values and missing codes per variable), or `nil` to let ReadStat read them.
    ///
    /// - Complexity: O(rows × row width), in pieces of rows on `plan`'s threads, each
    ///   writing its rows straight into the columns.
    static func read(_ bytes: UnsafeRawBufferPointer, release: Int, variables: [ReadStatVariable], rows: Int,
                     plan: ParallelPlan) -> [(numbers: [Double]?, texts: [String]?, missing: [MissingCode]?)]? {
        guard [117, 118, 119].contains(release), rows >= 0 else { return nil }
        guard let layout = Layout(bytes, release: release, count: variables.count) else { return nil }
        let k = variables.count
        var widths = [Int](repeating: 0, count: k)
        for (i, t) in layout.types.enumerated() {
            switch t {
            case 65530: widths[i] = 1
            case 65529: widths[i] = 2
            case 65528, 65527: widths[i] = 4
            case 65526: widths[i] = 8
            case 1...2045:
                guard release >= 118 else { return nil }  // older text: ReadStat's iconv decodes it
                widths[i] = Int(t)
            default: return nil  // strL or unknown
            }
            guard (t <= 2045) == variables[i].isText else { return nil }
        }
        var offsets = [Int](repeating: 0, count: k)
        var rowWidth = 0
        for i in 0..<k {
            offsets[i] = rowWidth
            rowWidth += widths[i]
        }
        let start = layout.data
        let (size, overflow) = rows.multipliedReportingOverflow(by: rowWidth)
        guard !overflow, rowWidth > 0, start + size + 7 <= bytes.count else { return nil }
        let little = layout.littleEndian

        // Numbers straight into their columns, missing codes where a value is missing, text per piece.
        let numericIndex = (0..<k).filter { layout.types[$0] > 2045 }
        guard numericIndex.count <= SurveyTable.directColumnLimit else { return nil }
        let pieces = max(1, min(plan.threads, rows / 50_000))
        let ranges = (0..<pieces).map { p in (rows * p / pieces)..<(rows * (p + 1) / pieces) }
        struct Piece: Sendable {
            var missing: [Int: [(Int, MissingCode)]] = [:]
            var texts: [Int: [String]] = [:]
            var badText = false
        }
        let types = layout.types
        let fixedWidths = widths, fixedOffsets = offsets, width = rowWidth
        let fileBase = SendableRawPointer(pointer: bytes.baseAddress!)
        var results: [Piece] = []
        let filledColumns = SurveyTable.withNewColumns(count: numericIndex.count, rows: rows) { storage -> Bool in
        var pointers = [SendablePointer<Double>?](repeating: nil, count: k)
        for (n, c) in numericIndex.enumerated() { pointers[c] = SendablePointer(storage[n]) }
        let shared = pointers
        results = plan.map(pieces: pieces) { p -> Piece in
            let pointers = shared
            var piece = Piece()
            let base = fileBase.pointer
            let widths = fixedWidths, offsets = fixedOffsets, rowWidth = width
            for c in 0..<k {
                let t = types[c]
                let width = widths[c]
                if t <= 2045 {
                    var texts: [String] = []
                    texts.reserveCapacity(ranges[p].count)
                    for r in ranges[p] {
                        let at = base + start + r * rowWidth + offsets[c]
                        let raw = UnsafeRawBufferPointer(start: at, count: width)
                        let end = raw.firstIndex(of: 0) ?? width
                        guard let text = String(validating: UnsafeRawBufferPointer(rebasing: raw[0..<end]).bindMemory(to: UInt8.self), as: UTF8.self) else {
                            piece.badText = true
                            return piece
                        }
                        if text.isEmpty { piece.missing[c, default: []].append((r, .system)) }
                        texts.append(text)
                    }
                    piece.texts[c] = texts
                    continue
                }
                let out = pointers[c]!.pointer
                var missing: [(Int, MissingCode)] = []
                for r in ranges[p] {
                    let at = base + start + r * rowWidth + offsets[c]
                    switch t {
                    case 65530:
                        let v = Int8(bitPattern: at.load(as: UInt8.self))
                        if v > 100 { missing.append((r, code(Int(v) - 101))); out[r] = .nan } else { out[r] = Double(v) }
                    case 65529:
                        var u = at.loadUnaligned(as: UInt16.self)
                        u = little ? UInt16(littleEndian: u) : UInt16(bigEndian: u)
                        let v = Int16(bitPattern: u)
                        if v > 32740 { missing.append((r, code(Int(v) - 32741))); out[r] = .nan } else { out[r] = Double(v) }
                    case 65528:
                        var u = at.loadUnaligned(as: UInt32.self)
                        u = little ? UInt32(littleEndian: u) : UInt32(bigEndian: u)
                        let v = Int32(bitPattern: u)
                        if v > 2_147_483_620 { missing.append((r, code(Int(v) - 2_147_483_621))); out[r] = .nan } else { out[r] = Double(v) }
                    case 65527:
                        var u = at.loadUnaligned(as: UInt32.self)
                        u = little ? UInt32(littleEndian: u) : UInt32(bigEndian: u)
                        if u >= 0x7f00_0000, u < 0x8000_0000 {
                            missing.append((r, code(Int((u - 0x7f00_0000) >> 11)))); out[r] = .nan
                        } else {
                            // Any other NaN or infinity is not a number: missing (as ReadStat's path reads it).
                            let x = Double(Float(bitPattern: u))
                            if x.isFinite { out[r] = x } else { missing.append((r, .system)); out[r] = .nan }
                        }
                    default:
                        var u = at.loadUnaligned(as: UInt64.self)
                        u = little ? UInt64(littleEndian: u) : UInt64(bigEndian: u)
                        if u >= 0x7fe0_0000_0000_0000, u < 0x8000_0000_0000_0000 {
                            missing.append((r, code(Int((u - 0x7fe0_0000_0000_0000) >> 40)))); out[r] = .nan
                        } else {
                            let x = Double(bitPattern: u)
                            if x.isFinite { out[r] = x } else { missing.append((r, .system)); out[r] = .nan }
                        }
                    }
                }
                if !missing.isEmpty { piece.missing[c] = missing }
            }
            return piece
        }
        return !results.contains(where: \.badText)
        }
        guard !results.contains(where: \.badText), filledColumns.count == numericIndex.count else { return nil }
        var numbers = [[Double]?](repeating: nil, count: k)
        for (n, c) in numericIndex.enumerated() { numbers[c] = filledColumns[n] }
        var columns: [(numbers: [Double]?, texts: [String]?, missing: [MissingCode]?)] = []
        columns.reserveCapacity(k)
        for c in 0..<k {
            var missing: [MissingCode]?
            for piece in results {
                guard let list = piece.missing[c] else { continue }
                if missing == nil { missing = [MissingCode](repeating: .present, count: rows) }
                for (r, m) in list { missing![r] = m }
            }
            var texts: [String]?
            if types[c] <= 2045 {
                texts = []
                texts!.reserveCapacity(rows)
                for piece in results { texts!.append(contentsOf: piece.texts[c] ?? []) }
            }
            columns.append((numbers[c], texts, missing))
            numbers[c] = nil
        }
        return columns
    }

    /// Stata's missing value `k` above the largest valid value: 0 is `.`, 1...26 `.a`...`.z`.
    @inline(__always)
    static func code(_ k: Int) -> MissingCode {
        k >= 1 && k <= 26 ? MissingCode(rawValue: UInt8(1 + k)) : .system
    }

    /// Where a 117-119 file's variable types and data are.
    struct Layout {
        let littleEndian: Bool
        let types: [UInt16]
        /// The offset of the first row (just after `<data>`).
        let data: Int

        init?(_ bytes: UnsafeRawBufferPointer, release: Int, count: Int) {
            var at = 0
            func expect(_ tag: String) -> Bool {
                let t = Array(tag.utf8)
                guard at + t.count <= bytes.count, bytes[at..<(at + t.count)].elementsEqual(t) else { return false }
                at += t.count
                return true
            }
            func skip(_ n: Int) -> Bool {
                guard n >= 0, at + n <= bytes.count else { return false }
                at += n
                return true
            }
            guard expect("<stata_dta><header><release>"), expect(String(release)), expect("</release><byteorder>") else { return nil }
            if expect("LSF") { littleEndian = true } else if expect("MSF") { littleEndian = false } else { return nil }
            let little = littleEndian
            func integer(_ width: Int) -> Int? {
                guard at + width <= bytes.count else { return nil }
                var v: UInt64 = 0
                for i in 0..<width {
                    let b = UInt64(bytes[at + (little ? width - 1 - i : i)])
                    v = v << 8 | b
                }
                at += width
                return v > UInt64(Int.max) ? nil : Int(v)
            }
            guard expect("</byteorder><K>"), let k = integer(release == 119 ? 4 : 2), k == count,
                  expect("</K><N>"), integer(release == 117 ? 4 : 8) != nil,
                  expect("</N><label>"), let labelLength = integer(release == 117 ? 1 : 2), skip(labelLength),
                  expect("</label><timestamp>"), let stampLength = integer(1), skip(stampLength),
                  expect("</timestamp></header><map>") else { return nil }
            var map: [Int] = []
            for _ in 0..<14 {
                guard let v = integer(8) else { return nil }
                map.append(v)
            }
            // Variable types at map[2], data at map[9].
            at = map[2]
            guard at >= 0, at < bytes.count, expect("<variable_types>") else { return nil }
            var types: [UInt16] = []
            types.reserveCapacity(count)
            for _ in 0..<count {
                guard let t = integer(2) else { return nil }
                types.append(UInt16(t))
            }
            guard expect("</variable_types>") else { return nil }
            at = map[9]
            guard at >= 0, at < bytes.count, expect("<data>") else { return nil }
            self.types = types
            self.data = at
        }
    }
}

/// A read-only pointer into a mapped file, handed to the threads that decode its rows.
///
/// Safety of `@unchecked Sendable`: the mapping outlives the parallel pass and nobody writes to it.
struct SendableRawPointer: @unchecked Sendable {
    let pointer: UnsafeRawPointer
}
