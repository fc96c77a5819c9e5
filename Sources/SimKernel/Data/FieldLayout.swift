/// Which header field feeds which requested variable, and where each value
/// goes, worked out once from the header before any row is parsed.
///
/// Person-level values go to person columns. Household-level values (the
/// household id, the weight, stratum, PSU) are held for the row only and
/// kept once per household, after checking every member has the household's
/// value; the person id is only checked (unique), never stored.
struct FieldLayout: Sendable {
    /// Where the parser puts a variable's values.
    enum Role: Sendable, Equatable {
        /// A person column of real numbers (index among them).
        case personReal(Int)
        /// A person column of whole numbers (index among them).
        case personInteger(Int)
        /// A person column of category codes (index among them).
        case category(Int)
        /// A real number held once per household (the weight).
        case householdReal(Int)
        /// A whole number held once per household (stratum, PSU).
        case householdInteger(Int)
        /// The household id: a new household starts where it changes.
        case householdKey
        /// The person id: checked for uniqueness, not stored.
        case personKey
        /// An identifier read and checked but not kept.
        case ignoredIdentifier
    }

    /// The value kinds the parser reads.
    enum Kind: UInt8, Sendable { case skip, identifier, integer, real, category }

    /// Number of fields in the header (every row must have as many).
    let fieldCount: Int
    /// Per header field, the requested variable it feeds (`nil`: not read).
    let fieldVariable: [Int?]
    /// The requested variables, in request order.
    let variables: [Variable]
    /// The file column each requested variable is read from.
    let fileColumns: [String]
    /// Where each requested variable's values go.
    let roles: [Role]
    /// For messages: the header name of each field.
    let header: [String]
    /// Whether rows are grouped into households by the household id
    /// (otherwise every row is a household of its own).
    let grouped: Bool
    /// How many columns or per-row values of each role there are.
    let personRealCount: Int, personIntegerCount: Int, categoryCount: Int
    let householdRealCount: Int, householdIntegerCount: Int

    init(header: [String], requests: [VariableRequest], columnMap: ColumnMap, file: String, grouped: Bool) throws {
        var indexOf: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if name.isEmpty {
                throw InputError(file: file, line: 1, kind: .badValue, "header field \(i + 1) has no name; every column needs a name")
            }
            if let first = indexOf[name] {
                throw InputError(file: file, line: 1, field: name, kind: .duplicate,
                    "the column name \(InputExcerpt.quoted(name)) appears twice in the header (fields \(first + 1) and \(i + 1))")
            }
            indexOf[name] = i
        }
        var fieldVariable = [Int?](repeating: nil, count: header.count)
        var roles: [Role] = []
        var counts = (personReal: 0, personInteger: 0, category: 0, householdReal: 0, householdInteger: 0)
        var missing: [String] = []
        var fileColumns: [String] = []
        for (v, request) in requests.enumerated() {
            let variable = request.variable
            let column = columnMap.column(for: variable.name)
            fileColumns.append(column)
            let role: Role
            switch variable.kind {
            case .identifier:
                role = grouped && variable.name == Variable.householdID.name ? .householdKey
                    : grouped && variable.name == Variable.personID.name ? .personKey : .ignoredIdentifier
            case .integer where variable.level == .household:
                role = .householdInteger(counts.householdInteger)
                counts.householdInteger += 1
            case .integer:
                role = .personInteger(counts.personInteger)
                counts.personInteger += 1
            case .real where variable.level == .household && variable.name == Variable.weight.name:
                role = .householdReal(counts.householdReal)
                counts.householdReal += 1
            case .real:
                // Other household-level reals stay person columns (checked
                // against the household's first member after the load).
                role = .personReal(counts.personReal)
                counts.personReal += 1
            case .category:
                role = .category(counts.category)
                counts.category += 1
            }
            roles.append(role)
            guard let field = indexOf[column] else {
                let named = column == variable.name ? "'\(column)'" : "'\(column)' (model variable '\(variable.name)')"
                missing.append("\(named), needed by \(request.neededBy): \(columnMap.howToMap(variable.name))")
                continue
            }
            if let other = fieldVariable[field] {
                throw InputError(file: file, line: 1, field: column, kind: .duplicate,
                    "column \(InputExcerpt.quoted(column)) is mapped to two model variables, '\(requests[other].variable.name)' and '\(variable.name)'")
            }
            fieldVariable[field] = v
        }
        if !missing.isEmpty {
            let list = missing.map { "  - \($0)" }.joined(separator: "\n")
            throw InputError(file: file, line: 1, kind: .missingColumn,
                "missing required column\(missing.count > 1 ? "s" : ""):\n\(list)\n  (the header has: \(Self.headerSummary(header)))")
        }
        self.fieldCount = header.count
        self.fieldVariable = fieldVariable
        self.variables = requests.map(\.variable)
        self.fileColumns = fileColumns
        self.roles = roles
        self.header = header
        self.grouped = grouped
        personRealCount = counts.personReal
        personIntegerCount = counts.personInteger
        categoryCount = counts.category
        householdRealCount = counts.householdReal
        householdIntegerCount = counts.householdInteger
    }

    /// The kind of value field `field` holds (`.skip` if it is not read).
    func kind(ofField field: Int) -> Kind {
        guard let v = fieldVariable[field] else { return .skip }
        switch variables[v].kind {
        case .identifier: return .identifier
        case .integer: return .integer
        case .real: return .real
        case .category: return .category
        }
    }

    /// The valid range of field `field`'s values as the fast path tests it
    /// (integers also within `Int32`), and whether the lower bound is excluded.
    func range(ofField field: Int) -> (low: Double, high: Double, lowExclusive: Bool) {
        guard let v = fieldVariable[field] else { return (0, 0, false) }
        let variable = variables[v]
        var low = variable.validRange?.lowerBound ?? -Double.greatestFiniteMagnitude
        var high = variable.validRange?.upperBound ?? Double.greatestFiniteMagnitude
        if variable.kind == .integer {
            low = max(low, Double(Int32.min))
            high = min(high, Double(Int32.max))
        }
        return (low, high, variable.lowerBoundExclusive)
    }

    /// The index of the requested variable called `name`, if requested.
    func variableIndex(named name: String) -> Int? { variables.firstIndex { $0.name == name } }

    /// The header's names for a message: at most 20, each as an excerpt, then how many more
    /// (a 20,000-column header must not become a 270 KB message).
    static func headerSummary(_ header: [String]) -> String {
        let shown = header.prefix(20).map { InputExcerpt.text($0) }.joined(separator: ", ")
        return header.count > 20 ? shown + ", … and \(header.count - 20) more" : shown
    }
}
