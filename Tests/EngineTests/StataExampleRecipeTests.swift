import Foundation
import Testing
@testable import SimKernel
import Scenarios

/// The two-file Stata example (inputs/data/example-households.dta and
/// example-persons.dta, value labels, missing codes .a .b .n, annual amounts)
/// through its recipe (inputs/data/example-recipe.yaml) is the example CSV:
/// every variable equal, every example scenario's results bit-identical.
@Suite("The Stata example through its recipe equals the example CSV")
struct StataExampleRecipeTests {
    static let recipe = TestSupport.path("inputs/data/example-recipe.yaml")

    @Test("every variable of the CSV, value for value")
    func variables() throws {
        let requests = (Variable.known + Variable.optionalColumns).filter { !["hh_id", "person_id", "weight"].contains($0.name) }
            .map { VariableRequest($0, neededBy: "test") }
        let a = try SurveyLoader().load(file: Self.recipe, variables: requests)
        let b = try SurveyLoader().load(file: TestSupport.exampleData, variables: requests)
        #expect(Array(a.householdStart.values) == Array(b.householdStart.values))
        #expect(Array(a.householdID.values) == Array(b.householdID.values))
        #expect(Array(a.weight.values) == Array(b.weight.values))
        for r in requests {
            let v = r.variable
            switch (v.kind, v.level) {
            case (.real, _): #expect(Array(a.reals(v.name).values) == Array(b.reals(v.name).values), "\(v.name)")
            case (.integer, .household): #expect(Array(a.householdIntegers(v.name).values) == Array(b.householdIntegers(v.name).values), "\(v.name)")
            case (.integer, .person): #expect(Array(a.integers(v.name).values) == Array(b.integers(v.name).values), "\(v.name)")
            default: break
            }
        }
        #expect(a.preparation?.inputs.map(\.rows) == [3000, 13393])
    }

    @Test("every example scenario gives the CSV's results bit for bit")
    func scenarios() throws {
        let folder = TestSupport.path("inputs/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 20)
        for name in files {
            let scenario = try ScenarioDefinition(file: folder + "/" + name, catalog: ScenarioCatalog.standard)
            let (_, viaRecipe) = try TestSupport.run(scenario: scenario, data: Self.recipe)
            let (_, viaCSV) = try TestSupport.run(scenario: scenario, data: TestSupport.exampleData)
            #expect(Array(viaRecipe.outcomes.reform.disposableIncome.values) == Array(viaCSV.outcomes.reform.disposableIncome.values), "\(name)")
            #expect(Array(viaRecipe.outcomes.baseline.disposableIncome.values) == Array(viaCSV.outcomes.baseline.disposableIncome.values), "\(name)")
            #expect(Array(viaRecipe.outcomes.reform.benefitRecipients.values) == Array(viaCSV.outcomes.reform.benefitRecipients.values), "\(name)")
        }
    }
}
