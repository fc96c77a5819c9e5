import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The disability benefit: persons with `disabled == 1` in an age range.
@Suite("DisabilityBenefit")
struct DisabilityBenefitTests {
    typealias D = DisabilityBenefit

    /// Household 1: a disabled worker aged 40 (earnings 300), a disabled child
    /// aged 10, a non-disabled adult; household 2: a disabled person aged 70.
    static let rows = [
        SurveyRow(household: 1, id: 1, age: 40, labourStatus: 2, earnings: 300, disabled: 1),
        SurveyRow(household: 1, id: 2, age: 10, disabled: 1),
        SurveyRow(household: 1, id: 3, age: 38),
        SurveyRow(household: 2, id: 4, age: 70, disabled: 1),
    ]

    @Test("every person with a disability gets the amount; others do not")
    func everyone() throws {
        let benefit = try Survey.module(D.self, ["amount": .number(60)])
        let population = try Survey.population(Self.rows, reading: [benefit])
        let result = Survey.apply(benefit, on: population)
        #expect(result.amounts == [60, 60, 0, 60])
        #expect(result.counters == [[2], [1]])  // eligible_persons
    }

    @Test("the age range bounds eligibility, both ends included", arguments: [
        (18.0, 64.0, [60.0, 0, 0, 0]),  // only the 40-year-old
        (10.0, 10.0, [0.0, 60, 0, 0]),  // only the 10-year-old
        (0.0, 70.0, [60.0, 60, 0, 60]),  // all three
    ])
    func ageRange(min: Double, max: Double, expected: [Double]) throws {
        let benefit = try Survey.module(D.self, ["amount": .number(60), "min_age": .number(min), "max_age": .number(max)])
        let population = try Survey.population(Self.rows, reading: [benefit])
        #expect(Survey.apply(benefit, on: population).amounts == expected)
    }

    @Test("a taper on household per-capita income scales the household's benefits together")
    func taper() throws {
        let benefit = try Survey.module(D.self, [
            "amount": .number(60), "means_test": .text("taper"), "income_threshold": .number(80), "withdrawal_rate": .number(0.5),
        ])
        let population = try Survey.population(Self.rows, reading: [benefit])
        // By hand: household 1: E = 120, Y = 300, n T = 240, withdrawn 0.5 × 60 = 30 → 90, 45 each.
        // Household 2: Y = 0 → 60.
        #expect(Survey.apply(benefit, on: population).amounts == [45, 45, 0, 60])
    }

    @Test("min_age above max_age is an error naming both")
    func minAboveMax() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Survey.module(D.self, ["amount": .number(60), "min_age": .number(65), "max_age": .number(18)])
        }
        #expect(error?.message.contains("min_age") == true && error?.message.contains("max_age") == true)
    }

    @Test("in a system, the benefit adds to disposable income and counts its recipients")
    func inASystem() throws {
        let benefit = try Survey.module(D.self, ["amount": .number(60)])
        let population = try Survey.population(Self.rows, reading: [benefit])
        let outcome = Simulator(plan: ParallelPlan(threads: 1)).run([Survey.system([("disability", benefit)])], on: population)[0]
        // By hand: household 1: 300 + 60 + 60 = 420; household 2: 60.
        #expect(outcome.disposableIncome.array == [420, 60])
        #expect(outcome.components[0].recipients.array == [2, 1])
    }
}
