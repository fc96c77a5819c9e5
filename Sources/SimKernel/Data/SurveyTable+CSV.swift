extension SurveyTable {
    /// Reads a CSV file (rules of ``SurveyLoader``'s CSV: a header line of
    /// unique column names, fields separated by commas, RFC 4180 quotes, no
    /// line breaks inside fields, UTF-8).
    ///
    /// A column is numeric when every non-empty field reads as a decimal
    /// number (as the loader reads numbers); its values are whole-number
    /// storage when every one is a whole number. Otherwise it is text. An
    /// empty field is a missing value (``MissingCode/system``); nothing else
    /// (not `NA`, not `-99`) is taken for missing: a recipe says so. Spaces
    /// and tabs around a field are dropped.
    ///
    /// - Complexity: O(file size), in pieces of about 4 MiB parsed on every
    ///   thread of `plan`; numbers are parsed in place (no text per field); a
    ///   second pass makes text only for the columns that need it. The result
    ///   is the same for any thread count.
    /// - Throws: ``InputError`` for an empty file, a repeated or empty column
    ///   name, a row with another number of fields than the header, a badly
    ///   quoted field or text that is not UTF-8, each naming the line (the
    ///   first defect in file order).
    public static func readCSV(file: String, plan: ParallelPlan = ParallelPlan()) throws -> SurveyTable {
        let mapped = try MappedFile(path: file)
        let table = try CSVTable(mapped: mapped, pieceBytes: 1 << 22)
        let header = table.header
        var seen: Set<String> = []
        for (k, name) in header.enumerated() {
            guard !name.isEmpty else {
                throw InputError(file: file, line: 1, field: "header field \(k + 1)", kind: .badValue, "a column has no name")
            }
            guard seen.insert(name).inserted else {
                throw InputError(file: file, line: 1, field: name, kind: .duplicate, "the column name appears twice in the header")
            }
        }
        let pieces = table.pieces
        let width = header.count
        // Pass 1: numbers in place; which columns hold text.
        let parsed = plan.map(pieces: pieces.count) { k in
            CSVNumberPiece(bytes: mapped.bytes, range: pieces[k], width: width)
        }
        var firstLine = [Int](repeating: 2, count: pieces.count + 1)
        for k in pieces.indices { firstLine[k + 1] = firstLine[k] + parsed[k].rows }
        if let k = parsed.firstIndex(where: { $0.failure != nil }), let f = parsed[k].failure {
            throw InputError(file: file, line: firstLine[k] + f.row, field: f.field.map { $0 < width ? header[$0] : "field \($0 + 1)" },
                             kind: .badValue, f.message)
        }
        let rows = firstLine[pieces.count] - 2
        var text = [Bool](repeating: false, count: width)
        for p in parsed { for c in 0..<width where p.text[c] { text[c] = true } }
        // Pass 2: text for the columns that hold some.
        var texts: [[[String]]] = []
        if text.contains(true) {
            let textColumns = text.indices.filter { text[$0] }
            let pieceTexts = plan.map(pieces: pieces.count) { k in
                CSVTextPiece(bytes: mapped.bytes, range: pieces[k], width: width, columns: textColumns)
            }
            if let k = pieceTexts.firstIndex(where: { $0.failure != nil }), let f = pieceTexts[k].failure {
                throw InputError(file: file, line: firstLine[k] + f.row, field: f.field.map { header[$0] }, kind: .badValue, f.message)
            }
            texts = pieceTexts.map(\.values)
        }
        var columns: [SurveyTableColumn] = []
        columns.reserveCapacity(width)
        for c in 0..<width {
            var missing = [MissingCode]()
            missing.reserveCapacity(rows)
            for p in parsed { missing.append(contentsOf: p.missing[c]) }
            if text[c] {
                let slot = texts.isEmpty ? 0 : text[..<c].filter { $0 }.count
                var values = [String]()
                values.reserveCapacity(rows)
                for t in texts { values.append(contentsOf: t[slot]) }
                columns.append(SurveyTableColumn(name: header[c], values: .text(values), missing: missing))
            } else {
                var values = [Double]()
                values.reserveCapacity(rows)
                var whole = true
                for p in parsed {
                    values.append(contentsOf: p.values[c])
                    whole = whole && p.whole[c]
                }
                columns.append(SurveyTableColumn(name: header[c], values: .numbers(values, integerStorage: whole), missing: missing))
            }
        }
        return SurveyTable(file: file, format: .csv, rowCount: rows, columns: columns)
    }
}

/// A defect met while parsing a piece: its row in the piece (from 0), the field (from 0) and what is wrong.
struct CSVPieceFailure: Sendable {
    let row: Int
    let field: Int?
    let message: String
}

/// Walks the fields of the lines of a piece of a CSV file.
struct CSVFieldWalker {
    let bytes: UnsafeRawBufferPointer
    let range: Range<Int>
    let width: Int

    /// Calls `field(row, column, start, end, quoted)` for every field (bytes
    /// without the surrounding spaces; a quoted field's content between its
    /// quotes, doubled quotes not yet undone); returns the rows, or a failure.
    func walk(_ field: (Int, Int, Int, Int, Bool) -> Void) -> (rows: Int, failure: CSVPieceFailure?) {
        var row = 0
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            var lineEnd = i
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var textEnd = lineEnd
            if textEnd > i, bytes[textEnd - 1] == 0x0D { textEnd -= 1 }
            var c = 0
            var j = i
            while true {
                while j < textEnd, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < textEnd, bytes[j] == 0x22 {
                    let open = j
                    var q = j + 1
                    while true {
                        guard q < textEnd else {
                            return (row, CSVPieceFailure(row: row, field: c, message: "byte \(open - i + 1) of the line: a quoted field is not closed before the end of the line (fields may not contain line breaks)"))
                        }
                        if bytes[q] == 0x22 {
                            if q + 1 < textEnd, bytes[q + 1] == 0x22 { q += 2; continue }
                            break
                        }
                        q += 1
                    }
                    if c < width { field(row, c, open + 1, q, true) }
                    j = q + 1
                    while j < textEnd, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                    if j < textEnd, bytes[j] != 0x2C {
                        return (row, CSVPieceFailure(row: row, field: c, message: "byte \(j - i + 1) of the line: unexpected text after a closing quote; expected a comma or the end of the line"))
                    }
                } else {
                    let start = j
                    while j < textEnd, bytes[j] != 0x2C {
                        if bytes[j] == 0x22 {
                            return (row, CSVPieceFailure(row: row, field: c, message: "byte \(j - i + 1) of the line: a quote (\") inside an unquoted value; a quote may only open a field: enclose the whole value in quotes and double each quote inside it"))
                        }
                        j += 1
                    }
                    var e = j
                    while e > start, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
                    if c < width { field(row, c, start, e, false) }
                }
                c += 1
                if j >= textEnd { break }
                j += 1  // the comma
            }
            if c != width {
                return (row, CSVPieceFailure(row: row, field: nil, message: textEnd == i
                    ? "the line is empty; expected \(width) comma-separated fields"
                    : "the line has \(c) field\(c == 1 ? "" : "s") but the header has \(width)"))
            }
            row += 1
            i = lineEnd + 1
        }
        return (row, nil)
    }
}

/// Pass 1 over a piece: each column's numbers (NaN where empty or not a number), missing codes, whether it holds text.
struct CSVNumberPiece: Sendable {
    var rows = 0
    var values: [[Double]]
    var missing: [[MissingCode]]
    var text: [Bool]
    var whole: [Bool]
    var failure: CSVPieceFailure?

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>, width: Int) {
        // The piece's lines (a last line may lack its line feed): values go straight to their place.
        var lines = 0
        for i in range where bytes[i] == 0x0A { lines += 1 }
        if range.upperBound > range.lowerBound, bytes[range.upperBound - 1] != 0x0A { lines += 1 }
        let n = lines
        var flat = [Double](repeating: .nan, count: n * width)
        var codes = [UInt8](repeating: 0, count: n * width)
        var text = [Bool](repeating: false, count: width)
        var whole = [Bool](repeating: true, count: width)
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let result = flat.withUnsafeMutableBufferPointer { out in
            codes.withUnsafeMutableBufferPointer { missing in
                text.withUnsafeMutableBufferPointer { isText in
                    whole.withUnsafeMutableBufferPointer { isWhole in
                        CSVFieldWalker(bytes: bytes, range: range, width: width).walk { row, c, start, end, quoted in
                            let at = c * n + row
                            if end == start {
                                missing[at] = MissingCode.system.rawValue
                                return
                            }
                            if isText[c] { return }
                            if quoted, UnsafeBufferPointer(start: base + start, count: end - start).contains(0x22) {
                                isText[c] = true
                                return
                            }
                            // Digits only past 2^53 cannot be held exactly (a long identifier): kept as text.
                            if let x = DecimalParser.real(base + start, end - start), x.isFinite,
                               !(abs(x) > 9_007_199_254_740_992
                                 && !UnsafeBufferPointer(start: base + start, count: end - start).contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 })) {
                                out[at] = x
                                if x != x.rounded() { isWhole[c] = false }
                            } else {
                                isText[c] = true
                            }
                        }
                    }
                }
            }
        }
        rows = result.rows
        failure = result.failure
        let kept = result.failure == nil ? n : 0
        values = (0..<width).map { c in Array(flat[(c * n)..<(c * n + kept)]) }
        missing = (0..<width).map { c in codes[(c * n)..<(c * n + kept)].map { MissingCode(rawValue: $0) } }
        self.text = text
        self.whole = whole
    }
}

/// Pass 2 over a piece: the text of the columns that hold text (quotes undone, UTF-8 checked).
struct CSVTextPiece: Sendable {
    var values: [[String]]
    var failure: CSVPieceFailure?

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>, width: Int, columns: [Int]) {
        var slot = [Int](repeating: -1, count: width)
        for (i, c) in columns.enumerated() { slot[c] = i }
        var values = [[String]](repeating: [], count: columns.count)
        var failure: CSVPieceFailure?
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let result = CSVFieldWalker(bytes: bytes, range: range, width: width).walk { row, c, start, end, quoted in
            let s = slot[c]
            guard s >= 0 else { return }
            let raw = UnsafeBufferPointer(start: base + start, count: end - start)
            let decoded: String?
            if quoted, raw.contains(0x22) {
                var unquoted: [UInt8] = []
                var k = 0
                while k < raw.count {
                    unquoted.append(raw[k])
                    k += raw[k] == 0x22 && k + 1 < raw.count && raw[k + 1] == 0x22 ? 2 : 1
                }
                decoded = String(validating: unquoted, as: UTF8.self)
            } else {
                decoded = String(validating: raw, as: UTF8.self)
            }
            guard let decoded else {
                if failure == nil { failure = CSVPieceFailure(row: row, field: c, message: "the value is not valid UTF-8 text; save the file as UTF-8") }
                values[s].append("")
                return
            }
            values[s].append(decoded)
        }
        self.values = values
        self.failure = failure ?? result.failure
    }
}
