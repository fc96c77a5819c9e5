import Testing
@testable import SimKernel

/// A poverty line is a finite number > 0, as given and as computed: a
/// relative share in (0, 10], and a relative line whose value in the data
/// is not finite and > 0 is refused, never used (an infinite line made
/// everyone poor, FGT(0) = 1, without a word).
@Suite("Poverty lines are finite and positive")
struct PovertyLineCheckTests {
    @Test("a relative share outside (0, 10] is refused", arguments: [1e308, 10.5, 0, -0.6, .infinity, .nan])
    func shareRange(share: Double) {
        #expect(throws: AnalysisError.self) {
            try IndicatorOptions(lines: [.relative(share: share, of: .median)]).validate()
        }
    }

    @Test("shares in (0, 10] are accepted", arguments: [0.4, 0.6, 1, 10])
    func shareAccepted(share: Double) throws {
        try IndicatorOptions(lines: [.relative(share: share, of: .median)]).validate()
    }

    @Test("a relative line of a zero median is refused, naming the line")
    func zeroMedian() throws {
        // Weighted median of {0 (weight 3), 10 (weight 1)} is 0, so 0.6 × median = 0.
        let d = WelfareDistribution(welfare: [0, 10], personWeight: [3, 1])
        let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.relative(share: 0.6, of: .median)]),
                                           design: SurveyDesign(units: 2))
        let error = try #require(throws: AnalysisError.self) { try analysis.profile(of: d) }
        #expect(error.description.contains("0.6 median"))
        #expect(error.description.contains("finite number > 0"))
        let reform = WelfareDistribution(welfare: [0, 20], personWeight: [3, 1])
        #expect(throws: AnalysisError.self) { try analysis.compare(baseline: d, reform: reform) }
    }

    @Test("a relative line of a positive median is used")
    func positiveMedian() throws {
        // Median of {10 (weight 1), 20 (weight 3)} is 20; 0.6 × 20 = 12; the person at 10 (weight 1 of 4) is poor.
        let d = WelfareDistribution(welfare: [10, 20], personWeight: [1, 3])
        let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.relative(share: 0.6, of: .median)]),
                                           design: SurveyDesign(units: 2))
        let p = try analysis.profile(of: d)
        #expect(p.overall.value(.line(0)) == 12)
        #expect(p.overall.value(.fgt(alpha: 0, line: 0)) == 0.25)
    }
}
