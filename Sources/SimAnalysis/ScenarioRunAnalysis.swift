import SimKernel

/// What `simrun scenario run` asks: one scenario on a survey, replicated, optionally aged to
/// the simulated year, with the statistics engine's poverty and inequality profile.
package struct ScenarioRunRequest {
    /// Ageing the survey to a year (`--age-survey`).
    package struct Ageing {
        package let profile: CountryProfile
        package let year: Int
        package let margins: CalibrationMarginsFile?
        package init(profile: CountryProfile, year: Int, margins: CalibrationMarginsFile?) {
            self.profile = profile
            self.year = year
            self.margins = margins
        }
    }

    package var scenario: ScenarioDefinition
    package var dataFile: String
    package var columnMap = ColumnMap()
    /// The statistics choices (`nil`: no poverty and inequality profile).
    package var indicators: IndicatorChoices?
    /// Breakdown columns of the profile, without repeats.
    package var by: [String] = []
    package var ageing: Ageing?
    package var seed: UInt64 = 1
    /// Monte Carlo replications (draw r with seed `RunContext/seed(run:replication:)`).
    package var replications = 1
    package var plan = ParallelPlan()
    package var chunkSize = 4096

    package init(scenario: ScenarioDefinition, dataFile: String) {
        self.scenario = scenario
        self.dataFile = dataFile
    }
}

/// The scenario run: every replication's runs, the statistics of the first, how the survey was aged,
/// the provenance, and the notes and warnings to tell the user. `scenario run`'s table, JSON and CSV
/// are views of it.
package struct ScenarioRunResult {
    package let runs: [ScenarioRun]
    package let statistics: RunStatistics?
    package let ageing: AgeingOutput?
    package let provenance: Provenance
    /// What the user should know about the data (no design, no ages).
    package let notes: [String]
    /// The statistics engine's warnings.
    package var warnings: [AnalysisWarning] { statistics?.warnings ?? [] }
}

extension ScenarioRunRequest {
    /// Loads what the scenario and the statistics read, ages the survey when asked, simulates every
    /// replication (results checked finite), computes the statistics of the first, and records the provenance.
    ///
    /// - Parameters:
    ///   - progress: Where long steps say how far they got (the terminal's progress bar).
    ///   - lap: Called after each step with its name (`--timings`).
    /// - Throws: ``UsageError`` for choices the data cannot take, `InputError` for the data and scenario.
    package func run(progress: any AnalysisProgress = NoProgress(), lap: (String) -> Void = { _ in }) throws -> ScenarioRunResult {
        let loader = SurveyLoader(columnMap: columnMap, plan: plan)
        let scenarioRequests = ScenarioRun.variables(of: scenario)
        var settings: StatsSettings? = nil
        var needs: RunStatistics.Needs? = nil
        if let indicators {
            let s = try indicators.settings(fixedLines: [.absolute(scenario.povertyLine)], householdIncome: true)
            needs = try RunStatistics.needs(settings: s, by: by, scenarioRequests: scenarioRequests,
                                            available: try loader.availableVariables(in: dataFile))
            settings = s
        }
        let ageingRequests = ageing.map { a in
            [VariableRequest(.age, neededBy: "--age-survey"), VariableRequest(.sex, neededBy: "--age-survey")] + (a.margins?.requests ?? [])
        } ?? []
        var population = try loader.load(file: dataFile, variables: scenarioRequests + ageingRequests + (needs?.requests ?? []))
        lap("load")
        var ageingOutput: AgeingOutput? = nil
        if let ageing {
            let output = try AgeingOutput.age(population, to: ageing.year, profile: ageing.profile, requests: scenarioRequests,
                                              uprating: scenario.uprating, margins: ageing.margins)
            population = output.aged.population
            ageingOutput = output
            lap("ageing")
        }
        var simulator = Simulator(plan: plan, chunkSize: chunkSize)
        // The report needs the totals only (the kernel's block sums), unless rows stand for several
        // persons (welfare: household_size), whose recipients are counted from the columns.
        simulator.keepComponentColumns = scenario.welfare.householdSize != nil
        let stage: any ProgressStage = replications < 2 ? NoProgress() : progress.stage("replications", total: replications)
        var runs: [ScenarioRun] = []
        for r in 0..<replications {
            let context = RunContext(seed: RunContext.seed(run: seed, replication: r), replication: r, year: scenario.year)
            let run = ScenarioRun(scenario: scenario, population: population, simulator: simulator, context: context)
            try run.requireFiniteResults(population: population)
            runs.append(run)
            stage.advance()
        }
        stage.finish()
        lap("simulate+statistics")
        var statistics: RunStatistics? = nil
        if let settings, let needs {
            statistics = try RunStatistics(run: runs[0], population: population, settings: settings, needs: needs,
                                           by: by, dataFile: dataFile, columnMap: columnMap, plan: plan, progress: progress)
            lap("poverty and inequality")
        }
        let provenance = try Provenance(dataFile: dataFile, columnMapFile: columnMap.source, population: population,
                                        scenarios: [scenario], profile: nil, seed: seed, replications: replications)
        lap("checksums")
        return ScenarioRunResult(runs: runs, statistics: statistics, ageing: ageingOutput, provenance: provenance,
                                 notes: needs?.notes ?? [])
    }
}

extension ScenarioDefinition {
    /// The data a one-scenario command runs on: `given` (`--data`), else the scenario's example data.
    /// - Throws: ``UsageError`` (exit 64) when neither names a file; `InputError` for a `data:` that cannot be resolved.
    package func requiredDataFile(given: String?) throws -> String {
        guard let file = try dataFile(given: given) else {
            throw UsageError("no data: the scenario names no example data ('data:'); give --data FILE")
        }
        return file
    }
}
