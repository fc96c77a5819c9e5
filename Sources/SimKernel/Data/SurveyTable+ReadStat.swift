internal import CReadStat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading Stata and SPSS files through ReadStat.
///
/// Two steps: a first parse without a value handler reads the header, the
/// variables and the value labels (ReadStat skips the data); the counts are
/// checked against the file's size before any buffer is reserved; then the
/// data are parsed in pieces of rows (Stata files: up to one piece per core,
/// each with ReadStat's row offset and limit, each writing its own buffers),
/// which are joined in row order. Every value is decoded on its own, so the
/// table is the same whatever the number of pieces.
extension SurveyTable {
    /// A file kind ReadStat reads.
    enum ReadStatKind {
        case stata, spss
        var name: String { self == .stata ? "Stata" : "SPSS" }
    }

    /// The Stata formats read (Stata 10/11 to Stata 15+).
    static let stataFormats: Set<Int> = [114, 115, 117, 118, 119]

    /// Reads a Stata or SPSS file; `pieces` and `inPlace` (tests) fix the number of row pieces and
    /// whether numbers are written in place or copied from the pieces' buffers.
    static func readStat(file: String, kind: ReadStatKind, encoding: String?, pieces requestedPieces: Int? = nil,
                         inPlace: Bool? = nil) throws -> SurveyTable {
        let mapped = try MappedFile(path: file)
        let bytes = mapped.bytes
        try checkSignature(bytes, file: file, kind: kind)

        // 1. Header, variables, value labels.
        let meta = ReadStatMetadata(file: file)
        try parse(mapped: mapped, file: file, kind: kind, encoding: encoding, collector: meta, sink: nil, rows: nil)
        if let e = meta.error { throw e }
        let format: Format
        if kind == .stata {
            guard stataFormats.contains(meta.formatVersion) else {
                throw InputError(file: file, kind: .unsupported,
                    "a Stata file of format \(meta.formatVersion); simrun reads formats 114, 115 (Stata 10-12), 117 (13), 118 and 119 (14 and later): save it again with `saveold`, or with Stata 14 or later")
            }
            format = .stata(version: meta.formatVersion)
        } else {
            format = .spss
        }
        let variables = meta.variables
        guard !variables.isEmpty else {
            throw InputError(file: file, kind: .badValue, "the file has no variables")
        }
        guard meta.variableCount < 0 || variables.count == meta.variableCount else {
            throw InputError(file: file, kind: .inconsistent,
                "the header announces \(meta.variableCount) variables but describes \(variables.count)")
        }
        var seen: Set<String> = []
        for v in variables where !seen.insert(v.name).inserted {
            throw InputError(file: file, field: v.name, kind: .duplicate, "the variable name appears twice")
        }

        // 2. Counts against the file's size, before anything is reserved.
        let rowCount = meta.rowCount
        let fileSize = bytes.count
        if rowCount > 0 {
            let perRow = minimumBytesPerRow(variables, kind: kind, compression: meta.compression)
            let (need, overflow) = rowCount.multipliedReportingOverflow(by: perRow)
            let limit = meta.compression == READSTAT_COMPRESS_BINARY ? fileSize.multipliedReportingOverflow(by: 1100).partialValue : fileSize
            guard !overflow, need <= limit else {
                throw InputError(file: file, kind: .inconsistent,
                    "the header announces \(rowCount) rows of at least \(perRow) bytes each, more than the file's \(fileSize) bytes can hold: the file is truncated or damaged")
            }
        }

        // 3a. Stata 117-119: the rows decoded directly (StataRows), unless anything is unusual.
        if kind == .stata, requestedPieces == nil, inPlace == nil, rowCount >= 0,
           let direct = StataRows.read(bytes, release: meta.formatVersion, variables: variables, rows: rowCount, plan: ParallelPlan()) {
            var columns: [SurveyTableColumn] = []
            columns.reserveCapacity(variables.count)
            for (c, v) in variables.enumerated() {
                let values: SurveyTableColumn.Values = direct[c].texts.map { .text($0) }
                    ?? .numbers(direct[c].numbers!, integerStorage: v.isIntegerType || v.hasWholeFormat)
                let labels = v.labelSet.flatMap { meta.labelSets[$0] }
                columns.append(SurveyTableColumn(name: v.name, label: v.label, values: values, missing: direct[c].missing,
                                                 valueLabels: v.isText ? [:] : (labels?.values ?? [:]),
                                                 missingLabels: v.isText ? [:] : (labels?.missing ?? [:])))
            }
            return SurveyTable(file: file, format: format, rowCount: rowCount, columns: columns, fileLabel: meta.fileLabel)
        }

        // 3. The data, in pieces of rows.
        let kinds: [ReadStatColumnKind] = variables.map {
            $0.isText ? .text : ($0.hasUserMissing ? .numbersWithUserMissing : .numbers)
        }
        let known = rowCount >= 0
        var pieces = 1
        if known, kind == .stata {
            pieces = requestedPieces ?? min(ParallelPlan().threads, max(1, rowCount / 100_000))
            pieces = max(1, min(pieces, max(1, rowCount)))
        }
        // strL values are shared between rows; text may exceed the file only that way.
        let textBudget = max(1 << 24, fileSize.multipliedReportingOverflow(by: 8).partialValue)
        let ranges: [Range<Int>] = known
            ? (0..<pieces).map { p in (rowCount * p / pieces)..<(rowCount * (p + 1) / pieces) }
            : [0..<0]
        let pieceCount = pieces
        let numericCount = kinds.filter { $0 != .text }.count
        // Numbers go straight into the table's arrays when the row count is known (no copy); the arrays are
        // made one inside another's initializer, so past a few hundred columns (stack depth) pieces keep their own.
        let direct = known && (inPlace ?? (numericCount <= Self.directColumnLimit))
        var results: [PieceResult] = []
        let numbers = withNewColumns(count: direct ? numericCount : 0, rows: max(0, rowCount)) { pointers -> Bool in
            var next = 0
            let bases: [SendablePointer<Double>?] = kinds.map { k in
                guard direct, k != .text else { return nil }
                defer { next += 1 }
                return SendablePointer(pointers[next])
            }
            results = ParallelPlan(threads: pieceCount).map(pieces: pieceCount) { p -> PieceResult in
                let range = ranges[p]
                guard let sink = ReadStatPieceSink.allocate(kinds: kinds, capacity: range.count, growable: !known,
                                                            textBudget: textBudget / pieceCount + 1,
                                                            numbers: direct ? bases.map { $0.map { $0.pointer + range.lowerBound } } : nil) else {
                    return PieceResult(sink: nil, error: InputError(file: file, kind: .unsupported,
                        "not enough memory for \(range.count) rows of \(kinds.count) variables"))
                }
                let collector = ReadStatMetadata(file: file)
                do {
                    try parse(mapped: mapped, file: file, kind: kind, encoding: encoding, collector: collector, sink: sink,
                              rows: known ? range : nil, variables: variables)
                    if let e = collector.error { throw e }
                    if known, sink.pointee.rowsSeen != range.count {
                        throw InputError(file: file, line: range.lowerBound + sink.pointee.rowsSeen + 1, kind: .inconsistent,
                            "the header announces \(rowCount) rows but the data end after \(range.lowerBound + sink.pointee.rowsSeen)")
                    }
                } catch let error as InputError {
                    return PieceResult(sink: SendablePointer(sink), error: error)
                } catch {
                    return PieceResult(sink: SendablePointer(sink), error: InputError(file: file, kind: .badValue, "\(error)"))
                }
                return PieceResult(sink: SendablePointer(sink), error: nil)
            }
            return results.allSatisfy { $0.error == nil }
        }
        defer {
            for r in results {
                if let s = r.sink?.pointer { s.pointee.free(); s.deallocate() }
            }
        }
        if let e = results.first(where: { $0.error != nil })?.error { throw e }
        let sinks = results.map { $0.sink!.pointer }
        let totalRows = known ? rowCount : sinks[0].pointee.rowsSeen
        let pieceRows = known ? ranges.map(\.count) : [totalRows]

        // 4. Columns, joined in row order.
        var columns: [SurveyTableColumn] = []
        columns.reserveCapacity(variables.count)
        var nextNumeric = 0
        for (c, v) in variables.enumerated() {
            var missing: [MissingCode]?
            if sinks.contains(where: { $0.pointee.columns[c].missingCount > 0 }) {
                missing = [MissingCode](unsafeUninitializedCapacity: totalRows) { buffer, count in
                    var at = 0
                    for (p, s) in sinks.enumerated() where pieceRows[p] > 0 {
                        UnsafeMutableRawPointer(buffer.baseAddress! + at).copyMemory(from: s.pointee.columns[c].missing!, byteCount: pieceRows[p])
                        at += pieceRows[p]
                    }
                    count = totalRows
                }
            }
            let values: SurveyTableColumn.Values
            if v.isText {
                var texts: [String] = []
                texts.reserveCapacity(totalRows)
                var first = 0
                for (p, s) in sinks.enumerated() {
                    let col = s.pointee.columns[c]
                    for r in 0..<pieceRows[p] {
                        let len = col.lengths![r]
                        if len == 0 { texts.append(""); continue }
                        let raw = UnsafeBufferPointer(start: col.arena! + col.starts![r], count: len)
                        guard let text = decodeText(raw, strL: v.isStrL, format: format, encoding: encoding) else {
                            throw InputError(file: file, line: first + r + 1, field: v.name, kind: .badValue,
                                "the text is not valid \(v.isStrL && format != .stata(version: 118) && format != .stata(version: 119) ? (encoding ?? "Windows-1252") : "UTF-8"); give the file's encoding (ReadStat names, e.g. WINDOWS-1252, ISO-8859-1)")
                        }
                        texts.append(text)
                    }
                    first += pieceRows[p]
                }
                values = .text(texts)
            } else {
                var whole = v.isIntegerType || v.hasWholeFormat
                let column: [Double]
                if direct {
                    column = numbers[nextNumeric]
                    nextNumeric += 1
                } else {
                    column = [Double](unsafeUninitializedCapacity: totalRows) { buffer, count in
                        var at = 0
                        for (p, s) in sinks.enumerated() where pieceRows[p] > 0 {
                            (buffer.baseAddress! + at).update(from: s.pointee.columns[c].numbers!, count: pieceRows[p])
                            at += pieceRows[p]
                        }
                        count = totalRows
                    }
                }
                if whole && !v.isIntegerType {
                    // An SPSS format without decimals is only a display format: check the values.
                    for (r, x) in column.enumerated() where x != x.rounded() {
                        let m = missing?[r] ?? .present
                        if !m.isMissing || m == .user { whole = false; break }
                    }
                }
                values = .numbers(column, integerStorage: whole)
            }
            let labels = v.labelSet.flatMap { meta.labelSets[$0] }
            columns.append(SurveyTableColumn(name: v.name, label: v.label, values: values, missing: missing,
                                             valueLabels: v.isText ? [:] : (labels?.values ?? [:]),
                                             missingLabels: v.isText ? [:] : (labels?.missing ?? [:])))
        }
        return SurveyTable(file: file, format: format, rowCount: totalRows, columns: columns, fileLabel: meta.fileLabel)
    }

    /// A Stata or SPSS file's variables as ReadStat describes them (for tests of the direct row path).
    static func readStatVariables(file: String) throws -> [ReadStatVariable] {
        let mapped = try MappedFile(path: file)
        let meta = ReadStatMetadata(file: file)
        try parse(mapped: mapped, file: file, kind: file.lowercased().hasSuffix(".dta") ? .stata : .spss, encoding: nil, collector: meta, sink: nil, rows: nil)
        if let e = meta.error { throw e }
        return meta.variables
    }

    /// The most numeric columns written in place (each is made inside the previous one's initializer).
    static let directColumnLimit = 400

    /// Makes `count` arrays of `rows` numbers and runs `body` with their storage, which it must fill
    /// completely when it returns true. Returns the arrays (empty ones when `body` returns false).
    ///
    /// Each array is made by `Array(unsafeUninitializedCapacity:)`, the next inside its initializer, so
    /// every pointer is valid while `body` runs, and no array is filled twice (as a zero-filled array
    /// written again, or a buffer copied, would be).
    static func withNewColumns(count: Int, rows: Int, _ body: ([UnsafeMutablePointer<Double>]) -> Bool) -> [[Double]] {
        var pointers: [UnsafeMutablePointer<Double>] = []
        pointers.reserveCapacity(count)
        var arrays: [[Double]] = []
        var filled = false
        func level(_ k: Int) {
            if k == count { filled = body(pointers); return }
            let array = [Double](unsafeUninitializedCapacity: max(1, rows)) { buffer, initialized in
                pointers.append(buffer.baseAddress!)
                level(k + 1)
                // Double is a trivial type: an unfilled array is simply given no elements.
                initialized = filled ? rows : 0
            }
            arrays.append(array)
        }
        level(0)
        return arrays.reversed()
    }

    /// The result of one piece: its buffers (freed by the caller) and its first error.
    private struct PieceResult: Sendable {
        var sink: SendablePointer<ReadStatPieceSink>?
        var error: InputError?
    }

    /// The fewest bytes one row can take in the file.
    private static func minimumBytesPerRow(_ variables: [ReadStatVariable], kind: ReadStatKind, compression: readstat_compress_t) -> Int {
        var total = 0
        for v in variables {
            let width = max(1, v.storageWidth)
            switch (kind, compression) {
            case (.stata, _): total += width
            case (.spss, READSTAT_COMPRESS_NONE): total += 8 * ((width + 7) / 8)
            default: total += (width + 7) / 8   // bytecode (and zlib, checked against 1100 times the file): one byte per 8-byte segment
            }
        }
        return max(1, total)
    }

    /// Refuses a file whose first bytes are not those of its format (a CSV named `.dta`, a truncated file).
    private static func checkSignature(_ bytes: UnsafeRawBufferPointer, file: String, kind: ReadStatKind) throws {
        func starts(with s: String) -> Bool {
            let u = Array(s.utf8)
            return bytes.count >= u.count && zip(bytes.prefix(u.count), u).allSatisfy { $0 == $1 }
        }
        switch kind {
        case .stata:
            if starts(with: "<stata_dta>") { return }
            if bytes.count >= 4, (0x66...0x73).contains(bytes[0]), bytes[1] == 1 || bytes[1] == 2 {
                let version = Int(bytes[0])
                guard stataFormats.contains(version) else {
                    throw InputError(file: file, kind: .unsupported,
                        "a Stata file of format \(version); simrun reads formats 114, 115 (Stata 10-12), 117 (13), 118 and 119 (14 and later): save it again with `saveold`, or with Stata 14 or later")
                }
                return
            }
            throw InputError(file: file, kind: .badValue,
                bytes.isEmpty ? "the file is empty; expected a Stata .dta file" : "not a Stata .dta file (it does not begin with a Stata header)")
        case .spss:
            if starts(with: "$FL2") || starts(with: "$FL3") { return }
            throw InputError(file: file, kind: .badValue,
                bytes.isEmpty ? "the file is empty; expected an SPSS system file" : "not an SPSS system file (.sav or .zsav: it does not begin with $FL2 or $FL3)")
        }
    }

    /// Decodes a text value: UTF-8 as ReadStat gave it, except the strL values of Stata files before
    /// format 118, which ReadStat hands over in the file's encoding (Windows-1252 unless `encoding` says otherwise).
    private static func decodeText(_ raw: UnsafeBufferPointer<UInt8>, strL: Bool, format: Format, encoding: String?) -> String? {
        if strL, case .stata(let version) = format, version < 118 {
            let name = String((encoding ?? "WINDOWS-1252").uppercased().map { $0 == "_" ? "-" : $0 })
            switch name {
            case "UTF-8", "UTF8": break
            case "WINDOWS-1252", "CP1252": return windows1252(raw)
            case "ISO-8859-1", "LATIN1", "ISO8859-1": return String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
            default: return nil
            }
        }
        return String(validating: raw, as: UTF8.self)
    }

    /// Windows-1252 to text (the five undefined bytes map to C1 controls, as Python's and iconv's tables do not; they are rare).
    private static func windows1252(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                              0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        var scalars = String.UnicodeScalarView()
        for b in raw {
            let v = (0x80...0x9F).contains(b) ? high[Int(b) - 0x80] : UInt32(b)
            scalars.append(Unicode.Scalar(v)!)
        }
        return String(scalars)
    }
}

/// A pointer handed between pieces of a parallel parse and the thread that joins them.
///
/// Safety of `@unchecked Sendable`: each piece allocates and fills its own sink; the joining
/// thread reads it only after `ParallelPlan.map` has returned (every piece finished).
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
