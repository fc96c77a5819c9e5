import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The maternity benefit: a birth grant and months of benefit, annualised
/// over the births of the last 12 months; a pregnancy allowance.
@Suite("MaternityBenefit")
struct MaternityBenefitTests {
    typealias M = MaternityBenefit

    /// Five women: a formal employee (earnings 900) who gave birth 2 months ago,
    /// an informal worker (earnings 300) 11 months ago, an inactive mother 5
    /// months ago, a formal employee whose last birth was 12 months ago, and a
    /// pregnant informal worker.
    static let rows = [
        SurveyRow(household: 1, id: 1, age: 28, sex: 2, labourStatus: 1, earnings: 900, monthsSinceBirth: 2),
        SurveyRow(household: 1, id: 2, age: 0),
        SurveyRow(household: 2, id: 3, age: 24, sex: 2, labourStatus: 2, earnings: 300, monthsSinceBirth: 11),
        SurveyRow(household: 3, id: 4, age: 31, sex: 2, labourStatus: 0, monthsSinceBirth: 5),
        SurveyRow(household: 4, id: 5, age: 35, sex: 2, labourStatus: 1, earnings: 800, monthsSinceBirth: 12),
        SurveyRow(household: 5, id: 6, age: 22, sex: 2, labourStatus: 2, earnings: 200, pregnant: 1),
    ]

    static let design: [String: ParameterValue] = [
        "birth_grant": .number(240), "benefit_months": .number(3), "replacement_rate": .number(0.75),
        "minimum_amount": .number(100), "maximum_amount": .number(1000),
    ]

    @Test("formal mothers get the grant and 3 months of 75% of earnings, annualised; others the grant only")
    func formalOnly() throws {
        let benefit = try Survey.module(M.self, Self.design)
        let population = try Survey.population(Self.rows, reading: [benefit])
        let result = Survey.apply(benefit, on: population)
        // By hand: formal mother: 240 / 12 + 3 × 0.75 × 900 / 12 = 20 + 168.75 = 188.75;
        // informal and inactive mothers: 240 / 12 = 20; a birth 12 months ago: 0; pregnancy: no allowance.
        #expect(result.amounts == [188.75, 0, 20, 20, 0, 0])
        #expect(result.counters == [[1, 1], [1, 0], [1, 0], [0, 0], [0, 0]])  // births, covered_births
    }

    @Test("coverage of informal workers: an informal mother gets the earnings-related benefit")
    func informalCovered() throws {
        var design = Self.design
        design["covered_labour_status"] = .integerList([1, 2])
        let benefit = try Survey.module(M.self, design)
        let population = try Survey.population(Self.rows, reading: [benefit])
        // By hand: informal mother: 0.75 × 300 = 225 ≥ 100 → 20 + 3 × 225 / 12 = 76.25; inactive: 20.
        #expect(Survey.apply(benefit, on: population).amounts == [188.75, 0, 76.25, 20, 0, 0])
    }

    @Test("a covered mother with no earnings in the survey (on leave) gets the minimum amount")
    func minimumForNoEarnings() throws {
        let benefit = try Survey.module(M.self, Self.design)
        let onLeave = [SurveyRow(household: 1, id: 1, age: 30, sex: 2, labourStatus: 1, earnings: 0, monthsSinceBirth: 1)]
        let population = try Survey.population(onLeave, reading: [benefit])
        // By hand: 240 / 12 + 3 × 100 / 12 = 20 + 25 = 45.
        #expect(Survey.apply(benefit, on: population).amounts == [45])
    }

    @Test("a flat benefit, a maximum on earnings-related amounts, and the grant for covered mothers only")
    func flatAndCaps() throws {
        let flat = try Survey.module(M.self, [
            "benefit_months": .number(4), "benefit_type": .text("flat"), "flat_amount": .number(90),
            "birth_grant": .number(120), "grant_coverage": .text("covered_mothers"),
        ])
        let population = try Survey.population(Self.rows, reading: [flat])
        // By hand: formal mother: 120 / 12 + 4 × 90 / 12 = 10 + 30 = 40; the others are not covered.
        #expect(Survey.apply(flat, on: population).amounts == [40, 0, 0, 0, 0, 0])
        var capped = Self.design
        capped["maximum_amount"] = .number(500)
        let benefit = try Survey.module(M.self, capped)
        // By hand: 0.75 × 900 = 675 → 500: 20 + 3 × 500 / 12 = 145.
        #expect(Survey.apply(benefit, on: population).amounts == [145, 0, 20, 20, 0, 0])
    }

    @Test("a pregnancy allowance is paid every month while pregnant")
    func pregnancy() throws {
        let benefit = try Survey.module(M.self, ["pregnancy_allowance": .number(25)])
        #expect(benefit.variables.map(\.variable.name).contains("pregnant"))
        #expect(!benefit.variables.map(\.variable.name).contains("months_since_birth"))
        let population = try Survey.population(Self.rows, reading: [benefit])
        #expect(Survey.apply(benefit, on: population).amounts == [0, 0, 0, 0, 0, 25])
    }

    @Test("inconsistent designs are errors naming the key", arguments: [
        ([:] as [String: ParameterValue], "benefit_months"),
        (["benefit_months": .number(3), "benefit_type": .text("flat")], "flat_amount"),
        (["benefit_months": .number(3), "minimum_amount": .number(200), "maximum_amount": .number(100)], "maximum_amount"),
    ])
    func checks(values: [String: ParameterValue], key: String) throws {
        let error = #expect(throws: InputError.self) { _ = try Survey.module(M.self, values) }
        #expect(error?.message.contains(key) == true)
    }

    @Test("take-up is one draw per woman for all her payments")
    func takeUp() throws {
        let benefit = try Survey.module(M.self, ["birth_grant": .number(240), "pregnancy_allowance": .number(25),
                                                 "take_up_rate": .number(0.5)])
        let rows = Survey.synthetic(households: 6000)
        let population = try Survey.population(rows, reading: [benefit])
        let result = Survey.apply(benefit, on: population, seed: 2)
        let eligible = rows.indices.filter { (0...11).contains(rows[$0].monthsSinceBirth) || rows[$0].pregnant == 1 }
        let paid = eligible.filter { result.amounts[$0] > 0 }.count
        #expect(abs(Double(paid) / Double(eligible.count) - 0.5) < 4 * (0.25 / Double(eligible.count)).squareRoot())
    }
}
