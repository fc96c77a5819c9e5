import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The contribution subsidy: informal workers who join pay part of their
/// contribution, the state the rest.
@Suite("ContributionSubsidy")
struct ContributionSubsidyTests {
    typealias C = ContributionSubsidy

    /// Household 1: informal workers earning 300 and 150, an unpaid family
    /// worker (informal, no earnings); household 2: a formal employee (1,000).
    static let rows = [
        SurveyRow(household: 1, id: 1, age: 40, labourStatus: 2, earnings: 300),
        SurveyRow(household: 1, id: 2, age: 35, labourStatus: 2, earnings: 150),
        SurveyRow(household: 1, id: 3, age: 17, labourStatus: 2),
        SurveyRow(household: 2, id: 4, age: 45, labourStatus: 1, earnings: 1000),
    ]

    static let design: [String: ParameterValue] = [
        "contribution_rate": .number(0.1), "minimum_base": .number(200), "subsidy_share": .number(0.5),
    ]

    @Test("every eligible worker joins at join rate 1: the worker pays half of 10% of max(earnings, 200)")
    func allJoin() throws {
        let subsidy = try Survey.module(C.self, Self.design)
        #expect(subsidy.kind == .contribution)
        let population = try Survey.population(Self.rows, reading: [subsidy])
        let result = Survey.apply(subsidy, on: population)
        // By hand: 300 → c = 30, state 15, worker 15; 150 → base 200, c = 20, state 10, worker 10;
        // unpaid worker: not eligible (no earnings); formal employee: not eligible.
        #expect(result.amounts == [15, 10, 0, 0])
        // Counters: eligible_workers, joiners, subsidy_annual = 12 × (15 + 10), contributions_annual = 12 × 50.
        #expect(result.counters == [[2, 2, 300, 600], [0, 0, 0, 0]])
    }

    @Test("max_subsidy caps the state's part; the worker pays the rest")
    func cap() throws {
        let subsidy = try Survey.module(C.self, Self.design.merging(["max_subsidy": .number(12)]) { $1 })
        // By hand: c = 30, state min(15, 12) = 12, worker 18.
        #expect(subsidy.contribution(earnings: 300) == (30, 12))
        #expect(try Survey.module(C.self, Self.design.merging(["ceiling": .number(250)]) { $1 }).contribution(earnings: 300) == (25, 12.5))
    }

    @Test("a full subsidy: joiners pay nothing and are counted as newly covered")
    func fullSubsidy() throws {
        let subsidy = try Survey.module(C.self, Self.design.merging(["subsidy_share": .number(1)]) { $1 })
        let population = try Survey.population(Self.rows, reading: [subsidy])
        let result = Survey.apply(subsidy, on: population)
        #expect(result.amounts == [0, 0, 0, 0])
        #expect(result.counters[0] == [2, 2, 600, 600])
    }

    @Test("the join rate: the share joining is close to it, by group when given")
    func joinRate() throws {
        let subsidy = try Survey.module(C.self, Self.design.merging([
            "join_rate": .number(0.2), "join_group": .text("urban"), "join_by_group": .keyedNumbers([KeyedNumber(key: "1", value: 0.4)]),
        ]) { $1 })
        #expect(subsidy.variables.map(\.variable.name).contains("urban"))
        let rows = Survey.synthetic(households: 8000)
        let population = try Survey.population(rows, reading: [subsidy])
        let result = Survey.apply(subsidy, on: population, seed: 4)
        for (urban, rate) in [(0, 0.2), (1, 0.4)] {
            let eligible = rows.indices.filter { rows[$0].labourStatus == 2 && rows[$0].earnings > 0 && rows[$0].urban == urban }
            let joined = eligible.filter { result.amounts[$0] > 0 }.count
            #expect(abs(Double(joined) / Double(eligible.count) - rate) < 4 * (rate * (1 - rate) / Double(eligible.count)).squareRoot())
        }
    }

    @Test("a ceiling below the minimum base is an error naming ceiling")
    func ceilingBelowMinimum() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Survey.module(C.self, Self.design.merging(["ceiling": .number(100)]) { $1 })
        }
        #expect(error?.message.contains("ceiling") == true)
    }
}
