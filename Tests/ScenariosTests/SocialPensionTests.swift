import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The social pension: universal from an age, pension-tested or means-tested.
@Suite("SocialPension")
struct SocialPensionTests {
    typealias P = SocialPension

    /// Household 1: a 64-year-old and a 65-year-old with a contributory pension
    /// of 160; household 2: a 70-year-old with a pension of 300 and one of 100.
    static let rows = [
        SurveyRow(household: 1, id: 1, age: 64),
        SurveyRow(household: 1, id: 2, age: 65, otherIncome: 160, pensionIncome: 160),
        SurveyRow(household: 2, id: 3, age: 70, otherIncome: 300, pensionIncome: 300),
        SurveyRow(household: 2, id: 4, age: 80, otherIncome: 100, pensionIncome: 100),
    ]

    @Test("universal: everyone from min_age gets the amount, a year younger does not")
    func universal() throws {
        let pension = try Survey.module(P.self, ["amount": .number(75)])
        #expect(pension.minAge == 65)  // the default
        #expect(!pension.variables.map(\.variable.name).contains("pension_income"))
        let population = try Survey.population(Self.rows, reading: [pension])
        let result = Survey.apply(pension, on: population)
        // By hand: 64 → 0; 65, 70, 80 → 75.
        #expect(result.amounts == [0, 75, 75, 75])
        #expect(result.counters == [[1], [2]])  // eligible_persons
    }

    @Test("withhold: nothing for a contributory pension above the threshold; at the threshold, the full grant")
    func withhold() throws {
        let pension = try Survey.module(P.self, [
            "amount": .number(75), "pension_test": .text("withhold"), "pension_threshold": .number(100),
        ])
        #expect(pension.variables.map(\.variable.name).contains("pension_income"))
        let population = try Survey.population(Self.rows, reading: [pension])
        // By hand: pension 160 > 100 → 0; 300 > 100 → 0; 100 is not above 100 → 75.
        #expect(Survey.apply(pension, on: population).amounts == [0, 0, 0, 75])
    }

    @Test("reduce: the grant falls by the withdrawal rate times the pension above the threshold, not below 0")
    func reduce() throws {
        let pension = try Survey.module(P.self, [
            "amount": .number(75), "pension_test": .text("reduce"), "pension_threshold": .number(100),
            "pension_withdrawal_rate": .number(0.5),
        ])
        let population = try Survey.population(Self.rows, reading: [pension])
        // By hand: 75 − 0.5 × (160 − 100) = 45; 75 − 0.5 × 200 = −25 → 0; 75 − 0 = 75.
        #expect(Survey.apply(pension, on: population).amounts == [0, 45, 0, 75])
    }

    @Test("means-tested: a cliff on household per-capita income, and a taper shared by two pensioners")
    func meansTested() throws {
        let cliff = try Survey.module(P.self, [
            "amount": .number(75), "means_test": .text("cliff"), "income_threshold": .number(100),
        ])
        let population = try Survey.population(Self.rows, reading: [cliff])
        // By hand: household 1: Y = 160, n = 2, 80 ≤ 100 → 75 for the 65-year-old;
        // household 2: Y = 400, n = 2, 200 > 100 → nothing.
        #expect(Survey.apply(cliff, on: population).amounts == [0, 75, 0, 0])
        let taper = try Survey.module(P.self, [
            "amount": .number(75), "means_test": .text("taper"), "income_threshold": .number(150),
            "withdrawal_rate": .number(0.5),
        ])
        // By hand: household 1: Y = 160 ≤ 2 × 150 → 75. Household 2: E = 150, Y − n T = 400 − 300 = 100,
        // withdrawn 50 → 100 paid, 50 each.
        #expect(Survey.apply(taper, on: population).amounts == [0, 75, 50, 50])
    }

    @Test("reduce with a zero withdrawal rate is an error naming pension_withdrawal_rate")
    func reduceWithoutRate() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Survey.module(P.self, [
                "amount": .number(75), "pension_test": .text("reduce"), "pension_withdrawal_rate": .number(0),
            ])
        }
        #expect(error?.message.contains("pension_withdrawal_rate") == true)
    }

    @Test("a pension test on data without pension_income fails naming the column and the module")
    func missingColumn() throws {
        let scenario = try ScenarioDefinition(file: Survey.fixture("social-pension-tested.yaml"), catalog: ScenarioCatalog.standard)
        let error = #expect(throws: InputError.self) {
            _ = try SurveyLoader().load(file: TestHouseholds.path("Tests/Fixtures/cli/households.csv"),
                                        variables: ScenarioRun.variables(of: scenario))
        }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("pension_income"))
        #expect(message.contains("social_pension"))
        #expect(message.contains("--columns"))
    }

    @Test("take-up is drawn per person: the share of eligible older persons paid is close to the rate")
    func takeUp() throws {
        let pension = try Survey.module(P.self, ["amount": .number(75), "min_age": .number(60), "take_up_rate": .number(0.8)])
        let rows = Survey.synthetic(households: 8000)
        let population = try Survey.population(rows, reading: [pension])
        let result = Survey.apply(pension, on: population, seed: 1)
        let eligible = rows.indices.filter { rows[$0].age >= 60 }
        let paid = eligible.filter { result.amounts[$0] > 0 }.count
        #expect(paid > 0 && eligible.allSatisfy { result.amounts[$0] == 0 || result.amounts[$0] == 75 })
        // Binomial sd sqrt(0.16 / n); allow 4 sd.
        #expect(abs(Double(paid) / Double(eligible.count) - 0.8) < 4 * (0.16 / Double(eligible.count)).squareRoot())
    }

    @Test("take-up draws do not depend on threads, chunk size or the order of households")
    func determinism() throws {
        let pension = try Survey.module(P.self, ["amount": .number(75), "min_age": .number(60), "take_up_rate": .number(0.5)])
        let rows = Survey.synthetic(households: 900)
        let serial = try Survey.perHousehold(pension, rows: rows, threads: 1, chunkSize: 4096)
        #expect(try Survey.perHousehold(pension, rows: rows, threads: 2, chunkSize: 5) == serial)
        #expect(try Survey.perHousehold(pension, rows: Survey.reversedHouseholds(rows), threads: 2, chunkSize: 100) == serial)
    }
}

extension Survey {
    /// A file of `Tests/Fixtures/scenarios`.
    static func fixture(_ name: String) -> String { TestHouseholds.path("Tests/Fixtures/scenarios/\(name)") }
}
