import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The universal child grant: a flat monthly amount for every person whose
/// age is in min_age...max_age, whatever the household's income.
@Suite("UniversalChildGrant")
struct UniversalChildGrantTests {
    /// One household: a formal employee (1000), an informal worker (300) and
    /// three young people aged 0, 17 and 18.
    static let family = [
        TestPerson(household: 1, id: 1, age: 45, labourStatus: 1, earnings: 1000),
        TestPerson(household: 1, id: 2, age: 40, labourStatus: 2, earnings: 300),
        TestPerson(household: 1, id: 3, age: 0),
        TestPerson(household: 1, id: 4, age: 17),
        TestPerson(household: 1, id: 5, age: 18),
    ]

    @Test("a newborn and a 17-year-old get the grant; an 18-year-old and the adults do not")
    func agesZeroToSeventeen() throws {
        let population = try TestHouseholds.population(Self.family)
        let grant = try TestHouseholds.module(UniversalChildGrant.self, ["amount_per_child": .number(30)])
        #expect(grant.minAge == 0 && grant.maxAge == 17)  // the defaults
        // By hand: ages 45, 40 → 0; age 0 → 30; age 17 → 30; age 18 → 0.
        #expect(TestHouseholds.amounts(grant, on: population) == [0, 0, 30, 30, 0])
    }

    @Test("the grant does not depend on income: a rich and a poor household's children get the same")
    func noMeansTest() throws {
        let population = try TestHouseholds.population([
            TestPerson(household: 1, id: 1, age: 30, labourStatus: 1, earnings: 50_000, otherIncome: 9_000),
            TestPerson(household: 1, id: 2, age: 3),
            TestPerson(household: 2, id: 3, age: 30),
            TestPerson(household: 2, id: 4, age: 3),
        ])
        let grant = try TestHouseholds.module(UniversalChildGrant.self, ["amount_per_child": .number(30)])
        #expect(TestHouseholds.amounts(grant, on: population) == [0, 30, 0, 30])
    }

    @Test("min_age and max_age bound the eligible ages, both included", arguments: [
        (5, 0.0), (6, 25.0), (10, 25.0), (14, 25.0), (15, 0.0),
    ])
    func ageBounds(age: Int, expected: Double) throws {
        let population = try TestHouseholds.population([TestPerson(household: 1, id: 1, age: age)])
        let grant = try TestHouseholds.module(UniversalChildGrant.self, [
            "amount_per_child": .number(25), "min_age": .number(6), "max_age": .number(14),
        ])
        #expect(TestHouseholds.amounts(grant, on: population) == [expected])
    }

    @Test("a zero amount pays nothing and counts no recipients")
    func zeroAmount() throws {
        let population = try TestHouseholds.population(Self.family)
        let grant = try TestHouseholds.module(UniversalChildGrant.self, ["amount_per_child": .number(0)])
        let outcome = Simulator().run([TestHouseholds.system("zero", [("grant", grant)])], on: population)[0]
        #expect(outcome.components[0].amount[0] == 0)
        #expect(outcome.components[0].recipients[0] == 0)
        #expect(outcome.benefitRecipients[0] == 0)
    }

    @Test("min_age above max_age is an error naming both")
    func minAboveMax() throws {
        let error = #expect(throws: InputError.self) {
            _ = try TestHouseholds.module(UniversalChildGrant.self, [
                "amount_per_child": .number(30), "min_age": .number(10), "max_age": .number(5),
            ])
        }
        #expect(error?.message.contains("min_age") == true)
        #expect(error?.message.contains("max_age") == true)
    }

    @Test("the example scenario file configures 30 a month for ages 0 to 17")
    func exampleScenario() throws {
        let scenario = try ScenarioDefinition(file: TestHouseholds.path("inputs/scenarios/universal-child-grant.yaml"),
                                              catalog: ScenarioCatalog.standard)
        #expect(scenario.changedComponents == ["universal_child_grant"])
        #expect(scenario.year == 2025)
        #expect(scenario.povertyLine == 150)
        let component = try #require(scenario.reform.components.first { $0.name == "universal_child_grant" })
        let grant = try #require(component.module as? UniversalChildGrant)
        #expect(grant.amountPerChild == 30)
        #expect(grant.minAge == 0)
        #expect(grant.maxAge == 17)
        #expect(grant.kind == .benefit)
        // The baseline is untouched: no grant in it.
        #expect(!scenario.baseline.components.contains { $0.moduleName == "universal_child_grant" })
    }

    @Test("the grant's variables are age only")
    func variables() throws {
        let grant = try TestHouseholds.module(UniversalChildGrant.self, ["amount_per_child": .number(30)])
        #expect(grant.variables.map(\.variable.name) == ["age"])
    }
}
