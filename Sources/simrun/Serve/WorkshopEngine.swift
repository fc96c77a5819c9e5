import Foundation
import Scenarios
import SimAnalysis
import SimKernel
import SimReport

/// The survey and country profile, loaded once, and the computations behind the page: the same
/// comparison as `scenario compare` and the same report document as `simrun report`.
final class WorkshopEngine: @unchecked Sendable {
    /// The survey, profile and cached baselines (``AnalysisSession``), used under ``lock``.
    private let session: AnalysisSession
    private let lock = NSLock()
    /// Projection years of the cost chart (the profile's base year and the next ten, as `report`).
    let years: ClosedRange<Int>?
    var dataFile: String { session.dataFile }
    var profile: CountryProfile? { session.profile }
    var rule: DisclosureRule { session.rule }
    var seed: UInt64 { session.seed }
    let plan: ParallelPlan
    /// The survey as it is now (reloaded with more variables only when an added option needs them).
    var population: Population { lock.lock(); defer { lock.unlock() }; return session.population }

    init(settings: WorkshopSettings, scenarios: [ScenarioDefinition]) throws {
        plan = ParallelPlan(threads: settings.threads)
        session = try AnalysisSession(data: settings.data, columns: settings.columns, country: settings.country,
                                      scenarios: scenarios, seed: settings.seed, plan: plan, rule: settings.rule)
        years = session.profile.map { $0.baseYear...min($0.baseYear + 10, $0.years.upperBound) }
    }

    /// Checks that `scenario` can run on the survey, loading the variables it needs that are not loaded yet.
    /// - Throws: `InputError` naming the variable the data lacks.
    func check(_ scenario: ScenarioDefinition) throws {
        lock.lock()
        defer { lock.unlock() }
        let before = session.population.variableNames
        try session.prepare(for: [scenario])
        if session.population.variableNames != before { welfareCache.removeAll() }
    }

    /// Each option's poverty-by-age and incidence figures, by the option's text and year: an option the room did
    /// not change is not analysed again (cleared when the survey is reloaded).
    private var welfareCache: [String: WelfareComparison] = [:]

    /// `SIMRUN_SERVE_TIMINGS=1`: each state's computing times on standard error.
    static let timings = ProcessInfo.processInfo.environment["SIMRUN_SERVE_TIMINGS"] != nil

    /// Every figure of the page for these options: the comparison table and the report document's charts and tables.
    ///
    /// - Parameter keys: Per option, a text that changes whenever the option does (its YAML and year), for the cache.
    func figures(_ scenarios: [ScenarioDefinition], labels: [String], keys: [String]) throws -> WorkshopFigures {
        var clock = Stopwatch()
        defer { if Self.timings { clock.report() } }
        lock.lock()
        let computed = Result { try session.comparison(scenarios, years: profile == nil ? nil : years) }
        clock.lap("comparison")
        let population = session.population
        lock.unlock()
        let comparison = try computed.get()
        let table = ComparisonTable(comparison: comparison, files: scenarios.map(\.file), rule: rule)
        let assessment = CoverageAssessment(runs: comparison.options.map(\.run), population: population)
        clock.lap("table+coverage")
        let ages = population.has("age") ? population.integers("age").array : nil
        let starts = population.householdStart.array
        var welfare: [WelfareComparison] = []
        lock.lock()
        let cached = keys.map { welfareCache[$0] }
        lock.unlock()
        for (i, option) in comparison.options.enumerated() {
            if let known = cached[i] {
                welfare.append(known)
                continue
            }
            let analysis = try WelfareAnalysis(
                // Only what the report's sections read (the headcount by age group, the incidence): the same figures
                // as `report`, without the quantiles, entropy and Atkinson indices nobody sees here.
                options: IndicatorOptions(lines: [.absolute(option.run.scenario.povertyLine)], fgtAlphas: [0], quantiles: [],
                                          generalizedEntropy: [], atkinson: []),
                design: SurveyDesign(units: population.householdCount),
                groupings: ages.map { [Grouping.ageBands(AgeBand.standard, ages: $0, householdStart: starts)] } ?? [])
            let distributions = option.run.welfareDistributions(in: population)
            let result = try analysis.compare(baseline: distributions.baseline, reform: distributions.reform, plan: plan,
                                              baselines: session.baselines)
            welfare.append(result)
            lock.lock()
            if welfareCache.count >= 64 { welfareCache.removeAll() }
            welfareCache[keys[i]] = result
            lock.unlock()
        }
        clock.lap("welfare")
        let ageGroupObservations = AgeBand.standard.map { band in (ages ?? []).reduce(0) { $0 + (band.contains(Int($1)) ? 1 : 0) } }
        return WorkshopFigures(comparison: comparison, table: table, assessment: assessment, welfare: welfare,
                               ageGroupObservations: ageGroupObservations, labels: labels, engine: self)
    }

    /// 95% intervals (linearized, with the survey design when the data has stratum and psu) of the changes in
    /// FGT(0-2) and the Gini, as `scenario compare --se linearized`. `progress` is told after each option and
    /// stops the work when it returns false.
    func intervals(_ scenarios: [ScenarioDefinition], population: Population, progress: (Int) -> Bool) throws -> [String: [ConfidenceInterval?]] {
        let design = population.has("stratum") && population.has("psu")
            ? try SurveyDesign(population: population) : SurveyDesign(units: population.householdCount)
        var intervals: [String: [ConfidenceInterval?]] = [:]
        let simulator = Simulator(plan: plan)
        for (i, scenario) in scenarios.enumerated() {
            let run = ScenarioRun(scenario: scenario, population: population, simulator: simulator, context: RunContext(seed: seed))
            let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(scenario.povertyLine)]), design: design)
            let distributions = run.welfareDistributions(in: population)
            let result = try analysis.compare(baseline: distributions.baseline, reform: distributions.reform,
                                              inference: .linearized, plan: plan)
            for (key, indicator) in [("fgt0_change", Indicator.fgt(alpha: 0, line: 0)), ("fgt1_change", .fgt(alpha: 1, line: 0)),
                                     ("fgt2_change", .fgt(alpha: 2, line: 0)), ("gini_change", .gini)] {
                intervals[key, default: []].append(result.change.overall[indicator]?.ci95)
            }
            if !progress(i + 1) { break }
        }
        return intervals
    }
}

/// One state's figures: the comparison (as `compare`) and the report document (as `report`).
struct WorkshopFigures: @unchecked Sendable {
    let comparison: OptionComparison
    let table: ComparisonTable
    let assessment: CoverageAssessment
    let welfare: [WelfareComparison]
    let ageGroupObservations: [Int]
    let labels: [String]
    let engine: WorkshopEngine

    /// The report document of these options, exactly as `simrun report` builds it.
    func document(date: String) throws -> ReportDocument {
        let population = engine.population
        // Files by their names only, as `report`: the analyst's folders stay out of the pack.
        func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
        var facts = [ReportFact("simrun version", Simrun.version), ReportFact("Data", name(engine.dataFile)),
                     ReportFact("Data SHA-256", try FileDigest.sha256(of: engine.dataFile)),
                     ReportFact("Households, persons", "\(population.householdCount), \(population.personCount)"),
                     ReportFact("Seed", String(engine.seed))] + DataPreparationOutput.facts(population.preparation, naming: name)
        for (i, option) in comparison.options.enumerated() {
            facts.append(ReportFact("Welfare of \(labels[i])", option.run.scenario.welfare.outputDescription))
        }
        if let profile = engine.profile {
            facts.append(ReportFact("Country profile", "\(name(profile.file)) (SHA-256 \(try FileDigest.sha256(of: profile.file)))"))
        }
        facts.append(ReportFact("Options", "changed in simrun serve; saved options reproduce them"))
        var builder = OptionReportBuilder(
            comparison: comparison, table: table, assessment: assessment, welfare: welfare,
            files: comparison.options.map(\.run.scenario.file), ageGroupObservations: ageGroupObservations,
            provenance: facts, date: date, rule: engine.rule)
        builder.labels = labels
        builder.country = engine.profile?.name
        return builder.document()
    }
}
