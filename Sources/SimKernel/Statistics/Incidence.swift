/// Who gains from a reform: its effect by decile of **baseline** welfare.
///
/// Deciles are by value, as for decile shares: decile k holds the persons
/// with `q_(k−1) < y_baseline ≤ q_k`, the `q` being the baseline's weighted
/// deciles by the analysis' quantile definition, so tied persons (the
/// members of a household) are never split. With `Δ = y_reform − y_baseline`
/// per person and person weights `w`, for each decile D:
///
/// | field | definition |
/// |---|---|
/// | `populationShare` | Σ_D w / Σ w |
/// | `baselineMean` | Σ_D w y_baseline / Σ_D w |
/// | `meanGain` | Σ_D w Δ / Σ_D w (welfare units per person, per period) |
/// | `gainPercent` | 100 × Σ_D w Δ / Σ_D w y_baseline (a ratio of means, not a mean of ratios) |
/// | `shareOfGains` | Σ_D w e Δ / Σ w e Δ, e = adult equivalents per person (money: the decile's share of the net transfer) |
/// | `gaining`, `losing`, `unchanged` | Σ_D w [Δ > τ], [Δ < −τ], [|Δ| ≤ τ] over Σ_D w; τ = ``IndicatorOptions/unchangedTolerance`` |
///
/// The `total` row is the same over everyone. Point estimates only.
public struct Incidence: Sendable, Equatable {
    /// One decile's (or the total's) figures.
    public struct Row: Sendable, Equatable {
        /// Σ_D w / Σ w.
        public let populationShare: Double
        /// Σ_D w y_baseline / Σ_D w.
        public let baselineMean: Double
        /// Σ_D w Δ / Σ_D w, welfare units per person per period.
        public let meanGain: Double
        /// 100 × Σ_D w Δ / Σ_D w y_baseline.
        public let gainPercent: Double
        /// Σ_D w e Δ / Σ w e Δ: the decile's share of the net money gain.
        public let shareOfGains: Double
        /// Share of the decile's persons with Δ > τ.
        public let gaining: Double
        /// Share with Δ < −τ.
        public let losing: Double
        /// Share with |Δ| ≤ τ.
        public let unchanged: Double
    }

    /// Deciles 1 (poorest) to 10.
    public let deciles: [Row]
    /// Everyone.
    public let total: Row

    /// Computes the incidence of `reform` against `baseline` on the same units.
    ///
    /// - Parameters:
    ///   - order: The units in ascending baseline welfare.
    /// - Precondition: both distributions describe the same units with the same weights.
    init(baseline: WelfareDistribution, reform: WelfareDistribution, order: [Int32], options: IndicatorOptions) {
        let n = baseline.count
        precondition(reform.count == n, "baseline and reform describe different units")
        let w = baseline.personWeight, yb = baseline.welfare, yr = reform.welfare
        let e = baseline.equivalentsPerPerson
        var sortedY = [Double](repeating: 0, count: n), sortedW = sortedY, cumulative = sortedY
        var c = CompensatedSum()
        for (i, o) in order.enumerated() {
            sortedY[i] = yb[Int(o)]
            sortedW[i] = w[Int(o)]
            c.add(sortedW[i])
            cumulative[i] = c.value
        }
        var cuts = [Int](repeating: n, count: 11)
        cuts[0] = 0
        sortedY.withUnsafeBufferPointer { y in
            sortedW.withUnsafeBufferPointer { sw in
                cumulative.withUnsafeBufferPointer { cw in
                    for k in 1...9 {
                        let q = options.quantileDefinition.quantile(Double(k) / 10, y: y, weight: sw, cumulative: cw, count: n)
                        cuts[k] = IndicatorKernel.upperBound(y, q)
                    }
                }
            }
        }
        let tau = options.unchangedTolerance
        var sums = [[CompensatedSum]](repeating: [CompensatedSum](repeating: CompensatedSum(), count: 7), count: 11)
        // Per decile: w, w yb, w Δ, w e Δ, gaining, losing, unchanged; row 10 is everyone.
        for d in 0..<10 {
            for i in cuts[d]..<cuts[d + 1] {
                let h = Int(order[i])
                let delta = yr[h] - yb[h]
                let wh = w[h]
                let status = delta > tau ? 4 : delta < -tau ? 5 : 6
                let money = wh * (e?[h] ?? 1) * delta
                for row in stride(from: d, through: 10, by: 10 - d) {  // the decile's row, then everyone's
                    sums[row][0].add(wh)
                    sums[row][1].add(wh * yb[h])
                    sums[row][2].add(wh * delta)
                    sums[row][3].add(money)
                    sums[row][status].add(wh)
                }
            }
        }
        let totalWeight = sums[10][0].value, totalMoney = sums[10][3].value
        func row(_ s: [CompensatedSum]) -> Row {
            let weight = s[0].value
            return Row(populationShare: weight / totalWeight, baselineMean: s[1].value / weight,
                       meanGain: s[2].value / weight, gainPercent: 100 * s[2].value / s[1].value,
                       shareOfGains: s[3].value / totalMoney, gaining: s[4].value / weight,
                       losing: s[5].value / weight, unchanged: s[6].value / weight)
        }
        deciles = (0..<10).map { row(sums[$0]) }
        total = row(sums[10])
    }
}
