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
    /// Baseline and reform welfare under the scenario's concept (``ScenarioDefinition/welfare``)
    /// when it is not the default; `nil` for per-capita disposable income.
    public let welfare: (baseline: WelfareDistribution, reform: WelfareDistribution)?
    /// With `welfare: household_size` (one row per household): the persons each
    /// household's row stands for (``WelfareData/personsPerRow``); `nil` when rows are persons.
    public let personsPerRow: [Double]?
    /// The run's baseline in its ``BaselineCache`` (`nil`: not cached), for figures that depend on the baseline only.
    public let baselineKey: String?

    /// Simulates `scenario` on `population`.
    ///
    /// The run's year is always the scenario's (``ScenarioDefinition/year``, which already holds any
    /// `--year` override): `context.year` is replaced by it, so no command can simulate an option
    /// with parameters of one year and rules of another.
    ///
    /// With `baselines`, the baseline is taken from the cache when it holds the same one
    /// (``BaselineCache``) and stored there otherwise: only the reform is simulated. The
    /// figures are the same bits either way.
    public init(scenario: ScenarioDefinition, population: Population, simulator: Simulator = Simulator(),
                context: RunContext = RunContext(), baselines: BaselineCache? = nil) {
        self.scenario = scenario
        let context = RunContext(seed: context.seed, replication: context.replication, year: scenario.year)
        let key = baselines?.key(scenario, population: population, simulator: simulator, context: context)
        let cached = key.flatMap { baselines?.entry($0) }
        baselineKey = key
        let outcomes: [SystemOutcome]
        if let cached {
            outcomes = [cached.outcome, simulator.run([scenario.reform], on: population, context: context)[0]]
        } else {
            outcomes = simulator.run([scenario.baseline, scenario.reform], on: population, context: context)
        }
        self.outcomes = (outcomes[0], outcomes[1])
        if scenario.welfare.isDefault {
            welfare = nil
            personsPerRow = nil
        } else {
            let data = WelfareData(scenario: scenario, population: population)
            welfare = data.distributions(baseline: outcomes[0], reform: outcomes[1])
            personsPerRow = data.personsPerRow
        }
        let distributions = welfare.map { [$0.baseline, $0.reform] }
        let personsPerRow = self.personsPerRow
        // The two systems' statistics are independent: one thread each.
        let line = scenario.povertyLine
        if let cachedIndicators = cached?.indicators {
            baseline = cachedIndicators
            reform = SystemIndicators(outcome: outcomes[1], population: population, povertyLine: line, welfare: distributions?[1],
                                      personsPerRow: personsPerRow)
        } else {
            let indicators = simulator.plan.map(pieces: 2) { s in
                SystemIndicators(outcome: outcomes[s], population: population, povertyLine: line, welfare: distributions?[s],
                                 personsPerRow: personsPerRow)
            }
            baseline = indicators[0]
            reform = indicators[1]
        }
        if let key, cached == nil {
            baselines?.store(BaselineCache.Entry(outcome: outcomes[0], indicators: scenario.welfare.isDefault ? baseline : nil), key)
        }
        change = reform.change(from: baseline)
    }

    /// Every variable the scenario reads from the data: its two systems' and its welfare concept's.
    ///
    /// With `welfare: household_size` (one row per household) each system
    /// request says, should the column be missing, that a rule on persons
    /// needs a person-level file.
    public static func variables(of scenario: ScenarioDefinition) -> [VariableRequest] {
        var systems = systemVariables(of: scenario)
        let concept = scenario.welfare.requests(existing: systems)
        if let size = scenario.welfare.householdSize {
            systems = systems.map {
                VariableRequest($0.variable, neededBy: "\($0.neededBy) (the data has one row per household, welfare: household_size: \(size) in \(scenario.file); a rule on persons needs a person-level file, one row per person with the household's values repeated on every member)")
            }
        }
        return systems + concept
    }

    /// Every variable the scenario's two systems read from the data.
    public static func systemVariables(of scenario: ScenarioDefinition) -> [VariableRequest] {
        scenario.baseline.variables + scenario.reform.variables
    }

    /// Baseline and reform welfare under the scenario's concept: ``welfare``,
    /// or per-capita household disposable income for the default.
    public func welfareDistributions(in population: Population) -> (baseline: WelfareDistribution, reform: WelfareDistribution) {
        welfare ?? (WelfareDistribution(perCapitaIncomeOf: outcomes.baseline, in: population),
                    WelfareDistribution(perCapitaIncomeOf: outcomes.reform, in: population))
    }
}

extension ScenarioRun {
    /// Fails when a system's results are not finite numbers: a household's
    /// disposable income, or a total (cost, revenue, a component's amount or
    /// counter) that overflows. Built-in modules cannot produce them (their
    /// parameters are range-checked); a declared rule can (`1e308 * earnings`).
    /// Every command checks a run before it prints or writes anything.
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/badValue``, exit 65) at the
    ///   scenario file, naming the system, the first household (by id) and
    ///   the declared components that may cause it.
    public func requireFiniteResults(population: Population) throws {
        if !scenario.welfare.isDefault { try WelfareData.validate(scenario: scenario, population: population) }
        for (system, outcome, indicators) in [(scenario.baseline, outcomes.baseline, baseline), (scenario.reform, outcomes.reform, reform)] {
            let declared = system.components.filter { $0.module is DeclaredModule }.map(\.name)
            let suspects = declared.isEmpty ? "" : " (its declared components: \(declared.joined(separator: ", ")))"
            if let h = outcome.firstNonFiniteHousehold {
                throw InputError(file: scenario.file, kind: .badValue,
                    "the \(system.name) system gives household \(population.householdID[h]) a disposable income that is not a finite number\(suspects); a rule overflows or gives an undefined result: check its amounts and use div(a, b, default: d) for divisions")
            }
            var totals: [(String, Double)] = [("cost", indicators.costAnnual), ("state cost", indicators.stateCostAnnual),
                                              ("revenue", indicators.revenueAnnual), ("fund contributions", indicators.fundContributionsAnnual),
                                              ("mean income", indicators.meanIncome)]
            for c in indicators.components {
                totals.append(("the annual amount of component '\(c.name)'", c.annualAmount))
                totals += c.counters.map { ("counter '\($0.name)' of component '\(c.name)'", $0.total) }
            }
            // The components' totals first: they name the rule.
            if let bad = (totals.dropFirst(5) + totals.prefix(5)).first(where: { !$0.1.isFinite }) {
                throw InputError(file: scenario.file, kind: .badValue,
                    "the \(system.name) system's totals overflow: \(bad.0) is not a finite number\(suspects); check the rules' amounts")
            }
        }
    }
}
