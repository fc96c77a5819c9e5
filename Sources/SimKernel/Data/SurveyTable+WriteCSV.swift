import Foundation

extension SurveyTable {
    /// Writes the table as a CSV, with extra numeric columns appended, atomically.
    ///
    /// The header is the table's column names, then the extra columns' names.
    /// Numbers are written in the shortest form that reads back as exactly the
    /// same double (whole numbers below 10¹⁵ without a decimal point, others as
    /// Swift's `description`, e.g. `70.100438204726714`, `1e-05`); a missing
    /// value of any kind is an empty field (Stata's `.a` or an SPSS
    /// user-missing value is then simply missing, and value labels are not
    /// written: the codes are). A field is quoted (RFC 4180, quotes doubled)
    /// when it holds a comma, a quote, a line break, or starts or ends with a
    /// space (simrun's CSV reader trims spaces around a field even inside
    /// quotes, and reads no line breaks inside fields, so such texts do not
    /// come back unchanged). The file is written beside `path` under a temporary name and
    /// renamed into place, so `path` never holds half a file.
    ///
    /// - Parameters:
    ///   - path: The file to write: a new path or a regular file to replace.
    ///   - extra: Columns to append: names (not already in the table) and one value per row.
    ///   - temporaryCreated: Called with the temporary file's name once it exists (to remove it if interrupted).
    /// - Throws: ``InputError`` of kind ``InputError/Kind/cannotCreate`` or ``InputError/Kind/io``,
    ///   or ``InputError/Kind/duplicate`` if an extra column's name is taken.
    public func writeCSV(to path: String, adding extra: [(name: String, values: [Double])] = [],
                         temporaryCreated: (String) -> Void = { _ in }) throws {
        for column in extra {
            precondition(column.values.count == rowCount, "an extra column has one value per row")
            guard self.column(named: column.name) == nil else {
                throw InputError(file: file, field: column.name, kind: .duplicate,
                                 "the data already has a column \(InputExcerpt.quoted(column.name)); choose another name for the new one")
            }
        }
        try SurveyCache.checkReplaceable(path)
        try SurveyCache.writeAtomically(to: path, temporaryCreated: temporaryCreated) { out in
            func put(_ line: String) -> Bool {
                let bytes = Array((line + "\n").utf8)
                return fwrite(bytes, 1, bytes.count, out) == bytes.count
            }
            guard put((columns.map(\.name) + extra.map(\.name)).map(Self.csvField).joined(separator: ",")) else { return false }
            for row in 0..<rowCount {
                var fields: [String] = []
                fields.reserveCapacity(columns.count + extra.count)
                for c in columns {
                    if c.missingCode(row).isMissing { fields.append(""); continue }
                    switch c.values {
                    case .numbers(let v, _): fields.append(Self.csvNumber(v[row]))
                    case .text(let v): fields.append(Self.csvField(v[row]))
                    }
                }
                for e in extra { fields.append(Self.csvNumber(e.values[row])) }
                guard put(fields.joined(separator: ",")) else { return false }
            }
            return true
        }
    }

    /// The shortest text that reads back as exactly `x`: whole numbers below 10¹⁵
    /// without a decimal point, others as Swift's `description`; empty if not finite.
    public static func csvNumber(_ x: Double) -> String {
        guard x.isFinite else { return "" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// `text` as a CSV field, quoted when it must be.
    static func csvField(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
