import SimKernel

/// What a comparison of options adds beyond one draw of its figures: confidence intervals,
/// another equivalence scale, relative poverty lines, and Monte Carlo replications. The same
/// choices and the same code behind `scenario compare`, `report` and the workshop page.
///
/// - ``se``: 95% confidence intervals of the changes in FGT(0-2) and the Gini (and of the rows
///   the next two add), from the survey design (stratum, psu when the data has them).
/// - ``equivalence`` (not per-capita): rows of the changes in FGT(0-2) and the Gini of household
///   disposable income over the scale, the scenario's poverty line per adult equivalent, as
///   `scenario run --equivalence` reports them; the other rows stay per capita.
/// - ``relativeLines``: rows of the change in the poverty headcount at each share of each
///   system's median welfare.
/// - ``replications``: every option simulated R times (seeds derived from the run's seed, as
///   `scenario run --replications`); each figure is the mean and carries its Monte Carlo band
///   (2.5 and 97.5 percentiles). It cannot be combined with the three above (their figures and
///   intervals are those of one draw).
package struct OptionStatistics: Sendable, Equatable {
    /// `none`, `linearized` or `bootstrap`.
    package var se = "none"
    /// Bootstrap replicates, with `se == "bootstrap"`.
    package var replicates = 200
    /// Seed of the bootstrap replicates.
    package var bootstrapSeed: UInt64 = 1
    /// An equivalence scale's name, `nil` for per capita only.
    package var equivalence: String?
    /// Relative poverty lines, shares of the median.
    package var relativeLines: [Double] = []
    /// Monte Carlo replications of every option (1: one draw).
    package var replications = 1

    package init() {}

    /// The largest number of replications accepted (each is a full simulation of every option).
    package static let maximumReplications = 10_000

    /// The choices as the statistics engine reads them (``IndicatorChoices``), so they are checked by the
    /// code that checks `scenario run`'s.
    package var indicatorChoices: IndicatorChoices {
        var c = IndicatorChoices()
        c.se = se
        c.replicates = replicates
        c.seed = bootstrapSeed
        if let equivalence { c.equivalence = equivalence }
        c.relativeLines = relativeLines
        return c
    }

    /// Every check that needs no data.
    /// - Throws: ``UsageError`` naming the option.
    package func check() throws(UsageError) {
        if !["none", "linearized", "bootstrap"].contains(se) { throw UsageError("--se must be none, linearized or bootstrap (got '\(se)')") }
        if replicates < 2 { throw UsageError("--replicates must be at least 2") }
        if replications < 1 { throw UsageError("--replications must be at least 1 (got \(replications))") }
        if replications > Self.maximumReplications {
            throw UsageError("--replications must be at most \(Self.maximumReplications) (got \(replications))")
        }
        // As scenario run: intervals and other lines are those of one simulated draw.
        if replications > 1 && needsStatistics {
            throw UsageError("--replications \(replications) cannot be combined with the poverty and inequality options (--se, --equivalence, --relative-line): their standard errors are those of one simulated draw; use --replications 1")
        }
        let choices = indicatorChoices
        try choices.check()
        _ = try choices.settings(householdIncome: true)
    }

    /// Whether the statistics engine must run (intervals, another scale, relative lines).
    package var needsStatistics: Bool { se != "none" || scale != nil || !relativeLines.isEmpty }

    /// The equivalence scale's name when it is not per capita.
    package var scale: String? { equivalence == nil || equivalence == "per-capita" ? nil : equivalence }

    /// The note when intervals are asked for on data without a design.
    package static let noDesignNote = "the data has no stratum and psu columns: standard errors treat households as a simple random sample"

    /// The design variables to load: stratum and psu, for intervals, when the data has both.
    package func designRequests(available: Set<String>) -> [VariableRequest] {
        guard se != "none", available.contains("stratum") && available.contains("psu") else { return [] }
        return [VariableRequest(.stratum, neededBy: "standard errors"), VariableRequest(.psu, neededBy: "standard errors")]
    }

    /// Ages, for a scale that counts children.
    package func scaleRequests() throws(UsageError) -> [VariableRequest] {
        let settings = try indicatorChoices.settings(householdIncome: true)
        return settings.scale.needsAges ? [VariableRequest(.age, neededBy: "--equivalence")] : []
    }

    /// Refuses a scale that counts children on data without ages (a household-level file).
    /// - Throws: ``UsageError``.
    package func checkScale(population: Population) throws(UsageError) {
        let settings = try indicatorChoices.settings(householdIncome: true)
        if settings.scale.needsAges && !population.has(Variable.age.name) {
            throw UsageError("--equivalence \(equivalence ?? ""): the scale counts children, but the data has no age column; use square-root or per-capita")
        }
    }

    /// Runs the options ``replications`` − 1 more times (draw r with `RunContext/seed(run:replication:)`)
    /// and replaces each figure of `table` by its mean with its band (``ComparisonTable/summarise(replications:)``).
    package func replicate(_ table: inout ComparisonTable, make: (RunContext) throws -> ComparisonTable,
                           seed: UInt64, year: Int?, progress: any AnalysisProgress) throws {
        guard replications > 1 else { return }
        let stage = progress.stage("replications", total: replications - 1)
        var tables = [table]
        for r in 1..<replications {
            tables.append(try make(RunContext(seed: RunContext.seed(run: seed, replication: r), replication: r, year: year)))
            stage.advance()
        }
        stage.finish()
        table.summarise(replications: tables)
    }

    /// The labels of the options whose figures depend on the random draws (take-up, durations, assessment
    /// errors): simulated again with another seed, their disposable incomes differ from the first draw's.
    package static func stochasticOptions(_ comparison: OptionComparison, population: Population, labels: [String],
                                          plan: ParallelPlan, seed: UInt64, year: Int?) throws -> [String] {
        var out: [String] = []
        for (i, option) in comparison.options.enumerated()
        where isStochastic(option.run, population: population, plan: plan, seed: seed, year: year) {
            out.append(labels[i])
        }
        return out
    }

    /// Whether `run`'s figures depend on its random draws: simulated again with the second draw's seed, the
    /// baseline's or the reform's disposable incomes differ, bit for bit, from `run`'s.
    ///
    /// - Parameters:
    ///   - run: The option's first draw.
    ///   - population: The survey `run` was simulated on.
    ///   - plan: Threads (the answer does not depend on them).
    ///   - seed: The session's seed; the second draw's is derived from it (`RunContext/seed(run:replication:)`).
    ///   - year: The simulated year, as `run`'s.
    ///   - baselines: Where the second draw's baseline is kept (the page checks every changed option
    ///     against the same baseline; only the reform is simulated again).
    package static func isStochastic(_ run: ScenarioRun, population: Population, plan: ParallelPlan, seed: UInt64, year: Int?,
                                     baselines: BaselineCache? = nil) -> Bool {
        let other = ScenarioRun(scenario: run.scenario, population: population, simulator: Simulator(plan: plan),
                                context: RunContext(seed: RunContext.seed(run: seed, replication: 1), replication: 1, year: year),
                                baselines: baselines)
        func same(_ a: SystemOutcome, _ b: SystemOutcome) -> Bool {
            a.disposableIncome.values.elementsEqual(b.disposableIncome.values) { $0.bitPattern == $1.bitPattern }
        }
        return !same(other.outcomes.baseline, run.outcomes.baseline) || !same(other.outcomes.reform, run.outcomes.reform)
    }

    /// The sentence under a table whose figures are means of `replications` draws with their bands (`compare`, the page).
    package static func bandsNote(replications: Int, seed: UInt64) -> String {
        "Each figure is the mean of \(replications) draws (seeds from \(seed)); [a, b] after it is its Monte Carlo band, 2.5 to 97.5 percentiles."
    }

    /// The sentence that says which options were costed on one draw of their random parts.
    package static func oneDrawNote(_ stochastic: [String], seed: UInt64,
                                    remedy: String = "give --replications R for the mean of R draws and its Monte Carlo band") -> String? {
        guard !stochastic.isEmpty else { return nil }
        let names = stochastic.joined(separator: ", ")
        return "\(names) \(stochastic.count == 1 ? "depends" : "depend") on random draws (take-up, durations or assessment errors): "
            + "the figures come from one draw (seed \(seed)); \(remedy)."
    }

    /// Adds the statistics engine's figures to `table`: 95% intervals on the change rows (``se``), rows at another
    /// equivalence scale (``equivalence``) and at relative lines (``relativeLines``), each with its interval.
    ///
    /// - Parameters:
    ///   - table: The comparison table of `comparison`, to which intervals and rows are added.
    ///   - comparison: The options' first draw.
    ///   - population: The survey the options were simulated on.
    ///   - useDesign: Whether the population's stratum and psu define the design (else households are
    ///     a simple random sample).
    ///   - plan: Threads (the figures do not depend on them).
    ///   - progress: Where the bootstrap reports how far it got.
    /// - Throws: ``UsageError`` for an equivalence scale with a scenario that declares its welfare (as `scenario run`).
    package func addStatistics(to table: inout ComparisonTable, comparison: OptionComparison, population: Population,
                               useDesign: Bool, plan: ParallelPlan, progress: any AnalysisProgress) throws {
        guard needsStatistics else { return }
        let result = try statisticsRows(runs: comparison.options.map(\.run), population: population, useDesign: useDesign,
                                        plan: plan, progress: progress)
        let changed = comparison.options.map { Optional($0.assessment.changedObservations) }
        for row in result.rows {
            table.appendRow(key: row.key, label: row.label, unit: row.unit, values: row.values, observations: changed)
        }
        if se != "none" { table.attach(intervals: result.intervals) }
    }

    /// The statistics engine's figures of each run (one per option, in order): the 95% intervals of the change rows
    /// by key (``se``; empty lists without it) and the rows at another scale and at relative lines.
    ///
    /// - Throws: ``UsageError`` as ``addStatistics(to:comparison:population:useDesign:plan:progress:)``;
    ///   `CancellationError` when `progress` is cancelled (checked after each option).
    package func statisticsRows(runs: [ScenarioRun], population: Population, useDesign: Bool, plan: ParallelPlan,
                                progress: any AnalysisProgress) throws
        -> (intervals: [String: [ConfidenceInterval?]], rows: [(key: String, label: String, unit: FigureUnit, values: [Double])]) {
        let choices = indicatorChoices
        let stage = progress.stage("statistics", total: runs.count)
        let design = useDesign ? try SurveyDesign(population: population) : SurveyDesign(units: population.householdCount)
        var intervals: [String: [ConfidenceInterval?]] = [:]
        var extra: [String: (label: String, unit: FigureUnit, values: [Double])] = [:]
        var order: [String] = []
        let scaleName = scale
        for run in runs {
            let settings = try choices.settings(fixedLines: [.absolute(run.scenario.povertyLine)], householdIncome: true)
            let distributions: (baseline: WelfareDistribution, reform: WelfareDistribution)
            if settings.scale == .perCapita {
                distributions = run.welfareDistributions(in: population)
            } else if run.welfare != nil {
                throw UsageError("--equivalence: the scenario declares its welfare (welfare: in \(run.scenario.file)), including its unit (per: capita or adult_equivalent); drop --equivalence")
            } else {
                distributions = (WelfareDistribution(householdIncome: run.outcomes.baseline.disposableIncome.values, in: population, scale: settings.scale),
                                 WelfareDistribution(householdIncome: run.outcomes.reform.disposableIncome.values, in: population, scale: settings.scale))
            }
            let result: WelfareComparison
            do {
                result = try WelfareAnalysis(options: settings.options, design: design)
                    .compare(baseline: distributions.baseline, reform: distributions.reform, inference: settings.inference, plan: plan)
            } catch let error as AnalysisError {
                throw UsageError(error.description)
            }
            let change = result.change.overall
            func add(_ key: String, _ label: String, _ unit: FigureUnit, _ indicator: Indicator) {
                if extra[key] == nil { order.append(key) }
                extra[key, default: (label, unit, [])].values.append(change.value(indicator))
                intervals[key, default: []].append(change[indicator]?.ci95)
            }
            let suffix = scaleName.map { ", \($0) scale" } ?? ""
            let keySuffix = scaleName.map { "_" + $0.replacingOccurrences(of: "-", with: "_") } ?? ""
            let measures: [(String, String, Indicator)] = [
                ("fgt0_change", "Change in poverty headcount FGT(0)", .fgt(alpha: 0, line: 0)),
                ("fgt1_change", "Change in poverty gap FGT(1)", .fgt(alpha: 1, line: 0)),
                ("fgt2_change", "Change in poverty severity FGT(2)", .fgt(alpha: 2, line: 0)),
                ("gini_change", "Change in Gini", .gini),
            ]
            if scaleName != nil {
                for (key, label, indicator) in measures { add(key + keySuffix, label + suffix, .difference, indicator) }
            } else {
                for (key, _, indicator) in measures { intervals[key, default: []].append(change[indicator]?.ci95) }
            }
            for (k, share) in relativeLines.enumerated() where relativeLines.firstIndex(of: share) == k {
                let text = PovertyLine.format(share)
                add("fgt0_change_relative_\(text)\(keySuffix)", "Change in poverty headcount at \(PovertyLine.format(share * 100))% of median\(suffix)",
                    .difference, .fgt(alpha: 0, line: k + 1))
            }
            stage.advance()
            if progress.isCancelled { throw CancellationError() }
        }
        stage.finish()
        return (intervals, order.map { key in let e = extra[key]!; return (key, e.label, e.unit, e.values) })
    }
}
