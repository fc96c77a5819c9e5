import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimKernel

/// `simrun test [FILES or folders]`: legislation cases (docs/cases.md).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run legislation cases: hand-worked households with the amounts the rules must give them.",
        discussion: """
            Each YAML file holds a list of cases (format: docs/cases.md): a household (its members' \
            variables), a scenario or system (optionally with some parameters given anew), and the expected monthly amounts of components and of \
            disposable income, with an error margin. Folders are searched for *.yaml files. Prints every \
            failure with the expected and computed values and ends with the line 'N passed, M failed'. \
            Exit status 0 when no case failed, 1 when one did.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("Case files or folders. Default: inputs/cases.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        GSL.prepare()
        var failed = 0
        try ErrorFunnel.run {
            let suite = try LegislationCaseSuite(paths: paths)
            failed = suite.failures.count
            try StandardOutput.write(suite.report)
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
