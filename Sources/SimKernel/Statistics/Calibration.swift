/// Calibration of survey weights to known totals, as R survey's `calibrate()`.
///
/// Given initial weights dᵢ, auxiliary rows xᵢ and known totals t, calibration
/// finds weights wᵢ = dᵢ·gᵢ with Σ wᵢxᵢ = t, gᵢ = 1 + F(xᵢ'η) for the method's
/// F (``CalibrationMethod``), by R survey 4.1.1's `grake()`:
///
/// 1. xᵢ is R's design-matrix row (`model.matrix(~a + b + … + z)`): 1 (an
///    intercept, when any margin is categorical), then per categorical margin a
///    0/1 indicator for each category but the first (the reference level),
///    then each numeric margin's value. t is the matching totals (the
///    intercept's is the grand total). With households, xᵢ and dᵢ are
///    replaced by their household means (R's `ave()`), so g is constant within
///    a household.
/// 2. If every tⱼ / (Σ dᵢxᵢⱼ) exceeds 20, the weights are first multiplied by
///    the mean of those ratios, s (R's rescaling); bounds then apply to g
///    relative to the rescaled weights, and the final g is multiplied by s.
/// 3. From η = 0, Newton steps: T = Σ dᵢF'(uᵢ)xᵢxᵢ', misfit m = t − Σ dᵢxᵢ −
///    Σ dᵢxᵢF(uᵢ), η ← η + T⁺m, where T⁺ is the Moore-Penrose inverse (R's
///    `MASS::ginv` with tolerance 256·ε on singular values, so collinear
///    margins are allowed). While any g or F′ is not finite, the step is halved
///    (each halving counts as an iteration).
/// 4. Stop when every |mⱼ| / (1 + |tⱼ|) < epsilon (default 1e-7); fail after
///    `maxIterations` (default 50) iterations.
///
/// Linear calibration without bounds is R's `regcalibrate()`: one solve,
/// g = 1 + xᵢ'T⁻¹(t − Σ dᵢxᵢ), no rescaling.
///
/// Trimming (R's `calibrate(trim = c(lo, hi))`), after convergence: every
/// gᵢ outside [lo, hi] is set to the nearer limit; the weight removed,
/// Σ (gᵢ − g̃ᵢ)dᵢ over trimmed rows, is spread over the untrimmed rows in
/// proportion to their initial weights (each of their g grows by
/// Σ(gᵢ − g̃ᵢ)dᵢ / Σ_untrimmed dᵢ). This keeps the sum of the weights, not
/// every margin (the deviations report how far the margins moved), and an
/// untrimmed ratio may end up slightly outside [lo, hi], as in R. Unlike R,
/// which may accept a failed calibration once it has trimmed, simrun fails.
/// (R's `calibrate(calfun = "linear")` without bounds ignores `trim`; simrun
/// trims as R does for every other method.)
///
/// Final weights: wᵢ = dᵢ·gᵢ with the original (not household-averaged) dᵢ.
///
/// ```swift
/// let design = CalibrationDesign(margins: [sexMargin, regionMargin], households: householdOfRow)
/// let result = try Calibration.calibrate(weights: weights, design: design,
///                                        options: CalibrationOptions(method: .raking, bounds: .init(lower: 0.5, upper: 2)))
/// ```
public enum Calibration {
    /// The factor above which R rescales the initial weights (`SOMETHRESHOLD`).
    static let rescalingThreshold = 20.0

    /// Calibrates `weights` to the totals of `design`'s margins.
    ///
    /// - Parameters:
    ///   - weights: The initial weights, one per row, each > 0.
    ///   - design: The margins (auxiliary variables with their totals) and optional households.
    ///   - options: Method, bounds, trimming, tolerance, iteration limit.
    /// - Returns: The calibrated weights with diagnostics.
    /// - Throws: ``CalibrationError`` for invalid input (checked before computing) or no convergence.
    /// - Complexity: O(n·p²) per iteration for n rows and p design columns, plus O(p³).
    public static func calibrate(weights: [Double], design: CalibrationDesign, options: CalibrationOptions = CalibrationOptions()) throws -> CalibrationResult {
        try validate(weights: weights, design: design, options: options)
        var basis = DesignBasis(margins: design.margins, rowCount: weights.count)
        var ww = weights
        if let households = design.households {
            basis.averageWithin(households)
            ww = householdMeans(weights, households)
        }
        var g: [Double]
        var iterations: Int
        var rescaling: Double? = nil
        if options.method == .linear, options.bounds.isUnbounded {
            g = regressionCalibration(basis: basis, weights: ww)
            iterations = 1
        } else {
            let outcome = try raking(basis: basis, weights: ww, options: options, initial: weights, margins: design.margins)
            (g, iterations, rescaling) = (outcome.g, outcome.iterations, outcome.rescaling)
        }
        var trimmed = 0
        if let trim = options.trim {
            trimmed = try Self.trim(&g, weights: ww, limits: trim)
        }
        let final = zip(weights, g).map { $0 * $1 }
        return CalibrationResult(weights: final, ratios: g, iterations: iterations, rescaling: rescaling, trimmedCount: trimmed,
                                 deviations: deviations(of: final, margins: design.margins),
                                 ratioQuantiles: CalibrationQuantile.summary(of: g))
    }

    /// R's `regcalibrate()`: g = 1 + X T⁻¹ (t − Σ dᵢxᵢ), T = Σ dᵢxᵢxᵢ'.
    static func regressionCalibration(basis: DesignBasis, weights: [Double]) -> [Double] {
        let p = basis.columnCount
        let sampleTotal = basis.weightedColumnSums(weights)
        let t = basis.crossProduct(weights)
        let step = Pseudoinverse(symmetric: t, size: p).times((0..<p).map { basis.population[$0] - sampleTotal[$0] })
        return basis.rowProducts(step).map { 1 + $0 }
    }

    /// R's `grake()`: Newton's method on the calibration equations. Returns g (rescaled back), the iteration count and the rescaling.
    static func raking(basis: DesignBasis, weights: [Double], options: CalibrationOptions, initial: [Double],
                       margins: [CalibrationMargin]) throws -> (g: [Double], iterations: Int, rescaling: Double?) {
        let p = basis.columnCount, n = weights.count
        let distance = CalibrationDistance(method: options.method, bounds: options.bounds)
        var ww = weights
        var sampleTotal = basis.weightedColumnSums(ww)
        var eta = [Double](repeating: 0, count: p)
        var xeta = [Double](repeating: 0, count: n)
        var fm1 = xeta.map(distance.fm1)
        var deriv = xeta.map(distance.derivative)
        var iter = 1
        let scales = (0..<p).map { basis.population[$0] / sampleTotal[$0] }
        var scale: Double? = nil
        if let smallest = scales.min(), smallest > rescalingThreshold {
            let s = scales.reduce(0, +) / Double(p)
            scale = s
            ww = ww.map { $0 * s }
            sampleTotal = sampleTotal.map { $0 * s }
        }
        func misfit() -> [Double] {
            let adjustment = basis.weightedColumnSums(zip(ww, fm1).map { $0 * $1 })
            return (0..<p).map { basis.population[$0] - sampleTotal[$0] - adjustment[$0] }
        }
        while true {
            let t = basis.crossProduct(zip(ww, deriv).map { $0 * $1 })
            var deta = Pseudoinverse(symmetric: t, size: p).times(misfit())
            for j in 0..<p { eta[j] += deta[j] }
            xeta = basis.rowProducts(eta)
            fm1 = xeta.map(distance.fm1)
            deriv = xeta.map(distance.derivative)
            while iter < options.maxIterations, fm1.contains(where: { !$0.isFinite }) || deriv.contains(where: { !$0.isFinite }) {
                iter += 1
                for j in 0..<p { deta[j] /= 2; eta[j] -= deta[j] }
                xeta = basis.rowProducts(eta)
                fm1 = xeta.map(distance.fm1)
                deriv = xeta.map(distance.derivative)
            }
            let m = misfit()
            if (0..<p).allSatisfy({ abs(m[$0]) / (1 + abs(basis.population[$0])) < options.epsilon }) { break }
            iter += 1
            if iter > options.maxIterations {
                let g = fm1.map { (1 + $0) * (scale ?? 1) }
                let final = zip(initial, g).map { $0 * $1 }
                let worst = deviations(of: final, margins: margins).max { a, b in
                    // NaN (a diverged iteration) sorts last, so it is reported.
                    a.relative.isNaN ? false : (b.relative.isNaN || a.relative < b.relative)
                }!
                throw CalibrationError.notConverged(iterations: iter - 1, largest: worst)
            }
        }
        return (fm1.map { (1 + $0) * (scale ?? 1) }, iter, scale)
    }

    /// R's trimming of g (see ``Calibration``); returns the number of rows trimmed.
    static func trim(_ g: inout [Double], weights: [Double], limits: CalibrationBounds) throws -> Int {
        var outside = [Bool](repeating: false, count: g.count)
        var removed = 0.0, untrimmedWeight = 0.0, count = 0
        for i in g.indices {
            let clamped = Swift.max(limits.lower, Swift.min(g[i], limits.upper))
            if g[i] < limits.lower || g[i] > limits.upper {
                outside[i] = true
                count += 1
                removed += (g[i] - clamped) * weights[i]
                g[i] = clamped
            } else {
                untrimmedWeight += weights[i]
            }
        }
        guard count > 0 else { return 0 }
        guard untrimmedWeight > 0 else { throw CalibrationError.trimmedEverything(lower: limits.lower, upper: limits.upper) }
        let add = removed / untrimmedWeight
        for i in g.indices where !outside[i] { g[i] += add }
        return count
    }

    /// Per household the mean of `values`, repeated on every member (R's `ave()`).
    static func householdMeans(_ values: [Double], _ households: [Int]) -> [Double] {
        var sums: [Int: (Double, Int)] = [:]
        for (v, h) in zip(values, households) {
            let s = sums[h] ?? (0, 0)
            sums[h] = (s.0 + v, s.1 + 1)
        }
        return households.map { h in let s = sums[h]!; return s.0 / Double(s.1) }
    }

    /// Every margin cell's target and achieved total under `weights`.
    static func deviations(of weights: [Double], margins: [CalibrationMargin]) -> [CalibrationDeviation] {
        var out: [CalibrationDeviation] = []
        for margin in margins {
            switch margin.values {
            case .categorical(let codes, let categories, let totals):
                var sums = [Double](repeating: 0, count: categories.count)
                for (w, c) in zip(weights, codes) { sums[c] += w }
                for k in categories.indices {
                    out.append(CalibrationDeviation(margin: margin.name, category: categories[k], target: totals[k], achieved: sums[k]))
                }
            case .numeric(let values, let total):
                var sum = 0.0
                for (w, x) in zip(weights, values) { sum += w * x }
                out.append(CalibrationDeviation(margin: margin.name, category: nil, target: total, achieved: sum))
            }
        }
        return out
    }
}
