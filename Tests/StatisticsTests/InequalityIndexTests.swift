import Foundation
import Testing
@testable import SimKernel

/// Inequality and poverty indices on samples small enough to check by hand.
@Suite("Inequality and poverty indices checked by hand")
struct InequalityIndexTests {
    func profile(_ y: [Double], _ w: [Double], _ options: IndicatorOptions = IndicatorOptions()) throws -> WelfareProfile {
        try WelfareAnalysis(options: options, design: SurveyDesign(units: y.count))
            .profile(of: WelfareDistribution(welfare: y, personWeight: w))
    }

    /// y = −1, 0, 1, 2, 4, 8, weight 1 each.
    /// - GE(0), GE(1), Atkinson(1), Atkinson(2) leave out y ≤ 0 and use 1, 2, 4, 8 (μ = 3.75):
    ///   MLD = log 3.75 − (log 1 + log 2 + log 4 + log 8)/4 = log 3.75 − 1.5 log 2 = 0.2820350691424016;
    ///   Theil = ¼ Σ (y/μ) log(y/μ) = 0.24937776928688987;
    ///   Atkinson(1) = 1 − (1·2·4·8)^¼ / 3.75 = 1 − 2^1.5 / 3.75 = 0.2457527667343492;
    ///   Atkinson(2) = 1 − (harmonic mean 4 / 1.875) / 3.75 = 1 − 2.1333… / 3.75 = 0.43111…
    /// - Atkinson(0.5) leaves out y < 0 and uses 0, 1, 2, 4, 8 (μ = 3):
    ///   1 − ((0 + 1 + √2 + 2 + √8)/5)² / 3 = 0.30058874503045707.
    /// - GE(2) keeps every unit (μ = 14/6, mean of y² = 86/6): ½ (86/6 / (14/6)² − 1) = 960/1176.
    @Test("GE(0), GE(1), GE(2) and Atkinson 0.5, 1, 2, with zero and negative welfare left out where undefined")
    func entropyAndAtkinson() throws {
        let p = try profile([8, -1, 2, 0, 4, 1], [1, 1, 1, 1, 1, 1])
        let expected: [(Indicator, Double)] = [
            (.generalizedEntropy(0), log(3.75) - 1.5 * log(2.0)), (.generalizedEntropy(1), 0.24937776928688987),
            (.generalizedEntropy(2), 960.0 / 1176), (.atkinson(0.5), 0.30058874503045707),
            (.atkinson(1), 1 - pow(2, 1.5) / 3.75), (.atkinson(2), 1 - (4 / 1.875) / 3.75),
        ]
        for (indicator, value) in expected {
            #expect(StatisticsFixtures.close(p.value(indicator), value, 1e-14), "\(indicator): \(p.value(indicator)) vs \(value)")
        }
        // Never silently: the warnings count the units left out.
        #expect(p.warnings.map(\.message).contains { $0.hasPrefix("2 of 6 units have welfare <= 0 (2.0 weighted persons)") && $0.contains("mld, theil, atkinson_1, atkinson_2, watts") })
        #expect(p.warnings.map(\.message).contains { $0.hasPrefix("1 of 6 units have welfare < 0") && $0.contains("atkinson_0.5") })
    }

    /// y = 10, 20, 30, 40, 100, 200 with weights 2, 2, 2, 2.5, 1, 0.5 (W = 10, Σ w y = 420, μ = 42);
    /// C/W = 0.2, 0.4, 0.6, 0.85, 0.95, 1. laeken quantiles: q20 = 20 (first C/W > 0.2), q40 = 30,
    /// q80 = 40, q90 = 100.
    /// - Palma = Σ w y (y > 100) / Σ w y (y ≤ 30) = 100 / (20 + 40 + 60) = 5/6.
    /// - S80/S20 = Σ w y (y > 40) / Σ w y (y ≤ 20) = (100 + 100) / 60 = 10/3.
    /// - Quintile shares: (20+40)/420, 60/420, 100/420, 0, 200/420 (q60 = q80 = 40: quintile 4 is empty).
    /// - Gini = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ) = 47/105 (the pairwise sum is computed below).
    @Test("Palma, S80/S20, quintile shares and the Gini on a tiny weighted sample")
    func sharesAndGini() throws {
        let y: [Double] = [40, 10, 200, 20, 100, 30], w: [Double] = [2.5, 2, 0.5, 2, 1, 2]
        let p = try profile(y, w)
        #expect(StatisticsFixtures.close(p.value(.palma), 5.0 / 6, 1e-15))
        #expect(StatisticsFixtures.close(p.value(.s80s20), 10.0 / 3, 1e-15))
        let shares = (1...5).map { p.value(.quintileShare($0)) }
        for (ours, hand) in zip(shares, [60.0 / 420, 60.0 / 420, 100.0 / 420, 0, 200.0 / 420]) {
            #expect(StatisticsFixtures.close(ours, hand, 1e-15), "\(shares)")
        }
        #expect(p.value(.quintileMean(4)).isNaN)  // an empty quintile has no mean
        var pairwise = 0.0
        for i in y.indices { for j in y.indices { pairwise += w[i] * w[j] * abs(y[i] - y[j]) } }
        #expect(StatisticsFixtures.close(p.value(.gini), pairwise / (2 * 100 * 42), 1e-14))
        #expect(StatisticsFixtures.close(p.value(.gini), 47.0 / 105, 1e-14))
    }

    /// Line z = 100 on y = −50, 0, 50, 100, 150 (weights 1, 1, 2, 1, 1; W = 6); poor: y < 100 strictly.
    /// - FGT(0) = 4/6; FGT(1) = (1.5 + 1 + 2 × 0.5)/6 = 3.5/6; FGT(2) = (2.25 + 1 + 2 × 0.25)/6 = 3.75/6;
    ///   FGT(0.5) = (√1.5 + 1 + 2 √0.5)/6.
    /// - Watts leaves out y ≤ 0: 2 log(100/50) / 4.
    /// - Money gap per year, monthly welfare: 12 × (150 + 100 + 2 × 50) = 4200.
    @Test("FGT(α), Watts and the poverty gap in money at an absolute line, negative income kept")
    func poverty() throws {
        let options = IndicatorOptions(lines: [.absolute(100)], fgtAlphas: [0, 0.5, 1, 2])
        let p = try profile([150, 50, -50, 100, 0], [1, 2, 1, 1, 1], options)
        #expect(StatisticsFixtures.close(p.value(.fgt(alpha: 0, line: 0)), 4.0 / 6, 1e-15))
        #expect(StatisticsFixtures.close(p.value(.fgt(alpha: 1, line: 0)), 3.5 / 6, 1e-15))
        #expect(StatisticsFixtures.close(p.value(.fgt(alpha: 2, line: 0)), 3.75 / 6, 1e-15))
        #expect(StatisticsFixtures.close(p.value(.fgt(alpha: 0.5, line: 0)), (1.5.squareRoot() + 1 + 2 * 0.5.squareRoot()) / 6, 1e-15))
        #expect(StatisticsFixtures.close(p.value(.watts(line: 0)), 2 * log(2.0) / 4, 1e-15))
        #expect(p.value(.povertyGapMoney(line: 0)) == 4200)
        #expect(p.value(.poorPersons(line: 0)) == 4)
    }

    @Test("a relative line at 50% of the mean")
    func relativeToMean() throws {
        // mean = (10 + 20 + 30 + 140)/4 = 50; line 25: poor = {10, 20}.
        let p = try profile([10, 20, 30, 140], [1, 1, 1, 1], IndicatorOptions(lines: [.relative(share: 0.5, of: .mean)]))
        #expect(p.value(.line(0)) == 25)
        #expect(p.value(.fgt(alpha: 0, line: 0)) == 0.5)
    }

    @Test("the Gini is undefined (nan) when total income is zero")
    func zeroIncome() throws {
        // An absolute line: a relative one would be 0.6 × 0 = 0, which is refused (PovertyLineCheckTests).
        let p = try profile([0, 0, 0], [1, 2, 3], IndicatorOptions(lines: [.absolute(10)]))
        #expect(p.value(.gini).isNaN)
        #expect(p.value(.mean) == 0)
        #expect(p.value(.fgt(alpha: 0, line: 0)) == 1)
    }
}
