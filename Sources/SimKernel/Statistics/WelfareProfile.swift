/// The poverty and inequality profile of one welfare distribution: every
/// indicator for the whole population and for each group, with SEs when
/// asked, and the warnings an analyst must see.
public struct WelfareProfile: Sendable, Equatable {
    /// What was computed.
    public let options: IndicatorOptions
    /// How SEs were computed.
    public let inference: Inference
    /// The whole population.
    public let overall: IndicatorTable
    /// Per grouping, per group.
    public let groups: [GroupTables]
    /// Units left out of indices, undefined replicates, missing SEs.
    public let warnings: [AnalysisWarning]

    /// The value of `indicator` for the whole population.
    public func value(_ indicator: Indicator) -> Double { overall.value(indicator) }

    /// The tables of the grouping called `name`.
    public func groups(named name: String) -> GroupTables? { groups.first { $0.name == name } }
}

/// A reform compared with the baseline on the same units: both profiles,
/// their change (reform − baseline) with paired SEs, and the reform's
/// incidence by decile of baseline welfare.
public struct WelfareComparison: Sendable, Equatable {
    /// The baseline's profile.
    public let baseline: WelfareProfile
    /// The reform's profile.
    public let reform: WelfareProfile
    /// Reform minus baseline, indicator by indicator. Its SEs use the same
    /// design (linearisation: the difference of the two linearised
    /// variables) or the same bootstrap replicates for both, so they reflect
    /// the pairing; its percentile CIs are those of the replicate differences.
    public let change: WelfareProfile
    /// Who gains, by decile of baseline welfare.
    public let incidence: Incidence
}
