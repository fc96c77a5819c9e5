import Foundation
import SimKernel

/// Writing a whole file or nothing: the text goes to a temporary file beside the
/// target, is flushed, and is renamed over the target (a rename within one
/// folder is atomic on POSIX file systems, local or NFS), so a reader — a merge,
/// another array task — sees the old file or the new one, never half of one.
/// An interruption (Ctrl-C, Slurm's SIGTERM at the time limit) removes the
/// temporary file (``InterruptCleanup``).
package enum AtomicFile {
    /// Writes `text` to `path` atomically.
    ///
    /// - Throws: `InputError` of kind `InputError/Kind/cannotCreate` (exit 73) if the temporary
    ///   file cannot be created or renamed, `InputError/Kind/io` (exit 74) if writing fails.
    package static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).simrun-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw InputError(file: path, kind: .cannotCreate, "cannot create the file: \(String(cString: strerror(errno)))")
        }
        let token = InterruptCleanup.shared.register { unlink(temporary) }
        defer { InterruptCleanup.shared.unregister(token) }
        var failure: String?
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw InputError(file: path, kind: .io, "cannot write the file: \(failure)")
        }
        let renamed = InterruptCleanup.shared.critical { rename(temporary, path) == 0 }
        guard renamed else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError(file: path, kind: .cannotCreate, "cannot put the file in place: \(reason)")
        }
    }

    /// Creates `path` as a folder (and its parents) unless it exists.
    ///
    /// - Throws: `InputError` of kind `InputError/Kind/cannotCreate` if it cannot be created
    ///   or exists and is not a folder.
    package static func makeFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw InputError(file: path, kind: .cannotCreate, "exists and is not a folder") }
            return
        }
        // Parent by parent with mkdir(2), so a failure names the system's reason (EACCES, ENOSPC, ...).
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw InputError(file: path, kind: .cannotCreate, "cannot create the folder: \(String(cString: strerror(errno)))")
            }
            prefix += "/"
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError(file: path, kind: .cannotCreate, "cannot create the folder: a part of its path is not a folder")
        }
    }

    /// Checks, before any work, that `path`'s folder exists, so a long computation does not end
    /// in "cannot create the file".
    /// - Throws: `InputError` of kind `InputError/Kind/cannotCreate` if the folder is missing or not a folder.
    package static func checkFolder(of path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError(file: path, kind: .cannotCreate, "cannot create the file: its folder \(folder) does not exist")
        }
    }
}
