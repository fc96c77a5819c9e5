import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The binary survey file (`.simdata`): a population's columns as they lie
/// in memory, so a run maps them instead of parsing a CSV.
///
/// Layout (all integers little-endian):
///
/// | bytes | content |
/// |---|---|
/// | 0–7 | magic `SIMDATA1` |
/// | 8–11 | format version (1) |
/// | 16–23, 24–31 | offset and length of the directory |
/// | 32–39 | checksum of the directory |
/// | 40–47 | total file length |
/// | 64… | columns, each at a 64-byte aligned offset |
/// | end | the directory: JSON describing the source and every column (name, kind, level, offset, count, checksum, category labels) |
///
/// Every column carries a ``ColumnChecksum``, checked when the column is
/// used; the directory records the source CSV's path, size, modification
/// time and SHA-256, and a run refuses the file if that CSV still exists
/// but has changed since the import (a stale cache cannot be used by mistake).
/// The file is written to a temporary name and renamed, so it is never seen
/// half-written.
public enum SurveyCache {
    static let magic = Array("SIMDATA1".utf8)
    static let version: UInt32 = 1

    /// The directory stored at the end of the file.
    struct Directory: Codable, Sendable {
        struct Source: Codable, Sendable {
            var path: String
            var size: Int64
            var modified: String
            var sha256: String
        }
        struct Entry: Codable, Sendable {
            var name: String
            /// `offsets`, `identifier`, `real`, `integer`, `category`.
            var kind: String
            /// `person` or `household`.
            var level: String
            var offset: Int
            var count: Int
            var elementSize: Int
            var checksum: String
            var labels: [String]?
        }
        var format: Int
        var simrunFormat: String
        var households: Int
        var persons: Int
        var source: Source
        var columnMap: [String: String]
        var columns: [Entry]
    }

    /// Whether `file` starts with the binary survey magic.
    public static func isCache(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return Array(head) == magic
    }

    /// Writes `population` (loaded from the CSV `source`) to `path`.
    ///
    /// - Throws: ``InputError`` if the file cannot be written.
    public static func write(_ population: Population, source: String, sourceSHA256: String,
                             columnMap: ColumnMap, to path: String) throws {
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
        var info = stat()
        _ = stat(source, &info)
        let directory = Directory(
            format: Int(version), simrunFormat: "simrun binary survey", households: population.householdCount,
            persons: population.personCount,
            source: .init(path: source, size: Int64(info.st_size),
                          modified: "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", sha256: sourceSHA256),
            columnMap: columnMap.columns, columns: blobs.map(\.0))
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

        let temporary = path + ".\(getpid()).partial"
        guard let out = fopen(temporary, "wb") else {
            throw InputError(file: path, "cannot write the file: \(String(cString: strerror(errno)))")
        }
        var ok = fwrite(header, 1, 64, out) == 64
        var position = 64
        let zeros = [UInt8](repeating: 0, count: 64)
        for (entry, raw) in blobs where ok {
            if entry.offset > position { ok = fwrite(zeros, 1, entry.offset - position, out) == entry.offset - position }
            if raw.count > 0 { ok = ok && fwrite(raw.baseAddress!, 1, raw.count, out) == raw.count }
            position = entry.offset + raw.count
        }
        if ok, offset > position { ok = fwrite(zeros, 1, offset - position, out) == offset - position }
        ok = ok && json.withUnsafeBytes { fwrite($0.baseAddress!, 1, $0.count, out) == $0.count }
        ok = fclose(out) == 0 && ok
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError(file: path, "cannot write the file: \(reason)")
        }
    }

    /// The variables stored in a binary survey file.
    static func variableNames(file: String) throws -> Set<String> {
        let mapped = try MappedFile(path: file)
        let bytes = mapped.bytes
        guard bytes.count >= 64 else { return [] }
        let offset = Int(bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
        let length = Int(bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        guard offset >= 64, offset + length <= bytes.count,
            let directory = try? JSONDecoder().decode(Directory.self, from: Data(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])))
        else { throw InputError(file: file, "the binary survey file is damaged (unreadable directory); import the CSV again") }
        return Set(directory.columns.map(\.name))
    }

    /// Maps a binary survey file and returns the requested variables as a population.
    ///
    /// - Throws: ``InputError`` if the file is damaged (bad magic, version,
    ///   length or checksum), if its source CSV has changed since it was
    ///   imported, or if a requested variable is missing or of another kind.
    public static func load(file: String, variables: [VariableRequest], plan: ParallelPlan) throws -> Population {
        let mapped = try MappedFile(path: file)
        let bytes = mapped.bytes
        func damaged(_ why: String) -> InputError {
            InputError(file: file, "the binary survey file is damaged (\(why)); import the CSV again with `simrun data import`")
        }
        guard bytes.count >= 64, Array(bytes[0..<8]) == magic else { throw damaged("not a simrun binary survey file") }
        let version = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        guard version == Self.version else {
            throw InputError(file: file, "binary survey format version \(version) is not supported (this simrun reads version \(Self.version)); import the CSV again")
        }
        let directoryOffset = Int(bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
        let directoryLength = Int(bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        let directoryChecksum = bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self).littleEndian
        let fileLength = Int(bytes.loadUnaligned(fromByteOffset: 40, as: UInt64.self).littleEndian)
        guard fileLength == bytes.count, directoryOffset >= 64, directoryOffset + directoryLength == fileLength else {
            throw damaged("its length is \(bytes.count) bytes, the header says \(fileLength)")
        }
        let directoryBytes = UnsafeRawBufferPointer(rebasing: bytes[directoryOffset..<fileLength])
        guard ColumnChecksum.of(directoryBytes) == directoryChecksum else { throw damaged("directory checksum mismatch") }
        let directory: Directory
        do {
            directory = try JSONDecoder().decode(Directory.self, from: Data(directoryBytes))
        } catch {
            throw damaged("unreadable directory")
        }
        try checkFresh(directory.source, cache: file)

        var entries: [String: Directory.Entry] = [:]
        for e in directory.columns {
            guard e.offset >= 64, e.offset % 64 == 0, e.offset + e.count * e.elementSize <= directoryOffset else {
                throw damaged("column \(e.name) lies outside the data")
            }
            entries[e.name] = e
        }
        // Which stored columns this run uses.
        var used: [Directory.Entry] = []
        for name in ["household_start", "hh_id", "weight"] {
            guard let e = entries[name] else { throw damaged("no \(name) column") }
            used.append(e)
        }
        for request in SurveyLoader.merge(variables) where !["hh_id", "person_id", "weight"].contains(request.variable.name) {
            guard let e = entries[request.variable.name] else {
                throw InputError(file: file, field: request.variable.name,
                    "the binary survey has no variable '\(request.variable.name)', needed by \(request.neededBy) (it was imported from \(directory.source.path) with the variables \(directory.columns.map(\.name).filter { $0 != "household_start" }.joined(separator: ", "))); import a file that has it")
            }
            let want: String
            switch request.variable.kind {
            case .identifier, .integer: want = "integer"
            case .real: want = "real"
            case .category: want = "category"
            }
            guard e.kind == want || (want == "real" && e.kind == "integer") else {
                throw InputError(file: file, field: e.name,
                    "variable '\(e.name)' is stored as \(e.kind) but \(request.neededBy) needs \(want)")
            }
            used.append(e)
        }
        let toCheck = used
        let bad = plan.map(pieces: toCheck.count) { i -> String? in
            let e = toCheck[i]
            let raw = UnsafeRawBufferPointer(rebasing: mapped.bytes[e.offset..<(e.offset + e.count * e.elementSize)])
            return String(ColumnChecksum.of(raw), radix: 16) == e.checksum ? nil : e.name
        }.compactMap { $0 }
        if let name = bad.first { throw damaged("checksum mismatch in column \(name)") }

        func column<T>(_ e: Directory.Entry, as: T.Type) -> Column<T> {
            let p = bytes.baseAddress!.advanced(by: e.offset).assumingMemoryBound(to: T.self)
            return Column(borrowing: UnsafeBufferPointer(start: p, count: e.count), owner: mapped)
        }
        var reals: [String: Column<Double>] = [:]
        var integers: [String: Column<Int32>] = [:]
        var householdIntegers: [String: Column<Int32>] = [:]
        var categories: [String: CategoryColumn] = [:]
        for e in used.dropFirst(3) {
            let requested = variables.first { $0.variable.name == e.name }!.variable
            switch (e.kind, e.level) {
            case ("real", _): reals[e.name] = column(e, as: Double.self)
            case ("integer", "household"): householdIntegers[e.name] = column(e, as: Int32.self)
            case ("integer", _):
                if requested.kind == .real {
                    reals[e.name] = Column(column(e, as: Int32.self).values.map(Double.init))
                } else {
                    integers[e.name] = column(e, as: Int32.self)
                }
            case ("category", _): categories[e.name] = CategoryColumn(codes: column(e, as: Int32.self), labels: e.labels ?? [])
            default: throw damaged("column \(e.name) has unknown kind \(e.kind)")
            }
        }
        return Population(
            source: file, householdStart: column(used[0], as: Int.self), householdID: column(used[1], as: Int64.self),
            weight: column(used[2], as: Double.self), personReals: reals, personIntegers: integers,
            householdIntegers: householdIntegers, categories: categories)
    }

    /// Fails if the CSV the cache was made from still exists but has changed.
    static func checkFresh(_ source: Directory.Source, cache: String) throws {
        var info = stat()
        guard stat(source.path, &info) == 0 else { return }  // the CSV is gone: the cache stands alone
        let modified = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if Int64(info.st_size) != source.size || modified != source.modified {
            throw InputError(file: cache,
                "this binary survey was imported from \(source.path), which has changed since (size or modification time differ); import it again with `simrun data import \(source.path) --out \(cache)`")
        }
    }
}
