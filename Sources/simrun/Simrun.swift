import SimReport
import SimAnalysis
import ArgumentParser
import SimKernel

/// The `simrun` command: tax-benefit microsimulation for costing social protection reforms.
@main
struct Simrun: ParsableCommand {
    static let version = SimrunVersion.current

    static let configuration = CommandConfiguration(
        commandName: "simrun",
        abstract: "Tax-benefit microsimulation: cost a social protection reform and measure its effect on poverty and inequality.",
        discussion: """
            simrun runs a baseline tax-benefit system and a reform over every household of a survey \
            (person-level CSV with household weights) and reports the reform's annual cost, its \
            beneficiaries, and poverty (FGT) and inequality (Gini) before and after.

            Results go to standard output; progress, warnings and errors to standard error.
            """ + ExitStatus.paragraph,
        version: version,
        subcommands: [ScenarioCommand.self, SolveCommand.self, SweepCommand.self, AssessCommand.self, ReportCommand.self, ServeCommand.self, DataCommand.self, StatsCommand.self, TestCommand.self, HouseholdCommand.self]
    )
}
