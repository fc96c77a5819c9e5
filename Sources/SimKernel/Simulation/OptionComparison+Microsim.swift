extension OptionComparison {
    /// Each option's projection over `years` by ``ProjectionMethod/microsim``, and the ageing of each year.
    ///
    /// Money variables follow the scenarios' `ageing:` blocks (which must agree), then the profile's.
    /// Years are aged one after the other, each from the survey as it is (never from the
    /// previous year's aged survey), so a year's figures do not depend on the range asked for.
    ///
    /// - Throws: ``InputError``: a year outside the profile, a survey without age or sex, options whose
    ///   `ageing:` blocks disagree, or a calibration that fails (``CalibrationError`` in the message, kind
    ///   ``InputError/Kind/inconsistent``, naming the profile).
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
        // Every option runs on the same aged survey, so their ageing: keys must agree.
        var uprating: [String: UpratingIndex] = [:]
        for scenario in scenarios {
            for (name, index) in scenario.uprating.sorted(by: { $0.key < $1.key }) {
                if let other = uprating[name], other != index {
                    throw InputError(file: scenario.file, field: "ageing.uprate.\(name)", kind: .inconsistent,
                                     "uprates \(name) by \(index) but an earlier option by \(other); every option of a microsim projection runs on the same aged survey, so give them the same ageing: block")
                }
                uprating[name] = index
            }
        }
        var byOption = [[CostProjection.Year]](repeating: [], count: scenarios.count)
        var ageing: [SurveyAgeing.Summary] = []
        for year in years {
            let aged: SurveyAgeing.AgedSurvey
            do {
                aged = try SurveyAgeing.age(population, to: year, profile: profile, moneyVariables: money, uprating: uprating)
            } catch let error as CalibrationError {
                throw InputError(file: profile.file, field: "population", kind: .inconsistent,
                                 "cannot age the survey \(population.source) to \(year): \(error)")
            }
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
