import Foundation
import Testing
@testable import SimKernel

/// The engine's public values cross threads (Swift 6 strict concurrency):
/// this compiles only if they are Sendable.
@Suite("Sendable values and one definition per statistic")
struct SendableTests {
    func requireSendable<T: Sendable>(_: T.Type) {}

    @Test("every public result and option type is Sendable")
    func sendable() {
        requireSendable(WelfareAnalysis.self)
        requireSendable(WelfareProfile.self)
        requireSendable(WelfareComparison.self)
        requireSendable(IndicatorOptions.self)
        requireSendable(IndicatorTable.self)
        requireSendable(Estimate.self)
        requireSendable(Incidence.self)
        requireSendable(SurveyDesign.self)
        requireSendable(Grouping.self)
        requireSendable(WelfareFile.self)
        requireSendable(HouseholdWelfare.self)
        requireSendable(Inference.self)
        requireSendable(AnalysisWarning.self)
        requireSendable(WelfareConcept.self)
        requireSendable(WelfareData.self)
    }

    /// `scenario run` still uses WelfareDistribution's own Gini and FGT (Gini.swift, Poverty.swift);
    /// they must give the engine's numbers.
    @Test("WelfareDistribution.gini and fgt(alpha:line:) equal the engine's Gini and FGT")
    func legacyAgrees() throws {
        let d = StatisticsFixtures.eusilc.distribution
        let p = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(10000)]), design: SurveyDesign(units: d.count)).profile(of: d)
        #expect(StatisticsFixtures.close(d.gini, p.value(.gini), 1e-13))
        #expect(StatisticsFixtures.close(d.mean, p.value(.mean), 1e-15))
        for alpha in [0.0, 1, 2] {
            #expect(StatisticsFixtures.close(d.fgt(alpha: alpha, line: 10000), p.value(.fgt(alpha: alpha, line: 0)), 1e-13))
        }
    }
}
