import Foundation
import Testing
@testable import SimKernel

/// Indicators by group and the additive FGT decomposition.
@Suite("Groups and the FGT decomposition")
struct DecompositionTests {
    let data = StatisticsFixtures.eusilc

    /// Σ_g (W_g / W) FGT_g = FGT mathematically; in floating point each
    /// contribution carries a few roundings, so "exactly" is to a few ulps
    /// (1e-14 relative).
    func expectAdditive(_ p: WelfareProfile, lines: Int, alphas: [Double]) {
        for tables in p.groups {
            let shares = tables.tables.map { $0.value(.populationShare) }
            #expect(abs(shares.reduce(0, +) - 1) < 1e-14, "\(tables.name) shares sum to \(shares.reduce(0, +))")
            for k in 0..<lines {
                for alpha in alphas {
                    let sum = tables.tables.map { $0.value(.fgtContribution(alpha: alpha, line: k)) }.reduce(0, +)
                    let total = p.value(.fgt(alpha: alpha, line: k))
                    #expect(StatisticsFixtures.close(sum, total, 1e-14), "\(tables.name), FGT(\(alpha)) line \(k): \(sum) vs \(total)")
                }
            }
        }
    }

    @Test("group contributions to FGT(0), FGT(1), FGT(2) sum to the national index, by region, by sex and by age band")
    func eusilc() throws {
        let age = Grouping.ageBands(AgeBand.standard, ages: data.age, householdStart: nil)
        let options = IndicatorOptions(lines: [.euAtRiskOfPoverty, .absolute(10000)], periodsPerYear: 1)
        let analysis = try WelfareAnalysis(options: options, design: data.design, groupings: [data.region, data.sex, age])
        let p = try analysis.profile(of: data.distribution)
        expectAdditive(p, lines: 2, alphas: [0, 1, 2])
        // eusilc has persons aged -1 (as in the original data): they form an extra group rather than vanish.
        #expect(p.groups(named: "age")!.labels == ["0-17", "18-64", "65+", "other ages"])
    }

    @Test("a person-level grouping of households weights each household by its members in the group")
    func personCells() throws {
        // Two households: A (2 adults, 1 child; welfare 100; weight 10), B (1 adult; welfare 40; weight 5).
        let d = WelfareDistribution(welfare: [100, 40], personWeight: [30, 5])
        let grouping = Grouping.persons(name: "child", labels: ["adult", "child"], codes: [0, 0, 1, 0], householdStart: [0, 3, 4])
        let options = IndicatorOptions(lines: [.absolute(50)])
        let p = try WelfareAnalysis(options: options, design: SurveyDesign(units: 2), groupings: [grouping]).profile(of: d)
        let adults = p.groups[0].tables[0], children = p.groups[0].tables[1]
        // Adults: 20 persons at 100 and 5 at 40 → FGT(0) = 5/25; children: 10 persons at 100 → 0.
        #expect(adults.value(.population) == 25)
        #expect(children.value(.population) == 10)
        #expect(adults.value(.fgt(alpha: 0, line: 0)) == 0.2)
        #expect(children.value(.fgt(alpha: 0, line: 0)) == 0)
        let adultMean: Double = (20 * 100 + 5 * 40) / 25
        #expect(adults.value(.mean) == adultMean)
        expectAdditive(p, lines: 1, alphas: [0, 1, 2])
    }

    @Test("contributions also add up in every bootstrap replicate, so their SEs are consistent")
    func replicatesAdditive() throws {
        let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.euAtRiskOfPoverty], periodsPerYear: 1),
                                           design: data.design, groupings: [data.region])
        let prepared = try analysis.prepare(data.distribution)
        let bootstrap = try RaoWuBootstrap(design: data.design, replicates: 5, seed: 9)
        let runs = bootstrap.run(plan: ParallelPlan(threads: 2)) { m, s in analysis.evaluate(prepared, multiplier: m, scratch: s) }
        let layout = analysis.layout
        for run in runs {
            let total = run[layout.offset(of: .fgt(alpha: 0, line: 0))]
            let sum = analysis.blockStarts[0].map { run[$0 + layout.offset(of: .fgtContribution(alpha: 0, line: 0))] }.reduce(0, +)
            #expect(StatisticsFixtures.close(sum, total, 1e-13))
        }
    }
}
