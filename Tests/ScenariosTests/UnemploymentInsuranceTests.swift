import Foundation
@testable import Scenarios
import Testing
@testable import SimKernel

/// Unemployment insurance: coverage, qualifying condition, the benefit
/// schedule, spells, the imputed reference wage and contributions.
@Suite("UnemploymentInsurance")
struct UnemploymentInsuranceTests {
    typealias U = UnemploymentInsurance

    /// Region 1. Household 1: a formal employee (man, 30, earnings 1,000,
    /// permanent) and an unemployed man of 32 whose last job was formal and
    /// permanent (18 months worked, 2 months unemployed). Household 2: an
    /// unemployed man of 28 from a fixed-term formal job; an unemployed woman
    /// of 40 from an informal job; an unemployed man of 50 from a permanent
    /// formal job with only 11 months worked; an informal worker (woman, 45,
    /// earnings 400).
    static let rows = [
        SurveyRow(household: 1, id: 1, age: 30, labourStatus: 1, earnings: 1000, contractType: 1, lastJobStatus: 1, monthsWorked: 24),
        SurveyRow(household: 1, id: 2, age: 32, labourStatus: 3, contractType: 1, lastJobStatus: 1, monthsUnemployed: 2, monthsWorked: 18),
        SurveyRow(household: 2, id: 3, age: 28, labourStatus: 3, contractType: 2, lastJobStatus: 1, monthsUnemployed: 3, monthsWorked: 20),
        SurveyRow(household: 2, id: 4, age: 40, sex: 2, labourStatus: 3, lastJobStatus: 2, monthsUnemployed: 6, monthsWorked: 24),
        SurveyRow(household: 2, id: 5, age: 50, labourStatus: 3, contractType: 1, lastJobStatus: 1, monthsWorked: 11),
        SurveyRow(household: 2, id: 6, age: 45, sex: 2, labourStatus: 2, earnings: 400, lastJobStatus: 2, monthsWorked: 24),
    ]

    /// Permanent formal employees; 45% for three months then 25%; six months; floor 100, ceiling 1,000;
    /// 12 qualifying months; 1% + 1% contributions; every spell exactly 6 months; one donor is enough.
    static let scheme: [String: ParameterValue] = [
        "covered_labour_status": .integerList([1]), "covered_contract_types": .integerList([1]),
        "replacement_rate": .number(0.5), "later_replacement_rate": .number(0.25), "later_rate_from_month": .number(4),
        "max_duration_months": .number(6), "benefit_floor": .number(100), "benefit_ceiling": .number(1000),
        "employee_contribution_rate": .number(0.01), "employer_contribution_rate": .number(0.01),
        "duration_distribution": .text("fixed"), "mean_spell_months": .number(6), "min_donors": .number(1),
    ]

    static func scheme(_ changes: [String: ParameterValue]) throws -> U {
        try Survey.module(U.self, Self.scheme.merging(changes) { $1 })
    }

    @Test("the monthly benefit: the rate of the month times the wage, between floor and ceiling")
    func schedule() throws {
        let ui = try Self.scheme([:])
        // By hand: months 1-3: 0.5 × 1,000 = 500; month 4 on: 0.25 × 1,000 = 250.
        #expect((1...6).map { ui.benefit(month: $0, wage: 1000) } == [500, 500, 500, 250, 250, 250])
        #expect(ui.benefit(month: 1, wage: 100) == 100)    // 50 → floor 100
        #expect(ui.benefit(month: 1, wage: 5000) == 1000)  // 2,500 → ceiling 1,000
        // A spell of 2.5 months: 500 + 500 + 0.5 × 500 = 1,250; of 4 months: 1,500 + 250 = 1,750.
        #expect(ui.spellBenefit(months: 2.5, wage: 1000) == 1250)
        #expect(ui.spellBenefit(months: 4, wage: 1000) == 1750)
    }

    @Test("the baseline scheme pays only the qualifying, permanent formal claimant, and counts contributions")
    func baseline() throws {
        let ui = try Self.scheme([:])
        let population = try Survey.population(Self.rows, reading: [ui])
        let result = Survey.apply(ui, on: population)
        // By hand: claimant 2: wage drawn from the only formal male donor aged 25-34 in region 1 (1,000);
        // spell 6 months: 3 × 500 + 3 × 250 = 2,250; steady state: 2,250 / 6 (mean spell) = 375 a month.
        // Person 3 has a fixed-term contract, person 4 an informal last job, person 5 only 11 months worked.
        #expect(result.amounts == [0, 375, 0, 0, 0, 0])
        // Counters: eligible_persons, benefit_months, contributors, contributions_annual.
        // Household 1: the employee pays 12 × (1% + 1%) × 1,000 = 240 a year. Household 2: the informal worker is not covered.
        #expect(result.counters == [[1, 6, 1, 240], [0, 0, 0, 0]])
    }

    @Test("the extension: fixed-term and informal workers covered, one rate for all six months")
    func extensionToFixedTermAndInformal() throws {
        let ui = try Self.scheme([
            "covered_labour_status": .integerList([1, 2]), "covered_contract_types": .integerList([]),
            "later_rate_from_month": .number(0),
        ])
        #expect(!ui.variables.map(\.variable.name).contains("contract_type"))
        let population = try Survey.population(Self.rows, reading: [ui])
        let result = Survey.apply(ui, on: population)
        // By hand: persons 2 and 3: wage 1,000, 6 × 500 / 6 = 500. Person 4: last job informal, woman
        // aged 40 (band 35-44): no informal woman of that band, so the match drops the region and then
        // the age band: the only informal female donor, person 6, earns 400 → 0.5 × 400 = 200
        // (above the floor), 6 × 200 / 6 = 200. Person 5: 11 months worked → 0.
        #expect(result.amounts == [0, 500, 500, 200, 0, 0])
        // Contributions: household 2's informal worker now pays 12 × 2% × 400 = 96.
        #expect(result.counters == [[1, 6, 1, 240], [2, 12, 1, 96]])
    }

    @Test("steady state: each claimant's monthly amount is the spell's benefit over the mean spell length")
    func steadyState() throws {
        let ui = try Self.scheme(["mean_spell_months": .number(4)])
        let population = try Survey.population(Self.rows, reading: [ui])
        // By hand: fixed spells of 4 months: 3 × 500 + 250 = 1,750; divided by 4 → 437.5.
        #expect(Survey.apply(ui, on: population).amounts == [0, 437.5, 0, 0, 0, 0])
    }

    @Test("the observed spell: b(m + 1) for m completed months of unemployment, nothing after the maximum")
    func observed() throws {
        let ui = try Self.scheme(["duration_source": .text("observed"), "covered_contract_types": .integerList([1, 2]),
                                  "covered_labour_status": .integerList([1, 2])])
        #expect(ui.variables.map(\.variable.name).contains("months_unemployed"))
        #expect(!ui.counters.contains("benefit_months"))
        let population = try Survey.population(Self.rows, reading: [ui])
        // By hand: person 2: month 3 → 500; person 3: month 4 → 250; person 4: 6 months done (max 6) → 0.
        #expect(Survey.apply(ui, on: population).amounts == [0, 500, 250, 0, 0, 0])
    }

    @Test("qualifying_months 0 drops the condition (and the column)")
    func noQualifyingCondition() throws {
        let ui = try Self.scheme(["qualifying_months": .number(0), "later_rate_from_month": .number(0)])
        #expect(!ui.variables.map(\.variable.name).contains("months_worked_last_24m"))
        let population = try Survey.population(Self.rows, reading: [ui])
        // By hand: person 5 (50, formal permanent) now claims: no formal male donor aged 45-54, so the
        // match falls back to formal men: person 1, 1,000 → 500.
        #expect(Survey.apply(ui, on: population).amounts == [0, 500, 0, 0, 500, 0])
    }

    @Test("inconsistent parameters are errors naming the key", arguments: [
        (["benefit_floor": .number(500), "benefit_ceiling": .number(400)] as [String: ParameterValue], "benefit_ceiling"),
        (["donor_age_bands": .integerList([15, 35, 25])], "donor_age_bands"),
        (["covered_labour_status": .integerList([])], "covered_labour_status"),
    ])
    func checks(changes: [String: ParameterValue], key: String) throws {
        let error = #expect(throws: InputError.self) { _ = try Self.scheme(changes) }
        #expect(error?.message.contains(key) == true)
    }

    @Test("a donor is drawn with probability proportional to the household weight")
    func weightedDonors() throws {
        let rows = [
            SurveyRow(household: 1, id: 1, weight: 1, age: 30, labourStatus: 1, earnings: 1000),
            SurveyRow(household: 2, id: 2, weight: 3, age: 31, labourStatus: 1, earnings: 2000),
        ]
        let ui = try Self.scheme([:])
        let population = try Survey.population(rows, reading: [ui])
        let pool = WageDonorPool(population: population, ageBandStarts: [15, 25, 35], minimumDonors: 1)
        let stream = RandomStream(seed: 17)
        let draws = (0..<20_000).map { _ in pool.draw(job: 1, sex: 1, age: 33, region: 1, stream: stream) }
        #expect(Set(draws) == [1000, 2000])
        // P(2,000) = 3 / 4; binomial sd sqrt(0.1875 / 20,000) ≈ 0.0031; allow 4 sd.
        let share = Double(draws.filter { $0 == 2000 }.count) / 20_000
        #expect(abs(share - 0.75) < 0.0125)
        // No informal donor: an informal claimant falls back to all donors.
        #expect([1000, 2000].contains(pool.draw(job: 2, sex: 2, age: 60, region: 9, stream: stream)))
    }

    @Test("drawn spells have the mean of their distribution", arguments: ["geometric", "exponential"])
    func meanDuration(distribution: String) throws {
        let ui = try Self.scheme([
            "covered_labour_status": .integerList([1, 2]), "covered_contract_types": .integerList([]),
            "qualifying_months": .number(0), "duration_distribution": .text(distribution),
            "mean_spell_months": .number(4), "max_duration_months": .number(120),
        ])
        let population = try Survey.population(Survey.synthetic(households: 8000), reading: [ui])
        let result = Survey.apply(ui, on: population, seed: 1)
        let claimants = result.total("eligible_persons", of: ui), months = result.total("benefit_months", of: ui)
        // Mean 4; sd of a spell ≈ 3.5 (geometric) or 4 (exponential); n ≈ 7,000 → se ≈ 0.05; allow 4 se.
        #expect(claimants > 6000)
        #expect(abs(months / claimants - 4) < 4 * 4 / claimants.squareRoot())
    }

    @Test("the maximum duration cuts spells: mean paid months of a geometric spell with mean 4, at most 6")
    func cappedDuration() throws {
        let ui = try Self.scheme([
            "covered_labour_status": .integerList([1, 2]), "covered_contract_types": .integerList([]),
            "qualifying_months": .number(0), "duration_distribution": .text("geometric"), "mean_spell_months": .number(4),
        ])
        let population = try Survey.population(Survey.synthetic(households: 8000), reading: [ui])
        let result = Survey.apply(ui, on: population, seed: 2)
        // By hand: E[min(D, 6)] = Σ_{k=0}^{5} (3/4)^k = 4 (1 − (3/4)^6) ≈ 3.288; sd of min(D, 6) ≈ 1.9.
        let claimants = result.total("eligible_persons", of: ui), months = result.total("benefit_months", of: ui)
        #expect(abs(months / claimants - 4 * (1 - pow(0.75, 6))) < 4 * 1.9 / claimants.squareRoot())
    }

    @Test("take-up, wages and spells do not depend on threads, chunk size or the order of households")
    func determinism() throws {
        let ui = try Self.scheme([
            "covered_labour_status": .integerList([1, 2]), "covered_contract_types": .integerList([]),
            "duration_distribution": .text("geometric"), "min_donors": .number(3), "take_up_rate": .number(0.7),
        ])
        let rows = Survey.synthetic(households: 1200)
        let serial = try Survey.perHousehold(ui, rows: rows, threads: 1, chunkSize: 4096)
        #expect(try Survey.perHousehold(ui, rows: rows, threads: 2, chunkSize: 9) == serial)
        #expect(try Survey.perHousehold(ui, rows: Survey.reversedHouseholds(rows), threads: 2, chunkSize: 50) == serial)
    }
}
