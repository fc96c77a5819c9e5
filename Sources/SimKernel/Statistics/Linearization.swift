import Foundation

/// Taylor linearisation: the linearised variable (influence function times
/// weight) of each indicator that has one, summed by PSU.
///
/// For an estimator θ(w) that is a smooth function of weighted totals, the
/// linearised variable of entry i is `u_i = w_i ∂θ/∂w_i`; its PSU totals
/// go into ``SurveyDesign/variance(psuTotals:)``. This gives exactly R
/// survey's `svymean` (`u = w (y − ȳ) / W`), `svytotal` (`u = w y`) and
/// `svyratio` (`u = w (y − R x) / X`). For a group (a domain) the entries
/// outside the group have `u = 0` but every PSU and stratum of the design
/// stays, as survey does for `svyby` and `subset`.
///
/// | indicator | u_i |
/// |---|---|
/// | population | w |
/// | mean | w (y − μ) / W |
/// | FGT(α) at a fixed line z | w (g_i − FGT) / W, g_i = ((z − y)/z)^α [y < z] |
/// | Watts at a fixed line | w (log(z/y) [y < z] − Watts) / W₊ on y > 0 |
/// | poor persons, money gap at a fixed line | w [y < z], periods · w s/n (z − y) [y < z] |
/// | GE, Atkinson | w (∂θ/∂W + ∂θ/∂Y y + ∂θ/∂T f(y)) on the eligible set (``InequalityMoments/gradient(_:w:y:t:)``) |
/// | Gini | w [2 y C₋ − 2 Y₋ + Y − W y − G (Y + W y)] / (W Y), C₋, Y₋ the weight and income of entries before i (Langel and Tillé 2013) |
/// | group population share s, contribution c | (w [i ∈ g] − s w) / W, (w g_i [i ∈ g] − c w) / W |
///
/// Indicators that depend on a quantile (median, quantiles, shares, S80/S20,
/// Palma, anything at a relative line, the relative median gap) have no
/// linearisation here: use the bootstrap.
struct Linearization {
    let layout: IndicatorLayout
    let design: SurveyDesign

    /// Adds the linearised variable of `indicator` in one block to the PSU totals `z`.
    ///
    /// - Parameters:
    ///   - sample: The block's entries (the whole population or one group).
    ///   - values: The block's point estimates (``IndicatorLayout`` order, group extras included).
    ///   - overall: The whole population and its values (for group shares and contributions).
    /// - Returns: `false` if the indicator has no linearisation (`z` is then untouched).
    func addInfluence(of indicator: Indicator, sample s: SortedSample, values: ArraySlice<Double>,
                      overall: SortedSample, overallValues: ArraySlice<Double>,
                      into z: UnsafeMutableBufferPointer<Double>) -> Bool {
        func value(_ i: Indicator) -> Double { values[values.startIndex + layout.offset(of: i)] }
        func fixedLine(_ k: Int) -> Double? {
            if case .absolute(let line) = layout.options.lines[k] { return line }
            return nil
        }
        let total = value(.population)
        let y = s.y, w = s.weight, psu = s.psu
        func add(_ i: Int, _ u: Double) { z[Int(psu[i])] += u }
        switch indicator {
        case .population:
            for i in 0..<s.count { add(i, w[i]) }
        case .mean:
            let mu = value(.mean)
            for i in 0..<s.count { add(i, w[i] * (y[i] - mu) / total) }
        case .gini:
            let g = value(.gini), income = value(.mean) * total
            guard g.isFinite else { return false }
            var c = CompensatedSum(), yc = CompensatedSum()
            for i in 0..<s.count {
                let u = 2 * y[i] * c.value - 2 * yc.value + income - total * y[i] - g * (income + total * y[i])
                add(i, w[i] * u / (total * income))
                c.add(w[i])
                yc.add(w[i] * y[i])
            }
        case .generalizedEntropy, .atkinson:
            guard let measure = layout.moments.measures.first(where: { m in
                switch (m.kind, indicator) {
                case (.generalizedEntropy(let a), .generalizedEntropy(let b)): return a == b
                case (.atkinson(let a), .atkinson(let b)): return a == b
                default: return false
                }
            }) else { return false }
            let f = s.transformed[measure.transform]
            let from = s.start(of: layout.moments.transforms[measure.transform].eligibility)
            var ws = CompensatedSum(), ys = CompensatedSum(), ts = CompensatedSum()
            for i in from..<s.count {
                ws.add(w[i])
                ys.add(w[i] * y[i])
                ts.add(w[i] * f[i])
            }
            guard InequalityMoments.index(measure.kind, w: ws.value, y: ys.value, t: ts.value).isFinite else { return false }
            let d = InequalityMoments.gradient(measure.kind, w: ws.value, y: ys.value, t: ts.value)
            for i in from..<s.count { add(i, w[i] * (d.dW + d.dY * y[i] + d.dT * f[i])) }
        case .line(let k):
            return fixedLine(k) != nil  // a fixed line has no sampling error: z stays zero
        case .poorPersons(let k):
            guard let line = fixedLine(k) else { return false }
            for i in 0..<s.count where y[i] < line { add(i, w[i]) }
        case .fgt(let alpha, let k):
            guard let line = fixedLine(k) else { return false }
            let fgt = value(indicator)
            for i in 0..<s.count { add(i, w[i] * (Self.fgtTerm(y[i], line: line, alpha: alpha) - fgt) / total) }
        case .watts(let k):
            guard let line = fixedLine(k) else { return false }
            let watts = value(indicator)
            let positive = s.weight[s.firstPositive...].reduce(into: CompensatedSum()) { $0.add($1) }.value
            for i in s.firstPositive..<s.count {
                let g = y[i] < line ? log(line) - s.logY[i] : 0
                add(i, w[i] * (g - watts) / positive)
            }
        case .povertyGapMoney(let k):
            guard let line = fixedLine(k) else { return false }
            let periods = layout.options.periodsPerYear
            for i in 0..<s.count where y[i] < line { add(i, periods * w[i] * (s.equivalents?[i] ?? 1) * (line - y[i])) }
        case .populationShare, .fgtContribution:
            let nationalTotal = overallValues[overallValues.startIndex + layout.offset(of: .population)]
            let estimate = value(indicator)
            var alpha = 0.0, line = Double.infinity
            if case .fgtContribution(let a, let k) = indicator {
                guard let fixed = fixedLine(k) else { return false }
                alpha = a
                line = fixed
            }
            let isShare = indicator == .populationShare
            for i in 0..<s.count {
                add(i, w[i] * (isShare ? 1 : Self.fgtTerm(y[i], line: line, alpha: alpha)) / nationalTotal)
            }
            for i in 0..<overall.count { z[Int(overall.psu[i])] -= estimate * overall.weight[i] / nationalTotal }
        default:
            return false
        }
        return true
    }

    /// Whether ``addInfluence(of:sample:values:overall:overallValues:into:)``
    /// handles `indicator` (it may still decline an undefined estimate).
    func supports(_ indicator: Indicator) -> Bool {
        switch indicator {
        case .population, .populationShare, .mean, .gini, .generalizedEntropy, .atkinson:
            return true
        case .line(let k), .poorPersons(let k), .fgt(_, let k), .watts(let k), .povertyGapMoney(let k),
             .fgtContribution(_, let k):
            return !layout.options.lines[k].isRelative
        default:
            return false
        }
    }

    /// ((z − y)/z)^α if y < z, else 0.
    @inline(__always)
    static func fgtTerm(_ y: Double, line z: Double, alpha: Double) -> Double {
        guard y < z else { return 0 }
        let g = (z - y) / z
        switch alpha {
        case 0: return 1
        case 1: return g
        case 2: return g * g
        default: return pow(g, alpha)
        }
    }
}
