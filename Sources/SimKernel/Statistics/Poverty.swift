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

extension WelfareDistribution {
    /// The headline figures of the distribution in one pass: the weighted
    /// population `W = Σ w`, the mean `Σ w y / W`, and FGT(0), FGT(1), FGT(2)
    /// at line `z`, each exactly as defined in ``fgt(alpha:line:)`` and ``mean``
    /// (sums in blocks of 4,096 units, blocks combined with compensation).
    public func headline(line z: Double) -> (population: Double, mean: Double, fgt0: Double, fgt1: Double, fgt2: Double) {
        precondition(z > 0, "FGT needs a positive poverty line")
        return welfare.withUnsafeBufferPointer { y in
            personWeight.withUnsafeBufferPointer { w in
                HeadlineSums(count: y.count, line: z) { h in (y[h], w[h]) }.figures
            }
        }
    }
}

/// The sums behind ``WelfareDistribution/headline(line:)``: `Σ w`, `Σ w y`
/// and `Σ w ((z − y)/z)^a [y < z]` for a = 0, 1, 2, over units `0..<count`
/// in order, plain within blocks of 4,096 units and the blocks combined with
/// Neumaier compensation (the order of operations depends on the count alone).
struct HeadlineSums {
    var total = CompensatedSum(), income = CompensatedSum()
    var f0 = CompensatedSum(), f1 = CompensatedSum(), f2 = CompensatedSum()

    /// - Parameter unit: Unit `h`'s welfare `y` and weight `w`; called once per unit, in order.
    @inline(__always)
    init(count n: Int, line z: Double, _ unit: (Int) -> (y: Double, w: Double)) {
        var start = 0
        while start < n {
            let end = min(n, start + 4096)
            var bt = 0.0, bi = 0.0, b0 = 0.0, b1 = 0.0, b2 = 0.0
            for h in start..<end {
                let (yh, wh) = unit(h)
                bt += wh
                bi += wh * yh
                if yh < z {
                    let gap = (z - yh) / z
                    b0 += wh
                    b1 += wh * gap
                    b2 += wh * gap * gap
                }
            }
            total.add(bt)
            income.add(bi)
            f0.add(b0)
            f1.add(b1)
            f2.add(b2)
            start = end
        }
    }

    /// Population, mean and FGT(0-2).
    var figures: (population: Double, mean: Double, fgt0: Double, fgt1: Double, fgt2: Double) {
        let W = total.value
        return (W, income.value / W, f0.value / W, f1.value / W, f2.value / W)
    }
}
