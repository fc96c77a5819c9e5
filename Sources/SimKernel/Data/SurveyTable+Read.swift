extension SurveyTable {
    /// The file formats ``read(file:encoding:)`` knows, by file extension (lower case).
    public static let readableExtensions = ["csv", "dta", "sav", "zsav"]

    /// Reads a whole data file as delivered, choosing the reader by the
    /// file's extension, in any case: `.dta` a Stata file (formats 114, 115,
    /// 117, 118, 119), `.sav` and `.zsav` an SPSS system file, anything else
    /// a CSV (``readCSV(file:)``).
    ///
    /// Stata and SPSS files are read with ReadStat: variable labels become
    /// ``SurveyTableColumn/label``, value labels ``SurveyTableColumn/valueLabels``
    /// (labels of Stata's `.a`-`.z` ``SurveyTableColumn/missingLabels``);
    /// Stata's `.` and SPSS's system-missing value are ``MissingCode/system``,
    /// Stata's `.a`-`.z` ``MissingCode/extended(_:)`` (value NaN), SPSS
    /// user-missing values and ranges ``MissingCode/user`` with the value
    /// kept; an empty string is ``MissingCode/system``. Stata byte, int and
    /// long and SPSS numeric formats without decimals (whose values are all
    /// whole) have `integerStorage`. Text is UTF-8: Stata 118 and 119 files
    /// are UTF-8, older ones Windows-1252, SPSS files say their encoding.
    ///
    /// ```swift
    /// let persons = try SurveyTable.read(file: "persons.dta")
    /// let old = try SurveyTable.read(file: "old.dta", encoding: "ISO-8859-1")
    /// ```
    ///
    /// - Parameters:
    ///   - file: The path.
    ///   - encoding: The text encoding of a Stata or SPSS file, as iconv names it
    ///     (`WINDOWS-1252`, `ISO-8859-1`, `CP1251`, ...), overriding what the
    ///     file says or the default; `nil` for the default. Ignored for a CSV (UTF-8).
    /// - Throws: ``InputError`` naming the file, line or row, and column of the
    ///   first defect; ``InputError/Kind/noInput`` when the file cannot be opened;
    ///   a file that is not what its extension says is ``InputError/Kind/badValue`` (exit 65).
    /// - Complexity: O(rows × columns); Stata files are read in pieces of rows on every core.
    public static func read(file: String, encoding: String? = nil) throws -> SurveyTable {
        let dot = file.lastIndex(of: ".")
        let slash = file.lastIndex(of: "/")
        let ext = dot.map { d in slash.map { $0 < d } ?? true ? String(file[file.index(after: d)...]).lowercased() : "" } ?? ""
        switch ext {
        case "dta": return try readStat(file: file, kind: .stata, encoding: encoding)
        case "sav", "zsav": return try readStat(file: file, kind: .spss, encoding: encoding)
        default: return try readCSV(file: file)
        }
    }

    /// Reads a CSV file (rules of ``SurveyLoader``'s CSV: a header line of
    /// unique column names, fields separated by commas, RFC 4180 quotes, no
    /// line breaks inside fields, UTF-8).
    ///
    /// A column is numeric when every non-empty field reads as a decimal
    /// number (as the loader reads numbers); its values are whole-number
    /// storage when every one is a whole number. Otherwise it is text. An
    /// empty field is a missing value (``MissingCode/system``); nothing else
    /// (not `NA`, not `-99`) is taken for missing: a recipe says so.
    ///
    /// - Throws: ``InputError`` for an empty file, a repeated or empty column
    ///   name, a row with another number of fields than the header (naming
    ///   the line), a badly quoted field or text that is not UTF-8.
    public static func readCSV(file: String) throws -> SurveyTable {
        let mapped = try MappedFile(path: file)
        let table = try CSVTable(mapped: mapped, pieceBytes: Int.max / 2)
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
        var fields = [[String]](repeating: [], count: header.count)
        var line = 1
        let bytes = mapped.bytes
        for piece in table.pieces {
            var start = piece.lowerBound
            while start < piece.upperBound {
                var end = start
                while end < piece.upperBound, bytes[end] != 0x0A { end += 1 }
                line += 1
                var textEnd = end
                if textEnd > start, bytes[textEnd - 1] == 0x0D { textEnd -= 1 }
                let row = try CSVTable.splitLine(UnsafeRawBufferPointer(rebasing: bytes[start..<textEnd]), file: file, line: line,
                                                 fieldName: { k in k <= header.count ? header[k - 1] : "field \(k)" }, what: "value")
                guard row.count == header.count else {
                    throw InputError(file: file, line: line, kind: .badValue,
                                     "the row has \(row.count) field\(row.count == 1 ? "" : "s"); the header has \(header.count)")
                }
                for (c, value) in row.enumerated() { fields[c].append(value) }
                start = end + 1
            }
        }
        let rows = line - 1
        let columns = zip(header, fields).map { name, texts in column(name: name, texts: texts) }
        return SurveyTable(file: file, format: .csv, rowCount: rows, columns: columns)
    }

    /// A CSV column: numbers when every non-empty field is one, else text.
    private static func column(name: String, texts: [String]) -> SurveyTableColumn {
        var numbers = [Double](repeating: .nan, count: texts.count)
        var missing = [MissingCode](repeating: .present, count: texts.count)
        var numeric = true
        var whole = true
        for (r, t) in texts.enumerated() {
            if t.isEmpty { missing[r] = .system; continue }
            var s = t
            let value = s.withUTF8 { DecimalParser.real($0.baseAddress!, $0.count) }
            guard let value, value.isFinite else { numeric = false; break }
            numbers[r] = value
            if value != value.rounded() { whole = false }
        }
        if numeric {
            return SurveyTableColumn(name: name, values: .numbers(numbers, integerStorage: whole), missing: missing)
        }
        return SurveyTableColumn(name: name, values: .text(texts), missing: missing)
    }
}
