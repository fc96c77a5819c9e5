import Foundation
import Scenarios
import SimKernel

/// The survey and country profile, loaded once, and the computations behind the page: the same
/// comparison as `scenario compare` and the same report document as `simrun report`.
final class WorkshopEngine: @unchecked Sendable {
    let dataFile: String
    let profile: CountryProfile?
    /// Projection years of the cost chart (the profile's base year and the next ten, as `report`).
    let years: ClosedRange<Int>?
    let rule: DisclosureRule
    let seed: UInt64
    let plan: ParallelPlan
    private let loader: SurveyLoader
    private let available: Set<String>
    private let lock = NSLock()
    private var _population: Population
    /// The survey (reloaded with more variables only when an added option needs them).
    var population: Population { lock.lock(); defer { lock.unlock() }; return _population }

    init(settings: WorkshopSettings, scenarios: [ScenarioDefinition]) throws {
        dataFile = try OptionInputs.dataFile(settings.data, scenarios: scenarios)
        profile = try OptionInputs.profile(settings.country, scenarios: scenarios)
        years = profile.map { $0.baseYear...min($0.baseYear + 10, $0.years.upperBound) }
        rule = settings.rule
        seed = settings.seed
        plan = ParallelPlan(threads: settings.threads)
        loader = SurveyLoader(columnMap: try settings.columns.map { try ColumnMap(file: $0) } ?? ColumnMap(), plan: plan)
        available = try loader.availableVariables(in: dataFile)
        _population = try loader.load(file: dataFile, variables: Self.requests(scenarios, costing: profile != nil, available: available))
    }

    private static func requests(_ scenarios: [ScenarioDefinition], costing: Bool, available: Set<String>) -> [VariableRequest] {
        var requests = OptionComparison.variables(of: scenarios, costing: costing, available: available)
        if available.contains("stratum") && available.contains("psu") {
            requests += [VariableRequest(.stratum, neededBy: "standard errors"), VariableRequest(.psu, neededBy: "standard errors")]
        }
        return requests
    }

    /// Checks that `scenario` can run on the survey, loading the variables it needs that are not loaded yet.
    /// - Throws: `InputError` naming the variable the data lacks.
    func check(_ scenario: ScenarioDefinition) throws {
        let needed = OptionComparison.variables(of: [scenario], costing: profile != nil, available: available)
        lock.lock()
        defer { lock.unlock() }
        let missing = needed.filter { !_population.has($0.variable.name) }
        guard !missing.isEmpty else { return }
        var all = Self.requests([scenario], costing: profile != nil, available: available)
        for name in available where _population.has(name) { all.append(VariableRequest(name, neededBy: "earlier options")) }
        _population = try loader.load(file: dataFile, variables: all)
    }

    /// Every figure of the page for these options: the comparison table and the report document's charts and tables.
    func figures(_ scenarios: [ScenarioDefinition], labels: [String]) throws -> WorkshopFigures {
        let population = self.population
        let comparison = try OptionComparison(
            scenarios: scenarios, population: population, profile: profile, years: profile == nil ? nil : years,
            simulator: Simulator(plan: plan), context: RunContext(seed: seed))
        let table = ComparisonTable(comparison: comparison, files: scenarios.map(\.file), rule: rule)
        let assessment = CoverageAssessment(runs: comparison.options.map(\.run), population: population)
        let ages = population.has("age") ? population.integers("age").array : nil
        let starts = population.householdStart.array
        var welfare: [WelfareComparison] = []
        for option in comparison.options {
            let analysis = try WelfareAnalysis(
                options: IndicatorOptions(lines: [.absolute(option.run.scenario.povertyLine)]),
                design: SurveyDesign(units: population.householdCount),
                groupings: ages.map { [Grouping.ageBands(AgeBand.standard, ages: $0, householdStart: starts)] } ?? [])
            let distributions = option.run.welfareDistributions(in: population)
            welfare.append(try analysis.compare(baseline: distributions.baseline, reform: distributions.reform, plan: plan))
        }
        let ageGroupObservations = AgeBand.standard.map { band in (ages ?? []).reduce(0) { $0 + (band.contains(Int($1)) ? 1 : 0) } }
        return WorkshopFigures(comparison: comparison, table: table, assessment: assessment, welfare: welfare,
                               ageGroupObservations: ageGroupObservations, labels: labels, engine: self)
    }

    /// 95% intervals (linearized, with the survey design when the data has stratum and psu) of the changes in
    /// FGT(0-2) and the Gini, as `scenario compare --se linearized`. `progress` is told after each option and
    /// stops the work when it returns false.
    func intervals(_ scenarios: [ScenarioDefinition], progress: (Int) -> Bool) throws -> [String: [ConfidenceInterval?]] {
        let population = self.population
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
        var facts = [ReportFact("simrun version", Simrun.version), ReportFact("Data", engine.dataFile),
                     ReportFact("Data SHA-256", try FileDigest.sha256(of: engine.dataFile)),
                     ReportFact("Households, persons", "\(population.householdCount), \(population.personCount)"),
                     ReportFact("Seed", String(engine.seed))] + DataPreparationOutput.facts(population.preparation)
        for option in comparison.options {
            facts.append(ReportFact("Welfare of \(option.run.scenario.file)", option.run.scenario.welfare.outputDescription))
        }
        if let profile = engine.profile {
            facts.append(ReportFact("Country profile", "\(profile.file) (SHA-256 \(try FileDigest.sha256(of: profile.file)))"))
        }
        facts.append(ReportFact("Options", "changed in simrun serve; saved options reproduce them"))
        return OptionReportBuilder(
            comparison: comparison, table: table, assessment: assessment, welfare: welfare,
            files: comparison.options.map(\.run.scenario.file), ageGroupObservations: ageGroupObservations,
            provenance: facts, date: date, rule: engine.rule).document()
    }
}
