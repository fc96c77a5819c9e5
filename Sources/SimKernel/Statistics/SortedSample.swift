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
    ///
    /// - Parameter psuCount: More than the largest PSU index (`nil`: found from `psu`).
    init(y: [Double], weight: [Double], psu: [Int32], equivalents: [Double]?, moments: InequalityMoments, psuCount: Int? = nil) {
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
        let logY = y.map { $0 > 0 ? Foundation.log($0) : 0 }
        self.logY = logY
        // The log transform is logY itself (the same expression); the others computed.
        let transformed = moments.transforms.map { t in t == .log ? logY : y.map { t.value($0) } }
        self.transformed = transformed
        // PSUs numbered in order of first appearance (a dense table from PSU index to its number).
        let slots = psuCount ?? psu.reduce(0) { max($0, Int($1) + 1) }
        var psus: [Int32] = []
        var slot = [Int32](repeating: 0, count: transformed.isEmpty ? 0 : n)
        psu.withUnsafeBufferPointer { psu in
            var local = [Int32](repeating: -1, count: slots)
            local.withUnsafeMutableBufferPointer { local in
                for i in 0..<n {
                    let p = Int(psu[i])
                    var j = local[p]
                    if j < 0 {
                        j = Int32(psus.count)
                        local[p] = j
                        psus.append(psu[i])
                    }
                    if !slot.isEmpty { slot[i] = j }
                }
            }
        }
        self.psus = psus
        psuTransformTotals = transformed.map { f in
            var totals = [Double](repeating: 0, count: psus.count)
            for i in 0..<n { totals[Int(slot[i])] += weight[i] * f[i] }
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
    /// A person-level grouping gives household h one entry in each group g it
    /// has members in, with weight `w_h / n_h × n_hg`. The entries are counted
    /// first, then written in one pass over the sorted units.
    ///
    /// - Parameters:
    ///   - distribution: Welfare and person weight per unit.
    ///   - order: The units in ascending welfare order.
    ///   - psuOfUnit: Each unit's PSU index.
    ///   - grouping: `nil` for the whole population.
    ///   - psuCount: More than the largest PSU index (`nil`: found from `psuOfUnit`).
    /// - Returns: One sample, or one per group label.
    static func build(_ distribution: WelfareDistribution, order: [Int32], psuOfUnit: [Int32],
                      grouping: Grouping?, moments: InequalityMoments, psuCount: Int? = nil) -> [SortedSample] {
        let groups = grouping?.labels.count ?? 1
        let units = distribution.count
        let psuCount = psuCount ?? psuOfUnit.reduce(0) { max($0, Int($1) + 1) }
        // Per unit, its entry in each group: the members it has there (a person-level grouping), else its group.
        var size = [Int](repeating: 0, count: groups)
        var members: [Int32] = []  // units × groups: n_hg (person-level grouping only)
        var unitGroup: [Int32] = []
        switch grouping?.members {
        case nil:
            size[0] = units
        case .units(let codes)?:
            unitGroup = codes
            for c in codes { size[Int(c)] += 1 }
        case .persons(let codes, let starts)?:
            members = [Int32](repeating: 0, count: units * groups)
            members.withUnsafeMutableBufferPointer { m in
                codes.withUnsafeBufferPointer { codes in
                    for h in 0..<units {
                        let row = h * groups
                        for p in starts[h]..<starts[h + 1] {
                            let cell = row + Int(codes[p])
                            if m[cell] == 0 { size[Int(codes[p])] += 1 }
                            m[cell] += 1
                        }
                    }
                }
            }
        }
        let equivalents = distribution.equivalentsPerPerson
        let ys = size.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0) }
        let ws = size.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0) }
        let ps = size.map { UnsafeMutableBufferPointer<Int32>.allocate(capacity: $0) }
        let es = equivalents == nil ? [] : size.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0) }
        defer {
            for b in ys { b.deallocate() }
            for b in ws { b.deallocate() }
            for b in ps { b.deallocate() }
            for b in es { b.deallocate() }
        }
        var cursor = [Int](repeating: 0, count: groups)
        distribution.welfare.withUnsafeBufferPointer { welfare in
            distribution.personWeight.withUnsafeBufferPointer { personWeight in
                psuOfUnit.withUnsafeBufferPointer { psuOfUnit in
                    @inline(__always) func emit(_ g: Int, _ h: Int, _ w: Double) {
                        let at = cursor[g]
                        cursor[g] = at + 1
                        ys[g][at] = welfare[h]
                        ws[g][at] = w
                        ps[g][at] = psuOfUnit[h]
                        if let equivalents { es[g][at] = equivalents[h] }
                    }
                    if !members.isEmpty, case .persons(_, let starts)? = grouping?.members {
                        members.withUnsafeBufferPointer { m in
                            for o in order {
                                let h = Int(o)
                                let count = starts[h + 1] - starts[h]
                                for g in 0..<groups where m[h * groups + g] > 0 {
                                    // w_h × n_hg, with w_h = (w_h n_h) / n_h.
                                    emit(g, h, personWeight[h] / Double(count) * Double(m[h * groups + g]))
                                }
                            }
                        }
                    } else if !unitGroup.isEmpty {
                        unitGroup.withUnsafeBufferPointer { codes in
                            for o in order {
                                let h = Int(o)
                                emit(Int(codes[h]), h, personWeight[h])
                            }
                        }
                    } else {
                        for o in order {
                            let h = Int(o)
                            emit(0, h, personWeight[h])
                        }
                    }
                }
            }
        }
        return (0..<groups).map { g in
            SortedSample(y: Array(ys[g]), weight: Array(ws[g]), psu: Array(ps[g]), equivalents: es.isEmpty ? nil : Array(es[g]),
                         moments: moments, psuCount: psuCount)
        }
    }
}
