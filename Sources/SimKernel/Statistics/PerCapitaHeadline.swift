/// The headline figures of per-capita household income, computed straight
/// from a simulation's household incomes: the same numbers, bit for bit, as
/// ``WelfareDistribution/init(perCapitaIncomeOf:in:)`` followed by
/// ``WelfareDistribution/headline(line:)`` and ``WelfareDistribution/gini``,
/// without the intermediate arrays.
///
/// One pass over the households computes each unit's welfare
/// `y_h = income_h / n_h` and person weight `w_h n_h` (once), adds them to
/// the FGT sums (``HeadlineSums``) and appends the unit to its bucket of the
/// sort (``BucketSort``, which needs no counting pass); then the buckets are
/// sorted one by one in cache and each sorted bucket feeds the Gini
/// (``GiniAccumulator``) as a slice.
struct PerCapitaHeadline {
    /// `W = Σ_h w_h n_h`.
    let population: Double
    /// `Σ w y / W`.
    let mean: Double
    /// FGT(0), FGT(1), FGT(2) at the line.
    let fgt0: Double
    let fgt1: Double
    let fgt2: Double
    /// The Gini (``WelfareDistribution/gini``).
    let gini: Double

    /// - Parameters:
    ///   - householdIncome: Monthly income per household.
    ///   - starts: Household offsets (`count + 1` entries: members of h are `starts[h]..<starts[h+1]`).
    ///   - weight: Household sampling weights.
    ///   - z: The poverty line, per person per month (positive).
    ///   - bounds: The smallest and largest `income_h / n_h`, if known (else found by a pass).
    init(householdIncome: UnsafeBufferPointer<Double>, starts: UnsafeBufferPointer<Int>,
         weight: UnsafeBufferPointer<Double>, line z: Double, bounds: (min: Double, max: Double)? = nil) {
        precondition(z > 0, "FGT needs a positive poverty line")
        let n = householdIncome.count
        precondition(n > 0 && starts.count == n + 1 && weight.count == n, "one income and weight per household")
        @inline(__always) func unit(_ h: Int) -> WeightedWelfare {
            let size = Double(starts[h + 1] - starts[h])
            return WeightedWelfare(y: householdIncome[h] / size, w: weight[h] * size)
        }
        var range = bounds ?? (.infinity, -.infinity)
        if bounds == nil {
            for h in 0..<n {
                let y = unit(h).y
                range = (min(range.min, y), max(range.max, y))
            }
        }
        var sorter = BucketSort(count: n, minimum: range.min, maximum: range.max)
        // One pass: units, FGT sums and placing in the sort's buckets.
        var sums = HeadlineSums()
        HeadlineSums.PoorMasks.with { masks in
            var start = 0
            var next = starts[0]
            while start < n {
                let end = min(n, start + HeadlineSums.blockSize)
                var block = HeadlineSums.Block()
                for h in start..<end {
                    let first = next
                    next = starts[h + 1]
                    let size = Double(next - first)
                    let y = householdIncome[h] / size, w = weight[h] * size
                    block.add(y: y, w: w, line: z, masks: masks)
                    sorter.place(WeightedWelfare(y: y, w: w))
                }
                sums.add(block)
                start = end
            }
        }
        (population, mean, fgt0, fgt1, fgt2) = sums.figures
        var gini = GiniAccumulator()
        sorter.visitSorted { gini.add(contentsOf: $0) }
        self.gini = gini.value()
    }
}
