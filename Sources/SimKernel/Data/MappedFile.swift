#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory.
///
/// The loader parses the bytes in place: no copy of the file is made and the
/// operating system pages it in as the parallel parser touches it.
///
/// Safety of `@unchecked Sendable`: the mapping is read-only (`PROT_READ`)
/// and unmapped only in `deinit`, when no one can hold `bytes` any more.
public final class MappedFile: @unchecked Sendable {
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer
    /// The path, as the user named it.
    public let path: String
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    /// Maps `path`.
    /// - Throws: ``InputError`` of kind ``InputError/Kind/noInput`` if the file
    ///   cannot be opened or is not a regular file, ``InputError/Kind/io`` if it
    ///   cannot be mapped.
    public init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below as not a regular file).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputError(file: path, kind: .noInput, "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw InputError(file: path, kind: .io, "cannot read the file's size: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: path, kind: .noInput,
                (info.st_mode & S_IFMT) == S_IFDIR ? "a directory, not a file" : "not a regular file")
        }
        length = Int(info.st_size)
        if length == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw InputError(file: path, kind: .io, "cannot map the file into memory: \(String(cString: strerror(errno)))")
        }
        _ = madvise(p, length, MADV_SEQUENTIAL)
        mapping = p
        bytes = UnsafeRawBufferPointer(start: p, count: length)
    }

    /// Tells the system that `range` of the file will not be read again, so its
    /// pages can leave memory (keeps peak memory near the size of the columns).
    public func release(_ range: Range<Int>) {
        guard let mapping, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound / page * page
        if end > start { _ = madvise(mapping + start, end - start, MADV_DONTNEED) }
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }
}
