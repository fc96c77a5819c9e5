import SimKernel

/// `simrun assess`'s computation: each option run on the survey with coverage recorded, and the
/// coverage-gap assessment of the social protection floor groups (``CoverageAssessment``), with
/// the provenance of the result.
package struct CoverageAnalysis {
    package let scenarios: [ScenarioDefinition]
    package let dataFile: String
    package let olderAge: Int
    package let assessment: CoverageAssessment
    package let provenance: Provenance

    /// Loads what the options read, runs each (seed `seed`; results checked finite) and assesses coverage.
    /// - Throws: ``InputError`` for the data and the scenarios (a scenario that does not track coverage among them).
    package init(scenarios: [ScenarioDefinition], dataFile: String, columnMap: ColumnMap, olderAge: Int, seed: UInt64,
                 plan: ParallelPlan) throws {
        for scenario in scenarios { try scenario.requireCoverageTracking() }
        let loader = SurveyLoader(columnMap: columnMap, plan: plan)
        let available = try loader.availableVariables(in: dataFile)
        let population = try loader.load(
            file: dataFile, variables: OptionComparison.variables(of: scenarios, costing: false, available: available))
        var simulator = Simulator(plan: plan)
        simulator.recordCoverage = true
        let runs = try scenarios.map {
            let run = ScenarioRun(scenario: $0, population: population, simulator: simulator, context: RunContext(seed: seed))
            try run.requireFiniteResults(population: population)
            return run
        }
        self.scenarios = scenarios
        self.dataFile = dataFile
        self.olderAge = olderAge
        assessment = CoverageAssessment(runs: runs, population: population, olderAge: olderAge)
        provenance = try Provenance(dataFile: dataFile, columnMapFile: columnMap.source, population: population,
                                    scenarios: scenarios, profile: nil, seed: seed, replications: 1)
    }
}
