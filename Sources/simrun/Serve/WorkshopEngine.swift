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

    /// The column map the survey was loaded with (the report's baseline profile names its columns).
    var columnMap: ColumnMap { session.columnMap }
    /// The survey's columns (as the loader sees them).
    var available: Set<String> { session.available }

    init(settings: WorkshopSettings, scenarios: [ScenarioDefinition]) throws {
        plan = ParallelPlan(threads: settings.threads)
        // The design too (stratum, psu when the data has them), for intervals as `--se linearized` computes them.
        session = try AnalysisSession(data: settings.data, columns: settings.columns, country: settings.country,
                                      scenarios: scenarios, seed: settings.seed, plan: plan, rule: settings.rule,
                                      designVariables: true)
        years = session.profile.map(\.reportYears)
    }

    /// Runs `body` with the session, alone (a sweep's block of variants).
    func withSession<T>(_ body: (AnalysisSession) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(session)
    }

    /// Checks that `scenario` can run on the survey, loading the variables it needs that are not loaded yet.
    /// - Throws: `InputError` naming the variable the data lacks.
    func check(_ scenario: ScenarioDefinition) throws {
        lock.lock()
        defer { lock.unlock() }
        let before = session.population.variableNames
        try session.prepare(for: [scenario])
        if session.population.variableNames != before { welfareCache.removeAll(); stochasticCache.removeAll() }
    }

    /// Each option's poverty-by-age and incidence figures, by the option's text and year: an option the room did
    /// not change is not analysed again (cleared when the survey is reloaded).
    private var welfareCache: [String: WelfareComparison] = [:]
    /// Whether each option (by the same key) depends on random draws.
    private var stochasticCache: [String: Bool] = [:]

    /// `SIMRUN_SERVE_TIMINGS=1`: each state's computing times on standard error.
    static let timings = ProcessInfo.processInfo.environment["SIMRUN_SERVE_TIMINGS"] != nil

    /// Every figure of the page for these options: the comparison table and the report document's charts and tables.
    ///
    /// - Parameter keys: Per option, a text that changes whenever the option does (its YAML and year), for the cache.
    func figures(_ scenarios: [ScenarioDefinition], labels: [String], keys: [String]) throws -> WorkshopFigures {
        var clock = Stopwatch()
        defer { if Self.timings { clock.report() } }
        lock.lock()
        // An option the room did not change is not simulated again (the session keeps its result by key).
        let computed = Result { try session.comparison(scenarios, years: profile == nil ? nil : years, keys: keys) }
        clock.lap("comparison")
        let population = session.population
        lock.unlock()
        let comparison = try computed.get()
        let table = ComparisonTable(comparison: comparison, files: scenarios.map(\.file), rule: rule)
        let assessment = CoverageAssessment(runs: comparison.options.map(\.run), population: population)
        clock.lap("table+coverage")
        lock.lock()
        let cached = keys.map { welfareCache[$0] }
        lock.unlock()
        // The report's poverty-by-age and incidence figures (``OptionReport/welfare(_:population:plan:cached:)``);
        // an option the room did not change is not analysed again.
        let (welfare, ageGroupObservations) = try OptionReport.welfare(comparison, population: population, plan: plan, cached: cached,
                                                                        baselines: session.baselines)
        // Whether each option depends on random draws (the page says so, as compare and report do): one more
        // simulation of an option the room changed, none of one it did not.
        var stochastic: [String] = []
        for (i, option) in comparison.options.enumerated() {
            lock.lock()
            let known = stochasticCache[keys[i]]
            lock.unlock()
            let drawn = known ?? OptionStatistics.isStochastic(option.run, population: population, plan: plan, seed: seed, year: nil,
                                                                baselines: session.baselines)
            if drawn { stochastic.append(labels[i]) }
            lock.lock()
            stochasticCache[keys[i]] = drawn
            lock.unlock()
        }
        lock.lock()
        if welfareCache.count >= 64 { welfareCache.removeAll() }
        if stochasticCache.count >= 64 { stochasticCache.removeAll() }
        for (i, key) in keys.enumerated() where cached[i] == nil { welfareCache[key] = welfare[i] }
        lock.unlock()
        clock.lap("welfare")
        return WorkshopFigures(comparison: comparison, table: table, assessment: assessment, welfare: welfare,
                               ageGroupObservations: ageGroupObservations, labels: labels, stochastic: stochastic, engine: self)
    }

    /// 95% intervals (linearized, with the survey design when the data has stratum and psu) of the changes in
    /// FGT(0-2) and the Gini, as `scenario compare --se linearized`. `progress` is told after each option and
    /// stops the work when it returns false.
    func intervals(_ scenarios: [ScenarioDefinition], population: Population, progress: @escaping (Int) -> Bool) throws -> [String: [ConfidenceInterval?]] {
        let simulator = Simulator(plan: plan)
        let runs = scenarios.map { ScenarioRun(scenario: $0, population: population, simulator: simulator, context: RunContext(seed: seed)) }
        var statistics = OptionStatistics()
        statistics.se = "linearized"
        do {
            return try statistics.statisticsRows(runs: runs, population: population,
                                                 useDesign: population.has(Variable.stratum.name) && population.has(Variable.psu.name),
                                                 plan: plan, progress: PageProgress(report: progress)).intervals
        } catch is CancellationError {
            return [:]
        }
    }

}

extension WorkshopEngine {
    /// The most replications the page computes (each simulates every option once more).
    static let maximumReplications = 200

    /// Checks a number of replications as `scenario compare --replications` does (its message), then the page's bounds.
    /// - Throws: ``WorkshopError`` 422 (field `replications`).
    static func checkReplications(_ n: Int, intervals: Bool) throws {
        var statistics = OptionStatistics()
        statistics.replications = n
        if intervals { statistics.se = "linearized" }
        do { try statistics.check() } catch { throw WorkshopError(422, error.description, field: "replications") }
        guard (2...maximumReplications).contains(n) else {
            throw WorkshopError(422, "--replications on the page must be from 2 to \(maximumReplications) (got \(n)); 1 is the single draw the table already shows",
                                field: "replications")
        }
    }

    /// `first` (the page's comparison table) with every figure replaced by its mean over `replications` draws and its
    /// Monte Carlo band: `scenario compare --replications N`'s computation (``OptionAnalysisOptions/replicate``, the
    /// same seeds, ``ComparisonTable/summarise(replications:)``). `progress` is told after each draw; returning false
    /// stops the work (``CancellationError``).
    func bands(_ first: ComparisonTable, scenarios: [ScenarioDefinition], replications: Int, population: Population,
               progress: @escaping (Int) -> Bool) throws -> ComparisonTable {
        var statistics = OptionStatistics()
        statistics.replications = replications
        var table = first
        let profile = self.profile, years = profile == nil ? nil : self.years, rule = self.rule, simulator = Simulator(plan: plan)
        try statistics.replicate(&table, make: { context in
            let other = try OptionComparison(scenarios: scenarios, population: population, profile: profile, years: years,
                                             simulator: simulator, context: context)
            guard progress(context.replication) else { throw CancellationError() }
            return ComparisonTable(comparison: other, files: first.files, rule: rule)
        }, seed: seed, year: nil, progress: NoProgress())
        return table
    }

    /// `report`'s baseline profile (poverty and inequality today, by age group and area) of the first option, and its
    /// sentences under the comparison: ``OptionReport``'s code, as `simrun report`.
    func reportExtras(_ comparison: OptionComparison, labels: [String], currency: String, replications: Int) throws
        -> (profile: BaselineProfile, notes: [String]) {
        let population = self.population
        let first = comparison.options[0].run
        let scenarios = comparison.options.map(\.run.scenario)
        // The survey as `report` loads it (the options' variables and the profile's groupings: ages, area), read again
        // for the pack only: the page's survey keeps the variables as the options need them.
        let requests = OptionComparison.variables(of: scenarios, costing: profile != nil, available: available)
        let extra = try OptionReport.extraVariables(scenarios: scenarios, profile: profile, statistics: OptionStatistics(),
                                                    available: available)
        let full = try SurveyLoader(columnMap: columnMap, plan: plan).load(file: dataFile, variables: requests + extra)
        let run = ScenarioRun(scenario: first.scenario, population: full, simulator: Simulator(plan: plan), context: RunContext(seed: seed))
        let baselineProfile = try OptionReport.baselineProfile(
            comparison, run: run, population: full, available: available, costing: profile != nil, equivalence: nil,
            label: labels[0], currency: currency, dataFile: dataFile, columnMap: columnMap, plan: plan)
        let stochastic = replications == 1
            ? try OptionStatistics.stochasticOptions(comparison, population: population, labels: labels, plan: plan, seed: seed, year: nil)
            : []
        let notes = OptionReport.notes(replications: replications, oneDrawNote: OptionStatistics.oneDrawNote(stochastic, seed: seed),
                                       seed: seed)
        return (baselineProfile, notes)
    }

    /// `report --se linearized`'s intervals on `table` (``OptionStatistics/addStatistics``, the survey design when
    /// the data has stratum and psu).
    func reportIntervals(_ table: inout ComparisonTable, comparison: OptionComparison) throws {
        let population = self.population
        var statistics = OptionStatistics()
        statistics.se = "linearized"
        try statistics.addStatistics(to: &table, comparison: comparison, population: population,
                                     useDesign: population.has(Variable.stratum.name) && population.has(Variable.psu.name),
                                     plan: plan, progress: NoProgress())
    }

    /// The provenance of these options on the page's survey (the methods section of the pack).
    func provenance(_ scenarios: [ScenarioDefinition], labels: [String], replications: Int, intervals: String?) throws -> Provenance {
        lock.lock()
        defer { lock.unlock() }
        return try Provenance(session: session, scenarios: scenarios, labels: labels, replications: replications,
                              confidenceIntervals: intervals)
    }
}

/// What the pack adds to the page's figures, as `report` adds them: the table with the room's bands or intervals,
/// the baseline profile, the notes under the comparison and the facts they rest on.
struct PackExtras {
    var table: ComparisonTable
    var profile: BaselineProfile
    var notes: [String]
    /// The room's Monte Carlo replications (1: none) and interval method (`nil`: none), for the methods section.
    var replications = 1
    var intervals: String? = nil
}

/// One state's figures: the comparison (as `compare`) and the report document (as `report`).
struct WorkshopFigures: @unchecked Sendable {
    let comparison: OptionComparison
    let table: ComparisonTable
    let assessment: CoverageAssessment
    let welfare: [WelfareComparison]
    let ageGroupObservations: [Int]
    let labels: [String]
    /// The labels of the options whose figures depend on random draws (``OptionStatistics/isStochastic(_:population:plan:seed:year:)``).
    let stochastic: [String]
    let engine: WorkshopEngine

    /// The report document of these options, exactly as `simrun report` builds it (``OptionReport/document(_:title:country:date:rule:)``),
    /// its methods section from the options' ``Provenance`` (files by name, the page's note that options were changed here).
    func document(date: String, extras: PackExtras? = nil) throws -> ReportDocument {
        let scenarios = comparison.options.map(\.run.scenario)
        let replications = extras?.replications ?? 1
        let provenance = try engine.provenance(scenarios, labels: labels, replications: replications, intervals: extras?.intervals)
        // The files the page changed are not the files on disk: their checksums would mislead.
        var facts = provenance.facts.filter { !$0.key.hasPrefix("Scenario of ") }
        facts.append(ReportFact("Options", "changed in simrun serve; saved options reproduce them"))
        let parts = OptionReport.Parts(
            comparison: comparison, table: extras?.table ?? table, labels: labels, assessment: assessment, welfare: welfare,
            ageGroupObservations: ageGroupObservations, baselineProfile: extras?.profile, notes: extras?.notes ?? [], facts: facts)
        return OptionReport.document(parts, title: nil, country: engine.profile?.name, date: date, rule: engine.rule)
    }
}

/// The library's progress told to the page: each step done, and the page's answer whether to go on.
final class PageProgress: AnalysisProgress, ProgressStage, @unchecked Sendable {
    private let lock = NSLock()
    private let report: (Int) -> Bool
    private var done = 0
    private var stopped = false

    init(report: @escaping (Int) -> Bool) { self.report = report }

    func stage(_ label: String, total: Int) -> any ProgressStage { self }
    var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
    func advance(by n: Int) {
        lock.lock()
        done += n
        let count = done
        lock.unlock()
        let goOn = report(count)
        lock.lock()
        if !goOn { stopped = true }
        lock.unlock()
    }
    func finish() {}
}
