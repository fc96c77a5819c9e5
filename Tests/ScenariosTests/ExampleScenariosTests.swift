import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// Every example scenario under `inputs/scenarios` reads, finds its columns
/// in the example data and runs; every module has one; the package reports
/// each component; the catalogue's parameters are fully documented.
@Suite("Example scenarios")
struct ExampleScenariosTests {
    static let folder = TestHouseholds.path("inputs/scenarios")
    static var files: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []
    }

    /// Reads `name`, loads the example data for it and runs it with `threads` threads.
    static func run(_ name: String, threads: Int = 1, seed: UInt64 = 1) throws -> ScenarioRun {
        let scenario = try ScenarioDefinition(file: "\(folder)/\(name)", catalog: ScenarioCatalog.standard)
        let data = try #require(scenario.defaultData)
        let population = try SurveyLoader().load(file: data, variables: ScenarioRun.variables(of: scenario))
        return ScenarioRun(scenario: scenario, population: population,
                           simulator: Simulator(plan: ParallelPlan(threads: threads)), context: RunContext(seed: seed, year: scenario.year))
    }

    @Test("every example scenario runs on the example data", arguments: files)
    func runs(file: String) throws {
        let run = try Self.run(file)
        #expect(run.baseline.weightedPersons > 0)
        #expect(!run.scenario.changedComponents.isEmpty)
        for name in run.scenario.changedComponents {
            let part = try #require(run.reform.components.first { $0.name == name })
            #expect(part.annualAmount > 0, "\(file): component \(name) pays or raises nothing")
        }
    }

    @Test("every module in the catalogue has an example scenario")
    func everyModuleHasAnExample() throws {
        var used: Set<String> = []
        for file in Self.files {
            let scenario = try ScenarioDefinition(file: "\(Self.folder)/\(file)", catalog: ScenarioCatalog.standard)
            for c in scenario.reform.components where scenario.changedComponents.contains(c.name) { used.insert(c.moduleName) }
        }
        #expect(Set(ScenarioCatalog.standard.modules.map { $0.name }).subtracting(used).isEmpty)
    }

    @Test("every parameter of every module has a unit, a summary and, for numbers, a range")
    func documentedParameters() {
        for m in ScenarioCatalog.standard.modules {
            #expect(!m.summary.isEmpty)
            for p in m.parameters {
                #expect(!p.unit.isEmpty && p.summary.count > 10, "\(m.name).\(p.key)")
                if p.type == .number || p.type == .integer, !["score_intercept", "score_threshold"].contains(p.key) {
                    #expect(p.range != nil, "\(m.name).\(p.key) has no range")
                }
            }
        }
    }

    @Test("the package: child grant and social pension added, income tax replaced, each reported")
    func package() throws {
        let run = try Self.run("package-child-grant-pension-tax.yaml")
        #expect(run.scenario.changedComponents == ["universal_child_grant", "social_pension", "personal_income_tax"])
        let grant = try #require(run.change.components.first { $0.name == "universal_child_grant" })
        let pension = try #require(run.change.components.first { $0.name == "social_pension" })
        let tax = try #require(run.change.components.first { $0.name == "personal_income_tax" })
        // The package's cost is its benefits' cost; its revenue change is the tax's.
        #expect(abs(run.change.costAnnual - (grant.annualAmount + pension.annualAmount)) < 1e-6 * run.change.costAnnual)
        #expect(abs(run.change.revenueAnnual - tax.annualAmount) < 1e-6 * run.change.revenueAnnual)
        #expect(tax.annualAmount > 0.9 * run.change.costAnnual)  // the tax change roughly finances the package
        #expect(run.change.fgt0 < 0)
    }

    @Test("unemployment insurance extension: net cost = change of benefits − change of contributions collected")
    func netCost() throws {
        let run = try Self.run("unemployment-insurance-extension.yaml")
        let ui = try #require(run.change.components.first { $0.name == "unemployment_insurance" })
        let contributions = try #require(ui.counters.first { $0.name == "contributions_annual" }).total
        #expect(ui.annualAmount > 0 && contributions > 0)
        // The employee share deducted from incomes by the companion component is half of the contributions
        // counted (1% of 2%), for the same covered workers.
        let employee = try #require(run.change.components.first { $0.name == "unemployment_insurance_contribution" })
        #expect(abs(employee.annualAmount - contributions / 2) < 1e-6 * contributions)
    }

    @Test("stochastic examples give the same results on 1 and 2 threads", arguments: [
        "means-tested-transfer.yaml", "unemployment-insurance-extension.yaml", "contribution-subsidy.yaml", "maternity-benefit.yaml",
    ])
    func threads(file: String) throws {
        let one = try Self.run(file, threads: 1), two = try Self.run(file, threads: 2)
        #expect(one.reform == two.reform)
        #expect(try Self.run(file, seed: 2).reform != one.reform)
    }

    @Test("the SPEC example keeps its numbers: the grant costs 12 × Σ w × 30 over children")
    func specExample() throws {
        let run = try Self.run("universal-child-grant.yaml")
        let reference = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: TestHouseholds.path("Tests/Fixtures/spec/example-reference.json")))) as? [String: Any]
        let reform = try #require(reference?["reform"] as? [String: Any])
        let cost = try #require(reform["cost_annual"] as? Double)
        #expect(abs(run.reform.costAnnual - cost) <= 1e-9 * cost)
        #expect(run.reform.components.last?.counters.isEmpty == true)
    }
}
