/// Several reform options run on the same survey and set side by side:
/// each option's indicators, its assessment and, with a country profile,
/// its cost as a share of GDP over the projection years.
public struct OptionComparison: Sendable {
    /// One option's results.
    public struct Option: Sendable {
        public let run: ScenarioRun
        public let assessment: OptionAssessment
        public let settings: CostingSettings
        /// The projection, when a country profile and years were given.
        public let projection: CostProjection?
        /// Base-year annual net cost: change in benefits + administrative cost + change in state costs
        /// (subsidies) − change in budget revenue.
        public var netCost: Double {
            assessment.benefitChange + settings.administrativeCost * max(assessment.benefitChange, 0)
                + assessment.stateCostChange - assessment.revenueChange
        }
    }

    public let options: [Option]
    public let profile: CountryProfile?

    /// Every variable the options need, plus age and sex for costing by age group.
    public static func variables(of scenarios: [ScenarioDefinition], costing: Bool) -> [VariableRequest] {
        var requests = scenarios.flatMap { ScenarioRun.variables(of: $0) }
        requests.append(VariableRequest(.age, neededBy: "coverage of target groups"))
        if costing { requests.append(VariableRequest(.sex, neededBy: "cost projection by age group and sex")) }
        return requests
    }

    /// Runs every option on `population`.
    ///
    /// - Parameters:
    ///   - scenarios: The options, in the order given.
    ///   - profile: The country profile, for USD, shares of GDP and projections.
    ///   - years: Projection years (needs `profile`).
    ///   - simulator: Threads and chunking; per-person amounts are recorded when projecting.
    ///   - context: Seed and replication.
    public init(scenarios: [ScenarioDefinition], population: Population, profile: CountryProfile?,
                years: ClosedRange<Int>?, simulator: Simulator, context: RunContext) throws {
        var recording = simulator
        recording.recordPersonAmounts = profile != nil && years != nil
        recording.recordCoverage = true
        var options: [Option] = []
        for scenario in scenarios {
            let run = ScenarioRun(scenario: scenario, population: population, simulator: recording, context: context)
            let projection = try profile.flatMap { p in
                try years.map { try CostProjection(run: run, population: population, profile: p,
                                                   settings: scenario.costing, years: $0) }
            }
            options.append(Option(run: run, assessment: OptionAssessment(run: run, population: population),
                                  settings: scenario.costing, projection: projection))
        }
        self.options = options
        self.profile = profile
    }
}
