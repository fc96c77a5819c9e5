/// A scenario run end to end on loaded data: baseline and reform simulated in
/// one pass, their indicators, and the change.
public struct ScenarioRun: Sendable {
    public let scenario: ScenarioDefinition
    public let baseline: SystemIndicators
    public let reform: SystemIndicators
    /// Reform minus baseline.
    public let change: SystemIndicators
    /// The simulated outcomes (per household), for further statistics.
    public let outcomes: (baseline: SystemOutcome, reform: SystemOutcome)

    /// Simulates `scenario` on `population`.
    ///
    /// The run's year is always the scenario's (``ScenarioDefinition/year``, which already holds any
    /// `--year` override): `context.year` is replaced by it, so no command can simulate an option
    /// with parameters of one year and rules of another.
    public init(scenario: ScenarioDefinition, population: Population, simulator: Simulator = Simulator(),
                context: RunContext = RunContext()) {
        self.scenario = scenario
        let context = RunContext(seed: context.seed, replication: context.replication, year: scenario.year)
        let outcomes = simulator.run([scenario.baseline, scenario.reform], on: population, context: context)
        self.outcomes = (outcomes[0], outcomes[1])
        // The two systems' statistics are independent: one thread each.
        let line = scenario.povertyLine
        let indicators = simulator.plan.map(pieces: 2) { s in
            SystemIndicators(outcome: outcomes[s], population: population, povertyLine: line)
        }
        baseline = indicators[0]
        reform = indicators[1]
        change = reform.change(from: baseline)
    }

    /// Every variable the scenario's two systems read from the data.
    public static func variables(of scenario: ScenarioDefinition) -> [VariableRequest] {
        scenario.baseline.variables + scenario.reform.variables
    }
}
