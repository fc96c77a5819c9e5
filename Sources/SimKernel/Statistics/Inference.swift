/// How standard errors and confidence intervals are computed.
///
/// ```swift
/// let profile = try analysis.profile(of: distribution, inference: .bootstrap(replicates: 1000, seed: 1))
/// ```
public enum Inference: Sendable, Hashable {
    /// Point estimates only.
    case none
    /// Taylor linearisation (influence functions) under the design, with the
    /// with-replacement PSU approximation: R survey's `svymean`, `svytotal`,
    /// `svyratio`. CI: value ± 1.959964 SE. Indicators without a
    /// linearisation (quantiles, shares, relative lines) get no SE.
    case linearized
    /// The Rao-Wu rescaling bootstrap with `replicates` replicates from `seed`;
    /// every indicator, relative lines re-estimated in each replicate.
    case bootstrap(replicates: Int, seed: UInt64, interval: BootstrapInterval = .percentile)

    /// A short description for reports: `none`, `linearized`, `bootstrap (1000 replicates, seed 1, percentile CI)`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .linearized: return "Taylor linearisation, with-replacement PSUs, normal 95% CI"
        case .bootstrap(let b, let seed, let interval):
            return "Rao-Wu rescaling bootstrap, \(b) replicates, seed \(seed), \(interval.rawValue) 95% CI"
        }
    }
}

/// Which 95% confidence interval a bootstrap reports.
public enum BootstrapInterval: String, Sendable, Hashable, CaseIterable {
    /// The 2.5% and 97.5% points of the replicate estimates, read as R's
    /// `boot.ci(type = "perc")` does: order statistics at ranks (B+1)·0.025
    /// and (B+1)·0.975, interpolated on the normal-quantile scale between
    /// neighbours. Asymmetric when the replicates are.
    case percentile
    /// value ± 1.959964 × bootstrap SE.
    case normal
}
