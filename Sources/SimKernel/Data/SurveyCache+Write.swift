import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writing a binary survey file.
extension SurveyCache {
    /// Writes `population` (loaded from the CSV `source`) to `path`.
    ///
    /// The file is written to a new temporary file in `path`'s directory
    /// (created exclusively, never through an existing name), flushed to
    /// disk and renamed over `path`, so `path` never holds half a file. Only
    /// a new path or an existing regular file is replaced: a symbolic link,
    /// directory, FIFO, socket or device at `path` is refused, and is left
    /// as it was.
    ///
    /// - Throws: ``InputError`` of kind ``InputError/Kind/cannotCreate`` if
    ///   `path` is not a new path or a regular file, or its directory does
    ///   not exist or cannot be written; of kind ``InputError/Kind/io`` if
    ///   writing fails part-way (a full disk).
    ///
    /// - Parameters:
    ///   - population: The survey, as the CSV loader read it.
    ///   - source: The CSV file it was read from (its size and modification time are recorded,
    ///     so a cache of a CSV changed since is refused).
    ///   - sourceSHA256: The CSV file's SHA-256, for the provenance of runs on the cache.
    ///   - columnMap: The column map the CSV was read with.
    ///   - path: The binary survey file to write.
    ///   - temporaryCreated: Called with the temporary file's path as
    ///     soon as it exists, so a caller can remove it if the process is
    ///     interrupted (the file is removed on every error).
    public static func write(_ population: Population, source: String, sourceSHA256: String,
                             columnMap: ColumnMap, to path: String,
                             temporaryCreated: (String) -> Void = { _ in }) throws {
        try checkReplaceable(path)
        var blobs: [(Directory.Entry, UnsafeRawBufferPointer)] = []
        func add<T>(_ name: String, _ kind: String, _ level: String, _ column: Column<T>, labels: [String]? = nil) {
            let raw = UnsafeRawBufferPointer(column.values)
            blobs.append((Directory.Entry(name: name, kind: kind, level: level, offset: 0, count: column.count,
                                          elementSize: MemoryLayout<T>.stride,
                                          checksum: String(ColumnChecksum.of(raw), radix: 16), labels: labels), raw))
        }
        let stored = population.storedVariables
        add("household_start", "offsets", "household", population.householdStart)
        add("hh_id", "identifier", "household", population.householdID)
        add("weight", "real", "household", population.weight)
        for name in stored.householdIntegers.keys.sorted() { add(name, "integer", "household", stored.householdIntegers[name]!) }
        for name in stored.reals.keys.sorted() { add(name, "real", "person", stored.reals[name]!) }
        for name in stored.integers.keys.sorted() { add(name, "integer", "person", stored.integers[name]!) }
        for name in stored.categories.keys.sorted() {
            add(name, "category", "person", stored.categories[name]!.codes, labels: stored.categories[name]!.labels)
        }
        var offset = 64
        for i in blobs.indices {
            blobs[i].0.offset = offset
            offset = (offset + blobs[i].1.count + 63) / 64 * 64
        }
        let directory = Directory(
            format: Int(version), simrunFormat: formatName, households: population.householdCount,
            persons: population.personCount,
            source: sourceRecord(source, sha256: sourceSHA256),
            columnMap: columnMap.columns, columns: blobs.map(\.0), preparation: population.preparation,
            inputs: population.preparation.map { $0.inputs.map { sourceRecord($0.file, sha256: $0.sha256) } })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(directory)
        var header = [UInt8](repeating: 0, count: 64)
        func put<T: FixedWidthInteger>(_ value: T, at position: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { header[position + i] = b } }
        }
        for (i, b) in magic.enumerated() { header[i] = b }
        put(version, at: 8)
        put(UInt64(offset), at: 16)
        put(UInt64(json.count), at: 24)
        put(json.withUnsafeBytes { ColumnChecksum.of($0) }, at: 32)
        put(UInt64(offset + json.count), at: 40)

        try writeAtomically(to: path, temporaryCreated: temporaryCreated) { out in
            var ok = fwrite(header, 1, 64, out) == 64
            var position = 64
            let zeros = [UInt8](repeating: 0, count: 64)
            for (entry, raw) in blobs where ok {
                if entry.offset > position { ok = fwrite(zeros, 1, entry.offset - position, out) == entry.offset - position }
                if raw.count > 0 { ok = ok && fwrite(raw.baseAddress!, 1, raw.count, out) == raw.count }
                position = entry.offset + raw.count
            }
            if ok, offset > position { ok = fwrite(zeros, 1, offset - position, out) == offset - position }
            return ok && json.withUnsafeBytes { fwrite($0.baseAddress!, 1, $0.count, out) == $0.count }
        }
    }

    /// Throws unless `path` is new or names a regular file (not following a
    /// symbolic link), so a command can refuse a bad `--out` before any work.
    ///
    /// - Throws: ``InputError`` of kind ``InputError/Kind/cannotCreate``.
    public static func checkReplaceable(_ path: String) throws {
        guard !path.isEmpty else { throw InputError(file: path, kind: .cannotCreate, "no output file named") }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw InputError(file: path, kind: .cannotCreate, "cannot write the file: \(String(cString: strerror(errno)))")
        }
        let what: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: what = "a symbolic link"
        case S_IFDIR: what = "a directory"
        case S_IFIFO: what = "a FIFO (named pipe)"
        case S_IFSOCK: what = "a socket"
        case S_IFCHR, S_IFBLK: what = "a device"
        default: what = "not a regular file"
        }
        throw InputError(file: path, kind: .cannotCreate,
            "\(what) is there; simrun writes only a new file or replaces a regular file (it never writes through a link or into a device): choose another --out")
    }

    /// Removes the temporary files a killed earlier import (SIGKILL, power
    /// loss) left beside `name` in `directory` (`""`: the current one):
    /// only regular files named `.<name>.<pid>.<number>.partial`, owned by
    /// this user, whose process `<pid>` no longer runs.
    static func removeLeftovers(of name: String, in directory: String) {
        let prefix = ".\(name)."
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".partial") {
            let middle = entry.dropFirst(prefix.count).dropLast(".partial".count).split(separator: ".", omittingEmptySubsequences: false)
            guard middle.count == 2, let pid = Int32(middle[0]), pid > 0, UInt32(middle[1]) != nil, pid != getpid() else { continue }
            let path = directory + entry
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            unlink(path)
        }
    }

    /// Writes a new temporary file beside `path` with `body`, flushes it and renames it to `path`.
    ///
    /// - Parameter body: Writes the content; returns `false` if a write failed.
    static func writeAtomically(to path: String, temporaryCreated: (String) -> Void = { _ in },
                                _ body: (UnsafeMutablePointer<FILE>) -> Bool) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        removeLeftovers(of: name, in: directory)
        let temporary = directory + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).partial"
        // O_EXCL: never opens an existing name (a link planted at the temporary name is not followed).
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0, let out = fdopen(fd, "wb") else {
            let reason = String(cString: strerror(errno))
            throw InputError(file: path, kind: .cannotCreate,
                "cannot create the file in \(directory.isEmpty ? "the current directory" : directory): \(reason)")
        }
        temporaryCreated(temporary)
        var ok = body(out)
        var reason = ok ? "" : String(cString: strerror(errno))
        if ok, fflush(out) != 0 || fsync(fileno(out)) != 0 {
            ok = false
            reason = String(cString: strerror(errno))
        }
        if fclose(out) != 0, ok {
            ok = false
            reason = String(cString: strerror(errno))
        }
        guard ok else {
            unlink(temporary)
            throw InputError(file: path, kind: .io, "writing the file failed: \(reason)")
        }
        // Checked again just before the rename, which replaces the name itself and never follows it.
        do {
            try checkReplaceable(path)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError(file: path, kind: .cannotCreate, "cannot put the file in place: \(reason)")
        }
    }
}
