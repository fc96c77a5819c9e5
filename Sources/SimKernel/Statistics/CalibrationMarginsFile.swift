/// A margins file: the known totals that `simrun data calibrate` calibrates to.
///
/// ```yaml
/// margins:
///   region: {North: 242324.5, South: 310455}   # a categorical column: every category's total
///   sex: {male: 4136452, female: 4197017}
///   earnings: 2.1e10                           # a numeric column: its weighted sum
/// ```
///
/// JSON is valid YAML, so `{"margins": {...}}` works too. A mapping under a
/// column makes it categorical: every category present in the data must be
/// listed, and every category listed must be present. The first category
/// listed is R's reference level. A numeric column's categories are its
/// distinct values, written as numbers (`1: 5000` or `"1": 5000`) or, if the
/// column has value labels, as the labels. A number makes the column a
/// numeric auxiliary variable.
public struct CalibrationMarginsFile: Sendable {
    /// One margin as written.
    public struct Margin: Sendable {
        /// The data column.
        public let column: String
        /// The line of the column's key.
        public let line: Int
        /// The categories (key, its line, total), or `nil` for a numeric margin.
        public let categories: [(key: String, line: Int, total: Double)]?
        /// A numeric margin's total (0 for a categorical one).
        public let total: Double
    }

    /// The file, as the user named it.
    public let file: String
    /// The margins in file order.
    public let margins: [Margin]

    /// Reads a margins file.
    ///
    /// - Throws: ``InputError`` with the file, line and key of the first defect (unknown keys, a
    ///   missing `margins:`, a total that is not a number, an empty category list, a column given twice).
    public static func load(file: String) throws -> CalibrationMarginsFile {
        try CalibrationMarginsFile(root: YAMLNode.load(file: file))
    }

    /// Reads the margins from a parsed YAML document.
    public init(root: YAMLNode) throws {
        file = root.file
        for entry in try root.entries() where entry.key != "margins" {
            throw InputError(file: root.file, line: entry.keyLine, field: entry.key, kind: .unknownKey,
                             "unknown key \(InputExcerpt.quoted(entry.key)); a margins file has one key, margins")
        }
        guard let node = root["margins"] else {
            throw root.error(kind: .missingKey, "no 'margins:' key; expected margins: {column: {category: total, ...} or total, ...}")
        }
        var margins: [Margin] = []
        var seen: Set<String> = []
        let entries = try node.entries()
        guard !entries.isEmpty else { throw node.error(kind: .missingKey, "no margins are given; name at least one column with its totals") }
        for entry in entries {
            guard seen.insert(entry.key).inserted else {
                throw InputError(file: file, line: entry.keyLine, field: "margins.\(entry.key)", kind: .duplicate, "the column is given twice")
            }
            switch entry.value.content {
            case .mapping(let cats):
                guard !cats.isEmpty else {
                    throw entry.value.error(kind: .missingKey, "no categories; list every category of the column with its total")
                }
                let categories = try cats.map { cat -> (key: String, line: Int, total: Double) in
                    let total = try cat.value.number()
                    guard total >= 0 else { throw cat.value.error(kind: .outOfRange, "a category's total is a count of population; expected a number ≥ 0, found \(total)") }
                    return (cat.key, cat.keyLine, total)
                }
                margins.append(Margin(column: entry.key, line: entry.keyLine, categories: categories, total: 0))
            case .scalar:
                margins.append(Margin(column: entry.key, line: entry.keyLine, categories: nil, total: try entry.value.number()))
            case .sequence:
                throw entry.value.error(kind: .wrongType, "expected a mapping of categories to totals, or one total for a numeric column; found a list")
            }
        }
        self.margins = margins
    }
}

extension CalibrationMarginsFile {
    /// Builds the calibration of `table`: the initial weights from column
    /// `weight`, a margin for each entry, and households from column `household`.
    ///
    /// - Throws: ``InputError``: an unknown column (naming the margins file's
    ///   line), a missing value in the weight, household or a margin column
    ///   (naming the data file's row and column), a category in the data
    ///   without a total or a total without data, a weight that is not
    ///   numeric.
    public func design(for table: SurveyTable, weight: String, household: String?) throws -> (weights: [Double], design: CalibrationDesign) {
        let columns = table.columns.map(\.name)
        func column(_ name: String, line: Int?, field: String, file: String) throws -> SurveyTableColumn {
            guard let c = table.column(named: name) else {
                let hint = closestMatch(to: name, in: columns).map { "; did you mean \(InputExcerpt.quoted($0))?" } ?? ""
                throw InputError(file: file, line: line, field: field, kind: .missingColumn,
                                 "no column \(InputExcerpt.quoted(name)) in \(table.file)\(hint)")
            }
            // An empty text is missing too (a CSV's empty field, Stata's empty string), whatever the reader marked.
            var firstMissing = c.missing?.firstIndex(where: \.isMissing)
            if case .text(let v) = c.values, let empty = v.firstIndex(where: \.isEmpty) { firstMissing = min(firstMissing ?? empty, empty) }
            if let row = firstMissing {
                let what = table.format == .csv ? "an empty field" : "a missing value (\(c.missingCode(row)))"
                throw InputError(file: table.file, line: table.errorLine(row), field: name, kind: .badValue,
                                 "\(what) in \(table.rowDescription(row)); calibration needs a value in every row of the weight, household and margin columns")
            }
            return c
        }
        let w = try column(weight, line: nil, field: "--weight", file: table.file)
        guard case .numbers(let weights, _) = w.values else {
            throw InputError(file: table.file, line: 1, field: weight, kind: .wrongType, "the weight column holds text; expected numbers")
        }
        var households: [Int]? = nil
        if let household {
            let h = try column(household, line: nil, field: "--household", file: table.file)
            switch h.values {
            case .numbers(let v, _):
                var index: [Double: Int] = [:]
                households = v.map { x in index[x] ?? { index[x] = index.count; return index.count - 1 }() }
            case .text(let v):
                var index: [String: Int] = [:]
                households = v.map { x in index[x] ?? { index[x] = index.count; return index.count - 1 }() }
            }
        }
        var built: [CalibrationMargin] = []
        for margin in margins {
            let field = "margins.\(margin.column)"
            let c = try column(margin.column, line: margin.line, field: field, file: file)
            guard let categories = margin.categories else {
                guard case .numbers(let v, _) = c.values else {
                    throw InputError(file: file, line: margin.line, field: field, kind: .wrongType,
                                     "the column holds text, so its total cannot be a number; give a total per category: {category: total, ...}")
                }
                built.append(CalibrationMargin(name: margin.column, values: v, total: margin.total))
                continue
            }
            let codes = try self.codes(of: c, categories: categories, field: field, table: table)
            built.append(CalibrationMargin(name: margin.column, codes: codes, categories: categories.map(\.key), totals: categories.map(\.total)))
        }
        return (weights, CalibrationDesign(margins: built, households: households))
    }

    /// Per row the index of its category in `categories`.
    private func codes(of c: SurveyTableColumn, categories: [(key: String, line: Int, total: Double)], field: String,
                       table: SurveyTable) throws -> [Int] {
        var codes = [Int](repeating: -1, count: c.count)
        func unlisted(_ value: String, row: Int, rows: Int) -> InputError {
            let margin = margins.first { "margins.\($0.column)" == field }!
            return InputError(file: file, line: margin.line, field: field, kind: .missingKey,
                              "the category \(InputExcerpt.quoted(value)) is in the data (\(rows) row\(rows == 1 ? "" : "s"), first \(table.rowDescription(row)) of \(table.file)) but has no total; every category present in the data must be listed")
        }
        switch c.values {
        case .text(let v):
            var index: [String: Int] = [:]
            for (k, cat) in categories.enumerated() {
                guard index.updateValue(k, forKey: cat.key) == nil else {
                    throw InputError(file: file, line: cat.line, field: "\(field).\(cat.key)", kind: .duplicate, "the category is listed twice")
                }
            }
            for (i, x) in v.enumerated() {
                guard let k = index[x] else { throw unlisted(x, row: i, rows: v.filter { $0 == x }.count) }
                codes[i] = k
            }
        case .numbers(let v, _):
            var byLabel: [String: Double] = [:]
            for (value, label) in c.valueLabels { byLabel[label] = value }
            var index: [Double: Int] = [:]
            for (k, cat) in categories.enumerated() {
                var text = cat.key
                let number = text.withUTF8 { $0.isEmpty ? nil : DecimalParser.real($0.baseAddress!, $0.count) } ?? byLabel[cat.key]
                guard let number else {
                    let labels = c.valueLabels.isEmpty ? "the column has no value labels" : "nor one of the column's value labels"
                    throw InputError(file: file, line: cat.line, field: "\(field).\(cat.key)", kind: .badValue,
                                     "\(InputExcerpt.quoted(cat.key)) is not a number (the column \(c.name) holds numbers), \(labels)")
                }
                guard index.updateValue(k, forKey: number) == nil else {
                    throw InputError(file: file, line: cat.line, field: "\(field).\(cat.key)", kind: .duplicate,
                                     "the category is listed twice (as the value \(number) under another name)")
                }
            }
            for (i, x) in v.enumerated() {
                guard let k = index[x] else {
                    let name = c.valueLabels[x].map { "\(Self.number(x)) (\($0))" } ?? Self.number(x)
                    throw unlisted(name, row: i, rows: v.filter { $0 == x }.count)
                }
                codes[i] = k
            }
        }
        return codes
    }

    /// A number as a category name: whole numbers without a decimal point.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// The ``InputError`` for a ``CalibrationError`` on `table` calibrated with this file:
    /// rows named in the data file, margins and categories by their line in this file.
    public func inputError(_ error: CalibrationError, table: SurveyTable, weight: String, household: String?) -> InputError {
        func line(_ margin: String, _ category: String? = nil) -> (Int?, String) {
            guard let m = margins.first(where: { $0.column == margin }) else { return (nil, "margins.\(margin)") }
            if let category, let c = m.categories?.first(where: { $0.key == category }) { return (c.line, "margins.\(margin).\(category)") }
            return (m.line, "margins.\(margin)")
        }
        switch error {
        case .badWeight(let row, let value):
            return InputError(file: table.file, line: table.errorLine(row), field: weight, kind: .outOfRange,
                              "the weight \(value) in \(table.rowDescription(row)) is not positive; calibration needs every initial weight > 0")
        case .weightsDifferWithinHousehold(let row, let other):
            return InputError(file: table.file, line: table.errorLine(row), field: weight, kind: .inconsistent,
                              "\(table.rowDescription(row)) has another weight than \(table.rowDescription(other)) of the same household (\(household ?? "")); with --household every member must have the household's weight")
        case .badCode(let margin, let row, _), .badValue(let margin, let row, _):
            return InputError(file: table.file, line: table.errorLine(row), field: margin, kind: .badValue, error.description)
        case .badTotal(let margin, let category, _):
            let (l, f) = line(margin, category)
            return InputError(file: file, line: l, field: f, kind: .outOfRange, error.description)
        case .emptyCategory(let margin, let category):
            let (l, f) = line(margin, category)
            return InputError(file: file, line: l, field: f, kind: .inconsistent,
                              "the category has a total but no observations in \(table.file); remove it, or check that it is written as in the data")
        case .zeroColumn(let margin, _):
            let (l, f) = line(margin)
            return InputError(file: file, line: l, field: f, kind: .inconsistent, error.description)
        case .contradictoryTotals(_, _, let other, _):
            let (l, f) = line(other)
            return InputError(file: file, line: l, field: f, kind: .inconsistent, error.description)
        case .notConverged(_, let largest):
            let (l, f) = line(largest.margin, largest.category)
            return InputError(file: file, line: l, field: f, kind: .inconsistent, error.description)
        case .trimmedEverything:
            return InputError(file: file, field: "--trim", kind: .outOfRange, error.description)
        case .badMargins:
            return InputError(file: file, kind: .unsupported, error.description)
        case .lengthMismatch, .badBounds:
            return InputError(file: file, kind: .badValue, error.description)
        }
    }
}
