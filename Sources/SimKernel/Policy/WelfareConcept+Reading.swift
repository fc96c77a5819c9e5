extension WelfareConcept {
    /// The keys of `welfare:`.
    static let keys = ["concept", "variable", "period", "per", "equivalence", "child_max_age", "mpc", "household_size",
                       "deflator", "lines"]

    /// Reads a scenario's `welfare:` mapping (docs/welfare.md).
    ///
    /// - Throws: ``InputError`` naming the file, line and key of any bad value:
    ///   an unknown key or concept, a consumption concept without `variable`,
    ///   `variable`, `period` or `mpc` with disposable income, an mpc outside
    ///   0...1, a deflator or area line that is not a finite number > 0, a code
    ///   that is not a whole number, a line table without lines.
    public static func read(_ node: YAMLNode) throws -> WelfareConcept {
        let entries = try node.entries()
        try ScenarioDefinition.checkKeys(entries, allowed: keys)
        func name(_ key: String) throws -> String? {
            guard let n = node[key] else { return nil }
            let text = try n.text()
            guard ResolvedParameters.isIdentifier(text) else {
                throw n.error(kind: .badValue, "\(key): expected a data variable name (letters, digits and _, starting with a letter), found \(n.shapeName)")
            }
            return text
        }
        let conceptNode = node["concept"]
        let concept = try conceptNode?.text() ?? "disposable_income"
        let source: Source
        switch concept {
        case "disposable_income":
            for key in ["variable", "period", "mpc"] {
                if let n = node[key] {
                    throw n.error(kind: .inconsistent, "'\(key)' belongs to 'concept: consumption'; disposable income is simulated, not read from the data")
                }
            }
            source = .disposableIncome
        case "consumption":
            guard let variable = try name("variable") else {
                throw node.error(kind: .missingKey, "'concept: consumption' needs 'variable': the data column with household consumption (the same on every member's row)")
            }
            var perYear = false
            if let p = node["period"] {
                switch try p.text() {
                case "month": perYear = false
                case "year": perYear = true
                default: throw p.error(kind: .badValue, "period: expected month or year (the period the consumption variable is given per), found \(p.shapeName)")
                }
            }
            source = .consumption(variable: variable, perYear: perYear)
        default:
            throw (conceptNode ?? node).error(kind: .badValue, "concept: expected disposable_income or consumption, found \(conceptNode?.shapeName ?? concept)")
        }

        var unit = Unit.perCapita
        let perNode = node["per"]
        switch try perNode?.text() ?? "capita" {
        case "capita":
            for key in ["equivalence", "child_max_age"] {
                if let n = node[key] { throw n.error(kind: .inconsistent, "'\(key)' needs 'per: adult_equivalent'") }
            }
        case "adult_equivalent":
            var childMaxAge = 13
            if let n = node["child_max_age"] {
                childMaxAge = try n.integer()
                guard (0...130).contains(childMaxAge) else { throw n.error(kind: .outOfRange, "child_max_age: expected an age from 0 to 130, found \(childMaxAge)") }
            }
            let scaleNode = node["equivalence"]
            switch try scaleNode?.text() ?? "oecd-modified" {
            case "oecd-modified": unit = .adultEquivalent(.oecdModified(childMaxAge: childMaxAge))
            case "square-root":
                if let n = node["child_max_age"] { throw n.error(kind: .inconsistent, "child_max_age: the square-root scale does not count children") }
                unit = .adultEquivalent(.squareRoot)
            default:
                throw scaleNode!.error(kind: .badValue, "equivalence: expected oecd-modified or square-root, found \(scaleNode!.shapeName)")
            }
        default:
            throw perNode!.error(kind: .badValue, "per: expected capita or adult_equivalent, found \(perNode!.shapeName)")
        }

        var mpc = 1.0
        if let n = node["mpc"] {
            mpc = try n.number()
            guard (0...1).contains(mpc) else {
                throw n.error(kind: .outOfRange, "mpc: expected a marginal propensity to consume from 0 to 1, found \(PovertyLine.format(mpc))")
            }
        }
        let householdSize = try name("household_size")
        if let householdSize, case .adultEquivalent(let scale) = unit, scale.needsAges {
            throw node["household_size"]!.error(kind: .inconsistent,
                "household_size '\(householdSize)': with one row per household the members' ages are not in the data, so the \(scale) scale cannot count children; use 'equivalence: square-root' or 'per: capita', or give a person-level file")
        }

        var deflator: Deflator? = nil
        if let d = node["deflator"] {
            try ScenarioDefinition.checkKeys(try d.entries(), allowed: ["variable", "values"])
            guard let vNode = d["variable"] else {
                throw d.error(kind: .missingKey, "deflator needs 'variable': a price index column, or a code column (e.g. region) with 'values' mapping each code to its index")
            }
            let v = try vNode.text()
            guard ResolvedParameters.isIdentifier(v) else { throw vNode.error(kind: .badValue, "deflator.variable: expected a data variable name, found \(vNode.shapeName)") }
            if let values = d["values"] {
                deflator = .table(variable: v, values: try codeTable(values, what: "price index"))
            } else {
                deflator = .variable(v)
            }
        }

        var lines: AreaLines? = nil
        if let l = node["lines"] {
            try ScenarioDefinition.checkKeys(try l.entries(), allowed: ["variable", "values"])
            guard let vNode = l["variable"] else {
                throw l.error(kind: .missingKey, "lines needs 'variable': the household code column the lines differ by (e.g. urban)")
            }
            let v = try vNode.text()
            guard ResolvedParameters.isIdentifier(v) else { throw vNode.error(kind: .badValue, "lines.variable: expected a data variable name, found \(vNode.shapeName)") }
            guard let values = l["values"] else {
                throw l.error(kind: .missingKey, "lines needs 'values': the poverty line of each code of \(v), e.g. {0: 110, 1: 150} (currency per person per month)")
            }
            lines = AreaLines(variable: v, values: try codeTable(values, what: "poverty line"))
        }
        return WelfareConcept(source: source, unit: unit, mpc: mpc, householdSize: householdSize, deflator: deflator, lines: lines)
    }

    /// A mapping of whole-number codes to finite numbers > 0.
    static func codeTable(_ node: YAMLNode, what: String) throws -> [Int: Double] {
        let entries = try node.entries()
        guard !entries.isEmpty else { throw node.error(kind: .missingKey, "expected at least one code: \(what)") }
        var table: [Int: Double] = [:]
        for e in entries {
            guard let code = Int(e.key), abs(code) <= Int(Int32.max) else {
                throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .badValue,
                                 "\(InputExcerpt.quoted(e.key)) is not a code: expected a whole number (the value of the code variable)")
            }
            guard table[code] == nil else {
                throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate, "code \(code) is given twice")
            }
            let x = try e.value.number()
            guard x > 0 else { throw e.value.error(kind: .outOfRange, "\(what) of code \(code): expected a number > 0, found \(PovertyLine.format(x))") }
            table[code] = x
        }
        return table
    }
}
