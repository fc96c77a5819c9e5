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
    /// has members in, with weight `w_h / n_h × n_hg`.
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
        let psuCount = psuCount ?? psuOfUnit.reduce(0) { max($0, Int($1) + 1) }
        let overall = whole(distribution, order: order, psuOfUnit: psuOfUnit, moments: moments, psuCount: psuCount)
        guard let grouping else { return [overall] }
        return groups(of: overall, order: order, grouping: grouping, moments: moments, psuCount: psuCount)
    }

    /// The whole population in welfare order: each unit's columns gathered by `order`.
    static func whole(_ distribution: WelfareDistribution, order: [Int32], psuOfUnit: [Int32], moments: InequalityMoments,
                      psuCount: Int) -> SortedSample {
        func gather<T>(_ column: [T]) -> [T] {
            column.withUnsafeBufferPointer { c in order.map { c[Int($0)] } }
        }
        return SortedSample(y: gather(distribution.welfare), weight: gather(distribution.personWeight), psu: gather(psuOfUnit),
                            equivalents: distribution.equivalentsPerPerson.map(gather), moments: moments, psuCount: psuCount)
    }

    /// The groups of `grouping`, split from the whole population's sample `overall` (built with the same `order`).
    ///
    /// The entries are counted first, then written in one pass over `overall`
    /// (read in order; per unit only its group, or for a person-level grouping
    /// its members per group packed in one word, is gathered by `order`, in a
    /// loop of its own), each written to its group's next place without a branch.
    static func groups(of overall: SortedSample, order: [Int32], grouping: Grouping, moments: InequalityMoments,
                       psuCount: Int) -> [SortedSample] {
        let groups = grouping.labels.count
        let n = overall.count
        var size = [Int](repeating: 0, count: groups)
        // Per unit: its group (a grouping of units), or its members in each group, one byte per group (of persons).
        var code: [Int32] = []
        var packed: [UInt64] = []
        switch grouping.members {
        case .units(let codes):
            code = codes
            for c in codes { size[Int(c)] += 1 }
        case .persons(let codes, let starts):
            var fits = groups <= 8
            if fits {
                packed = [UInt64](repeating: 0, count: n)
                codes.withUnsafeBufferPointer { codes in
                    packed.withUnsafeMutableBufferPointer { packed in
                        for h in 0..<n {
                            var word: UInt64 = 0
                            for p in starts[h]..<starts[h + 1] {
                                let shift = UInt64(codes[p]) << 3
                                if (word >> shift) & 0xFF == 0xFF { fits = false }  // 255 members in one group: no room
                                word &+= 1 << shift
                            }
                            packed[h] = word
                        }
                    }
                }
            }
            guard fits else { return general(overall, order: order, codes: codes, starts: starts, groups: groups, moments: moments, psuCount: psuCount) }
            for word in packed {
                for g in 0..<groups where (word >> UInt64(g << 3)) & 0xFF != 0 { size[g] += 1 }
            }
        }
        // One spare place per group: an entry not taken is written there and then overwritten.
        let ys = size.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0 + 1) }
        let ws = size.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0 + 1) }
        let ps = size.map { UnsafeMutableBufferPointer<Int32>.allocate(capacity: $0 + 1) }
        let es = overall.equivalents == nil ? [] : size.map { UnsafeMutableBufferPointer<Double>.allocate(capacity: $0 + 1) }
        defer {
            for b in ys { b.deallocate() }
            for b in ws { b.deallocate() }
            for b in ps { b.deallocate() }
            for b in es { b.deallocate() }
        }
        let yBase = ys.map { $0.baseAddress! }, wBase = ws.map { $0.baseAddress! }, pBase = ps.map { $0.baseAddress! }
        let eBase = es.map { $0.baseAddress! }
        var cursor = [Int](repeating: 0, count: groups)
        overall.y.withUnsafeBufferPointer { y in
            overall.weight.withUnsafeBufferPointer { w in
                overall.psu.withUnsafeBufferPointer { psu in
                    order.withUnsafeBufferPointer { order in
                        let e = overall.equivalents
                        // Gathered first in a loop of their own (independent loads, many in flight), then read in order.
                        if packed.isEmpty {
                            let sortedCode = code.withUnsafeBufferPointer { code in order.map { code[Int($0)] } }
                            sortedCode.withUnsafeBufferPointer { code in
                                for i in 0..<n {
                                    let g = Int(code[i])
                                    let at = cursor[g]
                                    cursor[g] = at + 1
                                    yBase[g][at] = y[i]
                                    wBase[g][at] = w[i]
                                    pBase[g][at] = psu[i]
                                    if let e { eBase[g][at] = e[i] }
                                }
                            }
                        } else {
                            let sortedPacked = packed.withUnsafeBufferPointer { packed in order.map { packed[Int($0)] } }
                            sortedPacked.withUnsafeBufferPointer { packed in
                                for i in 0..<n {
                                    let word = packed[i]
                                    var members: UInt64 = 0
                                    for g in 0..<groups { members += (word >> UInt64(g << 3)) & 0xFF }
                                    let perPerson = w[i] / Double(members)
                                    for g in 0..<groups {
                                        let count = (word >> UInt64(g << 3)) & 0xFF
                                        let at = cursor[g]
                                        // w_h × n_hg, with w_h = (w_h n_h) / n_h.
                                        yBase[g][at] = y[i]
                                        wBase[g][at] = perPerson * Double(count)
                                        pBase[g][at] = psu[i]
                                        if let e { eBase[g][at] = e[i] }
                                        cursor[g] = at + (count == 0 ? 0 : 1)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<groups).map { g in
            SortedSample(y: Array(ys[g].prefix(size[g])), weight: Array(ws[g].prefix(size[g])), psu: Array(ps[g].prefix(size[g])),
                         equivalents: es.isEmpty ? nil : Array(es[g].prefix(size[g])), moments: moments, psuCount: psuCount)
        }
    }

    /// A person-level grouping with more than 8 groups, or 255 or more members of one household in one group:
    /// each unit's members counted per group as it is visited.
    private static func general(_ overall: SortedSample, order: [Int32], codes: [Int32], starts: [Int], groups: Int,
                                moments: InequalityMoments, psuCount: Int) -> [SortedSample] {
        var ys = [[Double]](repeating: [], count: groups), ws = ys, es = ys
        var ps = [[Int32]](repeating: [], count: groups)
        var counts = [Int](repeating: 0, count: groups)
        for i in 0..<overall.count {
            let h = Int(order[i])
            for p in starts[h]..<starts[h + 1] { counts[Int(codes[p])] += 1 }
            let members = starts[h + 1] - starts[h]
            for g in 0..<groups where counts[g] > 0 {
                ys[g].append(overall.y[i])
                ws[g].append(overall.weight[i] / Double(members) * Double(counts[g]))
                ps[g].append(overall.psu[i])
                if let e = overall.equivalents { es[g].append(e[i]) }
                counts[g] = 0
            }
        }
        return (0..<groups).map { g in
            SortedSample(y: ys[g], weight: ws[g], psu: ps[g], equivalents: overall.equivalents == nil ? nil : es[g],
                         moments: moments, psuCount: psuCount)
        }
    }
}
