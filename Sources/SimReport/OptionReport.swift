import Foundation
import SimAnalysis
import SimKernel

/// The national-dialogue pack of compared options, built in one place for `simrun report` and the
/// workshop page's download: the comparison (`OptionsAnalysis`), the coverage-gap assessment,
/// poverty by age group and gains by decile per option, and today's profile (``BaselineProfile``),
/// with the methods section from the analysis's `Provenance`.
package enum OptionReport {
    /// What the report reads besides the options' variables: the area column and ages for
    /// today's profile, ages for a scale that counts children (``BaselineProfile/plan(scenario:area:equivalence:requests:available:)``).
    package static func extraVariables(scenarios: [ScenarioDefinition], profile: CountryProfile?, statistics: OptionStatistics,
                                       available: Set<String>) throws -> [VariableRequest] {
        let requests = OptionComparison.variables(of: scenarios, costing: profile != nil, available: available)
        let plan = try BaselineProfile.plan(scenario: scenarios[0], area: BaselineProfile.areaColumn(available: available),
                                            equivalence: statistics.equivalence, requests: requests, available: available)
        return try statistics.scaleRequests() + plan.needs.requests
    }

    /// What the report shows, computed: the one assembly of the document (``document(_:title:country:date:rule:)``)
    /// takes it from `report` and from the workshop page alike.
    package struct Parts {
        package var comparison: OptionComparison
        /// The comparison table as shown (with bands or intervals when asked).
        package var table: ComparisonTable
        package var labels: [String]
        package var assessment: CoverageAssessment
        /// Per option: poverty by age group and gains by decile (``OptionReport/welfare(_:population:plan:cached:baselines:)``).
        package var welfare: [WelfareComparison]
        package var ageGroupObservations: [Int]
        package var baselineProfile: BaselineProfile?
        /// Sentences under the comparison (``notes(replications:oneDrawNote:seed:)``).
        package var notes: [String]
        /// The methods section's provenance (`Provenance.facts` and what the front end adds).
        package var facts: [ReportFact]

        package init(comparison: OptionComparison, table: ComparisonTable, labels: [String], assessment: CoverageAssessment,
                     welfare: [WelfareComparison], ageGroupObservations: [Int], baselineProfile: BaselineProfile?,
                     notes: [String], facts: [ReportFact]) {
            (self.comparison, self.table, self.labels, self.assessment) = (comparison, table, labels, assessment)
            (self.welfare, self.ageGroupObservations, self.baselineProfile) = (welfare, ageGroupObservations, baselineProfile)
            (self.notes, self.facts) = (notes, facts)
        }
    }

    /// The report document of `parts`.
    package static func document(_ parts: Parts, title: String?, country: String?, date: String, rule: DisclosureRule) -> ReportDocument {
        var builder = OptionReportBuilder(
            comparison: parts.comparison, table: parts.table, assessment: parts.assessment, welfare: parts.welfare,
            files: parts.comparison.options.map(\.run.scenario.file), ageGroupObservations: parts.ageGroupObservations,
            provenance: parts.facts, date: date, rule: rule)
        builder.labels = parts.labels
        builder.title = title
        builder.country = country
        builder.baselineProfile = parts.baselineProfile
        builder.comparisonNotes = parts.notes
        return builder.document()
    }

    /// The sentences under the comparison table: the options costed on one draw, or what the bands are.
    package static func notes(replications: Int, oneDrawNote: String?, seed: UInt64) -> [String] {
        if replications == 1 { return oneDrawNote.map { [$0] } ?? [] }
        return ["Each figure of the comparison table is the mean of \(replications) simulations with different random draws (seeds derived from \(seed)); the range in italics under it is its Monte Carlo band. The other sections show the first draw."]
    }

    /// The indicator options of the report's poverty-by-age and incidence figures: the headcount at the option's
    /// line (the sections read nothing else, so no quantiles, entropy or Atkinson indices are computed).
    package static func welfareOptions(povertyLine: Double) -> IndicatorOptions {
        IndicatorOptions(lines: [.absolute(povertyLine)], fgtAlphas: [0], quantiles: [], generalizedEntropy: [], atkinson: [])
    }

    /// Poverty by age band (when the data has ages; a household-level file has none) and gains by decile of each
    /// option, and the unweighted persons per age band (for the disclosure rule).
    package static func welfare(_ comparison: OptionComparison, population: Population, plan: ParallelPlan,
                                cached: [WelfareComparison?]? = nil,
                                baselines: BaselineCache? = nil) throws -> (welfare: [WelfareComparison], ageGroupObservations: [Int]) {
        let ages = population.has("age") ? population.integers("age").array : nil
        let starts = population.householdStart.array
        var welfare: [WelfareComparison] = []
        for (i, option) in comparison.options.enumerated() {
            if let known = cached?[i] {
                welfare.append(known)
                continue
            }
            let analysis = try WelfareAnalysis(
                options: welfareOptions(povertyLine: option.run.scenario.povertyLine),
                design: SurveyDesign(units: population.householdCount),
                groupings: ages.map { [Grouping.ageBands(AgeBand.standard, ages: $0, householdStart: starts)] } ?? [])
            let distributions = option.run.welfareDistributions(in: population)
            // The baseline's sorted, grouped welfare is prepared once and reused across options (`BaselineCache`).
            welfare.append(try analysis.compare(baseline: distributions.baseline, reform: distributions.reform, plan: plan,
                                                baselines: baselines))
        }
        let observations = AgeBand.standard.map { band in (ages ?? []).reduce(0) { $0 + (band.contains(Int($1)) ? 1 : 0) } }
        return (welfare, observations)
    }

    /// Today's profile (poverty and inequality by age group and area) of the first option's baseline, as
    /// `scenario run --by AREA` computes it: `run` is the first option simulated on `population`, a survey
    /// holding what ``extraVariables(scenarios:profile:statistics:available:)`` asks for.
    package static func baselineProfile(_ comparison: OptionComparison, run first: ScenarioRun, population: Population,
                                        available: Set<String>, costing: Bool, equivalence: String?, label: String,
                                        currency: String, dataFile: String, columnMap: ColumnMap,
                                        plan: ParallelPlan) throws -> BaselineProfile {
        let scenarios = comparison.options.map(\.run.scenario)
        let area = BaselineProfile.areaColumn(available: available)
        let requests = OptionComparison.variables(of: scenarios, costing: costing, available: available)
        let profilePlan = try BaselineProfile.plan(scenario: scenarios[0], area: area, equivalence: equivalence,
                                                   requests: requests, available: available)
        // The survey must hold them: loading now would leave the comparison on another copy of the survey.
        if let missing = profilePlan.needs.requests.first(where: { !population.has($0.variable.name) }) {
            throw InputError(file: dataFile, kind: .inconsistent,
                             "the survey was loaded without '\(missing.variable.name)', which the report's baseline profile needs")
        }
        let statistics = try RunStatistics(run: first, population: population, settings: profilePlan.settings,
                                           needs: profilePlan.needs, by: profilePlan.by, dataFile: dataFile,
                                           columnMap: columnMap, plan: plan)
        let sharedBaseline = comparison.options.allSatisfy { o in
            o.run.scenario.povertyLine == first.scenario.povertyLine && o.run.scenario.welfare == first.scenario.welfare
                && o.run.outcomes.baseline.disposableIncome.values.elementsEqual(first.outcomes.baseline.disposableIncome.values) {
                    $0.bitPattern == $1.bitPattern
                }
        }
        return BaselineProfile(
            statistics: statistics, area: area,
            observations: BaselineProfile.observations(population: population, needs: profilePlan.needs, by: profilePlan.by,
                                                       settings: profilePlan.settings),
            optionLabel: label, shared: sharedBaseline,
            lineText: first.scenario.welfare.linesText(povertyLine: first.scenario.povertyLine), currency: currency)
    }

    /// The report document of `analysis` (run on `session`): `simrun report`.
    ///
    /// - Parameters:
    ///   - session: The session the options were run on (its survey, threads and disclosure rule).
    ///   - analysis: The options compared (`AnalysisSession.analyse(_:progress:)`).
    ///   - olderAge: From which age a person counts as older (coverage gaps).
    ///   - title: The report's title; `nil` for the default.
    ///   - date: The date in the methods section (YYYY-MM-DD).
    ///   - progress: Where the report's steps say how far they got.
    /// - Throws: `UsageError` and `InputError` as the statistics engine and the data.
    package static func document(session: AnalysisSession, analysis: OptionsAnalysis, olderAge: Int = 65, title: String? = nil,
                                 date: String, progress: any AnalysisProgress = NoProgress()) throws -> ReportDocument {
        let comparison = analysis.comparison
        let population = session.population
        let plan = session.simulator.plan
        let stage = progress.stage("report", total: 3)
        let assessment = CoverageAssessment(runs: comparison.options.map(\.run), population: population, olderAge: olderAge)
        stage.advance()
        let profile = try baselineProfile(
            comparison, run: comparison.options[0].run, population: population, available: session.available,
            costing: session.profile != nil, equivalence: analysis.request.statistics.equivalence, label: analysis.labels[0],
            currency: analysis.table.currency, dataFile: session.dataFile, columnMap: session.columnMap, plan: plan)
        stage.advance()
        let (welfare, observations) = try Self.welfare(comparison, population: population, plan: plan, baselines: session.baselines)
        stage.advance()
        stage.finish()
        let parts = Parts(comparison: comparison, table: analysis.table, labels: analysis.labels, assessment: assessment,
                          welfare: welfare, ageGroupObservations: observations, baselineProfile: profile,
                          notes: notes(replications: analysis.replications, oneDrawNote: analysis.oneDrawNote, seed: session.seed),
                          facts: analysis.provenance.facts)
        return document(parts, title: title, country: session.profile?.name, date: date, rule: session.rule)
    }
}
