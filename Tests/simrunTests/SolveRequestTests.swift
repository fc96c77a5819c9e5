import Foundation
import SimAnalysis
import SimKernel
import SimReport
import Testing

@testable import simrun

/// `simrun solve` as a library call (issue 14, part 1): ``SolveRequest`` computes, the command only
/// parses and prints, so the library's result and messages are exactly what the command prints.
@Suite("simrun solve is SolveRequest printed", .serialized)
struct SolveRequestTests {
    static let grant = packageRoot.appendingPathComponent("inputs/scenarios/universal-child-grant.yaml").path

    @Test("the library's result rendered by SolveOutput is simrun solve --format json, byte for byte; the written scenarios are the same")
    func jsonIsTheCommand() throws {
        GSL.prepare()
        let scratch = try makeScratchDirectory("solve-request")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let request = SolveRequest(scenarioFile: Self.grant, parameter: "amount_per_child",
                                   target: try SolveTarget("net_cost_share_gdp=1%"), country: "example")
        var phases: [String] = []
        let result = try request.solve { phases.append($0) }
        #expect(phases == ["load", "solve"])
        let written = scratch.appendingPathComponent("library.yaml").path
        let note = try result.writeScenario(to: written)
        #expect(note.hasSuffix("written to \(written)"))

        let printed = scratch.appendingPathComponent("command.yaml").path
        let run = runSimrun(["solve", Self.grant, "--parameter", "amount_per_child", "--target", "net_cost_share_gdp=1%",
                             "--country", "example", "--format", "json", "--write", printed])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(SolveOutput(result).json() == run.stdout)
        #expect(run.stderr.contains(note.replacingOccurrences(of: written, with: printed)), "\(run.stderr)")
        let library = try String(contentsOfFile: written, encoding: .utf8), command = try String(contentsOfFile: printed, encoding: .utf8)
        #expect(library == command)

        let text = runSimrun(["solve", Self.grant, "--parameter", "amount_per_child", "--target", "net_cost_share_gdp=1%",
                              "--country", "example"])
        #expect(text.status == 0 && SolveOutput(result).text() == text.stdout, "\(text.stderr)")
    }

    @Test("a target out of reach is a SolveFailure of kind outOfRange whose message the command prints with exit 65")
    func failureIsTheCommand() throws {
        GSL.prepare()
        let request = SolveRequest(scenarioFile: Self.grant, parameter: "max_age", target: try SolveTarget("net_cost_share_gdp=50%"),
                                   country: "example")
        let failure = try #require(throws: SolveFailure.self) { try request.solve() }
        #expect(failure.kind == .outOfRange && failure.inputError.exitStatus == 65)
        #expect(failure.message.hasPrefix("the target is out of reach: net_cost_share_gdp ranges from"))
        let run = runSimrun(["solve", Self.grant, "--parameter", "max_age", "--target", "net_cost_share_gdp=50%", "--country", "example"])
        #expect(run.status == 65)
        #expect(run.stderr.contains(failure.message), "\(run.stderr)")
    }

    @Test("an unknown figure is the library's UsageError, printed by the command with exit 64; an unknown parameter an unknownKey InputError (65)")
    func usageErrors() throws {
        GSL.prepare()
        let figure = SolveRequest(scenarioFile: Self.grant, parameter: "amount_per_child", target: try SolveTarget("lifted_outt=1000"))
        let usage = try #require(throws: UsageError.self) { try figure.solve() }
        let run = runSimrun(["solve", Self.grant, "--parameter", "amount_per_child", "--target", "lifted_outt=1000"])
        #expect(run.status == 64 && run.stderr.contains(usage.description), "\(run.stderr)")

        let parameter = SolveRequest(scenarioFile: Self.grant, parameter: "amount_per_kid", target: try SolveTarget("lifted_out=1000"))
        let input = try #require(throws: InputError.self) { try parameter.solve() }
        #expect(input.kind == .unknownKey)
        let unknown = runSimrun(["solve", Self.grant, "--parameter", "amount_per_kid", "--target", "lifted_out=1000"])
        #expect(unknown.status == 65 && unknown.stderr.contains(input.message), "\(unknown.stderr)")

        #expect(throws: UsageError.self) { try SolveRequest.check(minimumCell: 0) }
        let minCell = runSimrun(["solve", Self.grant, "--parameter", "amount_per_child", "--target", "lifted_out=1000", "--min-cell", "0"])
        #expect(minCell.status == 64 && minCell.stderr.contains("--min-cell must be at least 1"), "\(minCell.stderr)")
    }
}
