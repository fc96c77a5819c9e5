import Foundation
@testable import Scenarios
import Testing
@testable import SimKernel

/// The targeted household transfer: per-capita income or a proxy-means
/// score, amounts per household and member with caps, assessment error, and
/// inclusion and exclusion errors.
@Suite("MeansTestedTransfer")
struct MeansTestedTransferTests {
    typealias T = MeansTestedTransfer

    /// Household 1: two members, income 150 (per capita 75). Household 2: two
    /// members, income 240 (120). Household 3: six members (one formal worker
    /// earning 300, five children), per capita 50. Household 4 (urban 0):
    /// three members with no income.
    static let rows: [SurveyRow] = [
        SurveyRow(household: 1, id: 1, age: 40, labourStatus: 2, earnings: 150),
        SurveyRow(household: 1, id: 2, age: 38),
        SurveyRow(household: 2, id: 3, age: 50, labourStatus: 2, earnings: 240),
        SurveyRow(household: 2, id: 4, age: 45),
        SurveyRow(household: 3, id: 5, age: 35, labourStatus: 1, earnings: 300),
    ] + (6...10).map { SurveyRow(household: 3, id: $0, age: $0 - 4) } + [
        SurveyRow(household: 4, id: 11, urban: 0, age: 60),
        SurveyRow(household: 4, id: 12, urban: 0, age: 58),
        SurveyRow(household: 4, id: 13, urban: 0, age: 20, labourStatus: 3),
    ]

    static let byIncome: [String: ParameterValue] = [
        "income_threshold": .number(100), "amount_per_household": .number(40), "amount_per_member": .number(10),
    ]

    @Test("per-capita income targeting: households at or below the threshold get 40 + 10 per member, paid to the head")
    func perCapitaIncome() throws {
        let transfer = try Survey.module(T.self, Self.byIncome)
        #expect(transfer.beneficiaryUnit == .household)
        let population = try Survey.population(Self.rows, reading: [transfer])
        let result = Survey.apply(transfer, on: population)
        // By hand: household 1: 75 ≤ 100 → 40 + 2 × 10 = 60; household 2: 120 > 100 → 0;
        // household 3: 50 → 40 + 6 × 10 = 100; household 4: 0 → 40 + 3 × 10 = 70. All to the first member.
        #expect(result.amounts == [60, 0, 0, 0, 100, 0, 0, 0, 0, 0, 70, 0, 0])
        // Counters: eligible, selected, inclusion errors, exclusion errors, not taken up: no errors.
        #expect(result.counters == [[1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [1, 1, 0, 0, 0]])
    }

    @Test("caps: members counted up to max_paid_members, the transfer up to max_amount")
    func caps() throws {
        let transfer = try Survey.module(T.self, Self.byIncome.merging([
            "max_paid_members": .number(4), "max_amount": .number(75),
        ]) { $1 })
        // By hand: household of 6: 40 + 4 × 10 = 80 → capped at 75; of 3: 70; of 2: 60.
        #expect(transfer.transfer(members: 6) == 75)
        #expect(transfer.transfer(members: 3) == 70)
        #expect(transfer.transfer(members: 2) == 60)
    }

    @Test("a proxy-means score selects by characteristics; errors are counted against true per-capita income")
    func proxyMeans() throws {
        // score = 5 − 1 × members + 2 × workers + 1.5 × urban (head); selected if score ≤ 3.
        let transfer = try Survey.module(T.self, Self.byIncome.merging([
            "targeting": .text("proxy_means_score"), "score_intercept": .number(5), "score_threshold": .number(3),
            "score_weights": .keyedNumbers([KeyedNumber(key: "members", value: -1), KeyedNumber(key: "workers", value: 2),
                                            KeyedNumber(key: "urban", value: 1.5)]),
        ]) { $1 })
        #expect(Set(transfer.variables.map(\.variable.name)) == ["labour_status", "urban"])
        let population = try Survey.population(Self.rows, reading: [transfer])
        let result = Survey.apply(transfer, on: population)
        // By hand: household 1: 5 − 2 + 2 + 1.5 = 6.5 > 3 → not selected, but truly eligible (75): exclusion error.
        // Household 2: 6.5 → not selected, not eligible (120). Household 3: 5 − 6 + 2 + 1.5 = 2.5 → selected,
        // eligible (50): 100. Household 4: 5 − 3 + 0 + 0 = 2 → selected, eligible (0): 70.
        #expect(result.amounts == [0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 70, 0, 0])
        #expect(result.counters == [[1, 0, 0, 1, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [1, 1, 0, 0, 0]])
        // With a threshold of 7 everyone is selected: household 2 is an inclusion error.
        let loose = try Survey.module(T.self, Self.byIncome.merging([
            "targeting": .text("proxy_means_score"), "score_intercept": .number(5), "score_threshold": .number(7),
            "score_weights": .keyedNumbers([KeyedNumber(key: "members", value: -1)]),
        ]) { $1 })
        let all = Survey.apply(loose, on: try Survey.population(Self.rows, reading: [loose]))
        #expect(all.counters.map { $0[2] } == [0, 1, 0, 0])
    }

    @Test("every built-in characteristic counts what it says", arguments: [
        ("members", [2.0, 2, 6, 3]), ("children", [0.0, 0, 5, 0]), ("elderly", [0.0, 0, 0, 1]),
        ("workers", [1.0, 1, 1, 0]), ("formal_workers", [0.0, 0, 1, 0]), ("unemployed_members", [0.0, 0, 0, 1]),
        ("disabled_members", [0.0, 0, 0, 0]), ("urban", [1.0, 1, 1, 0]),
    ])
    func characteristics(name: String, expected: [Double]) throws {
        let score = try ProxyMeansScore(intercept: 0, weights: [KeyedNumber(key: name, value: 1)],
                                        parameters: ResolvedParameters(module: "test", values: [:]), key: "score_weights")
        let population = try Survey.population(Self.rows, variables: score.variables(neededBy: "test"))
        #expect(score.scores(of: population) == expected)
    }

    @Test("assessment error: none when σ = 0; with σ > 0 both kinds of error appear, reproducibly")
    func assessmentError() throws {
        let rows = Survey.synthetic(households: 3000)
        let exact = try Survey.module(T.self, Self.byIncome.merging(["income_threshold": .number(300)]) { $1 })
        let population = try Survey.population(rows, reading: [exact])
        let clean = Survey.apply(exact, on: population, seed: 1)
        #expect(clean.total("inclusion_errors", of: exact) == 0 && clean.total("exclusion_errors", of: exact) == 0)
        let noisy = try Survey.module(T.self, Self.byIncome.merging([
            "income_threshold": .number(300), "assessment_error_sd": .number(0.5),
        ]) { $1 })
        let first = Survey.apply(noisy, on: population, seed: 1)
        #expect(first.total("inclusion_errors", of: noisy) > 0 && first.total("exclusion_errors", of: noisy) > 0)
        #expect(first.total("eligible_households", of: noisy) == clean.total("eligible_households", of: exact))
        #expect(Survey.apply(noisy, on: population, seed: 1).amounts == first.amounts)
        #expect(Survey.apply(noisy, on: population, seed: 2).amounts != first.amounts)
    }

    @Test("non-take-up is counted and pays nothing; the draws are independent of threads and row order")
    func takeUp() throws {
        let transfer = try Survey.module(T.self, Self.byIncome.merging([
            "income_threshold": .number(300), "assessment_error_sd": .number(0.3), "take_up_rate": .number(0.75),
        ]) { $1 })
        let rows = Survey.synthetic(households: 4000)
        let population = try Survey.population(rows, reading: [transfer])
        let result = Survey.apply(transfer, on: population, seed: 3)
        let selected = result.total("selected_households", of: transfer), missed = result.total("not_taken_up", of: transfer)
        #expect(abs(missed / selected - 0.25) < 4 * (0.1875 / selected).squareRoot())
        let serial = try Survey.perHousehold(transfer, rows: rows, threads: 1, chunkSize: 4096)
        #expect(try Survey.perHousehold(transfer, rows: Survey.reversedHouseholds(rows), threads: 2, chunkSize: 33) == serial)
    }

    @Test("inconsistent designs are errors naming the key", arguments: [
        (["income_threshold": .number(100)] as [String: ParameterValue], "amount_per_household"),
        (["income_threshold": .number(100), "amount_per_member": .number(5), "targeting": .text("proxy_means_score")], "score_weights"),
        (["income_threshold": .number(100), "amount_per_member": .number(5), "targeting": .text("proxy_means_score"),
          "score_weights": .keyedNumbers([KeyedNumber(key: "hh_id", value: 1)])], "hh_id"),
    ])
    func checks(values: [String: ParameterValue], key: String) throws {
        let error = #expect(throws: InputError.self) { _ = try Survey.module(T.self, values) }
        #expect(error?.message.contains(key) == true)
    }
}
