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
    /// - Complexity: O(n) (`BucketSort`) for large inputs, O(n log n) for small.
    public var gini: Double {
        welfare.withUnsafeBufferPointer { y in
            personWeight.withUnsafeBufferPointer { w in
                var low = Double.infinity, high = -Double.infinity
                for v in y {
                    low = min(low, v)
                    high = max(high, v)
                }
                var sorter = BucketSort(count: y.count, minimum: low, maximum: high)
                for h in 0..<y.count { sorter.place(WeightedWelfare(y: y[h], w: w[h])) }
                var gini = GiniAccumulator()
                sorter.visitSorted { gini.add(contentsOf: $0) }
                return gini.value()
            }
        }
    }
}
