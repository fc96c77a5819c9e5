/// A point estimate with, when asked, its standard error and 95% confidence interval.
///
/// `se` and `ci95` are `nil` when no standard error was asked for, or when
/// the chosen method has none for this indicator (Taylor linearisation
/// covers means, totals, ratios, FGT, Watts, GE, Atkinson and the Gini at a
/// fixed line; quantiles, shares and anything at a relative line need the
/// bootstrap). An undefined value (e.g. a Gini with zero total income) is `nan`.
public struct Estimate: Sendable, Equatable, Codable {
    /// The estimate from the full-sample weights.
    public var value: Double
    /// The standard error.
    public var se: Double?
    /// The 95% confidence interval.
    public var ci95: ConfidenceInterval?

    /// An estimate, optionally with its SE and interval.
    public init(value: Double, se: Double? = nil, ci95: ConfidenceInterval? = nil) {
        self.value = value
        self.se = se
        self.ci95 = ci95
    }
}

/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    /// The interval from `lower` to `upper`.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The normal-theory 95% interval `value ± 1.959964 se` (1.959964 = Φ⁻¹(0.975)).
    public static func normal(value: Double, se: Double) -> ConfidenceInterval {
        ConfidenceInterval(lower: value - normalQuantile975 * se, upper: value + normalQuantile975 * se)
    }

    /// Φ⁻¹(0.975), the 97.5% point of the standard normal distribution.
    public static let normalQuantile975 = 1.959963984540054
}
