extension WelfareDistribution {
    /// The Gini coefficient, the plain weighted one with no small-sample
    /// correction (SPEC.md; R's `laeken::gini` divided by 100).
    ///
    /// Definition, over persons each carrying its household's weight `w`:
    ///
    ///     G = Σ_i Σ_j w_i w_j |y_i − y_j|  /  (2 W² μ),   W = Σ w,  μ = Σ w y / W
    ///
    /// Computed with persons sorted by `y` and `C_i` the cumulative weight up to
    /// and including `i` as
    ///
    ///     G = (2 Σ w_i y_i C_i − Σ w_i² y_i) / (W Σ w_i y_i) − 1
    ///
    /// which equals the pairwise form whatever the order among ties. Here the
    /// units are households with weight `w_h n_h`; the pairwise form shows this
    /// is the same number as listing every person (pairs inside a household
    /// contribute |y_i − y_j| = 0).
    ///
    /// Negative incomes are kept (the Gini may then exceed 1). If total
    /// income is zero the Gini is undefined and `nan` is returned.
    ///
    /// - Complexity: O(n) (radix sort) for large inputs, O(n log n) for small.
    public var gini: Double {
        let order = welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
        var cumulative = CompensatedSum()
        var weighted = CompensatedSum()     // Σ w y C
        var squares = CompensatedSum()      // Σ w² y
        var totalIncome = CompensatedSum()  // Σ w y
        for i in order {
            let h = Int(i)
            let w = personWeight[h], y = welfare[h]
            cumulative.add(w)
            weighted.add(w * y * cumulative.value)
            squares.add(w * w * y)
            totalIncome.add(w * y)
        }
        guard totalIncome.value != 0 else { return .nan }
        return (2 * weighted.value - squares.value) / (cumulative.value * totalIncome.value) - 1
    }
}
