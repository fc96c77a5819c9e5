import Foundation
import Testing
@testable import SimKernel

/// Taylor linearisation: influence functions and the design variance.
@Suite("Taylor linearisation")
struct LinearizationTests {
    /// A deterministic sample (SplitMix64): 60 units, some with zero or negative welfare.
    static func sample() -> WelfareDistribution {
        var state: UInt64 = 42
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        let y = (0..<60).map { i -> Double in i < 2 ? Double(i) - 1 : (50 + 400 * next() * next()).rounded() }
        let w = (0..<60).map { _ in 1 + 9 * next() }
        return WelfareDistribution(welfare: y, personWeight: w)
    }

    /// The linearised variable of unit k is w_k ∂θ/∂w_k. With every unit its own
    /// PSU, the PSU totals are the units' values, so each one can be checked
    /// against a central difference of the estimator in that unit's weight.
    @Test("every influence function equals the derivative of its estimator in the unit weights (finite differences)")
    func influenceFunctions() throws {
        let d = Self.sample()
        let groups = Grouping.units(name: "g", labels: ["a", "b"], codes: (0..<60).map { Int32($0 % 3 == 0 ? 1 : 0) })
        let options = IndicatorOptions(lines: [.absolute(150)], fgtAlphas: [0, 1, 2, 1.5], generalizedEntropy: [0, 1, 2, 0.5, -1],
                                       atkinson: [0.5, 1, 2, 1.5])
        let design = SurveyDesign(units: 60)
        let analysis = try WelfareAnalysis(options: options, design: design, groupings: [groups])
        let lin = Linearization(layout: analysis.layout, design: design)
        let base = try analysis.prepare(d)
        let point = analysis.evaluate(base, multiplier: nil, scratch: KernelScratch())
        let linearizable = analysis.layout.distribution.filter { lin.supports($0) && $0 != .line(0) }
        #expect(linearizable.count >= 15)
        for block in analysis.blocks {
            let indicators = analysis.layout.distribution + (block.group == nil ? [] : analysis.layout.groupExtras)
            let sample = block.group.map { base.groups[$0.0][$0.1] } ?? base.overall
            for (j, indicator) in indicators.enumerated() where lin.supports(indicator) && indicator != .line(0) {
                var z = [Double](repeating: 0, count: 60)
                let ok = z.withUnsafeMutableBufferPointer {
                    lin.addInfluence(of: indicator, sample: sample, values: point[block.start..<(block.start + indicators.count)],
                                     overall: base.overall, overallValues: point[0..<analysis.layout.distribution.count], into: $0)
                }
                #expect(ok, "\(indicator)")
                for k in [0, 1, 5, 17, 33, 59] {
                    let h = 1e-6
                    func at(_ factor: Double) throws -> Double {
                        var w = d.personWeight
                        w[k] *= factor
                        let p = try analysis.prepare(WelfareDistribution(welfare: d.welfare, personWeight: w))
                        return analysis.evaluate(p, multiplier: nil, scratch: KernelScratch())[block.start + j]
                    }
                    let derivative = (try at(1 + h) - at(1 - h)) / (2 * h)  // = w_k ∂θ/∂w_k
                    let scale = max(abs(point[block.start + j]), 1e-3)
                    #expect(abs(derivative - z[k]) <= 1e-6 * scale, "\(indicator) in block \(block.start), unit \(k): \(derivative) vs \(z[k])")
                }
            }
        }
    }

    /// `Tests/Fixtures/statistics/lonely-psu.csv`: strata A (PSUs 1, 2, 3), B (1, 2) and C (1 only);
    /// PSU codes repeat across strata (nested). R: statistics_extra.R with survey.lonely.psu = adjust / remove.
    @Test("a single-PSU stratum: fail names it; remove and adjust equal R survey's rules", arguments: ["adjust", "remove", "fail"])
    func lonelyPSU(rule: String) throws {
        let file = StatisticsFixtures.path("Tests/Fixtures/statistics/lonely-psu.csv")
        let population = try SurveyLoader(households: .rowPerUnit).load(file: file, variables: [
            VariableRequest(Variable("income", kind: .real, unit: "currency", summary: "income"), neededBy: "test"),
            VariableRequest(.category("stratum"), neededBy: "test"), VariableRequest(.category("psu"), neededBy: "test")])
        let stratum = population.category("stratum")
        let design = try SurveyDesign(stratum: stratum.codes.array, psu: population.category("psu").codes.array,
                                      stratumLabels: stratum.labels, lonelyPSU: LonelyPSURule(rawValue: rule)!)
        #expect(design.psuCount == 6 && design.lonelyStrata == ["C"])
        let d = WelfareDistribution(welfare: population.reals("income").array, personWeight: population.weight.array)
        let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(100)]), design: design)
        guard rule != "fail" else {
            #expect(throws: AnalysisError.lonelyPSU(stratum: "'C'")) { try analysis.profile(of: d, inference: .linearized) }
            #expect(throws: AnalysisError.lonelyPSU(stratum: "'C'")) { try analysis.profile(of: d, inference: .bootstrap(replicates: 10, seed: 1)) }
            #expect(AnalysisError.lonelyPSU(stratum: "'C'").description.contains("stratum 'C' has a single PSU"))
            return
        }
        let p = try analysis.profile(of: d, inference: .linearized)
        let r = StatisticsFixtures.extra["lonely_psu"][rule]
        for (indicator, key) in [(Indicator.mean, "mean"), (.fgt(alpha: 0, line: 0), "fgt0_z100"), (.poorPersons(line: 0), "total_poor_z100")] {
            #expect(StatisticsFixtures.close(p.overall[indicator]!.value, r[key]["value"].double, 1e-12))
            #expect(StatisticsFixtures.close(p.overall[indicator]!.se!, r[key]["se"].double, 1e-9), "\(rule) \(key)")
        }
    }

    @Test("a fixed line has SE 0; quantile-based indicators have none, and a warning says so")
    func coverage() throws {
        let d = Self.sample()
        let p = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(150), .euAtRiskOfPoverty]), design: SurveyDesign(units: 60))
            .profile(of: d, inference: .linearized)
        #expect(p.overall[.line(0)]!.se == 0)
        #expect(p.overall[.line(1)]!.se == nil && p.overall[.median]!.se == nil && p.overall[.fgt(alpha: 0, line: 1)]!.se == nil)
        #expect(p.overall[.gini]!.se! > 0)
        #expect(p.warnings.contains { $0.message.hasPrefix("no linearised SE for median, quantile, s80_s20, palma") })
    }
}
