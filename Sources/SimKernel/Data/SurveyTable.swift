/// One data file as it was delivered, read column by column before any
/// model meaning is given to it: a survey's household file, person file or
/// a small lookup table, from a CSV, a Stata `.dta` or an SPSS `.sav`/`.zsav`.
///
/// A table keeps what the file says and nothing more: each column's name,
/// its label, its value labels, and per row either a value or the kind of
/// missing value the file wrote (Stata's `.` and `.a`-`.z`, an SPSS
/// system-missing or user-missing value, an empty CSV field). Nothing is
/// coerced: a missing value is never 0 or a code. Data recipes
/// (``SurveyRecipe``) and the readers of model variables decide what
/// missing values mean, with the analyst's rules.
///
/// ```swift
/// let table = try SurveyTable.read(file: "hh.dta")
/// let region = table.column(named: "region")!   // value labels in region.valueLabels
/// ```
public struct SurveyTable: Sendable {
    /// The file format a table came from.
    public enum Format: Sendable, Equatable, CustomStringConvertible {
        /// Comma-separated values with a header line.
        case csv
        /// A Stata file of the given release format (114, 115, 117, 118, 119).
        case stata(version: Int)
        /// An SPSS system file (`.sav`, or `.zsav` compressed).
        case spss
        /// The result of a data recipe (``SurveyRecipe``): one row per person.
        case recipe

        public var description: String {
            switch self {
            case .csv: return "CSV"
            case .stata(let v): return "Stata (format \(v))"
            case .spss: return "SPSS"
            case .recipe: return "data recipe"
            }
        }
    }

    /// The file, as the user named it.
    public let file: String
    /// Its format.
    public let format: Format
    /// The number of data rows.
    public let rowCount: Int
    /// The columns, in file order; names are unique.
    public let columns: [SurveyTableColumn]
    /// The file's label (Stata's data label), if any.
    public let fileLabel: String?

    /// A table; the reader has checked that every column has `rowCount` rows and names are unique.
    public init(file: String, format: Format, rowCount: Int, columns: [SurveyTableColumn], fileLabel: String? = nil) {
        precondition(columns.allSatisfy { $0.count == rowCount }, "every column of a table has one value per row")
        precondition(Set(columns.map(\.name)).count == columns.count, "column names are unique")
        self.file = file
        self.format = format
        self.rowCount = rowCount
        self.columns = columns
        self.fileLabel = fileLabel
    }

    /// The column called `name` (names compare exactly), or `nil`.
    public func column(named name: String) -> SurveyTableColumn? {
        columns.first { $0.name == name }
    }

    /// How a row is named in messages: a CSV's line (the header is line 1), or another file's row number (from 1).
    public func rowDescription(_ row: Int) -> String {
        format == .csv ? "line \(row + 2)" : "row \(row + 1)"
    }

    /// The `line` to put into an ``InputError`` for `row`: the CSV line, or the row number from 1.
    public func errorLine(_ row: Int) -> Int {
        format == .csv ? row + 2 : row + 1
    }
}

/// Why a value is missing, as the file wrote it.
///
/// Stored as one byte per row (0 for a value that is present).
public struct MissingCode: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A value is present.
    public static let present = MissingCode(rawValue: 0)
    /// Stata's `.`, SPSS's system-missing value, an empty CSV field.
    public static let system = MissingCode(rawValue: 1)
    /// An SPSS user-missing value (declared missing in the file; the value itself is kept).
    public static let user = MissingCode(rawValue: 28)

    /// Stata's extended missing value `.a` ... `.z` (`letter` in `a...z`).
    public static func extended(_ letter: Character) -> MissingCode {
        guard let ascii = letter.asciiValue, ascii >= 0x61, ascii <= 0x7A else {
            preconditionFailure("Stata's extended missing values are .a to .z")
        }
        return MissingCode(rawValue: 2 + (ascii - 0x61))
    }

    /// Whether the value is missing (any kind).
    @inline(__always) public var isMissing: Bool { rawValue != 0 }

    /// The letter of a Stata extended missing value (`a`...`z`), or `nil`.
    public var extendedLetter: Character? {
        guard rawValue >= 2, rawValue <= 27 else { return nil }
        return Character(Unicode.Scalar(0x61 + rawValue - 2))
    }

    /// As the analyst would write it: `.`, `.a`-`.z`, `user-missing`, or `present`.
    public var description: String {
        if rawValue == 0 { return "present" }
        if rawValue == 1 { return "." }
        if let l = extendedLetter { return ".\(l)" }
        return "user-missing"
    }

    public static func < (a: MissingCode, b: MissingCode) -> Bool { a.rawValue < b.rawValue }
}

/// One column of a ``SurveyTable``.
public struct SurveyTableColumn: Sendable {
    /// How a column's values are held.
    public enum Values: Sendable {
        /// Numbers, one per row. At a missing row the value is NaN, except
        /// an SPSS user-missing value, which is kept (e.g. -99) so that it can
        /// be described. `integerStorage` is true when the file stores the
        /// column as whole numbers (Stata byte/int/long, SPSS F format
        /// without decimals, a CSV column of whole numbers only).
        case numbers([Double], integerStorage: Bool)
        /// Text, one string per row (empty at a missing row).
        case text([String])
    }

    /// The column's name in the file.
    public let name: String
    /// The variable label (Stata's and SPSS's label; `nil` in a CSV).
    public var label: String?
    /// The values.
    public var values: Values
    /// Per row, why the value is missing (``MissingCode/present`` if it is not);
    /// `nil` when no value of the column is missing.
    public var missing: [MissingCode]?
    /// Value labels of a numeric column: value to label (e.g. 1 → "North").
    /// Extended missing values' labels are in ``missingLabels``.
    public var valueLabels: [Double: String]
    /// Labels of missing-value kinds, from the file's value labels (Stata's
    /// `.a` "refused"); empty for most columns.
    public var missingLabels: [MissingCode: String]

    public init(name: String, label: String? = nil, values: Values, missing: [MissingCode]? = nil, valueLabels: [Double: String] = [:],
                missingLabels: [MissingCode: String] = [:]) {
        self.name = name
        self.label = label
        self.values = values
        self.missing = missing.flatMap { $0.contains(where: \.isMissing) ? $0 : nil }
        self.valueLabels = valueLabels
        self.missingLabels = missingLabels
    }

    /// The number of rows.
    public var count: Int {
        switch values {
        case .numbers(let v, _): return v.count
        case .text(let v): return v.count
        }
    }

    /// Whether the column holds numbers.
    public var isNumeric: Bool {
        if case .numbers = values { return true }
        return false
    }

    /// Why row `row`'s value is missing, or ``MissingCode/present``.
    @inline(__always)
    public func missingCode(_ row: Int) -> MissingCode { missing?[row] ?? .present }

    /// The number of missing values of each kind (kinds with none left out).
    public var missingCounts: [MissingCode: Int] {
        guard let missing else { return [:] }
        var counts: [MissingCode: Int] = [:]
        for m in missing where m.isMissing { counts[m, default: 0] += 1 }
        return counts
    }
}
