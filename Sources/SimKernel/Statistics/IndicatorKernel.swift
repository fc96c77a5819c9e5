import Foundation

/// Working buffers of one worker, reused for every evaluation it runs:
/// the weights of the current evaluation, their running sum `C_i` and the
/// running sum of `w y`. Not shared between threads.
final class KernelScratch {
    private(set) var capacity = 0
    private(set) var weight = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private(set) var cumulative = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private(set) var cumulativeIncome = UnsafeMutablePointer<Double>.allocate(capacity: 1)

    func reserve(_ n: Int) {
        guard n > capacity else { return }
        weight.deallocate()
        cumulative.deallocate()
        cumulativeIncome.deallocate()
        weight = .allocate(capacity: n)
        cumulative = .allocate(capacity: n)
        cumulativeIncome = .allocate(capacity: n)
        capacity = n
    }

    deinit {
        weight.deallocate()
        cumulative.deallocate()
        cumulativeIncome.deallocate()
    }
}

/// The one pass that computes every indicator of a sorted sample under a
/// set of weights: the full-sample weights for point estimates, or a
/// bootstrap replicate's (each entry's weight times its PSU's multiplier).
///
/// One loop over the entries in welfare order accumulates `C_i = Σ_{j≤i} w_j`,
/// `Σ w y` up to i, and the Gini sums; every quantile is then a binary
/// search on `C_i / W`, every decile share a difference of running sums, and
/// every poverty measure a loop over the poor, who are a prefix; the totals
/// behind GE and Atkinson are sums over PSUs of precomputed PSU totals. The
/// running sums of weight and income are compensated (Neumaier), so
/// cumulative shares equal the exactly rounded ones that R's long-double
/// `cumsum` gives in all but freak cases; other sums are plain, in a fixed
/// order (about 1e-14 relative here).
///
/// Cost per evaluation: O(entries + PSUs), no allocation proportional to
/// either (scratch buffers are reused).
enum IndicatorKernel {
    /// Evaluates `sample` and appends its indicators to `out` in
    /// ``IndicatorLayout/distribution`` order.
    ///
    /// - Parameters:
    ///   - multiplier: Per PSU, the replicate's weight factor; `nil` for the full sample.
    ///   - lines: The poverty lines' values to use (a group uses the national
    ///     ones); `nil` to resolve them from this sample (relative lines from
    ///     its own median or mean).
    /// - Returns: The poverty lines' values used.
    @discardableResult
    static func evaluate(_ s: SortedSample, multiplier: UnsafeBufferPointer<Double>?, lines given: [Double]?,
                         layout: IndicatorLayout, scratch: KernelScratch, into out: inout [Double]) -> [Double] {
        let n = s.count
        let startCount = out.count
        scratch.reserve(max(n, 1))
        let wr = scratch.weight, cw = scratch.cumulative, cy = scratch.cumulativeIncome
        let options = layout.options
        let definition = options.quantileDefinition
        var gini = Double.nan, total = 0.0, income = 0.0
        s.y.withUnsafeBufferPointer { y in
            s.weight.withUnsafeBufferPointer { w0 in
                s.psu.withUnsafeBufferPointer { psu in
                    var c = CompensatedSum(), yc = CompensatedSum(), g1 = 0.0, g2 = 0.0
                    let m = multiplier?.baseAddress
                    for i in 0..<n {
                        let w = m == nil ? w0[i] : w0[i] * m![Int(psu[i])]
                        wr[i] = w
                        c.add(w)
                        let ci = c.value
                        cw[i] = ci
                        let wy = w * y[i]
                        yc.add(wy)
                        cy[i] = yc.value
                        g1 += wy * ci
                        g2 += wy * w
                    }
                    total = c.value
                    income = yc.value
                    if income != 0 { gini = (2 * g1 - g2) / (total * income) - 1 }
                }
            }
        }
        let weights = UnsafeBufferPointer(start: wr, count: n)
        let cumulative = UnsafeBufferPointer(start: cw, count: n)
        @inline(__always) func prefixW(_ k: Int) -> Double { k == 0 ? 0 : cw[k - 1] }
        @inline(__always) func prefixY(_ k: Int) -> Double { k == 0 ? 0 : cy[k - 1] }
        let mean = income / total
        var median = Double.nan
        var cuts = [Int](repeating: 0, count: 11)
        s.y.withUnsafeBufferPointer { y in
            func quantile(_ p: Double, count: Int = n) -> Double {
                definition.quantile(p, y: y, weight: weights, cumulative: cumulative, count: count)
            }
            median = quantile(0.5)
            out.append(total)
            out.append(mean)
            out.append(median)
            for p in layout.quantiles { out.append(quantile(p)) }
            out.append(gini)
            // Generalised entropy and Atkinson: totals of w f(y) (f is 0 outside the eligible suffix), by PSU.
            var transformTotals = [Double](repeating: 0, count: layout.moments.transforms.count)
            for t in layout.moments.transforms.indices {
                transformTotals[t] = s.psuTransformTotals[t].withUnsafeBufferPointer { totals in
                    guard let m = multiplier else { return dot(totals.baseAddress!, nil, 0..<totals.count) }
                    return s.psus.withUnsafeBufferPointer { p in gatherDot(totals.baseAddress!, m, p) }
                }
            }
            for measure in layout.moments.measures {
                let from = s.start(of: layout.moments.transforms[measure.transform].eligibility)
                out.append(InequalityMoments.index(measure.kind, w: total - prefixW(from), y: income - prefixY(from),
                                                   t: transformTotals[measure.transform]))
            }
            // Decile groups by value: decile k holds q_(k-1) < y <= q_k (laeken's qsr convention).
            cuts[10] = n
            for k in 1...9 { cuts[k] = upperBound(y, quantile(IndicatorLayout.decileCuts[k - 1])) }
            func incomeBelow(_ k: Int) -> Double { prefixY(cuts[k]) }
            out.append((income - incomeBelow(8)) / incomeBelow(2))
            out.append((income - incomeBelow(9)) / incomeBelow(4))
            for k in 1...10 { out.append((incomeBelow(k) - incomeBelow(k - 1)) / income) }
            for k in 1...10 {
                out.append((incomeBelow(k) - incomeBelow(k - 1)) / (prefixW(cuts[k]) - prefixW(cuts[k - 1])))
            }
            for k in 1...5 { out.append((incomeBelow(2 * k) - incomeBelow(2 * k - 2)) / income) }
            for k in 1...5 {
                out.append((incomeBelow(2 * k) - incomeBelow(2 * k - 2)) / (prefixW(cuts[2 * k]) - prefixW(cuts[2 * k - 2])))
            }
        }
        var resolved: [Double] = []
        for (k, line) in options.lines.enumerated() {
            let z: Double
            if let given { z = given[k] } else {
                switch line {
                case .absolute(let value): z = value
                case .relative(let share, .median): z = share * median
                case .relative(let share, .mean): z = share * mean
                }
            }
            resolved.append(z)
            appendPoverty(s, z: z, total: total, layout: layout, weights: weights, cumulative: cumulative, into: &out)
        }
        assert(out.count - startCount == layout.distribution.count, "kernel wrote \(out.count - startCount) values, layout has \(layout.distribution.count)")
        return resolved
    }

    /// Appends line, poor persons, FGT(α) for each α, Watts, the money gap and the relative median gap at `z`.
    private static func appendPoverty(_ s: SortedSample, z: Double, total: Double, layout: IndicatorLayout,
                                      weights wr: UnsafeBufferPointer<Double>, cumulative cw: UnsafeBufferPointer<Double>,
                                      into out: inout [Double]) {
        let alphas = layout.fgtAlphas
        var sums = [Double](repeating: 0, count: alphas.count)
        var watts = 0.0, gap = 0.0, gap1 = 0.0, gap2 = 0.0
        var poorCount = 0
        s.y.withUnsafeBufferPointer { y in
            poorCount = z.isNaN ? 0 : lowerBound(y, z)
            // FGT(1) and FGT(2) in one loop; other α with pow.
            for i in 0..<poorCount {
                let g = (z - y[i]) / z
                let wg = wr[i] * g
                gap1 += wg
                gap2 += wg * g
            }
            for (a, alpha) in alphas.enumerated() where alpha != 0 && alpha != 1 && alpha != 2 {
                var sum = 0.0
                for i in 0..<poorCount { sum += wr[i] * pow((z - y[i]) / z, alpha) }
                sums[a] = sum
            }
            if s.firstPositive < poorCount {
                let logZ = log(z)
                s.logY.withUnsafeBufferPointer { logY in
                    for i in s.firstPositive..<poorCount { watts += wr[i] * (logZ - logY[i]) }
                }
            }
            if let equivalents = s.equivalents {
                equivalents.withUnsafeBufferPointer { e in
                    for i in 0..<poorCount { gap += wr[i] * e[i] * (z - y[i]) }
                }
            } else {
                for i in 0..<poorCount { gap += wr[i] * (z - y[i]) }
            }
        }
        for (a, alpha) in alphas.enumerated() {
            if alpha == 1 { sums[a] = gap1 }
            if alpha == 2 { sums[a] = gap2 }
        }
        let poor = poorCount == 0 ? 0 : cw[poorCount - 1]
        out.append(z)
        out.append(z.isNaN ? .nan : poor)
        for (a, alpha) in alphas.enumerated() { out.append(z.isNaN ? .nan : (alpha == 0 ? poor : sums[a]) / total) }
        let positiveWeight = total - (s.firstPositive == 0 ? 0 : cw[s.firstPositive - 1])
        out.append(z.isNaN ? .nan : watts / positiveWeight)
        out.append(z.isNaN ? .nan : layout.options.periodsPerYear * gap)
        var rmpg = Double.nan
        if poorCount > 0 {
            s.y.withUnsafeBufferPointer { y in
                let m = layout.options.quantileDefinition.quantile(0.5, y: y, weight: wr, cumulative: cw, count: poorCount)
                rmpg = (z - m) / z
            }
        }
        out.append(rmpg)
    }

    /// Σ a_i (× b_i when `b` is given) over `range`, in four interleaved
    /// partial sums (so the additions do not wait on each other), added in
    /// a fixed order: the same bits on every run.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>?, _ range: Range<Int>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = range.lowerBound
        if let b {
            while i + 4 <= range.upperBound {
                s0 += a[i] * b[i]
                s1 += a[i + 1] * b[i + 1]
                s2 += a[i + 2] * b[i + 2]
                s3 += a[i + 3] * b[i + 3]
                i += 4
            }
            while i < range.upperBound {
                s0 += a[i] * b[i]
                i += 1
            }
        } else {
            while i + 4 <= range.upperBound {
                s0 += a[i]
                s1 += a[i + 1]
                s2 += a[i + 2]
                s3 += a[i + 3]
                i += 4
            }
            while i < range.upperBound {
                s0 += a[i]
                i += 1
            }
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ_j a_j m[p_j]: PSU totals weighted by their replicate factors.
    @inline(__always)
    static func gatherDot(_ a: UnsafePointer<Double>, _ m: UnsafeBufferPointer<Double>, _ p: UnsafeBufferPointer<Int32>) -> Double {
        var s0 = 0.0, s1 = 0.0
        var j = 0
        while j + 2 <= p.count {
            s0 += a[j] * m[Int(p[j])]
            s1 += a[j + 1] * m[Int(p[j + 1])]
            j += 2
        }
        if j < p.count { s0 += a[j] * m[Int(p[j])] }
        return s0 + s1
    }

    /// The number of entries with `y < value` (sorted ascending).
    @inline(__always)
    static func lowerBound(_ y: UnsafeBufferPointer<Double>, _ value: Double) -> Int {
        var low = 0, high = y.count
        while low < high {
            let mid = (low + high) >> 1
            if y[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The number of entries with `y <= value`; all of them if `value` is `nan`.
    @inline(__always)
    static func upperBound(_ y: UnsafeBufferPointer<Double>, _ value: Double) -> Int {
        if value.isNaN { return y.count }
        var low = 0, high = y.count
        while low < high {
            let mid = (low + high) >> 1
            if y[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
