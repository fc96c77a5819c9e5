import Foundation

extension WelfareAnalysis {
    /// A baseline ready to be compared with any reform: sorted, split into
    /// its groups, evaluated, and its decile boundaries found (kept in a
    /// ``BaselineCache`` by ``WelfareAnalysis/compare(baseline:reform:inference:plan:baselines:progress:)``).
    ///
    /// It stands for exactly one (analysis, baseline) pair: it is reused only
    /// when the options are equal and the design's PSUs, the groupings and
    /// the baseline's welfare, weights and equivalents are the same bits
    /// (``matches(_:analysis:)``), so a hit cannot change a figure.
    final class PreparedBaseline: Sendable {
        let options: IndicatorOptions
        let psuOfUnit: [Int32]
        let groupings: [Grouping]
        let prepared: Prepared
        /// Every indicator of every block, full sample.
        let point: [Double]
        /// Units left out of indices (``WelfareAnalysis/exclusionWarnings(_:)``), untagged.
        let warnings: [AnalysisWarning]
        /// The baseline's decile boundaries in welfare order (``Incidence/cuts(sortedWelfare:sortedWeight:options:)``).
        let cuts: [Int]

        init(analysis: WelfareAnalysis, prepared: Prepared, point: [Double], warnings: [AnalysisWarning], cuts: [Int]) {
            options = analysis.options
            psuOfUnit = analysis.design.psuOfUnit
            groupings = analysis.groupings
            self.prepared = prepared
            self.point = point
            self.warnings = warnings
            self.cuts = cuts
        }

        /// Whether this is `baseline` under `analysis`: equal options, and the same bits in every array the figures read.
        func matches(_ baseline: WelfareDistribution, analysis: WelfareAnalysis) -> Bool {
            let d = prepared.distribution
            guard options == analysis.options, groupings.count == analysis.groupings.count,
                  Self.same(d.welfare, baseline.welfare), Self.same(d.personWeight, baseline.personWeight),
                  (d.equivalentsPerPerson == nil) == (baseline.equivalentsPerPerson == nil),
                  Self.same(d.equivalentsPerPerson ?? [], baseline.equivalentsPerPerson ?? []),
                  Self.same(psuOfUnit, analysis.design.psuOfUnit) else { return false }
            for (a, b) in zip(groupings, analysis.groupings) {
                guard a.name == b.name, a.labels == b.labels else { return false }
                switch (a.members, b.members) {
                case (.units(let x), .units(let y)):
                    guard Self.same(x, y) else { return false }
                case (.persons(let x, let xs), .persons(let y, let ys)):
                    guard Self.same(x, y), Self.same(xs, ys) else { return false }
                default:
                    return false
                }
            }
            return true
        }

        /// Equal length and bytes (so `-0.0` differs from `0.0`, and a NaN equals the same NaN).
        static func same<T: BitwiseCopyable>(_ a: [T], _ b: [T]) -> Bool {
            guard a.count == b.count else { return false }
            return a.withUnsafeBytes { x in
                b.withUnsafeBytes { y in
                    x.baseAddress == y.baseAddress || x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
                }
            }
        }
    }
}
