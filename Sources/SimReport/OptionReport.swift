import Foundation
import SimAnalysis
import SimKernel

/// The national-dialogue pack of compared options, built in one place for `simrun report` and the
/// workshop page's download: the comparison (``OptionsAnalysis``), the coverage-gap assessment,
/// poverty by age group and gains by decile per option, and today's profile (``BaselineProfile``),
/// with the methods section from the analysis's ``Provenance``.
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

    /// The report document of `analysis` (run on `session`).
    ///
    /// - Parameters:
    ///   - olderAge: From which age a person counts as older (coverage gaps).
    ///   - title: The report's title; `nil` for the default.
    ///   - date: The date in the methods section (YYYY-MM-DD).
    ///   - facts: Lines added to the methods section's provenance (the page says the options were changed there).
    /// - Throws: ``UsageError`` and ``InputError`` as the statistics engine and the data.
    package static func document(session: AnalysisSession, analysis: OptionsAnalysis, olderAge: Int = 65, title: String? = nil,
                                 date: String, facts extraFacts: [ReportFact] = [],
                                 progress: any AnalysisProgress = NoProgress()) throws -> ReportDocument {
        let comparison = analysis.comparison
        let population = session.population
        let plan = session.simulator.plan
        let labels = analysis.labels
        let stage = progress.stage("report", total: comparison.options.count + 2)
        var notes: [String] = []
        if analysis.replications == 1 {
            if let note = analysis.oneDrawNote { notes.append(note) }
        } else {
            notes.append("Each figure of the comparison table is the mean of \(analysis.replications) simulations with different random draws (seeds derived from \(session.seed)); the range in italics under it is its Monte Carlo band. The other sections show the first draw.")
        }
        let assessment = CoverageAssessment(runs: comparison.options.map(\.run), population: population, olderAge: olderAge)
        stage.advance()
        // Today's profile: scenario run's statistics by age group and area, on the first option's baseline.
        let scenarios = analysis.request.scenarios
        let area = BaselineProfile.areaColumn(available: session.available)
        let requests = OptionComparison.variables(of: scenarios, costing: session.profile != nil, available: session.available)
        let profilePlan = try BaselineProfile.plan(scenario: scenarios[0], area: area, equivalence: analysis.request.statistics.equivalence,
                                                   requests: requests, available: session.available)
        // The session must have been loaded with them (``extraVariables(scenarios:profile:statistics:available:)``):
        // loading now would leave the comparison on another copy of the survey.
        if let missing = profilePlan.needs.requests.first(where: { !population.has($0.variable.name) }) {
            throw InputError(file: session.dataFile, kind: .inconsistent,
                             "the survey was loaded without '\(missing.variable.name)', which the report's baseline profile needs")
        }
        let statistics = try RunStatistics(run: comparison.options[0].run, population: population, settings: profilePlan.settings,
                                           needs: profilePlan.needs, by: profilePlan.by, dataFile: session.dataFile,
                                           columnMap: session.columnMap, plan: plan)
        let first = comparison.options[0].run
        let sharedBaseline = comparison.options.allSatisfy { o in
            o.run.scenario.povertyLine == first.scenario.povertyLine && o.run.scenario.welfare == first.scenario.welfare
                && o.run.outcomes.baseline.disposableIncome.values.elementsEqual(first.outcomes.baseline.disposableIncome.values) {
                    $0.bitPattern == $1.bitPattern
                }
        }
        let baselineProfile = BaselineProfile(
            statistics: statistics, area: area,
            observations: BaselineProfile.observations(population: population, needs: profilePlan.needs, by: profilePlan.by,
                                                       settings: profilePlan.settings),
            optionLabel: labels[0], shared: sharedBaseline,
            lineText: first.scenario.welfare.linesText(povertyLine: first.scenario.povertyLine), currency: analysis.table.currency)
        stage.advance()
        // Poverty by age band when the data has ages (a household-level file has none).
        let ages = population.has("age") ? population.integers("age").array : nil
        let starts = population.householdStart.array
        var welfare: [WelfareComparison] = []
        for option in comparison.options {
            let welfareAnalysis = try WelfareAnalysis(
                options: IndicatorOptions(lines: [.absolute(option.run.scenario.povertyLine)]),
                design: SurveyDesign(units: population.householdCount),
                groupings: ages.map { [Grouping.ageBands(AgeBand.standard, ages: $0, householdStart: starts)] } ?? [])
            let distributions = option.run.welfareDistributions(in: population)
            welfare.append(try welfareAnalysis.compare(baseline: distributions.baseline, reform: distributions.reform, plan: plan))
            stage.advance()
        }
        stage.finish()
        var builder = OptionReportBuilder(
            comparison: comparison, table: analysis.table, assessment: assessment, welfare: welfare,
            files: scenarios.map(\.file),
            ageGroupObservations: AgeBand.standard.map { band in (ages ?? []).reduce(0) { $0 + (band.contains(Int($1)) ? 1 : 0) } },
            provenance: analysis.provenance.facts + extraFacts, date: date, rule: session.rule)
        builder.labels = labels
        builder.title = title
        builder.country = session.profile?.name
        builder.baselineProfile = baselineProfile
        builder.comparisonNotes = notes
        return builder.document()
    }
}
