import Foundation
import Testing
@testable import SimKernel

/// Household welfare from person rows, equivalence scales, and reform incidence.
@Suite("Household welfare, equivalence scales and incidence")
struct HouseholdWelfareTests {
    let data = StatisticsFixtures.eusilc

    var household: CategoryColumn { data.population.category("db030") }

    @Test("the OECD-modified scale with children aged 13 or less reproduces eusilc's eqSS for all 6,000 households")
    func oecdModified() throws {
        let loader = SurveyLoader(columnMap: ColumnMap(["weight": "rb050"]), households: .rowPerUnit)
        let p = try loader.load(file: StatisticsFixtures.path("Tests/Fixtures/eusilc/eusilc.csv"), variables: [
            VariableRequest(Variable("eqSS", kind: .real, unit: "adult equivalents", summary: "eqSS"), neededBy: "test")])
        let eqSS = p.reals("eqSS").array
        let h = try HouseholdWelfare(file: "eusilc.csv", income: data.distribution.welfare, household: household.codes.array,
                                     weight: data.distribution.personWeight, ages: data.age, scale: .oecdModified(),
                                     columns: ("db030", "rb050"))
        #expect(h.count == 6000)
        for k in 0..<h.count {
            #expect(abs(h.adultEquivalents[k] - eqSS[h.householdStart[k]]) < 1e-12, "household \(k)")
        }
    }

    @Test("other scales: square root, parametric, and a household of children only")
    func scales() {
        #expect(EquivalenceScale.squareRoot.adultEquivalents(adults: 2, children: 2) == 2)
        #expect(EquivalenceScale.perCapita.adultEquivalents(adults: 2, children: 3) == 5)
        #expect(EquivalenceScale.parametric(adultWeight: 1, childWeight: 0.5, elasticity: 1).adultEquivalents(adults: 2, children: 2) == 3)
        #expect(EquivalenceScale.parametric(childWeight: 1, elasticity: 0.5).adultEquivalents(adults: 3, children: 1) == 2)
        #expect(abs(EquivalenceScale.oecdModified().adultEquivalents(adults: 0, children: 2) - 1.3) < 1e-15)
    }

    /// eqIncome is the same for every member, so summing it over the members
    /// and dividing by the household size gives back eqIncome (to rounding):
    /// the household route must reproduce laeken's person-level figures.
    @Test("person rows grouped into households reproduce laeken's Gini, ARPR and by-sex ARPR (a person-level grouping), to 1e-9")
    func householdRoute() throws {
        let h = try HouseholdWelfare(file: "eusilc.csv", income: data.distribution.welfare, household: household.codes.array,
                                     weight: data.distribution.personWeight, ages: nil, scale: .perCapita, columns: ("db030", "rb050"))
        let sex = data.population.category("rb090")
        let grouping = Grouping.persons(name: "rb090", labels: sex.labels, codes: sex.codes.array, householdStart: h.householdStart)
        let strata = try h.perHousehold(data.population.category("db040").codes.array, column: "db040")
        let analysis = try WelfareAnalysis(options: IndicatorOptions(periodsPerYear: 1),
                                           design: SurveyDesign(stratum: strata, psu: nil), groupings: [grouping])
        let p = try analysis.profile(of: h.distribution, inference: .linearized)
        let lk = StatisticsFixtures.reference["laeken"]
        #expect(StatisticsFixtures.close(p.value(.gini), lk["gini"]["value_fraction"].double, 1e-9))
        #expect(StatisticsFixtures.close(p.value(.fgt(alpha: 0, line: 0)), lk["arpr"]["value_fraction"].double, 1e-9))
        for (label, t) in zip(p.groups[0].labels, p.groups[0].tables) {
            #expect(StatisticsFixtures.close(t.value(.fgt(alpha: 0, line: 0)), lk["arpr"]["by_rb090_fraction"][label].double, 1e-9))
        }
        // Households are the PSUs here, as in R's design: the linearised SE of the mean is survey's.
        let se = StatisticsFixtures.reference["survey"]["stratified"]["svymean_eqIncome"]["se"].double
        #expect(StatisticsFixtures.close(p.overall[.mean]!.se!, se, 1e-6))
    }

    @Test("a household whose rows are not adjacent, or whose members' weights differ, is an input error naming the line")
    func brokenHouseholds() {
        #expect {
            try HouseholdWelfare(file: "f.csv", income: [1, 2, 3], household: [5, 6, 5], weight: [1, 1, 1], ages: nil,
                                 scale: .perCapita, columns: ("hid", "w"), householdLabels: ["", "", "", "", "", "H5", "H6"])
        } throws: { error in
            let e = error as? InputError
            return e?.line == 4 && e?.field == "hid" && e!.message.contains("household 'H5' appears again") && e!.message.contains("line 2")
        }
        #expect {
            try HouseholdWelfare(file: "f.csv", income: [1, 2], household: [5, 5], weight: [1, 2], ages: nil,
                                 scale: .perCapita, columns: ("hid", "w"))
        } throws: { error in
            (error as? InputError)?.line == 3 && (error as? InputError)?.field == "w"
        }
        #expect(throws: AnalysisError.self) {
            try HouseholdWelfare(file: "f.csv", income: [1], household: [5], weight: [1], ages: nil,
                                 scale: .oecdModified(), columns: ("hid", "w"))
        }
    }

    /// Ten households of one person, weight 1, baseline welfare 10, 20, ..., 100 (one per decile);
    /// the reform gives +10 to the two poorest, takes 5 from the richest, leaves the rest.
    /// Total net gain 20 − 5 = 15: decile 1's share of gains 10/15, decile 10's −5/15.
    /// The cumulative shares hit k/10 exactly, so survey's (lower) deciles put one
    /// household in each decile; laeken's (upper) would put 20 in the first and
    /// leave the tenth empty.
    @Test("incidence by decile of baseline welfare, by hand")
    func incidence() throws {
        let base = (1...10).map { Double($0 * 10) }
        var after = base
        after[0] += 10
        after[1] += 10
        after[9] -= 5
        let w = [Double](repeating: 1, count: 10)
        let c = try WelfareAnalysis(options: IndicatorOptions(quantileDefinition: .survey), design: SurveyDesign(units: 10))
            .compare(baseline: WelfareDistribution(welfare: base, personWeight: w), reform: WelfareDistribution(welfare: after, personWeight: w))
        let d = c.incidence.deciles
        #expect(d.map(\.populationShare) == [Double](repeating: 0.1, count: 10))
        #expect(d[0].meanGain == 10 && d[0].gainPercent == 100 && d[0].gaining == 1 && d[0].unchanged == 0)
        #expect(d[1].gainPercent == 50)
        #expect(d[5].unchanged == 1 && d[5].meanGain == 0)
        #expect(d[9].losing == 1 && d[9].meanGain == -5)
        #expect(StatisticsFixtures.close(d[0].shareOfGains, 10.0 / 15, 1e-15) && StatisticsFixtures.close(d[9].shareOfGains, -5.0 / 15, 1e-15))
        #expect(c.incidence.total.meanGain == 1.5 && c.incidence.total.gaining == 0.2 && c.incidence.total.losing == 0.1)
        #expect(c.change.value(.mean) == 1.5)
    }
}
