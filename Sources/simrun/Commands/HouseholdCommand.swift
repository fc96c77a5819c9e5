import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import SimKernel

/// `simrun household FILE --scenario S`: how a hand-written household's
/// income is computed, component by component (docs/explain.md).
struct HouseholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "household",
        abstract: "Explain a hand-written household: every component's inputs, parameters, steps and amounts.",
        discussion: """
            The household file lists the members and their data variables, as a legislation case does \
            (docs/cases.md): a list of mappings such as '- {age: 40, labour_status: 1, earnings: 1000}', \
            or a mapping with that list under 'household:' and an optional 'name:'. A variable a member \
            does not give has the data's "none": 0 (no earnings, code 0), or -1 for months_since_birth \
            (no recent birth). The household goes through the same loader, checks and rules as a survey \
            (household id 1, weight 1).

            Prints, for the baseline and the reform of --scenario (or for the one system of --system), \
            every component in order: each member's income before it, the variables it reads, its \
            parameter values with the file and line they come from (or 'default'), the steps of a rule \
            that explains itself (declared rules), each member's amount, the household's amount and the \
            income after it; then disposable income, per-capita income and, for a scenario, whether the \
            household is poor at the scenario's poverty line. Format: docs/explain.md.

            Example:
              simrun household family.yaml --scenario inputs/scenarios/universal-child-grant.yaml
              simrun household family.yaml --system inputs/systems/current_law.yaml --format json
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The household file (YAML): its members and their variables.", valueName: "household.yaml"))
    var householdFile: String

    @Option(name: .long, help: ArgumentHelp("The scenario (YAML): baseline and reform are both explained.", valueName: "scenario.yaml"))
    var scenario: String?

    @Option(name: .long, help: ArgumentHelp("A system file (YAML) instead of a scenario: that system alone is explained.", valueName: "system.yaml"))
    var system: String?

    @OptionGroup var options: ExplainOptions

    func validate() throws {
        switch (scenario, system) {
        case (nil, nil): throw ValidationError("name the rules: --scenario FILE or --system FILE")
        case (.some, .some): throw ValidationError("give --scenario or --system, not both")
        default: break
        }
        try options.validate()
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            let rules: HouseholdFileRequest.RulesFile = scenario.map { .scenario($0) } ?? .system(system!)
            let request = HouseholdFileRequest(householdFile: householdFile, rules: rules, year: options.year, seed: options.seed)
            try StandardOutput.write(try request.run().render(options.format))
        }
    }
}

/// The options `simrun household` and `simrun scenario explain` share.
struct ExplainOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Simulation year: parameters in force on 1 January of it. Default: the scenario's 'year:' key, else each parameter's latest value.",
        valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Seed of every random draw (take-up, durations, assessment error), as in 'scenario run'. Default: 1.",
        valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output format: table (for people: members as columns) or json (for programs, see docs/explain.md). Default: table.")
    var format: ExplainFormat = .table

    func validate() throws {
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
    }
}

extension ExplainFormat: ExpressibleByArgument {}

/// The explanation (SimAnalysis), under the name the command line's tests know.
typealias HouseholdExplanation = SimAnalysis.HouseholdExplanation
