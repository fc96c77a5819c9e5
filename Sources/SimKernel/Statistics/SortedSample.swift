import Foundation

/// A welfare distribution sorted once, with everything a pass over it needs
/// precomputed: the engine's working form of the whole population or of one
/// group.
///
/// Entries are units (households, or rows) or, for a person-level grouping
/// of households, household × group cells (weight `w_h × n_hg`). They are in
/// ascending welfare order, so that quantiles are binary searches on the
/// cumulative weights, the poor are a prefix, and the units with zero or
/// negative welfare (left out of log-based indices) are a prefix too. A
/// bootstrap replicate changes only the weights (through each entry's PSU),
/// never the order, so the sort is done once.
struct SortedSample: Sendable {
    /// Welfare, ascending.
    let y: [Double]
    /// Person weight of each entry (> 0 in the full sample).
    let weight: [Double]
    /// Each entry's PSU index in the design (0..<psuCount).
    let psu: [Int32]
    /// Adult equivalents per person of each entry's household (s_h / n_h);
    /// `nil` means 1 for every entry (per-capita welfare).
    let equivalents: [Double]?
    /// `log y` where y > 0, else 0 (Watts, GE(0), Atkinson(1)).
    let logY: [Double]
    /// Per transform of ``InequalityMoments/transforms``, f(y) per entry.
    let transformed: [[Double]]
    /// The distinct PSUs of the entries, and per transform the total of
    /// `w f(y)` over each one's entries: a replicate's transform total is
    /// then `Σ_p m_p T_p`, one term per PSU instead of per entry.
    let psus: [Int32]
    let psuTransformTotals: [[Double]]
    /// Index of the first entry with y ≥ 0, and of the first with y > 0.
    let firstNonNegative: Int
    let firstPositive: Int

    var count: Int { y.count }

    /// Builds the sample from entries already in ascending welfare order.
    init(y: [Double], weight: [Double], psu: [Int32], equivalents: [Double]?, moments: InequalityMoments) {
        precondition(y.count == weight.count && y.count == psu.count, "sample columns differ in length")
        assert(zip(y, y.dropFirst()).allSatisfy { $0 <= $1 }, "sample not sorted")
        self.y = y
        self.weight = weight
        self.psu = psu
        self.equivalents = equivalents
        let n = y.count
        var nonNegative = n, positive = n
        for i in 0..<n where y[i] >= 0 {
            nonNegative = i
            break
        }
        for i in nonNegative..<n where y[i] > 0 {
            positive = i
            break
        }
        firstNonNegative = nonNegative
        firstPositive = positive
        logY = y.map { $0 > 0 ? Foundation.log($0) : 0 }
        let transformed = moments.transforms.map { t in
            t == .log ? y.map { $0 > 0 ? Foundation.log($0) : 0 } : y.map { t.value($0) }
        }
        self.transformed = transformed
        var local: [Int32: Int] = [:]
        var psus: [Int32] = []
        var slot = [Int](repeating: 0, count: n)
        for i in 0..<n {
            if let j = local[psu[i]] { slot[i] = j } else {
                local[psu[i]] = psus.count
                slot[i] = psus.count
                psus.append(psu[i])
            }
        }
        self.psus = psus
        psuTransformTotals = transformed.map { f in
            var totals = [Double](repeating: 0, count: psus.count)
            for i in 0..<n { totals[slot[i]] += weight[i] * f[i] }
            return totals
        }
    }

    /// The first entry of an eligible set (a suffix of the sorted entries).
    func start(of eligibility: InequalityMoments.Eligibility) -> Int {
        switch eligibility {
        case .all: return 0
        case .nonNegative: return firstNonNegative
        case .positive: return firstPositive
        }
    }

    /// The entries of a distribution sorted by welfare, optionally split into
    /// the groups of a grouping (each group's entries stay sorted because the
    /// units are visited in welfare order).
    ///
    /// - Parameters:
    ///   - distribution: Welfare and person weight per unit.
    ///   - order: The units in ascending welfare order.
    ///   - psuOfUnit: Each unit's PSU index.
    ///   - grouping: `nil` for the whole population.
    /// - Returns: One sample, or one per group label.
    static func build(_ distribution: WelfareDistribution, order: [Int32], psuOfUnit: [Int32],
                      grouping: Grouping?, moments: InequalityMoments) -> [SortedSample] {
        let groups = grouping?.labels.count ?? 1
        var ys = [[Double]](repeating: [], count: groups)
        var ws = [[Double]](repeating: [], count: groups)
        var ps = [[Int32]](repeating: [], count: groups)
        var es: [[Double]]? = distribution.equivalentsPerPerson == nil ? nil : [[Double]](repeating: [], count: groups)
        let welfare = distribution.welfare, personWeight = distribution.personWeight
        let equivalents = distribution.equivalentsPerPerson
        var counts = [Double](repeating: 0, count: groups)
        func emit(_ g: Int, _ h: Int, _ w: Double) {
            ys[g].append(welfare[h])
            ws[g].append(w)
            ps[g].append(psuOfUnit[h])
            if let equivalents { es![g].append(equivalents[h]) }
        }
        for o in order {
            let h = Int(o)
            switch grouping?.members {
            case nil:
                emit(0, h, personWeight[h])
            case .units(let codes)?:
                emit(Int(codes[h]), h, personWeight[h])
            case .persons(let codes, let starts)?:
                let members = starts[h + 1] - starts[h]
                for p in starts[h]..<starts[h + 1] { counts[Int(codes[p])] += 1 }
                for p in starts[h]..<starts[h + 1] {
                    let g = Int(codes[p])
                    guard counts[g] > 0 else { continue }
                    // w_h × n_hg, with w_h = (w_h n_h) / n_h.
                    emit(g, h, personWeight[h] / Double(members) * counts[g])
                    counts[g] = 0
                }
            }
        }
        return (0..<groups).map { g in
            SortedSample(y: ys[g], weight: ws[g], psu: ps[g], equivalents: es?[g], moments: moments)
        }
    }
}
