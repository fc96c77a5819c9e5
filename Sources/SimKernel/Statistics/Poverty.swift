import Foundation

extension WelfareDistribution {
    /// The Foster-Greer-Thorbecke poverty index FGT(α) at poverty line `z`.
    ///
    /// Definition (SPEC.md; Foster, Greer and Thorbecke 1984), over persons
    /// each carrying its household's weight `w`, welfare `y`:
    ///
    ///     FGT(α) = Σ_{y_i < z} w_i ((z − y_i) / z)^α  /  Σ_i w_i
    ///
    /// The poor are those strictly below the line (`y < z`); a person exactly
    /// on the line is not poor. FGT(0) is the headcount ratio, FGT(1) the
    /// poverty gap index, FGT(2) the severity index. Negative welfare gives a
    /// normalised gap above 1 and is counted as it is (no truncation).
    ///
    /// - Parameters:
    ///   - alpha: The poverty aversion parameter, α ≥ 0 (0, 1 and 2 are computed
    ///     without `pow`).
    ///   - line: The poverty line z > 0, in the unit of the welfare measure.
    /// - Returns: A share of persons in 0...1 for α = 0; in general ≥ 0.
    /// - Complexity: O(households).
    public func fgt(alpha: Double, line z: Double) -> Double {
        precondition(alpha >= 0, "FGT needs alpha >= 0")
        precondition(z > 0, "FGT needs a positive poverty line")
        var poor = CompensatedSum(), total = CompensatedSum()
        for h in 0..<welfare.count {
            let w = personWeight[h]
            total.add(w)
            let y = welfare[h]
            guard y < z else { continue }
            let gap = (z - y) / z
            switch alpha {
            case 0: poor.add(w)
            case 1: poor.add(w * gap)
            case 2: poor.add(w * gap * gap)
            default: poor.add(w * pow(gap, alpha))
            }
        }
        return poor.value / total.value
    }
}
