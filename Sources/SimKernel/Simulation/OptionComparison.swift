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
        /// The option's money figures in the simulated year (one definition, ``FiscalChange``).
        public var fiscal: FiscalChange { FiscalChange(change: run.change, settings: settings) }
        /// Annual net cost to the state in the simulated year (``FiscalChange/netCost``).
        public var netCost: Double { fiscal.netCost }
        /// Nominal GDP of the simulated year (the profile's base-year GDP grown to the scenario's year; the
        /// base year's when the scenario has no year), the denominator of "% of GDP" for the option.
        public func gdp(in profile: CountryProfile) -> Double {
            profile.nominalGDP(in: run.scenario.year ?? profile.baseYear)
        }
        /// Government expenditure of the simulated year (a constant share of GDP, as in ``CostProjection``).
        public func governmentExpenditure(in profile: CountryProfile) -> Double {
            profile.governmentExpenditure(in: run.scenario.year ?? profile.baseYear)
        }
    }

    public let options: [Option]
    public let profile: CountryProfile?
    /// How the projection years were computed (``ProjectionMethod/scaled`` without years).
    public let projectionMethod: ProjectionMethod
    /// With ``ProjectionMethod/microsim``, how the survey was aged to each projection year.
    public let ageing: [SurveyAgeing.Summary]

    /// Every variable the options need, plus age and sex for costing by age group, plus every
    /// variable of the coverage figures that the data has (``CoverageAssessment/optionalVariables``).
    ///
    /// The optional ones are loaded whenever `available` holds them, whatever the options are, so an
    /// option's figures never depend on which other options are run with it (a contributory pension
    /// counts as coverage whenever the data has `pension_income`).
    public static func variables(of scenarios: [ScenarioDefinition], costing: Bool, available: Set<String>) -> [VariableRequest] {
        var requests = scenarios.flatMap { ScenarioRun.variables(of: $0) }
        // A household-level file (every option declares welfare: household_size) has no ages:
        // the groups defined by age are then skipped (CoverageAssessment says so).
        let householdRows = scenarios.allSatisfy { $0.welfare.householdSize != nil }
        if !householdRows || available.contains(Variable.age.name) {
            requests.append(VariableRequest(.age, neededBy: "coverage of target groups"))
        }
        if costing { requests.append(VariableRequest(.sex, neededBy: "cost projection by age group and sex")) }
        for v in CoverageAssessment.optionalVariables where available.contains(v.name) {
            requests.append(VariableRequest(v, neededBy: "coverage of target groups"))
        }
        return requests
    }

    /// Runs every option on `population`.
    ///
    /// - Parameters:
    ///   - scenarios: The options, in the order given.
    ///   - population: The survey, holding every variable the options read.
    ///   - profile: The country profile, for USD, shares of GDP and projections.
    ///   - years: Projection years (needs `profile`).
    ///   - simulator: Threads and chunking; per-person amounts are recorded when projecting.
    ///   - context: Seed and replication.
    ///   - method: How the projection years are computed. With ``ProjectionMethod/microsim`` the
    ///     survey is aged to each year (raking to the profile's population by age group and sex, the
    ///     options' money variables uprated: ``SurveyAgeing/age(_:to:profile:moneyVariables:uprating:extraMargins:options:)``)
    ///     and every option (baseline and reform) simulated on it; that year's figures are
    ///     ``CostProjection/init(run:population:profile:settings:years:aged:)`` with `aged`. The
    ///     option's own figures (cost, poverty, ...) stay those of the survey as it is.
    ///   - baselines: Baselines already simulated on `population` (``BaselineCache``): each
    ///     option then simulates its reform only; the figures are the same bits.
    ///   - reuse: Per option, its result from an earlier comparison on the same population, years,
    ///     simulator, context and method (the caller vouches that the scenario is the same), or `nil`
    ///     to simulate it. Ignored with ``ProjectionMethod/microsim`` (its projections are computed together).
    /// - Throws: ``InputError`` for a year outside the profile, a survey without age or sex, or a failed
    ///   ageing calibration (microsim).
    public init(scenarios: [ScenarioDefinition], population: Population, profile: CountryProfile?,
                years: ClosedRange<Int>?, simulator: Simulator, context: RunContext,
                method: ProjectionMethod = .scaled, baselines: BaselineCache? = nil, reuse: [Option?]? = nil) throws {
        var recording = simulator
        recording.recordPersonAmounts = profile != nil && years != nil
        recording.recordCoverage = true
        var options: [Option] = []
        for (i, scenario) in scenarios.enumerated() {
            if method != .microsim, let reuse, i < reuse.count, let known = reuse[i] {
                options.append(known)
                continue
            }
            try scenario.requireCoverageTracking()
            if let profile, let year = scenario.year, !profile.years.contains(year) {
                throw InputError(file: scenario.file, field: "year", kind: .outOfRange,
                    "the simulated year \(year) is outside the country profile \(profile.file) (it covers \(profile.years.lowerBound)-\(profile.years.upperBound)), so its GDP is unknown; choose a year the profile covers or extend the profile")
            }
            // Each option runs in its own year (ScenarioRun takes it from the scenario).
            let run = ScenarioRun(scenario: scenario, population: population, simulator: recording, context: context,
                                  baselines: baselines)
            try run.requireFiniteResults(population: population)
            let projection = method == .microsim ? nil : try profile.flatMap { p in
                try years.map { try CostProjection(run: run, population: population, profile: p,
                                                   settings: scenario.costing, years: $0) }
            }
            options.append(Option(run: run, assessment: OptionAssessment(run: run, population: population, baselines: baselines),
                                  settings: scenario.costing, projection: projection))
        }
        self.profile = profile
        self.projectionMethod = method
        if method == .microsim, let profile, let years {
            let aged = try Self.microsimulatedProjections(scenarios: scenarios, population: population, profile: profile,
                                                          years: years, simulator: recording, context: context)
            self.options = options.indices.map { i in
                Option(run: options[i].run, assessment: options[i].assessment, settings: options[i].settings,
                       projection: aged.projections[i])
            }
            self.ageing = aged.ageing
        } else {
            self.options = options
            self.ageing = []
        }
    }
}

/// An option's money figures, annual, in the survey's currency: the one
/// definition behind `scenario run`, `compare`, `report` and the projection's
/// base year (docs/costing.md, "Cost and revenue").
///
/// - benefit cost: change in benefits paid to households (``SystemIndicators/costAnnual``);
/// - administrative cost: `a · max(benefit cost, 0)`, `a` the scenario's `costing.administrative_cost`;
/// - state cost: change in costs to the state not paid to households (subsidies, ``SystemIndicators/stateCostAnnual``);
/// - budget revenue: change in taxes and contributions paid to the budget (``SystemIndicators/revenueAnnual``);
/// - fund contributions: change in contributions collected by social insurance funds
///   (``SystemIndicators/fundContributionsAnnual``): shown, but not in the net cost;
/// - net cost = benefit cost + administrative cost + state cost − budget revenue.
public struct FiscalChange: Sendable, Equatable {
    public let benefitCost: Double
    public let administrativeCost: Double
    public let stateCost: Double
    public let budgetRevenue: Double
    public let fundContributions: Double

    /// The figures of `change` (reform − baseline) with the scenario's costing settings.
    public init(change: SystemIndicators, settings: CostingSettings) {
        benefitCost = change.costAnnual
        administrativeCost = settings.administrativeCost * max(change.costAnnual, 0)
        stateCost = change.stateCostAnnual
        budgetRevenue = change.revenueAnnual
        fundContributions = change.fundContributionsAnnual
    }

    /// Net cost to the state: benefit cost + administrative cost + state cost − budget revenue.
    public var netCost: Double { benefitCost + administrativeCost + stateCost - budgetRevenue }
}
