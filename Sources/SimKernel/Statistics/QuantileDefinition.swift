/// How a weighted quantile is read off the weighted distribution function.
///
/// Notation: units sorted by welfare, `y_(1) ≤ … ≤ y_(n)`, weights `w_(i)`,
/// cumulative weights `C_i = w_(1) + … + w_(i)`, `W = C_n`, and the weighted
/// distribution function `F(x) = Σ_{y_i ≤ x} w_i / W`. The two definitions
/// differ only when a cumulative share hits `p` exactly (`C_i / W == p`),
/// which happens with ties, equal weights and small samples
/// (`Tests/Fixtures/statistics/quantile-ties.csv` shows every case).
///
/// Ties need no rule of their own: tied values are adjacent after sorting,
/// so whichever of them is selected gives the same value. Sources:
/// laeken 0.5.2 `weightedQuantile`, survey 4.1-1 `qrule_math` (their code is
/// summarised in `Tests/Reference/README.md`).
public enum QuantileDefinition: String, Sendable, Hashable, CaseIterable {
    /// laeken's `weightedQuantile` (the default, and what laeken's `arpt`,
    /// `qsr`, `rmpg` and EU-SILC figures use): for `0 < p < 1`, `y_(k)` with
    /// `k = min{ i : C_i / W > p }` (strictly greater), i.e. the *upper*
    /// quantile `inf{ x : F(x) > p }`. On an exact hit `C_i / W == p` the
    /// result is the next value `y_(i+1)`; there is no averaging and no
    /// interpolation. `p = 0` gives `y_(1)` and `p = 1` gives `y_(n)`.
    /// Zero-weight units are never selected for `0 < p < 1`.
    case laeken
    /// R survey's `svyquantile` default (`qrule = "math"`): drop zero-weight
    /// units; `pos = max{ i : C_i ≤ p·W }` (or 1 if there is none); the result
    /// is `y_(pos)` when `p − C_pos / W == 0`, else `y_(pos+1)` (`y_(n)` when
    /// `pos = n`). That is the *lower* quantile `inf{ x : F(x) ≥ p }`, except
    /// for survey's quirk that a `p` below the first cumulative share
    /// (including `p = 0`) gives `y_(2)`, reproduced here.
    case survey

    /// The `p`-quantile of the first `count` sorted units.
    ///
    /// - Parameters:
    ///   - p: The probability, 0 ≤ p ≤ 1.
    ///   - y: Welfare, ascending.
    ///   - weight: Each unit's weight (≥ 0), in the same order.
    ///   - cumulative: `C_i`, the running sum of `weight`.
    ///   - count: How many leading units to use (a prefix, e.g. the poor).
    /// - Returns: The quantile, or `nan` if `count` is 0 or the prefix weighs nothing.
    func quantile(_ p: Double, y: UnsafeBufferPointer<Double>, weight: UnsafeBufferPointer<Double>,
                  cumulative: UnsafeBufferPointer<Double>, count n: Int) -> Double {
        guard n > 0 else { return .nan }
        let total = cumulative[n - 1]
        guard total > 0 else { return .nan }
        switch self {
        case .laeken:
            if p == 0 { return y[0] }
            if p == 1 { return y[n - 1] }
            // First i with C_i / W > p (the shares rise with i, so binary search).
            var low = 0, high = n
            while low < high {
                let mid = (low + high) >> 1
                if cumulative[mid] / total > p { high = mid } else { low = mid + 1 }
            }
            return low < n ? y[low] : .nan
        case .survey:
            let target = p * total
            // j = number of units with C_i <= p W; the last positive-weight one among them is pos.
            var low = 0, high = n
            while low < high {
                let mid = (low + high) >> 1
                if cumulative[mid] <= target { low = mid + 1 } else { high = mid }
            }
            var pos = low - 1
            while pos >= 0 && weight[pos] == 0 { pos -= 1 }
            if pos < 0 {
                pos = 0
                while pos < n && weight[pos] == 0 { pos += 1 }
            }
            if p - cumulative[pos] / total == 0 { return y[pos] }
            var next = pos + 1
            while next < n && weight[next] == 0 { next += 1 }
            return next < n ? y[next] : y[pos]
        }
    }
}
