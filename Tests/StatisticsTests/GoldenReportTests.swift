import Foundation
import Testing
@testable import SimKernel

/// Prints ours against R for every golden number, with relative differences,
/// for reviews and docs. Run by hand:
///     SIMRUN_STATS_REPORT=1 swift test --filter GoldenReportTests
@Suite("Golden report (by hand)", .enabled(if: ProcessInfo.processInfo.environment["SIMRUN_STATS_REPORT"] != nil))
struct GoldenReportTests {
    @Test("print ours and R's numbers side by side")
    func report() throws {
        let data = StatisticsFixtures.eusilc, ref = StatisticsFixtures.reference, extra = StatisticsFixtures.extra
        let options = IndicatorOptions(lines: [.euAtRiskOfPoverty, .absolute(10000)], periodsPerYear: 1)
        let analysis = try WelfareAnalysis(options: options, design: data.design, groupings: [data.region, data.sex])
        let p = try analysis.profile(of: data.distribution), lin = try analysis.profile(of: data.distribution, inference: .linearized)
        let boot = try analysis.profile(of: data.distribution, inference: .bootstrap(replicates: 1000, seed: 20240601))
        var out = String(format: "%-34@ %24@ %24@ %10@\n", "figure" as NSString, "simrun" as NSString, "R" as NSString, "rel.diff" as NSString)
        func row(_ name: String, _ ours: Double, _ r: Double) {
            out += String(format: "%-34@ %24.17g %24.17g %10.2e\n", name as NSString, ours, r, StatisticsFixtures.relative(ours, r))
        }
        let lk = ref["laeken"]
        row("gini", p.value(.gini), lk["gini"]["value_fraction"].double)
        row("arpt", p.value(.line(0)), lk["arpt"]["value"].double)
        row("arpr", p.value(.fgt(alpha: 0, line: 0)), lk["arpr"]["value_fraction"].double)
        row("s80_s20", p.value(.s80s20), lk["qsr"]["value"].double)
        row("rmpg", p.value(.medianPovertyGap(line: 0)), lk["rmpg"]["value_fraction"].double)
        row("mean", p.value(.mean), lk["weighted_mean"]["value"].double)
        row("median", p.value(.median), lk["weighted_median"]["value"].double)
        for a in 0...2 { row("fgt\(a) z=10000", p.value(.fgt(alpha: Double(a), line: 1)), ref["fgt_fixed_line"]["fgt\(a)"]["value"].double) }
        var worst = 0.0
        for name in ["db040", "rb090"] {
            let g = p.groups(named: name)!
            for (label, t) in zip(g.labels, g.tables) {
                for (ours, r) in [(t.value(.gini), lk["gini"]["by_\(name)_fraction"][label].double),
                                  (t.value(.fgt(alpha: 0, line: 0)), lk["arpr"]["by_\(name)_fraction"][label].double),
                                  (t.value(.s80s20), lk["qsr"]["by_\(name)"][label].double),
                                  (t.value(.medianPovertyGap(line: 0)), lk["rmpg"]["by_\(name)"][label].double / 100),
                                  (t.value(.mean), lk["weighted_mean"]["by_\(name)"][label].double),
                                  (t.value(.median), lk["weighted_median"]["by_\(name)"][label].double)] {
                    worst = max(worst, StatisticsFixtures.relative(ours, r))
                }
            }
        }
        out += String(format: "%-34@ %60@ %10.2e\n", "by db040 and rb090 (54 figures)" as NSString, "largest relative difference" as NSString, worst)
        let s = ref["survey"]["stratified"]
        row("se mean (linearised)", lin.overall[.mean]!.se!, s["svymean_eqIncome"]["se"].double)
        row("se fgt0 z=10000 (linearised)", lin.overall[.fgt(alpha: 0, line: 1)]!.se!, s["svymean_poor_z10000"]["se"].double)
        row("se fgt1 z=10000 (linearised)", lin.overall[.fgt(alpha: 1, line: 1)]!.se!, s["svymean_fgt1_z10000"]["se"].double)
        row("se fgt2 z=10000 (linearised)", lin.overall[.fgt(alpha: 2, line: 1)]!.se!, s["svymean_fgt2_z10000"]["se"].double)
        row("se poor persons (svytotal)", lin.overall[.poorPersons(line: 1)]!.se!, extra["total_poor_persons"]["se"].double)
        let lb = ref["laeken_bootstrap"]
        let seeds = ["seed_123", "seed_456", "seed_789"]
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        row("se gini (bootstrap vs laeken)", boot.overall[.gini]!.se! * 100, mean(seeds.map { lb["gini"]["naive_untruncated"][$0]["se"].double }))
        row("se arpr (bootstrap vs laeken)", boot.overall[.fgt(alpha: 0, line: 0)]!.se! * 100, mean(seeds.map { lb["arpr"]["naive_untruncated"][$0]["se"].double }))
        row("se gini (linearised vs laeken boot)", lin.overall[.gini]!.se! * 100, mean(seeds.map { lb["gini"]["naive_untruncated"][$0]["se"].double }))
        let sb = extra["survey_subbootstrap_1000"]
        row("se mean (bootstrap vs survey)", boot.overall[.mean]!.se!, mean(["seed_1", "seed_2", "seed_3"].map { sb[$0]["mean_se"].double }))
        row("se fgt0 (bootstrap vs survey)", boot.overall[.fgt(alpha: 0, line: 1)]!.se!, mean(["seed_1", "seed_2", "seed_3"].map { sb[$0]["fgt0_se"].double }))
        print(out)
    }
}
