/// The Rao-Wu rescaling bootstrap (Rao and Wu 1988; Rao, Wu and Yue 1992).
///
/// Replicate b: in each stratum h with n_h ≥ 2 PSUs, draw n_h − 1 PSUs with
/// replacement (uniformly); PSU i drawn r_hi times gets the weight factor
///
///     m_hi = n_h / (n_h − 1) × r_hi
///
/// and every entry's replicate weight is its weight times its PSU's factor.
/// Every indicator is recomputed from the replicate weights, with the same
/// sort order (only weights change), relative poverty lines re-estimated.
/// A stratum with one PSU keeps factor 1 (rule `remove` or `adjust`) or
/// stops the analysis (`fail`).
///
/// The variance is the sample variance of the B replicate estimates
/// (denominator B − 1, about their mean, as R's laeken and boot). With
/// n_h − 1 draws and the rescaling, its expectation for a linear estimator
/// is the with-replacement variance `Σ_h n_h/(n_h−1) Σ_i (Z_hi − Z̄_h)²`,
/// the same as Taylor linearisation.
///
/// Determinism: replicate b draws from a GSL `taus2` stream seeded with
/// `RandomStream.seed(seed, purpose("rao-wu bootstrap"), b)`, strata in
/// order, so its weights depend on (seed, b) only. Replicates are cut into
/// fixed pieces run by ``ParallelPlan``, so results are bit-identical for
/// any thread count.
struct RaoWuBootstrap: Sendable {
    let design: SurveyDesign
    let replicates: Int
    let seed: UInt64

    /// Replicates per piece of parallel work (fixed: never depends on threads).
    static let piece = 8

    init(design: SurveyDesign, replicates: Int, seed: UInt64) throws {
        guard replicates >= 2 else {
            throw AnalysisError.invalidOption("the bootstrap needs at least 2 replicates (got \(replicates))")
        }
        if design.lonelyPSU == .fail { try design.checkLonelyPSUs() }
        self.design = design
        self.replicates = replicates
        self.seed = seed
    }

    /// Writes replicate `b`'s factor per PSU into `m`.
    func multipliers(replicate b: Int, stream: RandomStream, into m: UnsafeMutableBufferPointer<Double>) {
        stream.reseed(RandomStream.seed(seed, RandomStream.purpose("rao-wu bootstrap"), UInt64(b)))
        m.update(repeating: 0)
        for h in 0..<design.stratumCount {
            let first = design.psuStart[h], nh = design.psuStart[h + 1] - first
            if nh == 1 {
                m[first] = 1
                continue
            }
            for _ in 0..<(nh - 1) { m[first + stream.integer(below: nh)] += 1 }
            let scale = Double(nh) / Double(nh - 1)
            for p in first..<(first + nh) { m[p] *= scale }
        }
    }

    /// Runs `evaluate` on every replicate's PSU factors, in parallel.
    ///
    /// - Parameter evaluate: Computes the flat vector of estimates under the
    ///   given PSU factors, using the given scratch space.
    /// - Returns: One vector per replicate, in replicate order.
    func run(plan: ParallelPlan, progress: (@Sendable (Int) -> Void)? = nil,
             _ evaluate: @Sendable (UnsafeBufferPointer<Double>, KernelScratch) -> [Double]) -> [[Double]] {
        let pieces = (replicates + Self.piece - 1) / Self.piece
        let psuCount = design.psuCount
        let results = plan.map(pieces: pieces) { piece -> [[Double]] in
            let stream = RandomStream()
            let scratch = KernelScratch()
            var factors = [Double](repeating: 0, count: psuCount)
            var out: [[Double]] = []
            for b in (piece * Self.piece)..<min(replicates, (piece + 1) * Self.piece) {
                factors.withUnsafeMutableBufferPointer { multipliers(replicate: b, stream: stream, into: $0) }
                out.append(factors.withUnsafeBufferPointer { evaluate($0, scratch) })
            }
            progress?(out.count)
            return out
        }
        return results.flatMap { $0 }
    }

    /// The SE and 95% CI at each position of the replicate vectors.
    ///
    /// - Parameters:
    ///   - replicates: B vectors of equal length.
    ///   - point: The full-sample estimates (centre of the normal CI).
    /// - Returns: Per position the estimate and the number of replicates
    ///   where it was undefined (left out of its SE).
    static func summarize(_ replicates: [[Double]], point: [Double], interval: BootstrapInterval) -> [(Estimate, undefined: Int)] {
        var column = [Double]()
        column.reserveCapacity(replicates.count)
        return point.indices.map { j in
            column.removeAll(keepingCapacity: true)
            for r in replicates where r[j].isFinite { column.append(r[j]) }
            let undefined = replicates.count - column.count
            guard column.count >= 2, point[j].isFinite else { return (Estimate(value: point[j]), undefined) }
            var mean = CompensatedSum()
            for x in column { mean.add(x) }
            let m = mean.value / Double(column.count)
            var squares = CompensatedSum()
            for x in column { squares.add((x - m) * (x - m)) }
            let se = (squares.value / Double(column.count - 1)).squareRoot()
            let ci: ConfidenceInterval
            switch interval {
            case .normal: ci = .normal(value: point[j], se: se)
            case .percentile:
                column.sort()
                ci = ConfidenceInterval(lower: percentile(column, 0.025), upper: percentile(column, 0.975))
            }
            return (Estimate(value: point[j], se: se, ci95: ci), undefined)
        }
    }

    /// R boot's `norm.inter`: the α point of sorted replicates `t`, the order
    /// statistic at rank (B+1)α, interpolated on the normal-quantile scale
    /// between neighbouring order statistics; the extreme values when the
    /// rank falls outside 1..<B.
    static func percentile(_ t: [Double], _ alpha: Double) -> Double {
        let b = t.count
        let rank = Double(b + 1) * alpha
        let k = Int(rank.rounded(.towardZero))
        if Double(k) == rank, k >= 1, k <= b { return t[k - 1] }
        if k < 1 { return t[0] }
        if k >= b { return t[b - 1] }
        let q = GSLDistributions.normalQuantile
        let z = q(alpha), zk = q(Double(k) / Double(b + 1)), zk1 = q(Double(k + 1) / Double(b + 1))
        return t[k - 1] + (z - zk) / (zk1 - zk) * (t[k] - t[k - 1])
    }
}
