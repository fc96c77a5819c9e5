/// An indicator's spread across Monte Carlo replications (`--replications R`:
/// take-up, durations and assessment errors drawn again with other seeds).
///
/// - `mean`: Σ x_r / R (compensated sum);
/// - `low`, `high`: the 2.5% and 97.5% quantiles of the R values, linear
///   interpolation between order statistics (R's `quantile` default, type 7):
///   with sorted x and h = (R − 1) p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
///   95% of the replications fall between them; this describes the
///   simulation's randomness, not sampling error.
///
/// ```swift
/// ReplicationSummary([1, 2, 3, 4, 5])   // mean 3, low 1.1, high 4.9 (R: quantile(1:5, c(.025, .975)))
/// ```
public struct ReplicationSummary: Sendable, Equatable {
    public let mean: Double
    public let low: Double
    public let high: Double

    /// Summarises the values of one indicator, one per replication.
    /// - Precondition: at least one value, none NaN.
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "a summary needs at least one replication")
        var sum = CompensatedSum()
        for x in values { sum.add(x) }
        mean = sum.value / Double(values.count)
        let sorted = values.sorted()
        low = Self.quantile(sorted: sorted, 0.025)
        high = Self.quantile(sorted: sorted, 0.975)
    }

    /// The type-7 `p` quantile of sorted values.
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        guard lo + 1 < sorted.count else { return sorted[lo] }
        return sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo])
    }
}
