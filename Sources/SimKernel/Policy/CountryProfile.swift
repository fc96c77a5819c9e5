/// A country's macro-economic and demographic frame for costing reforms over
/// the years: currency, base-year GDP and government spending, projected
/// inflation, growth and wages, and population by age group and sex.
///
/// Read from `inputs/countries/NAME.yaml` (fields documented in
/// `docs/costing.md`):
///
/// ```yaml
/// name: Example
/// currency: LCU
/// exchange_rate: 2.5             # LCU per USD in the base year
/// base_year: 2025                # the survey year
/// gdp: 17500000000               # nominal GDP, base year, LCU
/// government_expenditure: 3850000000
/// macro:
///   2026: {cpi_inflation: 0.058, real_gdp_growth: 0.045, wage_growth: 0.098}
/// population:
///   age_groups: ["0-4", "5-9", ..., "80+"]
///   male:   {2025: [...], 2026: [...]}
///   female: {2025: [...], 2026: [...]}
/// ```
public struct CountryProfile: Sendable {
    /// Projected annual rates for one year (shares: 0.05 = 5%).
    public struct Macro: Sendable, Equatable {
        public let cpiInflation: Double
        public let realGDPGrowth: Double
        /// Nominal average wage growth.
        public let wageGrowth: Double
    }

    public let file: String
    public let name: String
    public let currency: String
    /// Local currency units per US dollar in the base year.
    public let exchangeRate: Double
    public let baseYear: Int
    /// Nominal GDP in the base year (currency).
    public let gdp: Double
    /// General government expenditure in the base year (currency).
    public let governmentExpenditure: Double
    /// Rates for each year after the base year.
    public let macro: [Int: Macro]
    /// Age groups as closed ranges of completed years (the last open-ended, up to 130).
    public let ageGroups: [ClosedRange<Int>]
    public let ageGroupLabels: [String]
    /// Persons by year, sex (index 0 male, 1 female) and age group.
    public let population: [Int: [[Double]]]
    /// The index each money variable follows when the survey is aged
    /// (`ageing: {uprate: {earnings: wages}}`; ``UpratingIndex``); variables
    /// not named follow ``UpratingIndex/defaultIndex(of:)``.
    public let uprating: [String: UpratingIndex]

    /// The years for which the profile has both population and (after the base year) macro rates.
    public var years: ClosedRange<Int> {
        var last = baseYear
        while population[last + 1] != nil, macro[last + 1] != nil { last += 1 }
        return baseYear...last
    }

    /// Reads a country profile.
    /// - Throws: ``InputError`` naming file, line and key for any missing,
    ///   mistyped or inconsistent field.
    public init(file: String) throws {
        try self.init(root: try YAMLNode.load(file: file))
    }

    /// Reads a country profile already parsed (``YAMLNode/parse(_:file:)``).
    /// - Throws: ``InputError`` as ``init(file:)``.
    public init(root: YAMLNode) throws {
        let file = root.file
        try ScenarioDefinition.checkKeys(try root.entries(), allowed: [
            "name", "currency", "exchange_rate", "base_year", "gdp", "government_expenditure", "macro", "population", "reference", "ageing",
        ])
        func required(_ key: String) throws -> YAMLNode {
            guard let node = root[key] else { throw root.error(kind: .missingKey, "the country profile needs '\(key)' (see docs/costing.md)") }
            return node
        }
        func positive(_ key: String) throws -> Double {
            let node = try required(key)
            let x = try node.number()
            guard x > 0 else { throw node.error(kind: .outOfRange, "'\(key)' must be > 0 (got \(x))") }
            return x
        }
        self.file = file
        name = try root["name"]?.displayText() ?? file
        currency = try required("currency").displayText()
        exchangeRate = try positive("exchange_rate")
        gdp = try positive("gdp")
        governmentExpenditure = try positive("government_expenditure")
        let yearNode = try required("base_year")
        baseYear = try yearNode.integer()

        var macro: [Int: Macro] = [:]
        for entry in try required("macro").entries() {
            guard let year = Int(entry.key) else {
                throw InputError(file: file, line: entry.keyLine, field: entry.value.path, kind: .wrongType, "'\(entry.key)' is not a year")
            }
            try ScenarioDefinition.checkKeys(try entry.value.entries(), allowed: ["cpi_inflation", "real_gdp_growth", "wage_growth"])
            func rate(_ key: String) throws -> Double {
                guard let n = entry.value[key] else { throw entry.value.error(kind: .missingKey, "year \(year) needs '\(key)' (a share, 0.05 = 5%)") }
                let x = try n.number()
                guard x > -0.5, x < 2 else { throw n.error(kind: .outOfRange, "'\(key)' = \(x) is implausible; rates are shares (0.05 = 5%)") }
                return x
            }
            macro[year] = Macro(cpiInflation: try rate("cpi_inflation"), realGDPGrowth: try rate("real_gdp_growth"),
                                wageGrowth: try rate("wage_growth"))
        }
        self.macro = macro

        let popNode = try required("population")
        try ScenarioDefinition.checkKeys(try popNode.entries(), allowed: ["age_groups", "male", "female", "unit", "reference"])
        guard let groupsNode = popNode["age_groups"] else { throw popNode.error(kind: .missingKey, "population needs 'age_groups', e.g. [\"0-4\", \"5-9\", ..., \"80+\"]") }
        var groups: [ClosedRange<Int>] = []
        var labels: [String] = []
        for item in try groupsNode.items() {
            let label = try item.text()
            let range: ClosedRange<Int>
            if label.hasSuffix("+"), let low = Int(label.dropLast()) {
                range = low...130
            } else {
                let parts = label.split(separator: "-")
                guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low <= high else {
                    throw item.error("\(InputExcerpt.quoted(label)) is not an age group; write \"0-4\" or \"80+\"")
                }
                range = low...high
            }
            if let last = groups.last, range.lowerBound != last.upperBound + 1 {
                throw item.error(kind: .inconsistent, "age group \(InputExcerpt.quoted(label)) does not start right after the previous one (\(last.upperBound))")
            }
            groups.append(range)
            labels.append(label)
        }
        guard groups.first?.lowerBound == 0, groups.last?.upperBound == 130 else {
            throw groupsNode.error(kind: .inconsistent, "age groups must start at 0 and end with an open group such as \"80+\"")
        }
        ageGroups = groups
        ageGroupLabels = labels
        var population: [Int: [[Double]]] = [:]
        var baseCells: [[YAMLNode]] = [[], []]  // the base year's value nodes, by sex, for messages
        for (sexIndex, key) in ["male", "female"].enumerated() {
            guard let sexNode = popNode[key] else { throw popNode.error(kind: .missingKey, "population needs '\(key)': persons by year and age group") }
            for entry in try sexNode.entries() {
                guard let year = Int(entry.key) else {
                    throw InputError(file: file, line: entry.keyLine, field: entry.value.path, kind: .wrongType, "'\(entry.key)' is not a year")
                }
                let values = try entry.value.items().map { item -> Double in
                    let x = try item.number()
                    guard x >= 0 else { throw item.error(kind: .outOfRange, "a population cannot be negative") }
                    return x
                }
                guard values.count == groups.count else {
                    throw entry.value.error(kind: .inconsistent, "\(values.count) values for \(groups.count) age groups")
                }
                if year == baseYear { baseCells[sexIndex] = try entry.value.items() }
                var table = population[year] ?? [[], []]
                table[sexIndex] = values
                population[year] = table
            }
        }
        for (year, table) in population where table[0].isEmpty || table[1].isEmpty {
            throw popNode.error(kind: .inconsistent, "year \(year) has a population for one sex only")
        }
        guard population[baseYear] != nil else {
            throw popNode.error(kind: .missingKey, "no population for the base year \(baseYear)")
        }
        // A cell's growth is P_t / P_base: a zero base with people later is undefined, not "no growth".
        let sexNames = ["male", "female"]
        for s in 0..<2 {
            for g in groups.indices where population[baseYear]![s][g] == 0 {
                guard let (year, table) = population.filter({ $0.value[s][g] > 0 }).min(by: { $0.key < $1.key }) else { continue }
                throw baseCells[s][g].error(kind: .inconsistent,
                    "the base-year (\(baseYear)) population of \(sexNames[s]) \(labels[g]) is 0 but \(year) has \(ParameterValue.number(table[s][g])): its growth from the base year is undefined; give the base-year population of this group (0 in every year only when the group is empty)")
            }
        }
        self.population = population
        uprating = try root["ageing"].map(UpratingIndex.ageingBlock) ?? [:]
    }

    /// The age group holding `age`.
    public func group(ofAge age: Int) -> Int {
        ageGroups.firstIndex { $0.contains(age) } ?? ageGroups.count - 1
    }

    /// Nominal GDP in `year`: the base year's, grown by real growth and CPI inflation year by year.
    public func nominalGDP(in year: Int) -> Double {
        var g = gdp
        if year > baseYear {
            for y in (baseYear + 1)...year {
                let m = macro[y]!
                g *= (1 + m.realGDPGrowth) * (1 + m.cpiInflation)
            }
        }
        return g
    }

    /// Government expenditure in `year`, assumed a constant share of GDP.
    public func governmentExpenditure(in year: Int) -> Double {
        governmentExpenditure * nominalGDP(in: year) / gdp
    }

    /// Total population in `year`.
    public func totalPopulation(in year: Int) -> Double {
        population[year]!.joined().reduce(0, +)
    }

    /// The cumulative factor from the base year to `year` of 1 + the rate picked by `rate`.
    public func cumulative(_ rate: (Macro) -> Double, to year: Int) -> Double {
        var f = 1.0
        if year > baseYear { for y in (baseYear + 1)...year { f *= 1 + rate(macro[y]!) } }
        return f
    }
}
