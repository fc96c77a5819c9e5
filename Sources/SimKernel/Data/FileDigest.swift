import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 checksums of input files, for provenance, remembered between runs.
///
/// Hashing a 238 MB survey takes about 0.8 s, longer than the whole
/// simulation. A digest is therefore remembered in a small cache file
/// (`$XDG_CACHE_HOME/simrun/sha256/`, else `~/.cache/simrun/sha256/`) keyed by
/// the file's device and inode, together with its size, modification time
/// and status-change time (`st_ctime`, in nanoseconds). Any change to the
/// file's content changes its `st_ctime`, which no user program can set back,
/// so a remembered digest is used only for the very same bytes; otherwise
/// the file is hashed again. The cache never touches the input file itself.
/// Set `SIMRUN_NO_DIGEST_CACHE=1` to always hash.
public enum FileDigest {
    /// The file's SHA-256 as lowercase hex.
    /// - Throws: ``InputError`` of kind ``InputError/Kind/noInput`` if the file cannot be opened.
    public static func sha256(of path: String) throws -> String {
        let signature = try Signature(path: path)
        let cacheFile = cacheDirectory().map { "\($0)/\(signature.device)-\(signature.inode)" }
        if let cacheFile, let remembered = try? String(contentsOfFile: cacheFile, encoding: .utf8) {
            let parts = remembered.split(separator: " ")
            if parts.count == 2, parts[0] == signature.text, parts[1].count == 64 { return String(parts[1]) }
        }
        let mapped = try MappedFile(path: path)
        let digest = SHA256Hasher.hexDigest(of: mapped.bytes)
        // Remember it only if the file did not change while it was read.
        if let cacheFile, let after = try? Signature(path: path), after.text == signature.text {
            try? FileManager.default.createDirectory(atPath: (cacheFile as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            let temporary = cacheFile + ".\(getpid()).tmp"
            if (try? "\(signature.text) \(digest)".write(toFile: temporary, atomically: false, encoding: .utf8)) != nil {
                rename(temporary, cacheFile)
            }
        }
        return digest
    }

    private static func cacheDirectory() -> String? {
        let env = ProcessInfo.processInfo.environment
        if env["SIMRUN_NO_DIGEST_CACHE"] == "1" { return nil }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return "\(xdg)/simrun/sha256" }
        if let home = env["HOME"], !home.isEmpty { return "\(home)/.cache/simrun/sha256" }
        return nil
    }

    /// What identifies one state of a file's bytes.
    struct Signature {
        let device: UInt64
        let inode: UInt64
        let text: String

        init(path: String) throws {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw InputError(file: path, kind: .noInput, "cannot read the file: \(String(cString: strerror(errno)))")
            }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            text = "v1:\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }
    }
}
