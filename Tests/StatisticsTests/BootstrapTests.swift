import Foundation
import Testing
@testable import SimKernel

/// The Rao-Wu rescaling bootstrap: determinism, and agreement with R within Monte Carlo error.
@Suite("Rao-Wu bootstrap")
struct BootstrapTests {
    let data = StatisticsFixtures.eusilc
    static let options = IndicatorOptions(lines: [.euAtRiskOfPoverty, .absolute(10000)], periodsPerYear: 1)

    @Test("replicate weights: n_h − 1 draws per stratum, factor n_h/(n_h − 1) per draw, the same for the same (seed, replicate)")
    func multipliers() throws {
        let bootstrap = try RaoWuBootstrap(design: data.design, replicates: 3, seed: 7)
        var m = [Double](repeating: 0, count: data.design.psuCount), again = m
        let stream = RandomStream()
        m.withUnsafeMutableBufferPointer { bootstrap.multipliers(replicate: 2, stream: stream, into: $0) }
        again.withUnsafeMutableBufferPointer { bootstrap.multipliers(replicate: 2, stream: RandomStream(seed: 99), into: $0) }
        #expect(m == again)
        for h in 0..<data.design.stratumCount {
            let range = data.design.psuStart[h]..<data.design.psuStart[h + 1]
            let n = Double(range.count)
            let draws = range.map { m[$0] * (n - 1) / n }
            #expect(abs(draws.reduce(0, +) - (n - 1)) < 1e-9)
            #expect(draws.allSatisfy { abs($0 - $0.rounded()) < 1e-9 })
        }
    }

    @Test("results are bit-identical for 1, 2 and 3 threads, groups and changes included")
    func threadCountInvariance() throws {
        let analysis = try WelfareAnalysis(options: Self.options, design: data.design, groupings: [data.region, data.sex])
        let reform = WelfareDistribution(welfare: zip(data.distribution.welfare, data.age).map { $0 + ($1 < 18 ? 1500 : 0) },
                                         personWeight: data.distribution.personWeight)
        let runs = try [1, 2, 3].map { threads in
            try analysis.compare(baseline: data.distribution, reform: reform,
                                 inference: .bootstrap(replicates: 37, seed: 2024), plan: ParallelPlan(threads: threads))
        }
        #expect(runs[0] == runs[1])
        #expect(runs[0] == runs[2])
        #expect(runs[0].change.overall[.gini]!.se! > 0)
    }

    @Test("the change between a distribution and itself has bootstrap SE 0: the replicates are paired")
    func pairing() throws {
        let analysis = try WelfareAnalysis(options: Self.options, design: data.design)
        let c = try analysis.compare(baseline: data.distribution, reform: data.distribution, inference: .bootstrap(replicates: 20, seed: 1))
        #expect(c.change.overall[.gini]!.se == 0)
        #expect(c.change.overall[.fgt(alpha: 0, line: 0)]!.se == 0)
        #expect(c.baseline.overall[.gini]!.se! > 0)
    }

    /// laeken's bootstrap (naive: n_h households redrawn per region, R = 1000)
    /// gave Gini SEs 0.3187, 0.3131, 0.3022 and ARPR SEs 0.5062, 0.4855, 0.4853
    /// (percent; seeds 123, 456, 789, untruncated incomes). A bootstrap SE from
    /// B replicates has a relative Monte Carlo SD of about 1/√(2(B−1)) = 2.24%
    /// (B = 1000), so ours minus the mean of R's three differs with relative SD
    /// √(1/(2·999) + 1/(3·2·999)) = 2.6%; we accept 3 SDs, 7.75%. The
    /// designs differ slightly (Rao-Wu draws n_h − 1 and rescales, naive draws
    /// n_h): the expected SEs differ by √(n_h/(n_h−1)) ≈ 1.0008, negligible.
    /// survey's own Rao-Wu (`as.svrepdesign(type = "subbootstrap")`) and its
    /// linearised SE give the mean's and FGT(0)'s SEs, judged the same way.
    @Test("SEs of the Gini and ARPR match laeken's bootstrap, and of the mean and FGT(0) survey's, within Monte Carlo error")
    func monteCarlo() throws {
        let analysis = try WelfareAnalysis(options: Self.options, design: data.design)
        let p = try analysis.profile(of: data.distribution, inference: .bootstrap(replicates: 1000, seed: 20240601))
        let variance: Double = 1 / (2 * 999.0) + 1 / (3 * 2 * 999.0)
        let band: Double = 3 * variance.squareRoot()
        func check(_ ours: Double, _ r: [Double], _ what: String) {
            let mean = r.reduce(0, +) / Double(r.count)
            let difference: Double = ours / mean - 1
            #expect(abs(difference) < band, "\(what): ours \(ours), R \(r) (mean \(mean)), relative difference \(difference), band \(band)")
        }
        let lb = StatisticsFixtures.reference["laeken_bootstrap"]
        let seeds = ["seed_123", "seed_456", "seed_789"]
        check(p.overall[.gini]!.se! * 100, seeds.map { lb["gini"]["naive_untruncated"][$0]["se"].double }, "gini")
        check(p.overall[.fgt(alpha: 0, line: 0)]!.se! * 100, seeds.map { lb["arpr"]["naive_untruncated"][$0]["se"].double }, "arpr")
        let sb = StatisticsFixtures.extra["survey_subbootstrap_1000"]
        check(p.overall[.mean]!.se!, ["seed_1", "seed_2", "seed_3"].map { sb[$0]["mean_se"].double }, "mean")
        check(p.overall[.fgt(alpha: 0, line: 1)]!.se!, ["seed_1", "seed_2", "seed_3"].map { sb[$0]["fgt0_se"].double }, "fgt0")
        // The percentile interval brackets the estimate and is close to laeken's (seed 123: 25.85 to 27.08 percent).
        let ci = p.overall[.gini]!.ci95!
        #expect(ci.lower < p.value(.gini) && p.value(.gini) < ci.upper)
        let lower: Double = ci.lower * 100, upper: Double = ci.upper * 100
        #expect(abs(lower - 25.85) < 0.15, "\(ci)")
        #expect(abs(upper - 27.08) < 0.15, "\(ci)")
    }

    @Test("R boot's percentile rule: order statistics at (B+1)α, interpolated on the normal scale")
    func percentileRule() {
        let t = (1...999).map(Double.init)      // B = 999: (B+1)·0.025 = 25 exactly, an order statistic
        #expect(RaoWuBootstrap.percentile(t, 0.025) == 25)
        #expect(RaoWuBootstrap.percentile(t, 0.975) == 975)
        let u = (1...1000).map(Double.init)     // B = 1000: rank 25.025, between the 25th and 26th
        let x = RaoWuBootstrap.percentile(u, 0.025)
        #expect(x > 25 && x < 25.1)
    }
}
