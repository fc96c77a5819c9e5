import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// Rules that implement ``HouseholdRule/apply(batch:amounts:)`` person by
/// person must give exactly what their household-by-household
/// ``HouseholdRule/apply(_:amounts:)`` gives, and, when they say they fill
/// every amount, must overwrite every slot (the kernel then skips zeroing).
@Suite("Batch rule paths equal the household rule")
struct BatchRuleTests {
    /// 600 households of 1-7 members: every labour status, ages 0-99,
    /// earnings zero, below and above 500, some negative other income.
    static let population: Population = {
        var state: UInt64 = 42
        func next(_ n: UInt64) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % n)
        }
        var persons: [TestPerson] = []
        var id = 1
        for h in 1...600 {
            let weight = 1 + Double(next(50))
            for _ in 0..<(1 + next(7)) {
                let status = next(4)
                let earnings = status == 1 || status == 2 ? Double(next(2_000)) + Double(next(100)) / 100 : 0
                persons.append(TestPerson(household: h, id: id, weight: weight, age: next(100),
                                          labourStatus: status, earnings: earnings,
                                          otherIncome: Double(next(300)) - 50))
                id += 1
            }
        }
        return try! TestHouseholds.population(persons)
    }()

    /// Each person's amount from the batch path, the whole population as one
    /// batch (slots pre-filled with garbage when the rule fills every amount).
    func batchAmounts(_ module: some PolicyModule) -> [Double] {
        let population = Self.population
        let rule = module.bind(to: population, context: RunContext())
        let earnings = population.reals("earnings"), other = population.reals("other_income")
        let persons = population.personCount
        var income = (0..<persons).map { earnings[$0] + other[$0] }
        var amounts = [Double](repeating: rule.fillsEveryAmount ? -12345 : 0, count: persons)
        let counters = UnsafeMutableBufferPointer<Double>.allocate(capacity: population.householdCount)
        defer { counters.deallocate() }
        counters.update(repeating: 0)
        let random = RandomStream()
        income.withUnsafeMutableBufferPointer { income in
            amounts.withUnsafeMutableBufferPointer { out in
                let batch = HouseholdBatch(
                    households: 0..<population.householdCount, firstPerson: 0,
                    starts: population.householdStart.values.baseAddress!, ids: population.householdID.values.baseAddress!,
                    income: UnsafeBufferPointer(income), random: random, seed: 1, counters: counters,
                    counterCount: module.counters.count)
                rule.apply(batch: batch, amounts: out)
            }
        }
        return amounts
    }

    func expectSame(_ module: some PolicyModule) {
        let household = TestHouseholds.amounts(module, on: Self.population)
        let batch = batchAmounts(module)
        #expect(household.count == batch.count)
        #expect(household.map(\.bitPattern) == batch.map(\.bitPattern))
        #expect(household.contains { $0 > 0 }, "the test population must exercise the rule")
    }

    @Test("social contributions: rate, floor and ceiling, covered statuses")
    func contributions() throws {
        expectSame(try TestHouseholds.module(SocialContributions.self, [
            "rate": .number(0.07), "covered_labour_status": .integerList([1]),
        ]))
        expectSame(try TestHouseholds.module(SocialContributions.self, [
            "rate": .number(0.11), "covered_labour_status": .integerList([1, 2]),
            "ceiling": .number(1_200), "floor": .number(300),
        ]))
        #expect(try TestHouseholds.module(SocialContributions.self, [
            "rate": .number(0.07), "covered_labour_status": .integerList([1]),
        ]).bind(to: Self.population, context: RunContext()).fillsEveryAmount)
    }

    @Test("income tax: brackets, covered statuses")
    func incomeTax() throws {
        let brackets: ParameterValue = .schedule([
            Bracket(threshold: 0, rate: 0), Bracket(threshold: 500, rate: 0.15), Bracket(threshold: 1_500, rate: 0.25),
        ])
        expectSame(try TestHouseholds.module(IncomeTax.self, [
            "brackets": brackets, "covered_labour_status": .integerList([1]),
        ]))
        // Allowance and credit; one bracket from 0; statuses 1 and 2; other income added to the base.
        expectSame(try TestHouseholds.module(IncomeTax.self, [
            "brackets": brackets, "covered_labour_status": .integerList([1, 2]),
            "allowance": .number(120), "tax_credit": .number(35.5),
        ]))
        expectSame(try TestHouseholds.module(IncomeTax.self, [
            "brackets": .schedule([Bracket(threshold: 0, rate: 0.1)]), "covered_labour_status": .integerList([0, 1, 2, 3]),
        ]))
        expectSame(try TestHouseholds.module(IncomeTax.self, [
            "brackets": brackets, "covered_labour_status": .integerList([1, 2]),
            "additional_base": .textList(["other_income"]),
        ]))
    }

    @Test("child grant: the default rule person by person; options household by household")
    func childGrant() throws {
        let plain = try TestHouseholds.module(UniversalChildGrant.self, ["amount_per_child": .number(30)])
        #expect(plain.bind(to: Self.population, context: RunContext()).fillsEveryAmount)
        expectSame(plain)
        let limited = try TestHouseholds.module(UniversalChildGrant.self, [
            "amount_per_child": .number(30), "max_children": .number(2),
        ])
        #expect(!limited.bind(to: Self.population, context: RunContext()).fillsEveryAmount)
        // Age bands: the household-by-household path inside the batch call.
        let bands = try TestHouseholds.module(UniversalChildGrant.self, [
            "amount_per_child": .number(30),
            "age_bands": .records([[KeyedNumber(key: "min_age", value: 0), KeyedNumber(key: "max_age", value: 5),
                                    KeyedNumber(key: "amount", value: 40)]]),
        ])
        #expect(!bands.bind(to: Self.population, context: RunContext()).fillsEveryAmount)
        expectSame(bands)
        expectSame(try TestHouseholds.module(UniversalChildGrant.self, [
            "amount_per_child": .number(25), "min_age": .number(3), "max_age": .number(10),
        ]))
    }
}
