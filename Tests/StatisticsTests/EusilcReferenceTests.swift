import Foundation
import Testing
@testable import SimKernel

/// Golden numbers from R on laeken's `eusilc` (14,827 persons, income
/// eqIncome, weight rb050): laeken 0.5.2 and survey 4.1-1 through
/// `Tests/Reference/eusilc_reference.R` (→ reference.json) and
/// `Tests/Reference/statistics_extra.R` (→ extra-reference.json).
/// Deterministic indicators to 1e-9 relative, linearised SEs to 1e-6
/// relative (the tolerances). If R's numbers are regenerated, rerun
/// the scripts; these tests read only the committed JSON.
@Suite("Golden numbers from R on laeken's eusilc")
struct EusilcReferenceTests {
    static let arpt = 0, fixed = 1   // line indices: EU-SILC's 60% of the median, z = 10000
    static let options = IndicatorOptions(lines: [.euAtRiskOfPoverty, .absolute(10000)], periodsPerYear: 1)
    let data = StatisticsFixtures.eusilc
    let ref = StatisticsFixtures.reference
    let extra = StatisticsFixtures.extra

    func profile(_ inference: Inference = .none, design: SurveyDesign? = nil) throws -> WelfareProfile {
        let analysis = try WelfareAnalysis(options: Self.options, design: design ?? data.design, groupings: [data.region, data.sex])
        return try analysis.profile(of: data.distribution, inference: inference)
    }

    func expectClose(_ ours: Double, _ r: Double, _ tolerance: Double, _ what: String) {
        #expect(StatisticsFixtures.close(ours, r, tolerance), "\(what): ours \(ours), R \(r), relative difference \(StatisticsFixtures.relative(ours, r))")
    }

    @Test("laeken's Gini, ARPT, ARPR, S80/S20, RMPG, mean, median and quantiles, to 1e-9")
    func national() throws {
        let p = try profile()
        let lk = ref["laeken"]
        expectClose(p.value(.gini), lk["gini"]["value_fraction"].double, 1e-9, "gini")
        expectClose(p.value(.line(Self.arpt)), lk["arpt"]["value"].double, 1e-9, "arpt")
        expectClose(p.value(.fgt(alpha: 0, line: Self.arpt)), lk["arpr"]["value_fraction"].double, 1e-9, "arpr")
        expectClose(p.value(.s80s20), lk["qsr"]["value"].double, 1e-9, "s80_s20")
        expectClose(p.value(.medianPovertyGap(line: Self.arpt)), lk["rmpg"]["value_fraction"].double, 1e-9, "rmpg")
        expectClose(p.value(.mean), lk["weighted_mean"]["value"].double, 1e-9, "mean")
        expectClose(p.value(.median), lk["weighted_median"]["value"].double, 1e-9, "median")
        let probs = lk["weighted_quantile"]["probs"].doubles, values = lk["weighted_quantile"]["value"].doubles
        for (q, v) in zip(probs, values) { expectClose(p.value(.quantile(q)), v, 1e-9, "quantile \(q)") }
    }

    @Test("FGT(0), FGT(1), FGT(2) at z = 10000, overall and by region and sex, to 1e-9")
    func fgtFixedLine() throws {
        let p = try profile()
        for alpha in [0.0, 1, 2] {
            let r = ref["fgt_fixed_line"]["fgt\(Int(alpha))"]
            expectClose(p.value(.fgt(alpha: alpha, line: Self.fixed)), r["value"].double, 1e-9, "fgt\(alpha)")
            for grouping in ["db040", "rb090"] {
                let tables = p.groups(named: grouping)!
                for (label, table) in zip(tables.labels, tables.tables) {
                    expectClose(table.value(.fgt(alpha: alpha, line: Self.fixed)), r["by_\(grouping)"][label].double, 1e-9,
                                "fgt\(alpha) \(grouping)=\(label)")
                }
            }
        }
    }

    @Test("laeken's breakdowns by region (db040) and sex (rb090): national threshold for ARPR and RMPG, own quintiles for S80/S20")
    func breakdowns() throws {
        let p = try profile()
        let lk = ref["laeken"]
        for grouping in ["db040", "rb090"] {
            let tables = p.groups(named: grouping)!
            // Labels are sorted byte-wise (R keeps factor level order), so match by label.
            #expect(tables.labels == (ref["metadata"]["breakdowns"][grouping].value as! [String]).sorted())
            for (label, t) in zip(tables.labels, tables.tables) {
                let by = "by_\(grouping)"
                expectClose(t.value(.gini), lk["gini"]["\(by)_fraction"][label].double, 1e-9, "gini \(label)")
                expectClose(t.value(.fgt(alpha: 0, line: Self.arpt)), lk["arpr"]["\(by)_fraction"][label].double, 1e-9, "arpr \(label)")
                expectClose(t.value(.line(Self.arpt)), lk["arpt"]["value"].double, 1e-15, "national arpt in \(label)")
                expectClose(t.value(.s80s20), lk["qsr"][by][label].double, 1e-9, "qsr \(label)")
                expectClose(t.value(.medianPovertyGap(line: Self.arpt)), lk["rmpg"][by][label].double / 100, 1e-9, "rmpg \(label)")
                expectClose(t.value(.mean), lk["weighted_mean"][by][label].double, 1e-9, "mean \(label)")
                expectClose(t.value(.median), lk["weighted_median"][by][label].double, 1e-9, "median \(label)")
                let probs = lk["weighted_quantile"]["probs"].doubles
                for (q, v) in zip(probs, lk["weighted_quantile"][by][label].doubles) {
                    expectClose(t.value(.quantile(q)), v, 1e-9, "quantile \(q) \(label)")
                }
            }
        }
    }

    @Test("a group analysed on its own gets laeken's own-threshold ARPT and ARPR")
    func ownThreshold() throws {
        let region = data.population.category("db040")
        for (code, label) in region.labels.enumerated() {
            let rows = (0..<data.distribution.count).filter { region.codes[$0] == Int32(code) }
            let subset = WelfareDistribution(welfare: rows.map { data.distribution.welfare[$0] },
                                             personWeight: rows.map { data.distribution.personWeight[$0] })
            let p = try WelfareAnalysis(options: Self.options, design: SurveyDesign(units: rows.count)).profile(of: subset)
            expectClose(p.value(.line(Self.arpt)), ref["laeken"]["arpt"]["by_db040"][label].double, 1e-9, "arpt \(label)")
            expectClose(p.value(.fgt(alpha: 0, line: Self.arpt)) * 100,
                        ref["laeken"]["arpr"]["by_db040_own_threshold"][label].double, 1e-9, "own arpr \(label)")
        }
    }

    @Test("GE(0), GE(1), GE(2), Atkinson, Palma, decile shares and means and Watts equal their formulas evaluated in R, to 1e-9")
    func inequalityFormulas() throws {
        let p = try profile()
        let r = extra["inequality"]
        expectClose(p.value(.generalizedEntropy(0)), r["mld"].double, 1e-9, "mld")
        expectClose(p.value(.generalizedEntropy(1)), r["theil"].double, 1e-9, "theil")
        expectClose(p.value(.generalizedEntropy(2)), r["ge2"].double, 1e-9, "ge2")
        expectClose(p.value(.atkinson(0.5)), r["atkinson_0.5"].double, 1e-9, "atkinson 0.5")
        expectClose(p.value(.atkinson(1)), r["atkinson_1"].double, 1e-9, "atkinson 1")
        expectClose(p.value(.atkinson(2)), r["atkinson_2"].double, 1e-9, "atkinson 2")
        expectClose(p.value(.palma), extra["deciles"]["palma"].double, 1e-9, "palma")
        for (k, v) in extra["deciles"]["share"].doubles.enumerated() { expectClose(p.value(.decileShare(k + 1)), v, 1e-9, "decile share \(k + 1)") }
        for (k, v) in extra["deciles"]["mean"].doubles.enumerated() { expectClose(p.value(.decileMean(k + 1)), v, 1e-9, "decile mean \(k + 1)") }
        expectClose(p.value(.watts(line: Self.fixed)), extra["watts_z10000"].double, 1e-9, "watts")
        // The 3 persons with zero income are left out of the log-based indices, with a warning that counts them.
        #expect(p.warnings.contains { $0.group == nil && $0.message.hasPrefix("3 of 14827 units have welfare <= 0") })
    }

    @Test("linearised SEs of the mean and FGT(0..2) equal R survey's svymean, stratified and not, to 1e-6")
    func linearizedSE() throws {
        for (name, design) in [("stratified", data.design), ("unstratified", data.unstratified)] {
            let p = try profile(.linearized, design: design)
            let s = ref["survey"][name]
            expectClose(p.overall[.mean]!.se!, s["svymean_eqIncome"]["se"].double, 1e-6, "\(name) mean")
            expectClose(p.overall[.fgt(alpha: 0, line: Self.fixed)]!.se!, s["svymean_poor_z10000"]["se"].double, 1e-6, "\(name) fgt0")
            expectClose(p.overall[.fgt(alpha: 1, line: Self.fixed)]!.se!, s["svymean_fgt1_z10000"]["se"].double, 1e-6, "\(name) fgt1")
            expectClose(p.overall[.fgt(alpha: 2, line: Self.fixed)]!.se!, s["svymean_fgt2_z10000"]["se"].double, 1e-6, "\(name) fgt2")
            let m = p.overall[.mean]!
            #expect(StatisticsFixtures.close(m.ci95!.upper - m.value, 1.959963984540054 * m.se!, 1e-12))
        }
    }

    @Test("linearised SEs of totals, ratios and domain means equal survey's svytotal, svyratio and svyby, to 1e-6")
    func totalsRatiosDomains() throws {
        let p = try profile(.linearized)
        let fgt0 = Indicator.fgt(alpha: 0, line: Self.fixed)
        expectClose(p.overall[.poorPersons(line: Self.fixed)]!.value, extra["total_poor_persons"]["value"].double, 1e-9, "poor persons")
        expectClose(p.overall[.poorPersons(line: Self.fixed)]!.se!, extra["total_poor_persons"]["se"].double, 1e-6, "poor persons se")
        expectClose(p.overall[.povertyGapMoney(line: Self.fixed)]!.value, extra["total_poverty_gap"]["value"].double, 1e-9, "gap")
        expectClose(p.overall[.povertyGapMoney(line: Self.fixed)]!.se!, extra["total_poverty_gap"]["se"].double, 1e-6, "gap se")
        let sex = p.groups(named: "rb090")!
        let female = sex.tables[sex.labels.firstIndex(of: "female")!]
        for (indicator, key) in [(Indicator.fgtContribution(alpha: 0, line: Self.fixed), "ratio_female_fgt0_contribution"),
                                 (.populationShare, "ratio_female_population_share")] {
            expectClose(female[indicator]!.value, extra[key]["value"].double, 1e-9, key)
            expectClose(female[indicator]!.se!, extra[key]["se"].double, 1e-6, "\(key) se")
        }
        for (grouping, key, indicator) in [("rb090", "domain_fgt0_by_rb090", fgt0), ("db040", "domain_fgt0_by_db040", fgt0),
                                           ("db040", "domain_fgt1_by_db040", Indicator.fgt(alpha: 1, line: Self.fixed)),
                                           ("rb090", "domain_mean_by_rb090", Indicator.mean)] {
            let tables = p.groups(named: grouping)!
            for (label, t) in zip(tables.labels, tables.tables) {
                expectClose(t[indicator]!.value, extra[key][label]["value"].double, 1e-9, "\(key) \(label)")
                expectClose(t[indicator]!.se!, extra[key][label]["se"].double, 1e-6, "\(key) \(label) se")
            }
        }
    }

    @Test("the SE of a change (reform minus baseline on the same persons) equals survey's svycontrast, to 1e-6")
    func changeSE() throws {
        let reform = WelfareDistribution(welfare: zip(data.distribution.welfare, data.age).map { $0 + ($1 < 18 ? 2000 : 0) },
                                         personWeight: data.distribution.personWeight)
        let analysis = try WelfareAnalysis(options: Self.options, design: data.design)
        let c = try analysis.compare(baseline: data.distribution, reform: reform, inference: .linearized)
        let fgt0 = Indicator.fgt(alpha: 0, line: Self.fixed)
        expectClose(c.change[.mean]!.value, extra["change_mean"]["value"].double, 1e-9, "change of mean")
        expectClose(c.change.overall[.mean]!.se!, extra["change_mean"]["se"].double, 1e-6, "se of change of mean")
        expectClose(c.change.value(fgt0), extra["change_fgt0"]["value"].double, 1e-9, "change of fgt0")
        expectClose(c.change.overall[fgt0]!.se!, extra["change_fgt0"]["se"].double, 1e-6, "se of change of fgt0")
        expectClose(c.reform.overall[fgt0]!.se!, extra["reform_fgt0"]["se"].double, 1e-6, "se of reform fgt0")
        // Pairing matters: the change's SE is far below the unpaired sqrt(se_b^2 + se_r^2).
        let unpaired = (pow(c.baseline.overall[fgt0]!.se!, 2) + pow(c.reform.overall[fgt0]!.se!, 2)).squareRoot()
        #expect(c.change.overall[fgt0]!.se! < unpaired / 2)
    }
}

extension WelfareProfile {
    subscript(_ indicator: Indicator) -> Estimate? { overall[indicator] }
}
