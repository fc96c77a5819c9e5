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
            let validation = try ScenarioValidation(scenarioFile: scenarioFile, year: year, dataFile: data, columnMapFile: columns)
            try StandardOutput.write(validation.report)
        }
    }
}
