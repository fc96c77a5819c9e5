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
        let n = welfare.count
        let order = welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
        // Gather into sorted order once, then sum sequentially: plain sums within
        // blocks of 4,096 units, blocks combined with compensation (the order of
        // operations is fixed by n alone, so the result is the same on any thread).
        var sortedY = [Double](repeating: 0, count: n), sortedW = [Double](repeating: 0, count: n)
        for (k, i) in order.enumerated() {
            sortedY[k] = welfare[Int(i)]
            sortedW[k] = personWeight[Int(i)]
        }
        var cumulative = 0.0               // C_i, running, with Neumaier's compensation in `carry`
        var carry = 0.0
        var weighted = CompensatedSum()    // Σ w y C
        var squares = CompensatedSum()     // Σ w² y
        var totalIncome = CompensatedSum() // Σ w y
        var total = CompensatedSum()       // W
        var start = 0
        while start < n {
            let end = min(n, start + 4096)
            var bw = 0.0, bs = 0.0, bt = 0.0, bc = 0.0
            for k in start..<end {
                let w = sortedW[k], y = sortedY[k]
                let t = cumulative + w
                carry += cumulative >= w ? (cumulative - t) + w : (w - t) + cumulative
                cumulative = t
                let wy = w * y
                bw += wy * (cumulative + carry)
                bs += w * wy
                bt += wy
                bc += w
            }
            weighted.add(bw)
            squares.add(bs)
            totalIncome.add(bt)
            total.add(bc)
            start = end
        }
        guard totalIncome.value != 0 else { return .nan }
        return (2 * weighted.value - squares.value) / (total.value * totalIncome.value) - 1
    }
}
