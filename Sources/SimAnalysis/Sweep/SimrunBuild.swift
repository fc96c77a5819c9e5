import Foundation
import SimKernel

/// Which build of simrun is running: what a sweep's manifest and shards record, so that
/// `sweep merge` names a shard computed by another executable (rebuilt from changed sources,
/// or another installation) as stale even though ``SimrunVersion/current`` is the same.
///
/// The identity is the linker's build ID of the running executable (`gnu-build-id:HEX`, the
/// `NT_GNU_BUILD_ID` note every Linux link of simrun carries: a hash of the linked output, so
/// two builds of different code differ and the same binary on every node of a cluster agrees),
/// read from the ELF headers of `/proc/self/exe` (a few kilobytes). Where there is no such note,
/// the SHA-256 of the executable's bytes (`sha256:HEX`, `/proc/self/exe` or the path the process
/// was started from); `unknown` if neither can be read. Computed once per process.
package enum SimrunBuild {
    /// The running executable's identity (see the type's documentation).
    package static let current: String = {
        if let id = gnuBuildID() { return "gnu-build-id:" + id }
        for path in ["/proc/self/exe", Bundle.main.executablePath].compactMap({ $0 }) {
            if let digest = try? FileDigest.sha256(of: path) { return "sha256:" + digest }
        }
        return "unknown"
    }()

    /// The build ID note of the running executable (`/proc/self/exe`, a 64-bit little-endian ELF
    /// file), as lowercase hex, or `nil` (not Linux, not such a file, no note). Reads the ELF
    /// header, the program headers and the note segments only (a few kilobytes).
    package static func gnuBuildID(executable: String = "/proc/self/exe") -> String? {
        guard let file = FileHandle(forReadingAtPath: executable) else { return nil }
        defer { try? file.close() }
        func read(_ offset: UInt64, _ count: Int) -> [UInt8]? {
            guard count >= 0, count <= 1 << 20, (try? file.seek(toOffset: offset)) != nil,
                let data = try? file.read(upToCount: count), data.count == count else { return nil }
            return [UInt8](data)
        }
        func integer(_ bytes: [UInt8], _ at: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        // ELF64, little-endian: "\x7fELF", class 2, data 1.
        guard let header = read(0, 64), header[0..<6] == [0x7F, 0x45, 0x4C, 0x46, 2, 1] else { return nil }
        let programHeaders = integer(header, 32, 8), entrySize = Int(integer(header, 54, 2)), count = Int(integer(header, 56, 2))
        guard entrySize >= 56, count <= 4096, let table = read(programHeaders, entrySize * count) else { return nil }
        for i in 0..<count where integer(table, i * entrySize, 4) == 4 /* PT_NOTE */ {
            let offset = integer(table, i * entrySize + 8, 8), size = Int(integer(table, i * entrySize + 32, 8))
            guard let notes = read(offset, size) else { continue }
            // A note: namesz, descsz, type (32-bit each), the name and the description, each padded to 4 bytes.
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = Int(integer(notes, at, 4)), descSize = Int(integer(notes, at + 4, 4)), type = integer(notes, at + 8, 4)
                let name = at + 12
                let desc = name + (nameSize + 3) / 4 * 4
                guard desc >= name, desc + descSize <= notes.count else { break }
                if type == 3 /* NT_GNU_BUILD_ID */, nameSize == 4, notes[name..<name + 4] == [0x47, 0x4E, 0x55, 0], descSize > 0 {
                    return notes[desc..<desc + descSize].map { String(format: "%02x", $0) }.joined()
                }
                at = desc + (descSize + 3) / 4 * 4
            }
        }
        return nil
    }
}
