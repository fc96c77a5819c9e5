import Foundation
@testable import Scenarios
import Testing
@testable import SimKernel

/// The VAT rate change: consumption = income × propensity to consume of the
/// household's decile; VAT = consumption × taxable share × (t − t₀) / (1 + t₀).
@Suite("ValueAddedTax")
struct ValueAddedTaxTests {
    typealias V = ValueAddedTax

    /// Ten one-person households (weight 1) earning 100, 200, ..., 1,000, in scrambled order.
    static let ten: [SurveyRow] = [700, 100, 1000, 300, 500, 200, 900, 400, 800, 600].enumerated().map { k, e in
        SurveyRow(household: k + 1, id: k + 1, age: 40, labourStatus: 2, earnings: Double(e))
    }

    @Test("deciles of persons by per-capita market income: ten equal households, one per decile")
    func deciles() throws {
        let population = try Survey.population(Self.ten, variables: [VariableRequest(.earnings, neededBy: "t"),
                                                                     VariableRequest(.otherIncome, neededBy: "t")])
        // By hand: cut points at the 10%, ..., 90% persons: 100, 200, ..., 900; income 700 is above 6 of them → decile 6 (0-based).
        #expect(IncomeDeciles.of(population, income: [.earnings, .otherIncome]) == [6, 0, 9, 2, 4, 1, 8, 3, 7, 5])
    }

    @Test("deciles weigh persons: a household of weight 5 and 2 members holds the whole bottom of the distribution")
    func weightedDeciles() throws {
        let rows = [
            SurveyRow(household: 1, id: 1, weight: 5, age: 40, earnings: 100),
            SurveyRow(household: 1, id: 2, weight: 5, age: 10),  // per capita 50, persons weight 10
            SurveyRow(household: 2, id: 3, weight: 10, age: 40, earnings: 500),  // per capita 500, weight 10
        ]
        let population = try Survey.population(rows, variables: [VariableRequest(.earnings, neededBy: "t"),
                                                                  VariableRequest(.otherIncome, neededBy: "t")])
        // By hand: F(50) = 10 / 20 = 0.5 → q1..q5 = 50; F(500) = 1 → q6..q9 = 500. Household 1 → decile 0;
        // household 2: five cut points (50) below 500 → decile 5 (0-based).
        #expect(IncomeDeciles.of(population, income: [.earnings, .otherIncome]) == [0, 5])
    }

    @Test("the VAT of a household: consumption × taxable share × (t − t₀) / (1 + t₀), on the head")
    func tax() throws {
        let vat = try Survey.module(V.self, [
            "rate": .number(0.25), "rate_in_prices": .number(0.125),
            "propensity_to_consume": .numberList([1.5, 1.25, 1, 1, 1, 1, 1, 1, 0.75, 0.5]),
            "taxable_share": .numberList([0.5]),
        ])
        #expect(vat.beneficiaryUnit == .household)
        let population = try Survey.population(Self.ten, reading: [vat])
        let result = Survey.apply(vat, on: population)
        // By hand, (t − t₀) / (1 + t₀) = 0.125 / 1.125 = 1/9. Income 100 (decile 0): C = 150, VAT = 150 × 0.5 / 9;
        // income 900 (decile 8): C = 675, VAT = 675 × 0.5 / 9 = 37.5; income 1,000 (decile 9): C = 500, VAT = 250 / 9.
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 * max(1, abs(b)) }
        #expect(close(result.amounts[1], 75.0 / 9))
        #expect(close(result.amounts[6], 37.5))
        #expect(close(result.amounts[2], 250.0 / 9))
        #expect(close(result.counters[6][0], 12 * 675))  // consumption_annual
    }

    @Test("taxable_share by decile, and no VAT on zero or negative income")
    func perDecileShareAndNoIncome() throws {
        let vat = try Survey.module(V.self, [
            "rate": .number(0.5), "propensity_to_consume": .numberList(Array(repeating: 1, count: 10)),
            "taxable_share": .numberList([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 1]),
        ])
        // By hand (t₀ = 0): decile 1 (0-based), income 500: 500 × 0.125 × 0.5 = 31.25; decile 0 pays 0.
        #expect(vat.tax(decile: 1, income: 500).tax == 31.25)
        #expect(vat.tax(decile: 0, income: 500).tax == 0)
        #expect(vat.tax(decile: 5, income: -200).tax == 0)
    }

    @Test("a cut is a benefit of consumption × taxable share × (t₀ − t) / (1 + t₀): lower prices, revenue forgone")
    func cut() throws {
        let vat = try Survey.module(V.self, [
            "rate": .number(0.1), "rate_in_prices": .number(0.15),
            "propensity_to_consume": .numberList(Array(repeating: 1, count: 10)), "taxable_share": .numberList([0.5]),
        ])
        #expect(vat.kind == .benefit)
        let population = try Survey.population(Self.ten, reading: [vat])
        let result = Survey.apply(vat, on: population)
        // By hand, income 100 (decile 0): C = 100, benefit = 100 × 0.5 × 0.05 / 1.15.
        #expect(abs(result.amounts[1] - 100 * 0.5 * 0.05 / 1.15) < 1e-12)
        #expect(result.amounts.allSatisfy { $0 >= 0 })
    }

    @Test("inconsistent parameters are errors naming the key", arguments: [
        (["rate": .number(0.2), "propensity_to_consume": .numberList([1, 1])] as [String: ParameterValue], "propensity_to_consume"),
        (["rate": .number(0.2), "taxable_share": .numberList([0.5, 0.5])], "taxable_share"),
        (["rate": .number(0.2), "decile_income": .textList([])], "decile_income"),
    ])
    func checks(values: [String: ParameterValue], key: String) throws {
        let error = #expect(throws: InputError.self) { _ = try Survey.module(V.self, values) }
        #expect(error?.message.contains(key) == true)
    }

    @Test("listed after a benefit, the VAT taxes the benefit's consumption too")
    func afterBenefits() throws {
        let grant = try Survey.module(UniversalChildGrant.self, ["amount_per_child": .number(100)])
        let vat = try Survey.module(V.self, [
            "rate": .number(0.5), "propensity_to_consume": .numberList(Array(repeating: 1, count: 10)),
            "taxable_share": .numberList([1]),
        ])
        let rows = [SurveyRow(household: 1, id: 1, age: 30, earnings: 200), SurveyRow(household: 1, id: 2, age: 5)]
        let population = try Survey.population(rows, reading: [grant, vat])
        let outcome = Simulator(plan: ParallelPlan(threads: 1)).run([Survey.system([("grant", grant), ("vat", vat)])], on: population)[0]
        // By hand: income after the grant 300; C = 300; VAT = 300 × 1 × 0.5 = 150; disposable 150.
        #expect(outcome.components[1].amount[0] == 150)
        #expect(outcome.disposableIncome[0] == 150)
        #expect(outcome.components[1].recipients[0] == 2)  // every member counts as paying
    }
}
