import SimKernel

/// What `scenario compare`, `report` and the workshop page ask of a session: options to run side
/// by side, the projection, and what to add to one draw's figures (``OptionStatistics``).
package struct OptionsRequest: Sendable {
    package var scenarios: [ScenarioDefinition]
    /// One short name per option (column headers; default ``OptionLabels/labels(for:)``).
    package var labels: [String]
    /// Projection years (needs a country profile), `nil` for none.
    package var years: ClosedRange<Int>?
    package var method: ProjectionMethod
    package var statistics: OptionStatistics

    package init(scenarios: [ScenarioDefinition], labels: [String]? = nil, years: ClosedRange<Int>? = nil,
                 method: ProjectionMethod = .scaled, statistics: OptionStatistics = OptionStatistics()) {
        self.scenarios = scenarios
        self.labels = labels ?? OptionLabels.labels(for: scenarios)
        self.years = years
        self.method = method
        self.statistics = statistics
    }
}

/// The options compared: the raw results, the comparison table every format shows (with Monte
/// Carlo bands, intervals and the statistics rows asked for), which options were costed on one
/// draw of their random parts, and the provenance. One value feeds the terminal table, JSON,
/// CSV, the report and the page.
package struct OptionsAnalysis: Sendable {
    package let request: OptionsRequest
    /// The first draw (seed = the session's): its runs, assessments and projections.
    package let comparison: OptionComparison
    /// Every figure, defined once (``ComparisonTable``).
    package let table: ComparisonTable
    /// With one replication: the labels of the options whose figures depend on random draws.
    package let stochastic: [String]
    /// Whether the intervals use the data's strata and PSUs (else households as a simple random sample).
    package let usesDesign: Bool
    package let provenance: Provenance

    package var labels: [String] { request.labels }
    package var replications: Int { request.statistics.replications }

    /// The sentence saying which options were costed on one draw (``OptionStatistics/oneDrawNote(_:seed:remedy:)``), if any.
    package var oneDrawNote: String? { OptionStatistics.oneDrawNote(stochastic, seed: provenance.seed) }
}

extension AnalysisSession {
    /// Runs `request`'s options on the session's survey: the first draw with the cached baselines
    /// (``AnalysisSession/comparison(_:years:method:replication:keys:)``), draws 2...R with derived seeds when replications are asked
    /// (each figure then the mean with its band), the statistics rows and intervals, and the check of
    /// which options depend on random draws.
    ///
    /// - Throws: ``UsageError`` for statistics choices the data or the scenarios cannot take (a scale
    ///   that counts children without ages, an equivalence scale with a declared welfare), `InputError`
    ///   for the scenarios and the data.
    package func analyse(_ request: OptionsRequest, progress: any AnalysisProgress = NoProgress()) throws -> OptionsAnalysis {
        let statistics = request.statistics
        try statistics.check()
        try statistics.checkScale(population: population)
        let scenarios = request.scenarios
        let files = scenarios.map(\.file)
        let comparison = try self.comparison(scenarios, years: request.years, method: request.method)
        var table = ComparisonTable(comparison: comparison, files: files, rule: rule)
        try statistics.replicate(&table, make: { context in
            let other = try OptionComparison(scenarios: scenarios, population: population, profile: profile, years: request.years,
                                             simulator: simulator, context: context, method: request.method)
            return ComparisonTable(comparison: other, files: files, rule: rule)
        }, seed: seed, year: nil, progress: progress)
        let usesDesign = statistics.se != "none" && population.has(Variable.stratum.name) && population.has(Variable.psu.name)
        try statistics.addStatistics(to: &table, comparison: comparison, population: population, useDesign: usesDesign,
                                     plan: simulator.plan, progress: progress)
        let stochastic = statistics.replications == 1
            ? try OptionStatistics.stochasticOptions(comparison, population: population, labels: request.labels,
                                                     plan: simulator.plan, seed: seed, year: nil)
            : []
        let provenance = try Provenance(session: self, scenarios: scenarios, labels: request.labels,
                                        replications: statistics.replications, confidenceIntervals: statistics.se)
        return OptionsAnalysis(request: request, comparison: comparison, table: table, stochastic: stochastic,
                               usesDesign: usesDesign, provenance: provenance)
    }
}

extension CountryProfile {
    /// The years `report` and the workshop page project costs over when none are asked: the profile's
    /// base year and the ten after it, within the years the profile covers.
    package var reportYears: ClosedRange<Int> {
        baseYear...min(baseYear + 10, years.upperBound)
    }
}
