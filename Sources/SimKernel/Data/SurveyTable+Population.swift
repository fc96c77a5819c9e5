extension SurveyTable {
    /// Where a row of a table came from, for messages: a table made by a
    /// recipe names the original file and row, a file read directly itself.
    public struct RowOrigin: Sendable {
        /// The file and ``InputError`` line of `row` of `column` (a column name of the table).
        public let locate: @Sendable (_ column: String, _ row: Int) -> (file: String, line: Int)
        /// How the file calls a row ("line" in a CSV, "row" elsewhere).
        public let lineWord: @Sendable (_ column: String) -> String
        /// The name of the column in the original file (a recipe's variable may copy a column of another name).
        public let sourceColumn: @Sendable (_ column: String) -> String
        /// More about where a value came from, for the message ("computed for the person on p.csv row 2"), or `nil`.
        public let context: @Sendable (_ column: String, _ row: Int) -> String?

        public init(locate: @escaping @Sendable (String, Int) -> (file: String, line: Int),
                    lineWord: @escaping @Sendable (String) -> String,
                    sourceColumn: @escaping @Sendable (String) -> String = { $0 },
                    context: @escaping @Sendable (String, Int) -> String? = { _, _ in nil }) {
            self.locate = locate
            self.lineWord = lineWord
            self.sourceColumn = sourceColumn
            self.context = context
        }
    }

    /// Rows named as this table's own file names them.
    public var ownRows: RowOrigin {
        let table = self
        return RowOrigin(locate: { _, row in (table.file, table.errorLine(row)) }, lineWord: { _ in table.format == .csv ? "line" : "row" })
    }

    /// The population of a person-level table (one row per person, members
    /// of a household on adjacent rows), with the requested variables: the
    /// table counterpart of ``SurveyLoader/load(file:variables:)``, with the
    /// same checks and messages.
    ///
    /// Each requested variable is read from its column (through `columnMap`):
    /// - a missing value of any kind (``MissingCode``) is an error naming the
    ///   file, the row, the column and the kind: what a missing value means
    ///   is the analyst's decision (a data recipe's `missing:` rule), never 0;
    /// - identifiers and whole-number variables must be whole numbers
    ///   (a text column whose every value is a decimal number is read as
    ///   those numbers), reals finite numbers, all within the variable's range;
    /// - a category column's labels are its value labels where the file has
    ///   them (Stata and SPSS), otherwise the values as written;
    /// - households: members on adjacent rows, unique person ids, household
    ///   variables equal on every member.
    ///
    /// - Parameters:
    ///   - variables: The model variables to read.
    ///   - columnMap: Which column holds each model variable (default: the variables' own names).
    ///   - households: How rows form households: grouped by `hh_id`, or one household per row.
    ///   - origin: How to name a row in messages (``ownRows`` by default).
    ///   - groups: The households a data recipe made (offsets of each household's first row, the
    ///     last being the row count), each of whose rows must have the same `hh_id`; `nil` forms
    ///     households from `hh_id` as the CSV loader does.
    ///   - source: The file the population names as its source (``Population/source``); `nil` for ``file``.
    /// - Throws: ``InputError`` at the first defect, in this order: a missing
    ///   column, then variables in request order and rows in file order,
    ///   then the household structure.
    public func population(variables: [VariableRequest], columnMap: ColumnMap = ColumnMap(),
                           households: SurveyLoader.HouseholdStructure = .grouped, origin: RowOrigin? = nil,
                           groups: [Int]? = nil,
                           source: String? = nil) throws -> Population {
        let origin = origin ?? ownRows
        try SurveyLoader.checkOneMeaning(variables, file: file)
        let grouped = households == .grouped
        let always = grouped ? SurveyLoader.alwaysRead : [SurveyLoader.alwaysRead[2]]
        let requests = SurveyLoader.merge(always + variables)
        // Columns first, all missing ones in one message (as the CSV loader).
        var missingColumns: [String] = []
        var found: [(Variable, SurveyTableColumn)] = []
        var mappedTwice: [String: String] = [:]
        for request in requests {
            let v = request.variable
            let name = columnMap.column(for: v.name)
            guard let column = column(named: name) else {
                let named = name == v.name ? "'\(name)'" : "'\(name)' (model variable '\(v.name)')"
                let how = format == .recipe
                    ? "add a line '\(v.name): COLUMN' (or an expression) under the recipe's variables:"
                    : columnMap.howToMap(v.name)
                missingColumns.append("\(named), needed by \(request.neededBy): \(how)")
                continue
            }
            if let other = mappedTwice[name] {
                throw InputError(file: file, field: name, kind: .duplicate,
                    "column \(InputExcerpt.quoted(name)) is mapped to two model variables, '\(other)' and '\(v.name)'")
            }
            mappedTwice[name] = v.name
            found.append((v, column))
        }
        if !missingColumns.isEmpty {
            let list = missingColumns.map { "  - \($0)" }.joined(separator: "\n")
            let names = columns.prefix(12).map(\.name).joined(separator: ", ") + (columns.count > 12 ? ", ... (\(columns.count) columns)" : "")
            throw InputError(file: file, kind: .missingColumn,
                "missing required \(format == .recipe ? "variable" : "column")\(missingColumns.count > 1 ? "s" : ""):\n\(list)\n  (the \(format == .recipe ? "recipe makes" : "file has"): \(names))")
        }
        let rows = rowCount
        guard rows > 0 else { throw InputError(file: file, kind: .missingKey, "the file has no data rows; expected one row per person") }
        func fail(_ column: SurveyTableColumn, _ v: Variable, _ row: Int, _ what: String, kind: InputError.Kind = .badValue) -> InputError {
            let (f, line) = origin.locate(column.name, row)
            let source = origin.sourceColumn(column.name)
            let named = source == v.name ? "'\(source)'" : "'\(source)' (model variable '\(v.name)')"
            let context = origin.context(column.name, row).map { " (\($0))" } ?? ""
            return InputError(file: f, line: line, field: source, kind: kind, "\(what) in column \(named)\(context); expected \(v.expectation)")
        }
        // Numbers of a column (text read as decimal numbers), every value present and in range.
        func numbers(_ column: SurveyTableColumn, _ v: Variable, whole: Bool) throws -> [Double] {
            if let missing = column.missing, let row = missing.firstIndex(where: \.isMissing) {
                let code = missing[row]
                let csv = origin.lineWord(column.name) == "line"
                let kind = code == .system ? "a missing value (\(csv ? "empty" : "."))" : "a missing value (\(code))"
                let source = origin.sourceColumn(column.name)
                throw InputError(file: origin.locate(column.name, row).file, line: origin.locate(column.name, row).line, field: source,
                    kind: .badValue,
                    "\(kind) in column '\(source)'\(source == v.name ? "" : " (model variable '\(v.name)')")\(origin.context(column.name, row).map { " (\($0))" } ?? ""); expected \(v.expectation). Say what a missing value means in a data recipe (missing: zero, a value, drop the row or error; docs/data.md)")
            }
            var out: [Double]
            switch column.values {
            case .numbers(let values, _): out = values
            case .text(let texts):
                out = []
                out.reserveCapacity(texts.count)
                for (row, t) in texts.enumerated() {
                    var s = t
                    guard let x = s.withUTF8({ $0.isEmpty ? nil : DecimalParser.real($0.baseAddress!, $0.count) }), x.isFinite else {
                        throw fail(column, v, row, "\(InputExcerpt.quoted(t)) is not a number")
                    }
                    out.append(x)
                }
            }
            for (row, x) in out.enumerated() {
                guard x.isFinite else { throw fail(column, v, row, "\(x) (not a finite number)") }
                if whole {
                    guard x == x.rounded() else { throw fail(column, v, row, "\(Self.text(x)) is not a whole number") }
                    if v.kind == .integer, x < Double(Int32.min) || x > Double(Int32.max) {
                        throw fail(column, v, row, "\(Self.text(x)) is out of range: whole numbers here are between \(Int32.min) and \(Int32.max)", kind: .outOfRange)
                    }
                    if v.kind == .identifier, abs(x) > 9_007_199_254_740_992 {
                        throw fail(column, v, row, "\(Self.text(x)) is too large to be an exact identifier (at most 2^53)", kind: .outOfRange)
                    }
                }
                guard v.accepts(x) else { throw fail(column, v, row, "\(Self.text(x)) is out of range", kind: .outOfRange) }
            }
            return out
        }

        // Households from the key (or one per row).
        var householdStart: [Int] = [0]
        var householdID: [Int64] = []
        if grouped {
            let keyColumn = found.first { $0.0.name == Variable.householdID.name }!
            let keys = try numbers(keyColumn.1, keyColumn.0, whole: true)
            var firstSeen: [Int64: Int] = [:]
            if let groups {
                // Households made by a recipe: hh_id must be one value per household, a different one for each.
                for h in 0..<(groups.count - 1) {
                    let first = groups[h]
                    let id = Int64(keys[first])
                    for row in (first + 1)..<groups[h + 1] where keys[row] != keys[first] {
                        let (f, line) = origin.locate(keyColumn.1.name, row)
                        throw InputError(file: f, line: line, field: origin.sourceColumn(keyColumn.1.name), kind: .inconsistent,
                            "hh_id is \(Self.text(keys[row])) for this person but \(id) for the first member of the same household; hh_id must be the household's key (one value per household)")
                    }
                    if let earlier = firstSeen.updateValue(first, forKey: id) {
                        let (f, line) = origin.locate(keyColumn.1.name, first)
                        throw InputError(file: f, line: line, field: origin.sourceColumn(keyColumn.1.name), kind: .duplicate,
                            "hh_id \(id) is given to two households (this one and the one on \(origin.lineWord(keyColumn.1.name)) \(origin.locate(keyColumn.1.name, earlier).line)); hh_id must tell households apart (leave it out to number them)")
                    }
                    householdID.append(id)
                }
                householdStart = groups
            }
            for row in 0..<(groups == nil ? rows : 0) {
                let id = Int64(keys[row])
                if row > 0, id == householdID[householdID.count - 1] { continue }
                if let earlier = firstSeen[id] {
                    let (f, line) = origin.locate(keyColumn.1.name, row)
                    let word = origin.lineWord(keyColumn.1.name)
                    throw InputError(file: f, line: line, field: keyColumn.1.name, kind: .inconsistent,
                        "household \(id) appears again here, after other households' rows (its first member is on \(word) \(origin.locate(keyColumn.1.name, earlier).line)); the members of a household must be on adjacent rows: sort the file by household")
                }
                firstSeen[id] = row
                if row > 0 { householdStart.append(row) }
                householdID.append(id)
            }
            if groups == nil { householdStart.append(rows) }
            let personColumn = found.first { $0.0.name == Variable.personID.name }!
            let ids = try numbers(personColumn.1, personColumn.0, whole: true)
            // Rising ids (the usual case) are unique; otherwise a hash of every id.
            var rising = true
            for row in 1..<max(1, rows) where ids[row] <= ids[row - 1] { rising = false; break }
            var seen: [Int64: Int] = [:]
            if !rising { seen.reserveCapacity(rows) }
            for row in 0..<(rising ? 0 : rows) {
                let id = Int64(ids[row])
                if let earlier = seen.updateValue(row, forKey: id) {
                    let (f, line) = origin.locate(personColumn.1.name, row)
                    let word = origin.lineWord(personColumn.1.name)
                    throw InputError(file: f, line: line, field: personColumn.1.name, kind: .duplicate,
                        "person id \(id) appears twice (\(word)s \(origin.locate(personColumn.1.name, earlier).line) and \(line)); person ids must be unique")
                }
            }
        } else {
            householdStart = Array(0...rows)
            householdID = (0..<rows).map { Int64($0 + 1) }
        }
        let households = householdID.count

        var weight: [Double] = []
        var personReals: [String: Column<Double>] = [:]
        var personIntegers: [String: Column<Int32>] = [:]
        var householdIntegers: [String: Column<Int32>] = [:]
        var categories: [String: CategoryColumn] = [:]
        for (v, column) in found where v.kind != .identifier {
            // Household variables: the same on every member.
            func perHousehold(_ values: [Double]) throws -> [Double] {
                var out = [Double](repeating: 0, count: households)
                for h in 0..<households {
                    let first = householdStart[h]
                    out[h] = values[first]
                    for row in (first + 1)..<householdStart[h + 1] where values[row] != values[first] {
                        let (f, line) = origin.locate(column.name, row)
                        throw InputError(file: f, line: line, field: column.name, kind: .inconsistent,
                            "\(column.name) is \(Self.text(values[row])) here but \(Self.text(values[first])) on \(origin.lineWord(column.name)) \(origin.locate(column.name, first).line), the household's first member; \(column.name) is a household variable and must be the same on every member")
                    }
                }
                return out
            }
            switch v.kind {
            case .identifier:
                break
            case .real:
                let values = try numbers(column, v, whole: false)
                if v.name == Variable.weight.name {
                    weight = try perHousehold(values)
                } else {
                    if v.level == .household { _ = try perHousehold(values) }
                    personReals[v.name] = Column(values)
                }
            case .integer:
                let values = try numbers(column, v, whole: true)
                if v.level == .household {
                    householdIntegers[v.name] = Column(try perHousehold(values).map { Int32($0) })
                } else {
                    personIntegers[v.name] = Column(values.map { Int32($0) })
                }
            case .category:
                categories[v.name] = try category(column, v, origin: origin)
            }
        }
        return Population(
            source: source ?? file, householdStart: Column(householdStart), householdID: Column(householdID), weight: Column(weight),
            personReals: personReals, personIntegers: personIntegers, householdIntegers: householdIntegers, categories: categories)
    }

    /// A category column: labels are the value labels where the file has
    /// them, the values as written otherwise; missing values are an error.
    private func category(_ column: SurveyTableColumn, _ v: Variable, origin: RowOrigin) throws -> CategoryColumn {
        if let missing = column.missing, let row = missing.firstIndex(where: \.isMissing) {
            let (f, line) = origin.locate(column.name, row)
            throw InputError(file: f, line: line, field: column.name, kind: .badValue,
                "a missing value (\(missing[row] == .system && format == .csv ? "empty" : missing[row].description)) in column '\(column.name)'; expected \(v.expectation). Say what a missing value means in a data recipe (docs/data.md)")
        }
        var texts: [String]
        switch column.values {
        case .text(let t): texts = t
        case .numbers(let values, _): texts = values.map { column.valueLabels[$0] ?? Self.text($0) }
        }
        if let row = texts.firstIndex(where: \.isEmpty) {
            let (f, line) = origin.locate(column.name, row)
            throw InputError(file: f, line: line, field: column.name, kind: .badValue, "empty value in column '\(column.name)'; expected \(v.expectation)")
        }
        // Distinct by bytes, numbered in the loader's order.
        let labels = SurveyLoader.sortedLabels(Array(Set(texts.map(CategoryLabel.init))).map(\.text))
        var code: [CategoryLabel: Int32] = [:]
        for (i, l) in labels.enumerated() { code[CategoryLabel(l)] = Int32(i) }
        return CategoryColumn(codes: Column(texts.map { code[CategoryLabel($0)]! }), labels: labels)
    }

    /// A number as an analyst writes it: whole numbers without a decimal point.
    static func text(_ x: Double) -> String {
        if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
