import Scenarios
import SimKernel

/// What `simrun household` asks: a hand-written household (docs/cases.md's members) run under a
/// scenario's baseline and reform, or under one system, component by component.
///
/// ```swift
/// let explanation = try HouseholdFileRequest(householdFile: "family.yaml", rules: .scenario("reform.yaml")).run()
/// ```
package struct HouseholdFileRequest: Sendable {
    /// Which rules, by file.
    package enum RulesFile: Sendable, Equatable {
        /// A scenario: its baseline and its reform.
        case scenario(String)
        /// A system alone.
        case system(String)
    }

    /// The household file (YAML): its members and their variables.
    package var householdFile: String
    package var rules: RulesFile
    /// The simulated year (`nil`: the scenario's `year:`, else each parameter's latest value).
    package var year: Int?
    /// The seed of every random draw.
    package var seed: UInt64 = 1

    package init(householdFile: String, rules: RulesFile, year: Int? = nil, seed: UInt64 = 1) {
        self.householdFile = householdFile
        self.rules = rules
        self.year = year
        self.seed = seed
    }

    /// Reads the household and the rules, loads the household as a one-household survey (id 1, weight 1)
    /// with the variables the rules read, and traces it.
    ///
    /// - Returns: The household's trace under each system.
    /// - Throws: `InputError` naming the household, scenario or system file and what is wrong.
    package func run() throws -> HouseholdExplanation {
        let (household, name) = try HouseholdMembers.read(file: householdFile)
        let rules: HouseholdExplanation.Rules
        let variables: [VariableRequest]
        switch self.rules {
        case .scenario(let file):
            let s = try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard, year: year)
            rules = .scenario(s)
            variables = ScenarioRun.variables(of: s)
        case .system(let file):
            let s = try SystemDefinition.read(file: file, catalog: ScenarioCatalog.standard, year: year)
            rules = .system(s)
            variables = s.variables
        }
        let population = try household.population(variables: variables, describedAs: "the household of \(householdFile)")
        return try HouseholdExplanation(origin: .file(householdFile, name: name), rules: rules,
                                        year: year, population: population, household: 0, seed: seed)
    }
}

/// What `simrun scenario explain` asks: one household of the survey, found by its identifier
/// (`hh_id`), run under the scenario's baseline and reform as `scenario run` runs it.
package struct SurveyHouseholdRequest: Sendable {
    /// The scenario file (YAML).
    package var scenarioFile: String
    /// The household's identifier in the data (its `hh_id`).
    package var householdID: Int64
    /// The survey (`nil`: the scenario's example data).
    package var dataFile: String?
    /// The column map file (`--columns`), or `nil` for none.
    package var columnMapFile: String?
    package var plan = ParallelPlan()
    /// The simulated year (`nil`: the scenario's `year:`, else each parameter's latest value).
    package var year: Int?
    /// The seed of every random draw (the same draws as `scenario run --seed`).
    package var seed: UInt64 = 1

    package init(scenarioFile: String, householdID: Int64) {
        self.scenarioFile = scenarioFile
        self.householdID = householdID
    }

    /// Reads the scenario, loads the survey with the variables it reads, finds the household and traces it.
    ///
    /// - Returns: The household's trace under the baseline and the reform.
    /// - Throws: ``UsageError`` when there is no data to read; `InputError` for the scenario, the column map
    ///   and the data, and (kind `InputError/Kind/badValue`) when no household has the identifier.
    package func run() throws -> HouseholdExplanation {
        let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard, year: year)
        let dataFile = try scenario.requiredDataFile(given: self.dataFile)
        let columnMap = try columnMapFile.map { try ColumnMap(file: $0) } ?? ColumnMap()
        let loader = SurveyLoader(columnMap: columnMap, plan: plan)
        let population = try loader.load(file: dataFile, variables: ScenarioRun.variables(of: scenario))
        guard let index = population.householdID.values.firstIndex(of: householdID) else {
            let column = columnMap.column(for: "hh_id")
            throw InputError(file: dataFile, field: column, kind: .badValue,
                             "no household has the identifier \(householdID) (column \(column), \(population.householdCount) households); give the hh_id of a household of this file")
        }
        return try HouseholdExplanation(origin: .survey(dataFile), rules: .scenario(scenario), year: year,
                                        population: population, household: index, seed: seed)
    }
}
