import Foundation

extension WelfareAnalysis {
    /// The blocks of the flat vector: (grouping, group) or `nil` for the whole population, with their start.
    var blocks: [(group: (Int, Int)?, start: Int)] {
        var list: [(group: (Int, Int)?, start: Int)] = [(nil, 0)]
        for (gi, starts) in blockStarts.enumerated() {
            for (g, start) in starts.enumerated() { list.append(((gi, g), start)) }
        }
        return list
    }

    /// Linearised SEs at every position of the flat vector, for the
    /// combination Σ_k sign_k θ(distribution_k) (one distribution with sign 1,
    /// or reform − baseline); `nil` where an indicator has no linearisation.
    func linearizedSE(_ prepared: [Prepared], point: [[Double]], sign: [Double]) throws -> [Double?] {
        let lin = Linearization(layout: layout, design: design)
        var se = [Double?](repeating: nil, count: point[0].count)
        var z = [Double](repeating: 0, count: design.psuCount), part = z
        for block in blocks {
            let group = block.group != nil
            let indicators = layout.distribution + (group ? layout.groupExtras : [])
            for (j, indicator) in indicators.enumerated() where lin.supports(indicator) {
                z.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                var ok = true
                for (k, p) in prepared.enumerated() where ok {
                    let sample = block.group.map { p.groups[$0.0][$0.1] } ?? p.overall
                    let values = point[k][block.start..<(block.start + indicators.count)]
                    part.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                    ok = part.withUnsafeMutableBufferPointer {
                        lin.addInfluence(of: indicator, sample: sample, values: values, overall: p.overall,
                                         overallValues: point[k][0..<layout.distribution.count], into: $0)
                    }
                    for i in z.indices { z[i] += sign[k] * part[i] }
                }
                guard ok else { continue }
                let v = try z.withUnsafeBufferPointer { try design.variance(psuTotals: $0) }
                se[block.start + j] = v.squareRoot()
            }
        }
        return se
    }

    /// Warnings for units left out of indices undefined at their welfare.
    func exclusionWarnings(_ p: Prepared) -> [AnalysisWarning] {
        var positiveOnly: [String] = [], nonNegativeOnly: [String] = []
        for m in layout.moments.measures {
            let key: String
            switch m.kind {
            case .generalizedEntropy(let a): key = Indicator.generalizedEntropy(a).key
            case .atkinson(let e): key = Indicator.atkinson(e).key
            }
            switch layout.moments.transforms[m.transform].eligibility {
            case .positive: positiveOnly.append(key)
            case .nonNegative: nonNegativeOnly.append(key)
            case .all: break
            }
        }
        if !options.lines.isEmpty { positiveOnly.append("watts") }
        var warnings: [AnalysisWarning] = []
        func check(_ s: SortedSample, group: String?) {
            func weight(_ k: Int) -> String {
                String(format: "%.1f", s.weight[0..<k].reduce(into: CompensatedSum()) { $0.add($1) }.value)
            }
            if s.firstPositive > 0, !positiveOnly.isEmpty {
                warnings.append(AnalysisWarning(group: group,
                    "\(s.firstPositive) of \(s.count) units have welfare <= 0 (\(weight(s.firstPositive)) weighted persons); they are left out of \(positiveOnly.joined(separator: ", ")), where log or a negative power of welfare is undefined"))
            }
            if s.firstNonNegative > 0, !nonNegativeOnly.isEmpty {
                warnings.append(AnalysisWarning(group: group,
                    "\(s.firstNonNegative) of \(s.count) units have welfare < 0 (\(weight(s.firstNonNegative)) weighted persons); they are left out of \(nonNegativeOnly.joined(separator: ", ")), where a fractional power of welfare is undefined"))
            }
        }
        check(p.overall, group: nil)
        for (gi, grouping) in groupings.enumerated() {
            for (g, label) in grouping.labels.enumerated() { check(p.groups[gi][g], group: "\(grouping.name) = \(label)") }
        }
        return warnings
    }

    /// A note naming the indicators that linearisation leaves without an SE.
    func missingSEWarning(_ se: [Double?]) -> [AnalysisWarning] {
        var keys: [String] = []
        for (j, indicator) in layout.distribution.enumerated() where se[j] == nil && !keys.contains(indicator.key) {
            keys.append(indicator.key)
        }
        guard !keys.isEmpty else { return [] }
        return [AnalysisWarning("no linearised SE for \(keys.joined(separator: ", ")) (they depend on quantiles or relative lines); use the bootstrap for them")]
    }

    /// Warnings for indicators undefined in some bootstrap replicates (left out of their SE).
    func undefinedReplicateWarnings(_ undefined: [Int], replicates: Int) -> [AnalysisWarning] {
        var warnings: [AnalysisWarning] = []
        for block in blocks {
            let indicators = layout.distribution + (block.group != nil ? layout.groupExtras : [])
            var worst: [String: Int] = [:], order: [String] = []
            for (j, indicator) in indicators.enumerated() where undefined[block.start + j] > 0 {
                let key = indicator.key + (indicator.position.map { "[\($0)]" } ?? "")
                if worst[key] == nil { order.append(key) }
                worst[key] = max(worst[key] ?? 0, undefined[block.start + j])
            }
            guard !order.isEmpty else { continue }
            let list = order.prefix(8).map { "\($0) (\(worst[$0]!))" }.joined(separator: ", ") + (order.count > 8 ? ", ..." : "")
            let group = block.group.map { "\(groupings[$0.0].name) = \(groupings[$0.0].labels[$0.1])" }
            warnings.append(AnalysisWarning(group: group,
                "undefined in some of the \(replicates) bootstrap replicates, which are left out of the SE: \(list)"))
        }
        return warnings
    }
}
