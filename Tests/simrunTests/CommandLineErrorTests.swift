import Foundation
import Testing

/// A bad command line exits with status 64 (EX_USAGE), says what is wrong on
/// standard error, and prints nothing on standard output.
@Suite("simrun: bad command lines exit 64")
struct CommandLineErrorTests {
    struct BadCommandLine: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        /// Text standard error must contain.
        let complaint: String
        var testDescription: String { "simrun scenario run … \(arguments.joined(separator: " "))" }
    }

    @Test("a bad command line exits 64 and says why", arguments: [
        BadCommandLine(arguments: [exampleScenario, "--frobnicate"], complaint: "Unknown option '--frobnicate'"),
        BadCommandLine(arguments: [exampleScenario, "--threads", "0"], complaint: "--threads must be at least 1"),
        BadCommandLine(arguments: [exampleScenario, "--threads", "two"], complaint: "'two' is invalid for '--threads"),
        BadCommandLine(arguments: [exampleScenario, "--format", "xml"], complaint: "'xml' is invalid for '--format"),
        BadCommandLine(arguments: [exampleScenario, "--chunk-size", "0"], complaint: "--chunk-size must be at least 1"),
        BadCommandLine(arguments: [exampleScenario, "--year", "1800"], complaint: "--year must be between 1900 and 2200"),
        BadCommandLine(arguments: [], complaint: "Missing expected argument '<scenario.yaml>'"),
    ])
    func badCommandLine(_ bad: BadCommandLine) {
        let result = runSimrun(["scenario", "run"] + bad.arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(bad.complaint), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("Usage: simrun scenario run"))
    }

    @Test("an unknown subcommand exits 64")
    func unknownSubcommand() {
        let result = runSimrun(["scenario", "rn", exampleScenario])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test("--format xml lists the valid formats")
    func formatChoices() {
        let result = runSimrun(["scenario", "run", exampleScenario, "--format", "xml"])
        for format in ["table", "json", "csv"] { #expect(result.stderr.contains(format)) }
    }

    @Test("a scenario file that does not exist is 'no input' (66) naming it")
    func missingScenarioFile() {
        let result = runSimrun(["scenario", "run", "inputs/scenarios/no-such-scenario.yaml"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("inputs/scenarios/no-such-scenario.yaml"))
    }

    @Test("a data file that does not exist is no input (66) naming it")
    func missingDataFile() {
        let result = runSimrun(["scenario", "run", exampleScenario, "--data", "inputs/data/no-such-survey.csv"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("inputs/data/no-such-survey.csv: cannot open the file"))
    }
}
