import Foundation
import Testing
import Scenarios

/// `simrun scenario list` and `simrun scenario describe`: what scenario files can use.
@Suite("simrun scenario list and describe")
struct ScenarioListTests {
    @Test("scenario list names every module with a one-line summary")
    func list() {
        let result = runSimrun(["scenario", "list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == ScenarioCatalog.standard.modules.count)
        for module in ["universal_child_grant", "social_contributions", "income_tax"] {
            #expect(lines.contains { $0.hasPrefix(module + " ") }, "\(module) missing: \(result.stdout)")
        }
    }

    @Test("scenario describe lists each parameter with its unit, range and default")
    func describe() {
        let result = runSimrun(["scenario", "describe", "universal_child_grant"])
        #expect(result.status == 0)
        let out = result.stdout
        for key in ["amount_per_child", "min_age", "max_age"] { #expect(out.contains("  \(key)\n")) }
        #expect(out.contains("unit: currency_per_month; range: 0 to 1e9; default: none (required)"))
        #expect(out.contains("unit: years; range: 0 to 130; default: 17"))
    }

    @Test("describing an unknown module exits 64 and suggests the closest name")
    func describeUnknown() {
        let result = runSimrun(["scenario", "describe", "income_taxes"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("did you mean 'income_tax'?"))
    }

    @Test("a scenario without example data and no --data exits 64 asking for --data")
    func noData() {
        let result = runSimrun(["scenario", "run", "Tests/Fixtures/cli/grant-without-data.yaml"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--data"))
    }

    @Test("the same scenario runs with --data")
    func withData() {
        let result = runSimrun(["scenario", "run", "Tests/Fixtures/cli/grant-without-data.yaml", "--data", smallData, "--format", "csv"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("\ncost_annual,currency/year,0,177030,177030\n"))
    }
}
