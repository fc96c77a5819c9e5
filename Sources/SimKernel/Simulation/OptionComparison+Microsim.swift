extension OptionComparison {
    /// Each option's projection over `years` by ``ProjectionMethod/microsim``, and the ageing of each year.
    ///
    /// Years are aged one after the other, each from the survey as it is (never from the
    /// previous year's aged survey), so a year's figures do not depend on the range asked for.
    static func microsimulatedProjections(
        scenarios: [ScenarioDefinition], population: Population, profile: CountryProfile, years: ClosedRange<Int>,
        simulator: Simulator, context: RunContext
    ) throws -> (projections: [CostProjection], ageing: [SurveyAgeing.Summary]) {
        for year in [years.lowerBound, years.upperBound] { try SurveyAgeing.checkYear(year, profile: profile) }
        var money: [String] = []
        for request in scenarios.flatMap({ ScenarioRun.variables(of: $0) })
        where request.variable.measure == .money && request.variable.level == .person && !money.contains(request.variable.name) {
            money.append(request.variable.name)
        }
        var byOption = [[CostProjection.Year]](repeating: [], count: scenarios.count)
        var ageing: [SurveyAgeing.Summary] = []
        for year in years {
            let aged = try SurveyAgeing.age(population, to: year, profile: profile, moneyVariables: money)
            ageing.append(aged.summary)
            for (i, scenario) in scenarios.enumerated() {
                let run = ScenarioRun(scenario: scenario, population: aged.population, simulator: simulator, context: context)
                try run.requireFiniteResults(population: aged.population)
                let projection = try CostProjection(run: run, population: aged.population, profile: profile,
                                                    settings: scenario.costing, years: year...year, aged: true)
                byOption[i] += projection.years
            }
        }
        return (byOption.map { CostProjection(years: $0, currency: profile.currency) }, ageing)
    }
}
