import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// Employee social insurance contributions: rate × min(base, ceiling) for
/// covered labour statuses.
@Suite("SocialContributions")
struct SocialContributionsTests {
    /// A formal employee (1000), an informal worker (300), a formal employee
    /// with negative earnings (-50, e.g. a loss), an unemployed person and a child.
    static let people = [
        TestPerson(household: 1, id: 1, age: 45, labourStatus: 1, earnings: 1000),
        TestPerson(household: 1, id: 2, age: 40, labourStatus: 2, earnings: 300),
        TestPerson(household: 2, id: 3, age: 33, labourStatus: 1, earnings: -50),
        TestPerson(household: 2, id: 4, age: 50, labourStatus: 3, earnings: 0, otherIncome: 200),
        TestPerson(household: 2, id: 5, age: 4),
    ]

    @Test("SPEC's 7%: a formal employee earning 1000 pays 70, an informal worker nothing")
    func specRate() throws {
        let population = try TestHouseholds.population(Self.people)
        let contributions = try TestHouseholds.module(SocialContributions.self, ["rate": .number(0.07)])
        let amounts = TestHouseholds.amounts(contributions, on: population)
        // By hand: 0.07 × 1000 = 70; informal (status 2) 0; negative earnings pay 0 (no
        // negative contribution); unemployed 0; child 0.
        #expect(TestHouseholds.close(amounts[0], 70))
        #expect(amounts[1...] == [0, 0, 0, 0])
    }

    @Test("covering informal workers too makes the informal worker pay 7% of 300 = 21")
    func coveredStatuses() throws {
        let population = try TestHouseholds.population(Self.people)
        let contributions = try TestHouseholds.module(SocialContributions.self, [
            "rate": .number(0.07), "covered_labour_status": .integerList([1, 2]),
        ])
        let amounts = TestHouseholds.amounts(contributions, on: population)
        #expect(TestHouseholds.close(amounts[0], 70))
        #expect(TestHouseholds.close(amounts[1], 21))
        #expect(amounts[2...] == [0, 0, 0])
    }

    @Test("a ceiling caps the base: 10% of min(1000, 800) = 80; below the ceiling, 10% of 300 = 30")
    func ceiling() throws {
        let population = try TestHouseholds.population(Self.people)
        let contributions = try TestHouseholds.module(SocialContributions.self, [
            "rate": .number(0.1), "ceiling": .number(800), "covered_labour_status": .integerList([1, 2]),
        ])
        let amounts = TestHouseholds.amounts(contributions, on: population)
        #expect(TestHouseholds.close(amounts[0], 80))
        #expect(TestHouseholds.close(amounts[1], 30))
    }

    @Test("a ceiling of 0 means no ceiling")
    func zeroCeiling() throws {
        let population = try TestHouseholds.population(Self.people)
        let contributions = try TestHouseholds.module(SocialContributions.self, ["rate": .number(0.1), "ceiling": .number(0)])
        #expect(TestHouseholds.close(TestHouseholds.amounts(contributions, on: population)[0], 100))
    }

    @Test("the base can be another variable: 5% of other_income for the unemployed")
    func otherBase() throws {
        let population = try TestHouseholds.population(Self.people)
        let contributions = try TestHouseholds.module(SocialContributions.self, [
            "rate": .number(0.05), "base": .text("other_income"), "covered_labour_status": .integerList([3]),
        ])
        #expect(contributions.variables.map(\.variable.name) == ["other_income", "labour_status"])
        let amounts = TestHouseholds.amounts(contributions, on: population)
        // Only person 4 (status 3, other income 200) is covered: 0.05 × 200 = 10.
        #expect(amounts[0...2] == [0, 0, 0])
        #expect(TestHouseholds.close(amounts[3], 10))
    }

    @Test("contributions are subtracted from disposable income and counted as revenue, with payers")
    func inASystem() throws {
        let population = try TestHouseholds.population(Self.people)
        let contributions = try TestHouseholds.module(SocialContributions.self, ["rate": .number(0.07)])
        #expect(contributions.kind == .contribution)
        let outcome = Simulator().run([TestHouseholds.system("c", [("employee_contribution", contributions)])], on: population)[0]
        // Household 1: 1000 + 300 − 70 = 1230. Household 2: −50 + 200 − 0 = 150.
        #expect(TestHouseholds.close(outcome.disposableIncome[0], 1230))
        #expect(TestHouseholds.close(outcome.disposableIncome[1], 150))
        #expect(TestHouseholds.close(outcome.components[0].amount[0], 70))
        #expect(outcome.components[0].recipients.array == [1, 0])
        let indicators = SystemIndicators(outcome: outcome, population: population, povertyLine: 150)
        // Weights are 1: revenue 12 × 70 = 840 a year; no benefit, so no cost.
        #expect(TestHouseholds.close(indicators.revenueAnnual, 840))
        #expect(indicators.costAnnual == 0)
        #expect(indicators.components[0].persons == 1)
    }

    @Test("a rate above 1 in a scenario file is rejected naming the file, line and key")
    func rateAboveOne() throws {
        let file = TestHouseholds.path("Tests/Fixtures/broken/rate-above-one.yaml")
        let error = #expect(throws: InputError.self) {
            _ = try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard)
        }
        #expect(error?.file == file)
        #expect(error?.line == 13)
        #expect(error?.field == "components[0].parameters.rate.values.2025-01-01")
        #expect(error?.message.contains("0 to 1") == true)
    }
}
