import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import SimKernel

/// `simrun scenario explain FILE --household ID`: how one survey household's
/// income is computed under baseline and reform (docs/explain.md).
struct ScenarioExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one household of the survey: every component's inputs, parameters, steps and amounts.",
        discussion: """
            Loads the survey (--data, or the scenario's example data) as 'scenario run' does, finds the \
            household whose identifier (hh_id) is --household, and prints, for the baseline and the \
            reform, every component in order: each member's income before it, the variables it reads, \
            its parameter values with the file and line they come from (or 'default'), the steps of a \
            rule that explains itself (declared rules), each member's amount, the household's amount and \
            the income after it; then disposable income, per-capita income and whether the household is \
            poor at the scenario's poverty line. The amounts are those of 'scenario run' with the same \
            --seed and --year, bit for bit (take-up draws included). Format: docs/explain.md.

            Example:
              simrun scenario explain inputs/scenarios/universal-child-grant.yaml --household 17
              simrun scenario explain my-reform.yaml --household 204 --data survey.csv --format json
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The scenario file (YAML).", valueName: "scenario.yaml"))
    var scenarioFile: String

    @Option(name: .long, help: ArgumentHelp("The household's identifier in the data (its hh_id).", valueName: "id"))
    var household: Int64

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var options: ExplainOptions

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            var request = SurveyHouseholdRequest(scenarioFile: scenarioFile, householdID: household)
            request.dataFile = dataOptions.data
            request.columnMapFile = dataOptions.columns
            request.plan = dataOptions.plan
            request.year = options.year
            request.seed = options.seed
            try StandardOutput.write(try request.run().render(options.format))
        }
    }
}
