/// How an option's cost is carried over the projection years: the country
/// profile, the indexation of amounts, the phase-in of coverage and the
/// administrative cost. Written in a scenario file as `costing:`
///
/// ```yaml
/// costing:
///   country: example                # inputs/countries/example.yaml
///   indexation: prices              # none | prices | wages | gdp_per_capita
///   phase_in: {2026: 0.5, 2027: 0.75, 2028: 1.0}   # share of the eligible reached
///   administrative_cost: 0.05       # share of benefits paid
/// ```
/// The method is in `docs/costing.md`.
public struct CostingSettings: Sendable, Equatable {
    /// How benefit amounts move from the base year.
    public enum Indexation: String, Sendable, CaseIterable {
        /// Fixed in nominal terms.
        case none
        /// With consumer prices (CPI).
        case prices
        /// With nominal average wages.
        case wages
        /// With nominal GDP per capita.
        case gdpPerCapita = "gdp_per_capita"
    }

    /// The country profile file, if the scenario names one.
    public var country: String?
    public var indexation: Indexation
    /// Coverage (share of the eligible reached) by year; a year takes the latest
    /// value at or before it, 0 before the first; empty means full coverage throughout.
    public var phaseIn: [Int: Double]
    /// Administrative cost as a share of benefits paid.
    public var administrativeCost: Double

    public init(country: String? = nil, indexation: Indexation = .prices, phaseIn: [Int: Double] = [:],
                administrativeCost: Double = 0) {
        self.country = country
        self.indexation = indexation
        self.phaseIn = phaseIn
        self.administrativeCost = administrativeCost
    }

    /// Coverage in `year` under the phase-in schedule.
    public func coverage(in year: Int) -> Double {
        guard !phaseIn.isEmpty else { return 1 }
        var value = 0.0
        for y in phaseIn.keys.sorted() where y <= year { value = phaseIn[y]! }
        return value
    }

    /// Reads a `costing:` block of `file`; `country` is resolved against the
    /// scenario's folder like `baseline` (a name under `../countries/`, or a path).
    static func read(_ node: YAMLNode, scenarioFile file: String) throws -> CostingSettings {
        try ScenarioDefinition.checkKeys(try node.entries(), allowed: ["country", "indexation", "phase_in", "administrative_cost"])
        var settings = CostingSettings()
        if let c = node["country"] {
            settings.country = try ScenarioDefinition.locate(try c.text(), kind: "country profile", folder: "countries",
                                                             from: file, node: c)
        }
        if let i = node["indexation"] {
            let text = try i.text()
            guard let value = Indexation(rawValue: text) else {
                var message = "\(InputExcerpt.quoted(text)) is not an indexation rule; expected one of \(Indexation.allCases.map(\.rawValue).joined(separator: ", "))"
                if let near = closestMatch(to: text, in: Indexation.allCases.map(\.rawValue)) { message += " (did you mean '\(near)'?)" }
                throw i.error(message)
            }
            settings.indexation = value
        }
        if let p = node["phase_in"] {
            for e in try p.entries() {
                guard let year = Int(e.key), (1900...2200).contains(year) else {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .wrongType, "'\(e.key)' is not a year")
                }
                let share = try e.value.number()
                guard (0...1).contains(share) else { throw e.value.error(kind: .outOfRange, "coverage \(share) is out of range; expected a share from 0 to 1") }
                settings.phaseIn[year] = share
            }
        }
        if let a = node["administrative_cost"] {
            let share = try a.number()
            guard (0...1).contains(share) else { throw a.error(kind: .outOfRange, "administrative_cost \(share) is out of range; expected a share of benefits from 0 to 1") }
            settings.administrativeCost = share
        }
        return settings
    }
}
