import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The personal income tax: a bracket schedule on (base − allowance) for
/// covered labour statuses.
@Suite("IncomeTax")
struct IncomeTaxTests {
    /// SPEC.md's schedule: 0% up to 500, 15% above.
    static let spec: ParameterValue = .schedule([Bracket(threshold: 0, rate: 0), Bracket(threshold: 500, rate: 0.15)])

    @Test("SPEC's schedule: 15% of the part above 500", arguments: [
        // (monthly base, tax by hand)
        (0.0, 0.0), (400.0, 0.0), (500.0, 0.0), (500.01, 0.0015), (1000.0, 75.0), (2400.0, 285.0),
    ])
    func specSchedule(base: Double, expected: Double) throws {
        let tax = try TestHouseholds.module(IncomeTax.self, ["brackets": Self.spec])
        #expect(TestHouseholds.close(tax.tax(onTaxable: base), expected))
    }

    @Test("each bracket's rate applies only up to the next threshold", arguments: [
        // Brackets 0% to 500, 10% to 1000, 20% above. By hand:
        // 750 → 0.10 × 250 = 25; 1000 → 0.10 × 500 = 50; 1500 → 50 + 0.20 × 500 = 150.
        (750.0, 25.0), (1000.0, 50.0), (1500.0, 150.0),
    ])
    func threeBrackets(base: Double, expected: Double) throws {
        let tax = try TestHouseholds.module(IncomeTax.self, [
            "brackets": .schedule([Bracket(threshold: 0, rate: 0), Bracket(threshold: 500, rate: 0.1),
                                   Bracket(threshold: 1000, rate: 0.2)]),
        ])
        #expect(TestHouseholds.close(tax.tax(onTaxable: base), expected))
    }

    @Test("a formal employee earning 1000 pays 75; an informal worker earning 1000 pays nothing")
    func coveredOnly() throws {
        let population = try TestHouseholds.population([
            TestPerson(household: 1, id: 1, age: 45, labourStatus: 1, earnings: 1000),
            TestPerson(household: 1, id: 2, age: 40, labourStatus: 2, earnings: 1000),
            TestPerson(household: 1, id: 3, age: 17, labourStatus: 0, earnings: 0),
        ])
        let tax = try TestHouseholds.module(IncomeTax.self, ["brackets": Self.spec])
        let amounts = TestHouseholds.amounts(tax, on: population)
        #expect(TestHouseholds.close(amounts[0], 75))
        #expect(amounts[1...] == [0, 0])
    }

    @Test("an allowance of 100 is deducted first: 15% of (1000 − 100 − 500) = 60")
    func allowance() throws {
        let population = try TestHouseholds.population([
            TestPerson(household: 1, id: 1, age: 45, labourStatus: 1, earnings: 1000),
            TestPerson(household: 2, id: 2, age: 45, labourStatus: 1, earnings: 550),
        ])
        let tax = try TestHouseholds.module(IncomeTax.self, ["brackets": Self.spec, "allowance": .number(100)])
        let amounts = TestHouseholds.amounts(tax, on: population)
        #expect(TestHouseholds.close(amounts[0], 60))
        #expect(amounts[1] == 0)  // 550 − 100 = 450, below 500
    }

    @Test("the SPEC household: contribution 70 and tax 75 leave 1000 + 300 − 145 = 1155")
    func specHousehold() throws {
        let population = try TestHouseholds.population([
            TestPerson(household: 1, id: 1, age: 45, labourStatus: 1, earnings: 1000),
            TestPerson(household: 1, id: 2, age: 40, labourStatus: 2, earnings: 300),
            TestPerson(household: 1, id: 3, age: 0),
            TestPerson(household: 1, id: 4, age: 17),
            TestPerson(household: 1, id: 5, age: 18),
        ])
        let contributions = try TestHouseholds.module(SocialContributions.self, ["rate": .number(0.07)])
        let tax = try TestHouseholds.module(IncomeTax.self, ["brackets": Self.spec])
        #expect(tax.kind == .tax)
        let system = TestHouseholds.system("current_law", [("employee_contribution", contributions), ("personal_income_tax", tax)])
        let outcome = Simulator().run([system], on: population)[0]
        #expect(TestHouseholds.close(outcome.components[0].amount[0], 70))
        #expect(TestHouseholds.close(outcome.components[1].amount[0], 75))
        #expect(TestHouseholds.close(outcome.disposableIncome[0], 1155))
    }

    @Test("the baseline system file reads SPEC's schedule, base and covered statuses")
    func currentLawFile() throws {
        let system = try SystemDefinition.read(file: TestHouseholds.path("inputs/systems/current_law.yaml"),
                                               catalog: ScenarioCatalog.standard, year: 2025)
        let tax = try #require(system.components.first { $0.name == "personal_income_tax" }?.module as? IncomeTax)
        #expect(tax.brackets == [Bracket(threshold: 0, rate: 0), Bracket(threshold: 500, rate: 0.15)])
        #expect(tax.base == "earnings")
        #expect(tax.allowance == 0)
        #expect(tax.covered == [1])
        let contributions = try #require(system.components.first { $0.name == "employee_contribution" }?.module as? SocialContributions)
        #expect(contributions.rate == 0.07)
        #expect(system.marketIncome == ["earnings", "other_income"])
    }

    @Test("bracket thresholds that do not rise are rejected naming the line")
    func fallingThresholds() throws {
        let yaml = """
            brackets:
              - {threshold: 0, rate: 0}
              - {threshold: 800, rate: 0.1}
              - {threshold: 500, rate: 0.2}
            """
        let node = try YAMLNode.parse(yaml, file: "schedule.yaml")
        let error = #expect(throws: InputError.self) {
            _ = try ResolvedParameters(module: IncomeTax.name, specs: IncomeTax.parameters, node: node, owner: node, year: nil)
        }
        #expect(error?.file == "schedule.yaml")
        #expect(error?.line == 4)
        #expect(error?.message.contains("rise") == true)
    }

    @Test("a bracket rate above 1 is rejected naming the line")
    func rateAboveOne() throws {
        let yaml = """
            brackets:
              - {threshold: 0, rate: 0}
              - {threshold: 500, rate: 15}
            """
        let node = try YAMLNode.parse(yaml, file: "schedule.yaml")
        let error = #expect(throws: InputError.self) {
            _ = try ResolvedParameters(module: IncomeTax.name, specs: IncomeTax.parameters, node: node, owner: node, year: nil)
        }
        #expect(error?.line == 3)
        #expect(error?.message.contains("0 to 1") == true)
    }
}
