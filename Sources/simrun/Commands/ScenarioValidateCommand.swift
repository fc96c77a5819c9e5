import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimKernel

/// `simrun scenario validate FILE`: check a scenario without computing anything.
struct ScenarioValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file, its baseline system and (with --data) that the data has every column it needs.",
        discussion: """
            Reads the scenario and its baseline system and checks every key, type, unit, range and date, \
            checks that the example data the scenario names ('data:') exists, \
            then, when --data is given, loads the data with all its checks. Prints a summary and exits 0 \
            if all is well; otherwise names the file, line and key and exits 65 (66 for a file that does not exist).
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The scenario file (YAML).", valueName: "scenario.yaml"))
    var scenarioFile: String

    @Option(name: .long, help: ArgumentHelp("Also check this survey file against the scenario's needs. Default: no data check.", valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Column map for --data (see `scenario run --help`). Default: none.", valueName: "map.yaml"))
    var columns: String?

    @Option(name: .long, help: ArgumentHelp("Check the parameters in force in this year. Default: the scenario's year.", valueName: "yyyy"))
    var year: Int?

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard, year: year)
            var out = "valid: \(scenarioFile) — \(scenario.title)\n"
            out += "  baseline \(scenario.baseline.name) (\(scenario.baseline.source ?? "")): "
            out += scenario.baseline.components.map { "\($0.name) [\($0.moduleName)]" }.joined(separator: ", ") + "\n"
            out += "  reform changes: " + scenario.changedComponents.joined(separator: ", ") + "\n"
            out += "  year: \(scenario.year.map(String.init) ?? "latest values"); poverty line \(scenario.povertyLine) per person per month\n"
            if !scenario.welfare.isDefault {
                out += "  welfare: \(scenario.welfare.outputDescription); poverty line \(scenario.welfare.linesText(povertyLine: scenario.povertyLine))\n"
            }
            let needed = ScenarioRun.variables(of: scenario).map(\.variable.name)
            var seen: [String] = []
            for n in needed where !seen.contains(n) { seen.append(n) }
            out += "  data variables needed: hh_id, person_id, weight, " + seen.joined(separator: ", ") + "\n"
            if data == nil, let example = try scenario.dataFile(given: nil) {
                out += "  example data: \(example)\n"
            }
            if let data {
                let map = try columns.map(ColumnMap.init(file:)) ?? ColumnMap()
                let population = try SurveyLoader(columnMap: map).load(file: data, variables: ScenarioRun.variables(of: scenario))
                out += "  data \(data): valid, \(population.householdCount) households, \(population.personCount) persons\n"
            }
            try StandardOutput.write(out)
        }
    }
}
