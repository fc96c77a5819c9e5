import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The child grant's extensions: age bands, a child limit, a means test, a
/// phase-in by cohort and take-up. Each expected amount is worked out by hand
/// in the comment beside it.
@Suite("UniversalChildGrant extensions")
struct UniversalChildGrantExtensionTests {
    typealias G = UniversalChildGrant

    /// A couple (earnings 400 and 200) and four children aged 10, 2, 7 and 2.
    static let family = [
        SurveyRow(household: 1, id: 1, age: 35, labourStatus: 1, earnings: 400),
        SurveyRow(household: 1, id: 2, age: 33, sex: 2, labourStatus: 2, earnings: 200),
        SurveyRow(household: 1, id: 3, age: 10),
        SurveyRow(household: 1, id: 4, age: 2),
        SurveyRow(household: 1, id: 5, age: 7),
        SurveyRow(household: 1, id: 6, age: 2),
    ]

    @Test("with the defaults the grant is SPEC.md's: 30 for ages 0-17, no counters, no draws")
    func defaultsAreSpec() throws {
        let grant = try Survey.module(G.self, ["amount_per_child": .number(30)])
        #expect(grant.counters.isEmpty)  // no extra output rows in SPEC.md's scenario
        #expect(grant.variables.map(\.variable.name) == ["age"])
        let population = try Survey.population(Self.family + [SurveyRow(household: 2, id: 7, age: 18)], reading: [grant])
        // By hand: adults 0; ages 10, 2, 7, 2 → 30 each; 18 → 0. Two seeds give the same (no draw).
        #expect(Survey.apply(grant, on: population, seed: 1).amounts == [0, 0, 30, 30, 30, 30, 0])
        #expect(Survey.apply(grant, on: population, seed: 99).amounts == [0, 0, 30, 30, 30, 30, 0])
    }

    @Test("an age band pays its amount; eligible ages outside every band get amount_per_child")
    func ageBands() throws {
        let grant = try Survey.module(G.self, [
            "amount_per_child": .number(30),
            "age_bands": .records([[KeyedNumber(key: "min_age", value: 0), KeyedNumber(key: "max_age", value: 5),
                                    KeyedNumber(key: "amount", value: 40)]]),
        ])
        let population = try Survey.population(Self.family, reading: [grant])
        // By hand: age 10 → 30 (no band); 2 → 40; 7 → 30; 2 → 40.
        #expect(Survey.apply(grant, on: population).amounts == [0, 0, 30, 40, 30, 40])
    }

    @Test("overlapping age bands are an error naming age_bands")
    func overlappingBands() throws {
        func band(_ lo: Double, _ hi: Double) -> [KeyedNumber] {
            [KeyedNumber(key: "min_age", value: lo), KeyedNumber(key: "max_age", value: hi), KeyedNumber(key: "amount", value: 1)]
        }
        let error = #expect(throws: InputError.self) {
            _ = try Survey.module(G.self, ["amount_per_child": .number(30), "age_bands": .records([band(0, 5), band(5, 9)])])
        }
        #expect(error?.message.contains("age_bands") == true)
        #expect(error?.message.contains("overlap") == true)
    }

    @Test("max_children pays the youngest children first, equal ages in member order")
    func maxChildren() throws {
        let grant = try Survey.module(G.self, ["amount_per_child": .number(30), "max_children": .number(3)])
        let population = try Survey.population(Self.family, reading: [grant])
        // By hand: children by age: 2 (member 4), 2 (member 6), 7 (member 5), 10 (member 3); three paid.
        let result = Survey.apply(grant, on: population)
        #expect(result.amounts == [0, 0, 0, 30, 30, 30])
        #expect(result.counters == [[3]])  // eligible_children
    }

    @Test("a taper withdraws the rate times household income above threshold × members")
    func taper() throws {
        let grant = try Survey.module(G.self, [
            "amount_per_child": .number(30), "means_test": .text("taper"),
            "income_threshold": .number(80), "withdrawal_rate": .number(0.25),
        ])
        let population = try Survey.population(Self.family, reading: [grant])
        // By hand: Y = 400 + 200 = 600, n = 6, n T = 480, excess 120, withdrawn 0.25 × 120 = 30
        // of E = 4 × 30 = 120 → 90 paid, 22.5 per child.
        #expect(Survey.apply(grant, on: population).amounts == [0, 0, 22.5, 22.5, 22.5, 22.5])
    }

    @Test("a cliff pays in full at or below the per-capita threshold and nothing above it", arguments: [
        (100.0, 30.0),  // Y / n = 600 / 6 = 100 ≤ 100 → 30 each
        (99.99, 0.0),   // 100 > 99.99 → nothing
    ])
    func cliff(threshold: Double, expected: Double) throws {
        let grant = try Survey.module(G.self, [
            "amount_per_child": .number(30), "means_test": .text("cliff"), "income_threshold": .number(threshold),
        ])
        let population = try Survey.population(Self.family, reading: [grant])
        #expect(Survey.apply(grant, on: population).amounts == [0, 0, expected, expected, expected, expected])
    }

    @Test("a means test without a threshold, or a taper without a rate, is an error naming the key")
    func meansTestChecks() throws {
        let noThreshold = #expect(throws: InputError.self) {
            _ = try Survey.module(G.self, ["amount_per_child": .number(30), "means_test": .text("cliff")])
        }
        #expect(noThreshold?.message.contains("income_threshold") == true)
        let noRate = #expect(throws: InputError.self) {
            _ = try Survey.module(G.self, ["amount_per_child": .number(30), "means_test": .text("taper"), "income_threshold": .number(50)])
        }
        #expect(noRate?.message.contains("withdrawal_rate") == true)
    }

    @Test("a cohort phase-in widens the ages by one a year from the first year's", arguments: [
        (2024, [0.0, 0, 0, 0, 0, 0]),      // before the start: nobody
        (2025, [0.0, 0, 0, 30, 0, 30]),    // ages 0-4: the two 2-year-olds
        (2028, [0.0, 0, 0, 30, 30, 30]),   // ages 0-7: and the 7-year-old
        (2040, [0.0, 0, 30, 30, 30, 30]),  // 4 + 15 = 19, capped at max_age 17: all children
    ])
    func phaseIn(year: Int, expected: [Double]) throws {
        let grant = try Survey.module(G.self, [
            "amount_per_child": .number(30), "phase_in_start_year": .number(2025), "phase_in_first_max_age": .number(4),
        ])
        let population = try Survey.population(Self.family, reading: [grant])
        #expect(Survey.apply(grant, on: population, year: year).amounts == expected)
    }

    @Test("with no simulation year a phase-in counts as complete")
    func phaseInWithoutYear() throws {
        let grant = try Survey.module(G.self, [
            "amount_per_child": .number(30), "phase_in_start_year": .number(2025), "phase_in_first_max_age": .number(4),
        ])
        #expect(grant.oldestEligibleAge(in: nil) == 17)
    }

    @Test("take-up is one draw per household: all its children or none; the share is close to the rate")
    func takeUpShare() throws {
        let grant = try Survey.module(G.self, ["amount_per_child": .number(30), "take_up_rate": .number(0.7)])
        let rows = Survey.synthetic(households: 6000)
        let population = try Survey.population(rows, reading: [grant])
        let result = Survey.apply(grant, on: population, seed: 1)
        var eligible = 0, paid = 0
        for h in 0..<population.householdCount {
            let amounts = population.persons(of: h).map { result.amounts[$0] }
            let children = population.persons(of: h).filter { rows[$0].age <= 17 }.count
            guard children > 0 else { continue }
            eligible += 1
            let receiving = amounts.filter { $0 > 0 }.count
            #expect(receiving == 0 || receiving == children)
            if receiving > 0 { paid += 1 }
            #expect(result.counters[h] == [Double(children)])  // eligible_children, before take-up
        }
        // Binomial: n = 2,871 households with children, sd of the share = sqrt(0.7 × 0.3 / n) ≈ 0.0086;
        // allow 4 sd (the draws are fixed by the seed, so the test is deterministic).
        #expect(eligible == 2871)
        #expect(abs(Double(paid) / Double(eligible) - 0.7) < 4 * (0.21 / Double(eligible)).squareRoot())
    }

    @Test("take-up by group: each group's share is close to its rate (urban 0.9, rural 0.5)")
    func takeUpByGroup() throws {
        let grant = try Survey.module(G.self, [
            "amount_per_child": .number(30), "take_up_rate": .number(0.5), "take_up_group": .text("urban"),
            "take_up_by_group": .keyedNumbers([KeyedNumber(key: "1", value: 0.9)]),
        ])
        #expect(grant.variables.map(\.variable.name).contains("urban"))
        let rows = Survey.synthetic(households: 6000)
        let population = try Survey.population(rows, reading: [grant])
        let result = Survey.apply(grant, on: population, seed: 5)
        var eligible = [0, 0], paid = [0, 0]
        for h in 0..<population.householdCount {
            let members = population.persons(of: h)
            guard members.contains(where: { rows[$0].age <= 17 }) else { continue }
            let urban = rows[members.lowerBound].urban
            eligible[urban] += 1
            if members.contains(where: { result.amounts[$0] > 0 }) { paid[urban] += 1 }
        }
        // Binomial sd of each share: sqrt(p (1 − p) / n); allow 4 sd.
        #expect(abs(Double(paid[0]) / Double(eligible[0]) - 0.5) < 4 * (0.25 / Double(eligible[0])).squareRoot())
        #expect(abs(Double(paid[1]) / Double(eligible[1]) - 0.9) < 4 * (0.09 / Double(eligible[1])).squareRoot())
    }

    @Test("take-up draws do not depend on threads, chunk size or the order of households")
    func takeUpDeterminism() throws {
        let grant = try Survey.module(G.self, ["amount_per_child": .number(30), "take_up_rate": .number(0.6)])
        let rows = Survey.synthetic(households: 900)
        let serial = try Survey.perHousehold(grant, rows: rows, threads: 1, chunkSize: 4096)
        #expect(try Survey.perHousehold(grant, rows: rows, threads: 2, chunkSize: 7) == serial)
        #expect(try Survey.perHousehold(grant, rows: Survey.reversedHouseholds(rows), threads: 2, chunkSize: 64) == serial)
        #expect(try Survey.perHousehold(grant, rows: rows, threads: 1, chunkSize: 4096, seed: 4) != serial)
    }
}
