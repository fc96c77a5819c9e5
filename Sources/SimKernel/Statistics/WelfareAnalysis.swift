/// simrun's statistics engine: the poverty and inequality profile of a
/// welfare distribution, by group, with design-based standard errors; and a
/// reform compared with its baseline on the same units.
///
/// An analysis fixes what to compute (``IndicatorOptions``), the sample
/// design and the groupings; it is then applied to one distribution
/// (``profile(of:inference:plan:progress:)``) or to a baseline and a reform
/// (``compare(baseline:reform:inference:plan:baselines:progress:)``). Each distribution is
/// sorted once; point estimates and every bootstrap replicate are one pass
/// over the sorted units (`IndicatorKernel`).
///
/// ```swift
/// let design = try SurveyDesign(stratum: strata, psu: clusters)
/// let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(150)]), design: design,
///                                    groupings: [.ageBands(AgeBand.standard, ages: ages, householdStart: starts)])
/// let result = try analysis.compare(baseline: before, reform: after,
///                                   inference: .bootstrap(replicates: 1000, seed: 1))
/// print(result.change.value(.fgt(alpha: 0, line: 0)), result.change.overall[.fgt(alpha: 0, line: 0)]?.se as Any)
/// ```
public struct WelfareAnalysis: Sendable {
    /// What is computed.
    public let options: IndicatorOptions
    /// Strata and PSUs of the units.
    public let design: SurveyDesign
    /// Groupings for indicators by group.
    public let groupings: [Grouping]
    let layout: IndicatorLayout

    /// Creates an analysis.
    ///
    /// - Throws: ``AnalysisError/invalidOption(_:)`` for an option out of
    ///   range; ``AnalysisError/mismatch(_:)`` if a grouping describes a
    ///   different number of units than the design.
    public init(options: IndicatorOptions = IndicatorOptions(), design: SurveyDesign, groupings: [Grouping] = []) throws {
        try options.validate()
        for g in groupings where g.unitCount != design.unitCount {
            throw AnalysisError.mismatch("grouping '\(g.name)' describes \(g.unitCount) units, the design \(design.unitCount)")
        }
        self.options = options
        self.design = design
        self.groupings = groupings
        layout = IndicatorLayout(options: options)
    }

    /// One distribution, sorted, split into its groups.
    struct Prepared: Sendable {
        let distribution: WelfareDistribution
        let order: [Int32]
        let overall: SortedSample
        /// Per grouping, per group.
        let groups: [[SortedSample]]
    }

    func prepare(_ distribution: WelfareDistribution) throws -> Prepared {
        guard distribution.count == design.unitCount else {
            throw AnalysisError.mismatch("the distribution has \(distribution.count) units, the design \(design.unitCount)")
        }
        let order = distribution.welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
        let psuCount = design.psuCount
        let overall = SortedSample.whole(distribution, order: order, psuOfUnit: design.psuOfUnit, moments: layout.moments,
                                         psuCount: psuCount)
        let groups = groupings.map {
            SortedSample.groups(of: overall, order: order, grouping: $0, moments: layout.moments, psuCount: psuCount)
        }
        return Prepared(distribution: distribution, order: order, overall: overall, groups: groups)
    }

    /// Where each block starts in the flat vector: the whole population, then each group of each grouping.
    var blockStarts: [[Int]] {
        var next = layout.blockSize(group: false)
        return groupings.map { g in
            g.labels.map { _ in
                defer { next += layout.blockSize(group: true) }
                return next
            }
        }
    }

    /// Every indicator of every block under the given PSU factors (`nil`: full sample), as one flat vector.
    func evaluate(_ p: Prepared, multiplier: UnsafeBufferPointer<Double>?, scratch: KernelScratch) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(layout.blockSize(group: false) + groupings.reduce(0) { $0 + $1.labels.count } * layout.blockSize(group: true))
        let lines = IndicatorKernel.evaluate(p.overall, multiplier: multiplier, lines: nil, layout: layout, scratch: scratch, into: &out)
        let total = out[0]
        for groups in p.groups {
            for sample in groups {
                let start = out.count
                IndicatorKernel.evaluate(sample, multiplier: multiplier, lines: lines, layout: layout, scratch: scratch, into: &out)
                let weight = out[start]
                let share = weight / total
                out.append(share)
                for k in lines.indices {
                    for alpha in layout.fgtAlphas {
                        // (W_g / W) FGT_g; a group that weighs nothing (possible in a replicate) contributes 0.
                        out.append(weight == 0 ? 0 : share * out[start + layout.offset(of: .fgt(alpha: alpha, line: k))])
                    }
                }
            }
        }
        return out
    }

    /// The profile of one welfare distribution.
    ///
    /// - Parameters:
    ///   - distribution: Welfare and person weight per unit, in the design's unit order.
    ///   - inference: How SEs are computed.
    ///   - plan: Threads for the bootstrap (results do not depend on it).
    ///   - progress: Called (from any thread) with the number of bootstrap replicates just finished.
    /// - Throws: ``AnalysisError`` (a lonely PSU under `fail`, a size mismatch, < 2 replicates).
    /// - Complexity: O(n) to sort and evaluate; the bootstrap O(B × (n + PSUs)).
    public func profile(of distribution: WelfareDistribution, inference: Inference = .none,
                        plan: ParallelPlan = ParallelPlan(), progress: (@Sendable (Int) -> Void)? = nil) throws -> WelfareProfile {
        let p = try prepare(distribution)
        let point = evaluate(p, multiplier: nil, scratch: KernelScratch())
        try checkLines(point, of: nil)
        var warnings = exclusionWarnings(p)
        let estimates: [Estimate]
        switch inference {
        case .none:
            estimates = point.map { Estimate(value: $0) }
        case .linearized:
            try design.checkLonelyPSUs()
            let se = try linearizedSE([p], point: [point], sign: [1])
            estimates = zip(point, se).map { v, s in Estimate(value: v, se: s, ci95: s.map { .normal(value: v, se: $0) }) }
            warnings += missingSEWarning(se)
        case .bootstrap(let replicates, let seed, let interval):
            let bootstrap = try RaoWuBootstrap(design: design, replicates: replicates, seed: seed)
            let runs = bootstrap.run(plan: plan, progress: progress) { m, scratch in evaluate(p, multiplier: m, scratch: scratch) }
            let summary = RaoWuBootstrap.summarize(runs, point: point, interval: interval)
            estimates = summary.map(\.0)
            warnings += undefinedReplicateWarnings(summary.map(\.undefined), replicates: replicates)
        }
        return assemble(estimates, inference: inference, warnings: warnings)
    }

    /// A reform against its baseline on the same units: both profiles,
    /// the change with paired SEs, and the incidence by baseline decile.
    ///
    /// Both distributions must describe the design's units in the same order
    /// with the same person weights. Linearised SEs of the change use the
    /// difference of the two linearised variables; bootstrap SEs apply the
    /// same replicate weights to both and take the SD of the replicate differences.
    ///
    /// With `baselines`, the baseline's sorted form, its indicators and its
    /// decile boundaries are kept there and reused by the next comparison of
    /// the same baseline under the same analysis (the same options, design
    /// and groupings, every value the same bits): comparing many reforms
    /// with one baseline (the workshop page, a sweep) then sorts and
    /// evaluates only each reform. The figures are the same bits with or
    /// without it.
    /// - Throws: ``AnalysisError``.
    /// `progress` is called (from any thread) with the number of bootstrap replicates just finished.
    public func compare(baseline: WelfareDistribution, reform: WelfareDistribution, inference: Inference = .none,
                        plan: ParallelPlan = ParallelPlan(), baselines: BaselineCache? = nil,
                        progress: (@Sendable (Int) -> Void)? = nil) throws -> WelfareComparison {
        guard baseline.personWeight == reform.personWeight else {
            throw AnalysisError.mismatch("baseline and reform must have the same units and person weights")
        }
        let scratch = KernelScratch()
        let prepared: PreparedBaseline
        if let known = baselines?.welfareBaseline(of: baseline, analysis: self) {
            prepared = known
        } else {
            let b = try prepare(baseline)
            let point = evaluate(b, multiplier: nil, scratch: scratch)
            try checkLines(point, of: "baseline")
            prepared = PreparedBaseline(analysis: self, prepared: b, point: point, warnings: exclusionWarnings(b),
                                        cuts: Incidence.cuts(sortedWelfare: b.overall.y, sortedWeight: b.overall.weight, options: options))
            baselines?.store(prepared)
        }
        let b = prepared.prepared, pointB = prepared.point
        let r = try prepare(reform)
        let pointR = evaluate(r, multiplier: nil, scratch: scratch)
        try checkLines(pointR, of: "reform")
        let pointC = zip(pointR, pointB).map { $0 - $1 }
        var warnings = (prepared.warnings, exclusionWarnings(r), [AnalysisWarning]())
        var estimates: ([Estimate], [Estimate], [Estimate])
        switch inference {
        case .none:
            estimates = (pointB.map { Estimate(value: $0) }, pointR.map { Estimate(value: $0) }, pointC.map { Estimate(value: $0) })
        case .linearized:
            try design.checkLonelyPSUs()
            func linearized(_ ps: [Prepared], _ points: [[Double]], _ signs: [Double], _ value: [Double]) throws -> [Estimate] {
                let se = try linearizedSE(ps, point: points, sign: signs)
                return zip(value, se).map { v, s in Estimate(value: v, se: s, ci95: s.map { .normal(value: v, se: $0) }) }
            }
            estimates = (try linearized([b], [pointB], [1], pointB), try linearized([r], [pointR], [1], pointR),
                         try linearized([b, r], [pointB, pointR], [-1, 1], pointC))
            warnings.2 += missingSEWarning(estimates.2.map(\.se))
        case .bootstrap(let replicates, let seed, let interval):
            let bootstrap = try RaoWuBootstrap(design: design, replicates: replicates, seed: seed)
            let size = pointB.count
            let runs = bootstrap.run(plan: plan, progress: progress) { m, scratch in
                evaluate(b, multiplier: m, scratch: scratch) + evaluate(r, multiplier: m, scratch: scratch)
            }
            let sb = RaoWuBootstrap.summarize(runs.map { Array($0[..<size]) }, point: pointB, interval: interval)
            let sr = RaoWuBootstrap.summarize(runs.map { Array($0[size...]) }, point: pointR, interval: interval)
            let sc = RaoWuBootstrap.summarize(runs.map { run in (0..<size).map { run[size + $0] - run[$0] } },
                                              point: pointC, interval: interval)
            estimates = (sb.map(\.0), sr.map(\.0), sc.map(\.0))
            warnings.0 += undefinedReplicateWarnings(sb.map(\.undefined), replicates: replicates)
            warnings.1 += undefinedReplicateWarnings(sr.map(\.undefined), replicates: replicates)
        }
        return WelfareComparison(
            baseline: assemble(estimates.0, inference: inference, warnings: warnings.0.map { tagged($0, "baseline") }),
            reform: assemble(estimates.1, inference: inference, warnings: warnings.1.map { tagged($0, "reform") }),
            change: assemble(estimates.2, inference: inference, warnings: warnings.2),
            incidence: Incidence(sortedWelfare: b.overall.y, sortedWeight: b.overall.weight, sortedEquivalents: b.overall.equivalents,
                                 reform: reform, order: b.order, cuts: prepared.cuts, options: options))
    }

    /// Fails unless every poverty line of the full sample is finite and > 0:
    /// a relative line is a share of the median or mean, which may be 0 or
    /// negative in the data (or overflow), and FGT at such a line means nothing.
    /// - Throws: ``AnalysisError/invalidOption(_:)`` naming the line and its value.
    func checkLines(_ point: [Double], of system: String?) throws {
        for (k, line) in options.lines.enumerated() {
            let z = point[layout.offset(of: .line(k))]
            guard !(z.isFinite && z > 0) else { continue }
            let whose = system.map { " for the \($0)" } ?? ""
            var message = "the poverty line \(line)\(whose) is \(z) in this data; a poverty line must be a finite number > 0"
            if case .relative(_, let reference) = line {
                message += " (a relative line needs a positive, finite \(reference.rawValue) welfare); give an absolute line (--line)"
            }
            throw AnalysisError.invalidOption(message)
        }
    }

    private func tagged(_ w: AnalysisWarning, _ system: String) -> AnalysisWarning {
        AnalysisWarning(group: w.group, "\(system): \(w.message)")
    }

    /// Splits flat estimates into the overall table and the group tables.
    func assemble(_ estimates: [Estimate], inference: Inference, warnings: [AnalysisWarning]) -> WelfareProfile {
        let d = layout.distribution, g = layout.distribution + layout.groupExtras
        let overall = IndicatorTable(indicators: d, estimates: Array(estimates[0..<d.count]))
        let groups = zip(groupings, blockStarts).map { grouping, starts in
            GroupTables(name: grouping.name, labels: grouping.labels, tables: starts.map { start in
                IndicatorTable(indicators: g, estimates: Array(estimates[start..<(start + g.count)]))
            })
        }
        return WelfareProfile(options: options, inference: inference, overall: overall, groups: groups, warnings: warnings)
    }
}
