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
    public struct Row: Sendable, Equatable, Codable {
        private enum CodingKeys: String, CodingKey {
            case populationShare = "population_share", baselineMean = "baseline_mean", meanGain = "mean_gain"
            case gainPercent = "gain_percent", shareOfGains = "share_of_gains", gaining, losing, unchanged
        }

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

    /// The decile boundaries of the baseline: decile k is `cuts[k]..<cuts[k + 1]` in welfare order.
    ///
    /// - Parameters:
    ///   - sortedWelfare: Baseline welfare in ascending order (`welfare[order[i]]`).
    ///   - sortedWeight: The person weights in the same order.
    /// - Returns: 11 indices, 0 first and the number of units last.
    static func cuts(sortedWelfare: [Double], sortedWeight: [Double], options: IndicatorOptions) -> [Int] {
        let n = sortedWelfare.count
        var cumulative = [Double](repeating: 0, count: n)
        var c = CompensatedSum()
        for i in 0..<n {
            c.add(sortedWeight[i])
            cumulative[i] = c.value
        }
        var cuts = [Int](repeating: n, count: 11)
        cuts[0] = 0
        sortedWelfare.withUnsafeBufferPointer { y in
            sortedWeight.withUnsafeBufferPointer { sw in
                cumulative.withUnsafeBufferPointer { cw in
                    for k in 1...9 {
                        let q = options.quantileDefinition.quantile(Double(k) / 10, y: y, weight: sw, cumulative: cw, count: n)
                        cuts[k] = IndicatorKernel.upperBound(y, q)
                    }
                }
            }
        }
        return cuts
    }

    /// Computes the incidence of `reform` against the baseline on the same units, with the baseline in
    /// welfare order and its decile boundaries known
    /// (``cuts(sortedWelfare:sortedWeight:options:)``): the baseline is read in order, the reform by `order`.
    ///
    /// - Parameters:
    ///   - sortedWelfare: Baseline welfare in ascending order (`welfare[order[i]]`).
    ///   - sortedWeight: The person weights in the same order.
    ///   - sortedEquivalents: The adult equivalents per person in the same order (`nil`: 1).
    ///   - reform: The reform's distribution, in the units' order.
    ///   - order: The units in ascending baseline welfare.
    /// - Precondition: both distributions describe the same units with the same weights.
    /// The incidence of these rows (a record read back).
    init(deciles: [Row], total: Row) {
        self.deciles = deciles
        self.total = total
    }

    init(sortedWelfare: [Double], sortedWeight: [Double], sortedEquivalents: [Double]?, reform: WelfareDistribution,
         order: [Int32], cuts: [Int], options: IndicatorOptions) {
        let n = order.count
        precondition(reform.count == n && sortedWelfare.count == n && sortedWeight.count == n && cuts.count == 11,
                     "baseline and reform describe different units")
        let tau = options.unchangedTolerance
        // Per decile: w, w yb, w Δ, w e Δ, gaining, losing, unchanged; row 10 is everyone.
        var sums = [CompensatedSum](repeating: CompensatedSum(), count: 11 * 7)
        sums.withUnsafeMutableBufferPointer { sums in
            sortedWeight.withUnsafeBufferPointer { w in
                sortedWelfare.withUnsafeBufferPointer { yb in
                    // The reform in baseline order, gathered in a loop of its own (independent loads, many in flight).
                    let sortedReform = reform.welfare.withUnsafeBufferPointer { yr in order.map { yr[Int($0)] } }
                    sortedReform.withUnsafeBufferPointer { yr in
                        do {
                            let e = sortedEquivalents
                            for d in 0..<10 {
                                for i in cuts[d]..<cuts[d + 1] {
                                    let delta = yr[i] - yb[i]
                                    let wh = w[i]
                                    let status = delta > tau ? 4 : delta < -tau ? 5 : 6
                                    let money = wh * (e?[i] ?? 1) * delta
                                    let wy = wh * yb[i], wd = wh * delta
                                    @inline(__always) func add(_ s: Int) {
                                        sums[s].add(wh)
                                        sums[s + 1].add(wy)
                                        sums[s + 2].add(wd)
                                        sums[s + 3].add(money)
                                        sums[s + status].add(wh)
                                    }
                                    add(d * 7)  // the decile's row, then everyone's
                                    add(70)
                                }
                            }
                        }
                    }
                }
            }
        }
        let totalWeight = sums[70].value, totalMoney = sums[73].value
        func row(_ r: Int) -> Row {
            let s = r * 7
            let weight = sums[s].value
            return Row(populationShare: weight / totalWeight, baselineMean: sums[s + 1].value / weight,
                       meanGain: sums[s + 2].value / weight, gainPercent: 100 * sums[s + 2].value / sums[s + 1].value,
                       shareOfGains: sums[s + 3].value / totalMoney, gaining: sums[s + 4].value / weight,
                       losing: sums[s + 5].value / weight, unchanged: sums[s + 6].value / weight)
        }
        deciles = (0..<10).map { row($0) }
        total = row(10)
    }
}
