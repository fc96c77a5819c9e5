import SimKernel

/// `simrun assess`'s computation: each option run on the survey with coverage recorded, and the
/// coverage-gap assessment of the social protection floor groups (`CoverageAssessment`), with
/// the provenance of the result.
package struct CoverageAnalysis {
    package let scenarios: [ScenarioDefinition]
    package let dataFile: String
    package let olderAge: Int
    package let assessment: CoverageAssessment
    package let provenance: Provenance

    /// Loads what the options read, runs each (seed `seed`; results checked finite) and assesses coverage.
    /// - Throws: `InputError` for the data and the scenarios (a scenario that does not track coverage among them).
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

/// `simrun assess`'s result as one versioned record: per social protection floor group, its
/// persons, unweighted observations, and coverage and poverty under each option's baseline and
/// under the option; the groups not assessed and why; the options' files, years, baselines and
/// welfare; the disclosure rule the outputs apply; the provenance. The command's table, JSON and
/// CSV (SimReport's `AssessmentRenderer`) are views of it.
///
/// Its `schema_version` (``recordVersion``) is raised when a key is renamed or removed or a value
/// changes meaning; written and read with ``ComparisonTable/recordEncoder()`` and
/// ``ComparisonTable/recordDecoder()``. A record read back is checked: its version, at least one
/// option, one provenance entry and one figure per option in every group, observations ≥ 0.
package struct AssessmentRecord: Codable, Sendable, Equatable {
    /// The version of the record's shape.
    package static let recordVersion = 1

    /// One option as the assessment names it.
    package struct Option: Codable, Sendable, Equatable {
        package let scenarioFile: String
        package let year: Int?
        package let baselineName: String
        package let welfare: WelfareConcept
        package let povertyLine: Double
    }

    /// One floor group: figures per option.
    package typealias Group = CoverageAssessment.Group

    /// A group not assessed, and why.
    package struct Skipped: Codable, Sendable, Equatable {
        package let name: String
        package let reason: String
    }

    package let provenance: Provenance
    /// The age from which a person counts as older (`--older-age`).
    package let olderAge: Int
    package let options: [Option]
    package let groups: [Group]
    package let skipped: [Skipped]
    /// The disclosure rule of every output.
    package let rule: DisclosureRule

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", provenance, olderAge = "older_age", options, groups, skipped = "not_assessed", rule
    }

    /// The record of `analysis` shown under `rule`.
    package init(_ analysis: CoverageAnalysis, rule: DisclosureRule) {
        provenance = analysis.provenance
        olderAge = analysis.olderAge
        options = analysis.scenarios.map {
            Option(scenarioFile: $0.file, year: $0.year, baselineName: $0.baseline.name, welfare: $0.welfare, povertyLine: $0.povertyLine)
        }
        groups = analysis.assessment.groups
        skipped = analysis.assessment.skipped.map { Skipped(name: $0.name, reason: $0.reason) }
        self.rule = rule
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(Int.self, forKey: .schemaVersion)
        guard version == Self.recordVersion else {
            throw DecodingError.dataCorruptedError(forKey: .schemaVersion, in: c,
                                                   debugDescription: "an assessment record of schema version \(version); this simrun reads version \(Self.recordVersion)")
        }
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        olderAge = try c.decode(Int.self, forKey: .olderAge)
        options = try c.decode([Option].self, forKey: .options)
        groups = try c.decode([Group].self, forKey: .groups)
        skipped = try c.decode([Skipped].self, forKey: .skipped)
        rule = try c.decode(DisclosureRule.self, forKey: .rule)
        let n = options.count
        guard n >= 1, provenance.options.count == n else {
            throw DecodingError.dataCorruptedError(forKey: .options, in: c, debugDescription: "at least one option, each in the provenance")
        }
        guard groups.allSatisfy({ $0.observations >= 0 && $0.coverageBaseline.count == n && $0.povertyBaseline.count == n
                                  && $0.coverageReform.count == n && $0.povertyReform.count == n }) else {
            throw DecodingError.dataCorruptedError(forKey: .groups, in: c, debugDescription: "every group has one figure per option (\(n)) and observations >= 0")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.recordVersion, forKey: .schemaVersion)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(olderAge, forKey: .olderAge)
        try c.encode(options, forKey: .options)
        try c.encode(groups, forKey: .groups)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(rule, forKey: .rule)
    }
}
