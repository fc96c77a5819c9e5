extension SurveyTable {
    /// The extensions (lower case) ``read(file:encoding:)`` reads with ReadStat; any other file is a CSV.
    public static let statExtensions = ["dta", "sav", "zsav"]

    /// Whether `file` is a Stata or SPSS file, by its extension in any case.
    public static func isStatFile(_ file: String) -> Bool {
        let lower = file.lowercased()
        return statExtensions.contains { lower.hasSuffix("." + $0) }
    }

    /// Reads a whole data file as delivered, choosing the reader by the
    /// file's extension, in any case: `.dta` a Stata file (formats 114, 115,
    /// 117, 118, 119), `.sav` and `.zsav` an SPSS system file, anything else
    /// a CSV (``readCSV(file:plan:)``).
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
}
