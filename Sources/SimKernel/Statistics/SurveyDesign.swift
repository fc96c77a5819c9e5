/// How to treat a stratum with a single PSU, whose variance cannot be
/// estimated from within it (R survey's `options(survey.lonely.psu = ...)`).
public enum LonelyPSURule: String, Sendable, Hashable, CaseIterable {
    /// Stop with an error naming the stratum (survey's default).
    case fail
    /// The stratum adds nothing to the variance (survey's `"remove"`). In a
    /// bootstrap its PSU keeps its weight in every replicate.
    case remove
    /// The single PSU's total of the linearised variable is centred at zero
    /// rather than at its stratum's mean (survey's `"adjust"`; for means,
    /// ratios and FGT indices the linearised variable sums to zero over the
    /// sample, so this is centring at the grand mean). In a bootstrap a
    /// single-PSU stratum cannot be resampled; it is treated as `remove`.
    case adjust
}

/// A sample design: strata, primary sampling units (PSUs, clusters) and
/// which unit is in which PSU. Weights are carried by the distribution.
///
/// PSUs are treated as drawn with replacement within strata (the usual
/// approximation, R survey's `svydesign(ids = ~psu, strata = ~stratum,
/// weights = ~weight)` without `fpc`). PSU codes are nested in strata: the
/// same PSU code in two strata is two PSUs. Without strata there is one
/// stratum; without PSUs every unit is its own PSU.
///
/// ```swift
/// let design = try SurveyDesign(stratum: regionOfHousehold, psu: clusterOfHousehold,
///                               stratumLabels: regions, lonelyPSU: .fail)
/// ```
public struct SurveyDesign: Sendable {
    /// The number of units (households or rows) the design describes.
    public let unitCount: Int
    /// Each unit's PSU index; PSUs of a stratum have consecutive indices.
    let psuOfUnit: [Int32]
    /// PSU indices `psuStart[h]..<psuStart[h+1]` belong to stratum h.
    let psuStart: [Int]
    /// A name per stratum, for messages.
    public let stratumLabels: [String]
    /// What to do with a stratum that has a single PSU.
    public let lonelyPSU: LonelyPSURule

    /// The number of PSUs.
    public var psuCount: Int { psuStart.last! }
    /// The number of strata.
    public var stratumCount: Int { psuStart.count - 1 }

    /// Simple random sampling with replacement of `units` units: one stratum, every unit its own PSU.
    public init(units: Int) {
        unitCount = units
        psuOfUnit = (0..<units).map { Int32($0) }
        psuStart = [0, units]
        stratumLabels = ["all"]
        lonelyPSU = .fail
    }

    /// A stratified and/or clustered design.
    ///
    /// - Parameters:
    ///   - stratum: Each unit's stratum code (any integers), or `nil` for one stratum.
    ///   - psu: Each unit's PSU code (any integers; nested in strata), or `nil` for every unit its own PSU.
    ///   - stratumLabels: Names for messages, indexed by stratum code when the codes are 0..<count; else codes are shown.
    ///   - lonelyPSU: The rule for single-PSU strata, applied when variances are computed.
    /// - Throws: ``AnalysisError/mismatch(_:)`` if the columns differ in length.
    public init(stratum: [Int32]?, psu: [Int32]?, stratumLabels: [String]? = nil, lonelyPSU: LonelyPSURule = .fail) throws {
        let n = stratum?.count ?? psu?.count ?? 0
        if let stratum, let psu, stratum.count != psu.count {
            throw AnalysisError.mismatch("stratum and PSU columns differ in length (\(stratum.count) and \(psu.count))")
        }
        unitCount = n
        self.lonelyPSU = lonelyPSU
        // Number strata by code, then PSUs by (stratum, code), so each stratum's PSUs are consecutive.
        let strataCodes = Array(Set(stratum ?? [0])).sorted()
        var stratumIndex: [Int32: Int] = [:]
        for (i, code) in strataCodes.enumerated() { stratumIndex[code] = i }
        var keys: [Int64] = []
        keys.reserveCapacity(n)
        for i in 0..<n {
            let h = Int64(stratumIndex[stratum?[i] ?? 0]!)
            let p = Int64(psu?[i] ?? Int32(truncatingIfNeeded: i))
            keys.append(h << 32 | (p & 0xFFFF_FFFF))
        }
        let distinct = Array(Set(keys)).sorted()
        var psuIndex: [Int64: Int32] = [:]
        psuIndex.reserveCapacity(distinct.count)
        var start = [Int](repeating: 0, count: strataCodes.count + 1)
        for (i, key) in distinct.enumerated() {
            psuIndex[key] = Int32(i)
            start[Int(key >> 32) + 1] += 1
        }
        for h in 0..<strataCodes.count { start[h + 1] += start[h] }
        psuStart = start
        psuOfUnit = keys.map { psuIndex[$0]! }
        self.stratumLabels = strataCodes.map { code in
            if let labels = stratumLabels, code >= 0, Int(code) < labels.count { return labels[Int(code)] }
            return String(code)
        }
    }

    /// The design of a simulated population: its household-level `stratum`
    /// and `psu` variables when it has them (``Variable/stratum``,
    /// ``Variable/psu``), else one stratum with every household its own PSU.
    /// - Throws: ``AnalysisError/mismatch(_:)`` only for inconsistent columns.
    public init(population: Population, lonelyPSU: LonelyPSURule = .fail) throws {
        let n = population.householdCount
        let stratum = population.has("stratum") ? population.householdIntegers("stratum").array : nil
        let psu = population.has("psu") ? population.householdIntegers("psu").array : nil
        if stratum == nil && psu == nil {
            self.init(units: n)
        } else {
            try self.init(stratum: stratum, psu: psu, lonelyPSU: lonelyPSU)
        }
    }

    /// The stratum of PSU `p`.
    func stratum(ofPSU p: Int) -> Int {
        var low = 0, high = stratumCount
        while high - low > 1 {
            let mid = (low + high) >> 1
            if psuStart[mid] <= p { low = mid } else { high = mid }
        }
        return low
    }

    /// Throws if a stratum has one PSU and the rule is ``LonelyPSURule/fail``.
    func checkLonelyPSUs() throws {
        guard lonelyPSU == .fail else { return }
        for h in 0..<stratumCount where psuStart[h + 1] - psuStart[h] == 1 {
            throw AnalysisError.lonelyPSU(stratum: "'\(stratumLabels[h])'")
        }
    }

    /// The strata with a single PSU, by label.
    public var lonelyStrata: [String] {
        (0..<stratumCount).filter { psuStart[$0 + 1] - psuStart[$0] == 1 }.map { stratumLabels[$0] }
    }

    /// The with-replacement variance of an estimator from the PSU totals `Z_hi`
    /// of its linearised variable:
    ///
    ///     V = Σ_h n_h / (n_h − 1) Σ_i (Z_hi − Z̄_h)²
    ///
    /// (R survey's `svyrecvar` without fpc). A single-PSU stratum follows ``lonelyPSU``.
    /// - Throws: ``AnalysisError/lonelyPSU(stratum:)`` under ``LonelyPSURule/fail``.
    func variance(psuTotals z: UnsafeBufferPointer<Double>) throws -> Double {
        var v = 0.0
        for h in 0..<stratumCount {
            let range = psuStart[h]..<psuStart[h + 1]
            let nh = range.count
            if nh == 1 {
                switch lonelyPSU {
                case .fail: throw AnalysisError.lonelyPSU(stratum: "'\(stratumLabels[h])'")
                case .remove: continue
                case .adjust:
                    v += z[range.lowerBound] * z[range.lowerBound]
                    continue
                }
            }
            var sum = 0.0
            for p in range { sum += z[p] }
            let centre = sum / Double(nh)
            var squares = 0.0
            for p in range {
                let d = z[p] - centre
                squares += d * d
            }
            v += Double(nh) / Double(nh - 1) * squares
        }
        return v
    }
}
