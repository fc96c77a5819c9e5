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
/// half-written (`SurveyCache+Write.swift`).
///
/// Nothing read from the file is trusted, in release builds as in debug
/// builds: the header and directory are checked against the file's length
/// (`SurveyCache+Directory.swift`) and every used value as the CSV loader
/// checks it (`SurveyCache+Checks.swift`) before a ``Population`` is made.
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
        /// For a survey made by a data recipe: what the recipe did (the recipe is ``source``).
        var preparation: DataPreparation?
        /// For a survey made by a data recipe: each of the recipe's files, checked like ``source``.
        var inputs: [Source]?
    }

    /// Whether `file` starts with the binary survey magic.
    ///
    /// Only a regular file can be one: a FIFO or device is never opened for
    /// reading here (that could wait for ever), and is refused when loaded.
    public static func isCache(_ file: String) -> Bool {
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        var head = [UInt8](repeating: 0, count: 8)
        return read(fd, &head, 8) == 8 && head == magic
    }

    /// The variables stored in a binary survey file.
    ///
    /// - Throws: ``InputError`` if the file cannot be opened or its header or directory is damaged.
    static func variableNames(file: String) throws -> Set<String> {
        let mapped = try MappedFile(path: file)
        return Set(try readDirectory(mapped.bytes, file: file).entries.keys)
    }

    /// Maps a binary survey file and returns the requested variables as a population.
    ///
    /// Nothing in the file is trusted: the header and directory are checked
    /// against the file's length before anything is read
    /// (`readDirectory(_:file:)`), the used columns against their checksums,
    /// and their values as the CSV loader checks them (`checkHouseholds(starts:ids:weights:persons:plan:file:)`,
    /// `checkValues(of:reals:integers:labels:household:starts:ids:plan:file:)`),
    /// in release builds too.
    ///
    /// - Throws: ``InputError`` if the file is damaged (bad magic, version,
    ///   length, directory, checksum or values), if its source CSV has changed
    ///   since it was imported, or if a requested variable is missing or of another kind.
    /// - Complexity: O(size of the used columns), in parallel.
    public static func load(file: String, variables: [VariableRequest], plan: ParallelPlan) throws -> Population {
        let mapped = try MappedFile(path: file)
        let bytes = mapped.bytes
        let checked = try readDirectory(bytes, file: file)
        let directory = checked.directory
        let entries = checked.entries
        try checkFresh(directory.source, cache: file)
        for input in directory.inputs ?? [] { try checkFresh(input, cache: file, recipe: directory.source.path) }

        // Which stored columns this run uses.
        var used = structuralColumns.map { entries[$0.name]! }
        var requested: [Variable] = []
        for request in SurveyLoader.merge(variables) where !["hh_id", "person_id", "weight"].contains(request.variable.name) {
            guard let e = entries[request.variable.name] else {
                throw InputError(file: file, field: request.variable.name, kind: .missingColumn,
                    "the binary survey has no variable '\(request.variable.name)', needed by \(request.neededBy) (it was imported from \(directory.source.path) with the variables \(directory.columns.map(\.name).filter { $0 != "household_start" }.joined(separator: ", "))); import a file that has it")
            }
            let want: String
            switch request.variable.kind {
            case .identifier, .integer: want = "integer"
            case .real: want = "real"
            case .category: want = "category"
            }
            guard e.kind == want || (want == "real" && e.kind == "integer") else {
                throw InputError(file: file, field: e.name, kind: .wrongType,
                    "variable '\(e.name)' is stored as \(e.kind) but \(request.neededBy) needs \(want)")
            }
            used.append(e)
            requested.append(request.variable)
        }
        func column<T>(_ e: Directory.Entry, as: T.Type) -> Column<T> {
            let p = bytes.baseAddress!.advanced(by: e.offset).assumingMemoryBound(to: T.self)
            return Column(borrowing: UnsafeBufferPointer(start: p, count: e.count), owner: mapped)
        }
        // Every check of the used columns, run as one parallel pass: checksums first, then the
        // household structure, then each variable's values.
        var checks = LoadChecks()
        for e in used {
            let expected = UInt64(e.checksum, radix: 16)
            let start = e.offset, end = e.offset + e.count * e.elementSize
            checks.add(whole: { ColumnChecksum.of(UnsafeRawBufferPointer(rebasing: mapped.bytes[start..<end])) != expected }) {
                damaged(file, "checksum mismatch in column \(e.name)", field: e.name)
            }
        }
        let starts = column(used[0], as: Int.self)
        let ids = column(used[1], as: Int64.self)
        let weight = column(used[2], as: Double.self)
        try checkHouseholds(&checks, starts: starts, ids: ids, weights: weight, persons: directory.persons, file: file)

        var reals: [String: Column<Double>] = [:]
        var integers: [String: Column<Int32>] = [:]
        var householdIntegers: [String: Column<Int32>] = [:]
        var categories: [String: CategoryColumn] = [:]
        var converted: [(String, Column<Int32>)] = []
        for (e, variable) in zip(used.dropFirst(3), requested) {
            let household = e.level == "household"
            func check(reals: Column<Double>? = nil, integers: Column<Int32>? = nil, labels: [String]? = nil) throws {
                try checkValues(&checks, of: variable, reals: reals, integers: integers, labels: labels,
                                household: household, starts: starts, ids: ids, file: file)
            }
            switch e.kind {
            case "real":
                let values = column(e, as: Double.self)
                try check(reals: values)
                reals[e.name] = values
            case "integer":
                let values = column(e, as: Int32.self)
                try check(integers: values)
                if household {
                    householdIntegers[e.name] = values
                } else if variable.kind == .real {
                    converted.append((e.name, values))
                } else {
                    integers[e.name] = values
                }
            default:  // "category": the directory check admits no other kind for a requested category
                let codes = column(e, as: Int32.self)
                let labels = e.labels ?? []
                try check(integers: codes, labels: labels)
                categories[e.name] = CategoryColumn(codes: codes, labels: labels)
            }
        }
        try checks.run(plan: plan)
        for (name, values) in converted { reals[name] = Column(values.values.map(Double.init)) }
        var population = Population(
            source: file, householdStart: starts, householdID: ids, weight: weight, personReals: reals,
            personIntegers: integers, householdIntegers: householdIntegers, categories: categories)
        population.preparation = directory.preparation
        return population
    }

    /// Fails if the CSV the cache was made from still exists but has changed.
    ///
    /// - Parameter recipe: For a file a data recipe read, the recipe (the command to import again names it).
    static func checkFresh(_ source: Directory.Source, cache: String, recipe: String? = nil) throws {
        var info = stat()
        guard stat(source.path, &info) == 0 else { return }  // the CSV is gone: the cache stands alone
        let modified = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if Int64(info.st_size) != source.size || modified != source.modified {
            let made = recipe.map { "made by the recipe \($0) from \(source.path)" } ?? "imported from \(source.path)"
            throw InputError(file: cache, kind: .inconsistent,
                "this binary survey was \(made), which has changed since (size or modification time differ); import it again with `simrun data import \(recipe ?? source.path) --out \(cache)`")
        }
    }

    /// The size and modification time of `path` with its SHA-256, for a directory.
    static func sourceRecord(_ path: String, sha256: String) -> Directory.Source {
        var info = stat()
        _ = stat(path, &info)
        return .init(path: path, size: Int64(info.st_size), modified: "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)", sha256: sha256)
    }
}
