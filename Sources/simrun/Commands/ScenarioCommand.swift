import SimAnalysis
import SimReport
import ArgumentParser

/// `simrun scenario`: run and inspect reform scenarios.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run reform scenarios and inspect the modules they are built from.",
        discussion: """
            A scenario file (YAML, see inputs/scenarios/) names a baseline system (inputs/systems/), \
            the reform's modules and their parameters, the year and the poverty line.
            """ + ExitStatus.paragraph,
        subcommands: [ScenarioRunCommand.self, ScenarioCompareCommand.self, ScenarioValidateCommand.self, ScenarioListCommand.self, ScenarioDescribeCommand.self, ScenarioExplainCommand.self]
    )
}
