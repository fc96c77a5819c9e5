import Scenarios
import SimKernel

/// `simrun scenario validate`: a scenario read with every check, the data variables it needs, its
/// example data, and, when a survey is given, that survey loaded with those variables.
package struct ScenarioValidation: Sendable {
    package let scenarioFile: String
    package let scenario: ScenarioDefinition
    /// The data variables the scenario reads, each once, in first-use order (besides hh_id, person_id, weight).
    package let variables: [String]
    /// The scenario's example data (`data:`), when no survey was given.
    package let exampleData: String?
    /// The survey checked (`--data`) with its households and persons.
    package let data: (file: String, households: Int, persons: Int)?

    /// Reads `scenarioFile` for `year` and, when `dataFile` is given, loads it through the column map `columnMapFile`.
    /// - Throws: `InputError` for the scenario, the column map and the data.
    package init(scenarioFile: String, year: Int?, dataFile: String?, columnMapFile: String?) throws {
        let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard, year: year)
        let requests = ScenarioRun.variables(of: scenario)
        var seen: [String] = []
        for request in requests where !seen.contains(request.variable.name) { seen.append(request.variable.name) }
        self.scenarioFile = scenarioFile
        self.scenario = scenario
        variables = seen
        exampleData = dataFile == nil ? try scenario.dataFile(given: nil) : nil
        if let dataFile {
            let map = try columnMapFile.map(ColumnMap.init(file:)) ?? ColumnMap()
            let population = try SurveyLoader(columnMap: map).load(file: dataFile, variables: requests)
            data = (dataFile, population.householdCount, population.personCount)
        } else {
            data = nil
        }
    }
}
