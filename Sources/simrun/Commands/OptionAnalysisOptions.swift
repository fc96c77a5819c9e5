import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// The statistics and Monte Carlo options `scenario compare` and `report` share with
/// `scenario run` and `assess`: `--se`, `--replicates`, `--bootstrap-seed`,
/// `--equivalence`, `--relative-line` and `--replications`, with the same meaning and
/// the same checks (each is validated by ``IndicatorArguments``, as `scenario run` does).
///
/// - `--se`: 95% confidence intervals of the changes in FGT(0-2) and the Gini (and of the
///   rows the two options below add), from the survey design (stratum, psu when the data has them).
/// - `--equivalence SCALE` (not per-capita): rows of the changes in FGT(0-2) and the Gini of
///   household disposable income over the scale, the scenario's poverty line per adult
///   equivalent, as `scenario run --equivalence` reports them; the other rows stay per capita.
/// - `--relative-line SHARE`: rows of the change in the poverty headcount at SHARE of each
///   system's median welfare.
/// - `--replications R`: every option is simulated R times (seeds derived from `--seed`, as
///   `scenario run --replications`); each figure is the mean and carries its Monte Carlo
///   band (2.5 and 97.5 percentiles). As in `scenario run`, it cannot be combined with the
///   three options above (their figures and intervals are those of one draw).
struct OptionAnalysisOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "95% confidence intervals of the changes in FGT(0-2) and the Gini, with the survey design (stratum, psu columns when present): none, linearized (Taylor) or bootstrap (Rao-Wu). Default: none.",
        valueName: "method"))
    var se: String = "none"

    @Option(name: .long, help: ArgumentHelp("Bootstrap replicates, with --se bootstrap. Default: 200.", valueName: "B"))
    var replicates: Int = 200

    @Option(name: .customLong("bootstrap-seed"), help: ArgumentHelp("Seed of the bootstrap replicates. Default: 1.", valueName: "s"))
    var bootstrapSeed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Also give the changes in FGT(0-2) and the Gini of household disposable income over this equivalence scale (per-capita, oecd-modified, square-root or parametric; the scenario's poverty line is then per adult equivalent), as scenario run --equivalence does. Default: per-capita only.",
        valueName: "name"))
    var equivalence: String?

    @Option(name: .customLong("relative-line"), help: ArgumentHelp(
        "A relative poverty line as a share (> 0, at most 10) of the median of each system's welfare, e.g. 0.6; adds the change in the poverty headcount at it. Repeat for several. Default: none.",
        valueName: "share"))
    var relativeLine: [Double] = []

    @Option(name: .long, help: ArgumentHelp(
        "Simulate every option this many times (seeds derived from --seed), reporting each figure's mean and its 2.5-97.5 percentile band (Monte Carlo: take-up, durations, assessment errors). Default: 1.",
        valueName: "r"))
    var replications: Int = 1

    /// The options as `scenario run` would read them, so that they are checked by the same code.
    func indicatorArguments() throws -> IndicatorArguments<ScenarioRunCommand.Host> {
        var arguments = ["--se", se, "--replicates", String(replicates), "--bootstrap-seed", String(bootstrapSeed)]
        if let equivalence { arguments += ["--equivalence", equivalence] }
        for share in relativeLine { arguments += ["--relative-line", String(share)] }
        do {
            return try IndicatorArguments<ScenarioRunCommand.Host>.parse(arguments)
        } catch {
            throw ValidationError(IndicatorArguments<ScenarioRunCommand.Host>.message(for: error))
        }
    }

    func validate() throws {
        if !["none", "linearized", "bootstrap"].contains(se) { throw ValidationError("--se must be none, linearized or bootstrap (got '\(se)')") }
        if replicates < 2 { throw ValidationError("--replicates must be at least 2") }
        if replications < 1 { throw ValidationError("--replications must be at least 1 (got \(replications))") }
        // As scenario run: intervals and other lines are those of one simulated draw.
        if replications > 1 && needsStatistics {
            throw ValidationError("--replications \(replications) cannot be combined with the poverty and inequality options (--se, --equivalence, --relative-line): their standard errors are those of one simulated draw; use --replications 1")
        }
        let parsed = try indicatorArguments()
        try parsed.check()
        _ = try parsed.settings(householdIncome: true)
    }

    /// Whether the statistics engine must run (intervals, another scale, relative lines).
    var needsStatistics: Bool { se != "none" || scale != nil || !relativeLine.isEmpty }

    /// The equivalence scale's name when it is not per capita.
    var scale: String? { equivalence == nil || equivalence == "per-capita" ? nil : equivalence }

    /// The design variables to load: stratum and psu, for intervals, when the data has both.
    func designRequests(available: Set<String>, quiet: Bool) -> [VariableRequest] {
        guard se != "none" else { return [] }
        if available.contains("stratum") && available.contains("psu") {
            return [VariableRequest(.stratum, neededBy: "standard errors"), VariableRequest(.psu, neededBy: "standard errors")]
        }
        if !quiet { Diagnostics.note("the data has no stratum and psu columns: standard errors treat households as a simple random sample") }
        return []
    }

    /// Ages, for a scale that counts children.
    func scaleRequests(available: Set<String>) throws -> [VariableRequest] {
        let settings = try indicatorArguments().settings(householdIncome: true)
        return settings.scale.needsAges ? [VariableRequest(.age, neededBy: "--equivalence")] : []
    }

    /// Refuses a scale that counts children on data without ages (a household-level file).
    /// - Throws: ``ValidationError``.
    func checkScale(population: Population) throws {
        let settings = try indicatorArguments().settings(householdIncome: true)
        if settings.scale.needsAges && !population.has(Variable.age.name) {
            throw ValidationError("--equivalence \(equivalence ?? ""): the scale counts children, but the data has no age column; use square-root or per-capita")
        }
    }

    /// Runs the options `replications - 1` more times and replaces each figure of `table` by its mean with its band.
    func replicate(_ table: inout ComparisonTable, labels: [String], make: (RunContext) throws -> ComparisonTable,
                   seed: UInt64, year: Int?, quiet: Bool) throws {
        guard replications > 1 else { return }
        let progress = ProgressBar(total: replications - 1, label: "replications", quiet: quiet)
        var tables = [table]
        for r in 1..<replications {
            tables.append(try make(RunContext(seed: RunContext.seed(run: seed, replication: r), replication: r, year: year)))
            progress.advance()
        }
        progress.finish()
        table.summarise(replications: tables)
    }

    /// The labels of the options whose figures depend on the random draws (take-up, durations, assessment
    /// errors): simulated again with another seed, their disposable incomes differ from the first draw's.
    static func stochasticOptions(_ comparison: OptionComparison, population: Population, labels: [String],
                                  plan: ParallelPlan, seed: UInt64, year: Int?) throws -> [String] {
        var out: [String] = []
        for (i, option) in comparison.options.enumerated() {
            let other = ScenarioRun(scenario: option.run.scenario, population: population, simulator: Simulator(plan: plan),
                                    context: RunContext(seed: RunContext.seed(run: seed, replication: 1), replication: 1, year: year))
            func same(_ a: SystemOutcome, _ b: SystemOutcome) -> Bool {
                a.disposableIncome.values.elementsEqual(b.disposableIncome.values) { $0.bitPattern == $1.bitPattern }
            }
            if !same(other.outcomes.baseline, option.run.outcomes.baseline) || !same(other.outcomes.reform, option.run.outcomes.reform) {
                out.append(labels[i])
            }
        }
        return out
    }

    /// The sentence that says which options were costed on one draw of their random parts.
    static func oneDrawNote(_ stochastic: [String], seed: UInt64) -> String? {
        guard !stochastic.isEmpty else { return nil }
        let names = stochastic.joined(separator: ", ")
        return "\(names) \(stochastic.count == 1 ? "depends" : "depend") on random draws (take-up, durations or assessment errors): "
            + "the figures come from one draw (seed \(seed)); give --replications R for the mean of R draws and its Monte Carlo band."
    }

    /// Adds the statistics engine's figures to `table`: 95% intervals on the change rows (`--se`), rows at another
    /// equivalence scale (`--equivalence`) and at relative lines (`--relative-line`), each with its interval.
    ///
    /// - Throws: ``ValidationError`` for `--equivalence` with a scenario that declares its welfare (as `scenario run`).
    func addStatistics(to table: inout ComparisonTable, comparison: OptionComparison, population: Population,
                       design requests: [VariableRequest], plan: ParallelPlan, quiet: Bool) throws {
        guard needsStatistics else { return }
        let arguments = try indicatorArguments()
        let progress = ProgressBar(total: comparison.options.count, label: "statistics", quiet: quiet)
        let design = requests.isEmpty ? SurveyDesign(units: population.householdCount) : try SurveyDesign(population: population)
        var intervals: [String: [ConfidenceInterval?]] = [:]
        var extra: [String: (label: String, unit: FigureUnit, values: [Double])] = [:]
        var order: [String] = []
        let scaleName = scale
        for option in comparison.options {
            let run = option.run
            let settings = try arguments.settings(fixedLines: [.absolute(run.scenario.povertyLine)], householdIncome: true)
            let distributions: (baseline: WelfareDistribution, reform: WelfareDistribution)
            if settings.scale == .perCapita {
                distributions = run.welfareDistributions(in: population)
            } else if run.welfare != nil {
                throw ValidationError("--equivalence: the scenario declares its welfare (welfare: in \(run.scenario.file)), including its unit (per: capita or adult_equivalent); drop --equivalence")
            } else {
                distributions = (WelfareDistribution(householdIncome: run.outcomes.baseline.disposableIncome.values, in: population, scale: settings.scale),
                                 WelfareDistribution(householdIncome: run.outcomes.reform.disposableIncome.values, in: population, scale: settings.scale))
            }
            let result: WelfareComparison
            do {
                result = try WelfareAnalysis(options: settings.options, design: design)
                    .compare(baseline: distributions.baseline, reform: distributions.reform, inference: settings.inference, plan: plan)
            } catch let error as AnalysisError {
                throw ValidationError(error.description)
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
            if let _ = scaleName {
                for (key, label, indicator) in measures { add(key + keySuffix, label + suffix, .difference, indicator) }
            } else {
                for (key, _, indicator) in measures { intervals[key, default: []].append(change[indicator]?.ci95) }
            }
            for (k, share) in relativeLine.enumerated() where relativeLine.firstIndex(of: share) == k {
                let text = PovertyLine.format(share)
                add("fgt0_change_relative_\(text)\(keySuffix)", "Change in poverty headcount at \(PovertyLine.format(share * 100))% of median\(suffix)",
                    .difference, .fgt(alpha: 0, line: k + 1))
            }
            progress.advance()
        }
        progress.finish()
        let changed = comparison.options.map { Optional($0.assessment.changedObservations) }
        for key in order {
            let e = extra[key]!
            table.appendRow(key: key, label: e.label, unit: e.unit, values: e.values, observations: changed)
        }
        if se != "none" { table.attach(intervals: intervals) }
    }
}
