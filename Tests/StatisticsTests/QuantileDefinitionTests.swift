import Foundation
import Testing
@testable import SimKernel

/// laeken's and R survey's weighted quantiles, on inputs where they differ.
@Suite("Quantile definitions: laeken's weightedQuantile and survey's svyquantile")
struct QuantileDefinitionTests {
    /// `Tests/Fixtures/statistics/quantile-ties.csv`: 9 units, total weight 10.
    ///
    ///     sorted income  -50   0  100  100  150  200  200  400  600
    ///     weight           1   1    1    1    1    1    2    1    1
    ///     C / W          0.1 0.2  0.3  0.4  0.5  0.6  0.8  0.9  1.0
    ///
    /// The cumulative share hits 0.1, 0.2, 0.5, 0.8 and 0.9 exactly (ties at
    /// 100 and 200, a zero and a negative income). laeken takes the first unit
    /// with C/W > p (strictly), survey the last with C ≤ pW when it hits
    /// exactly, else the next:
    ///
    ///     p        0.1  0.2  0.25  0.5  0.75  0.8  0.9
    ///     laeken     0  100   100  200   200  400  600
    ///     survey   -50    0   100  150   200  200  400
    ///
    /// Then, by hand:
    /// - laeken: median 200, ARPT 0.6 × 200 = 120, poor (y < 120) = {-50, 0, 100, 100}:
    ///   ARPR 4/10 = 0.4; median of the poor (C/4 > 0.5 first at the third) = 100, RMPG (120 − 100)/120 = 1/6;
    ///   S80/S20 = Σ w y (y > q80 = 400) / Σ w y (y ≤ q20 = 100) = 600 / 150 = 4.
    /// - survey: median 150, ARPT 90, poor = {-50, 0}: ARPR 0.2; median of the poor: C ≤ 1 at -50, an
    ///   exact hit, so -50, RMPG (90 + 50)/90 = 14/9; S80/S20 = (400 + 600) / (−50 + 0) = −20.
    /// - mean = 1900 / 10 = 190; Gini = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ) = 0.5.
    static let expected: [QuantileDefinition: (quantiles: [Double], median: Double, arpr: Double, rmpg: Double, s80s20: Double)] = [
        .laeken: ([0, 100, 100, 200, 200, 400, 600], 200, 0.4, 1.0 / 6, 4),
        .survey: ([-50, 0, 100, 150, 200, 200, 400], 150, 0.2, 14.0 / 9, -20),
    ]
    static let probabilities = [0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9]

    func load() throws -> WelfareDistribution {
        let file = StatisticsFixtures.path("Tests/Fixtures/statistics/quantile-ties.csv")
        let population = try SurveyLoader(households: .rowPerUnit).load(file: file, variables: [
            VariableRequest(Variable("income", kind: .real, unit: "currency", summary: "income"), neededBy: "test")])
        return WelfareDistribution(welfare: population.reals("income").array, personWeight: population.weight.array)
    }

    @Test("on exact hits of the cumulative share the definitions differ as computed by hand", arguments: QuantileDefinition.allCases)
    func handComputed(definition: QuantileDefinition) throws {
        let options = IndicatorOptions(quantiles: Self.probabilities, quantileDefinition: definition)
        let p = try WelfareAnalysis(options: options, design: SurveyDesign(units: 9)).profile(of: try load())
        let e = Self.expected[definition]!
        #expect(Self.probabilities.map { p.value(.quantile($0)) } == e.quantiles)
        #expect(p.value(.median) == e.median)
        #expect(p.value(.line(0)) == 0.6 * e.median)
        #expect(p.value(.fgt(alpha: 0, line: 0)) == e.arpr)
        #expect(StatisticsFixtures.close(p.value(.medianPovertyGap(line: 0)), e.rmpg, 1e-15))
        #expect(p.value(.s80s20) == e.s80s20)
        #expect(p.value(.mean) == 190)
        #expect(StatisticsFixtures.close(p.value(.gini), 0.5, 1e-15))
    }

    @Test("R's own results on the fixture agree with the hand computation")
    func fixtureInR() {
        let r = StatisticsFixtures.extra["quantile_ties"]
        #expect(r["probs"].doubles == Self.probabilities)
        #expect(r["laeken"].doubles == Self.expected[.laeken]!.quantiles)
        #expect(r["survey_math"].doubles == Self.expected[.survey]!.quantiles)
    }

    @Test("the examples in reference.json (equal weights, ties, a zero weight, a floating-point near-hit, p below the first share)",
          arguments: ["equal_weights", "ties", "zero_weight", "float_near_hit", "below_first_share"])
    func referenceExamples(name: String) throws {
        let example = StatisticsFixtures.reference["quantile_definition_examples"][name]
        let x = example["x"].doubles, w = example["w"].doubles, probs = example["probs"].doubles
        let d = WelfareDistribution(welfare: x, personWeight: w)
        for (definition, key) in [(QuantileDefinition.laeken, "laeken_weightedQuantile"), (.survey, "survey_qrule_math")] {
            let options = IndicatorOptions(quantiles: probs, quantileDefinition: definition)
            let p = try WelfareAnalysis(options: options, design: SurveyDesign(units: x.count)).profile(of: d)
            #expect(probs.map { p.value(.quantile($0)) } == example[key].doubles, "\(name), \(definition)")
        }
    }
}
