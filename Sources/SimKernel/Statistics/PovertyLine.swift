/// A poverty line: a fixed amount, or a share of the weighted median or mean
/// of the welfare distribution.
///
/// A line is in the unit of the welfare measure it is applied to (currency
/// per person, or per adult equivalent, per period). A relative line is
/// estimated from the distribution it is applied to: for the whole
/// population from its own median or mean; for a subgroup (a region, an age
/// band) the **national** line is used, as EU-SILC and laeken's
/// `breakdown` do, so that a group's at-risk rate counts the persons below
/// the same threshold as everyone else. In a bootstrap replicate a relative
/// line is re-estimated from the replicate's weights.
///
/// ```swift
/// let lines: [PovertyLine] = [.absolute(150), .relative(share: 0.6, of: .median)]   // national line and the EU-SILC threshold
/// ```
public enum PovertyLine: Sendable, Hashable, CustomStringConvertible {
    /// What a relative line is a share of.
    public enum Reference: String, Sendable, Hashable, CaseIterable {
        /// The weighted median, by the analysis' quantile definition (laeken's
        /// `weightedMedian` by default).
        case median
        /// The weighted mean `Σ w y / Σ w`.
        case mean
    }

    /// A fixed amount z > 0, in the unit of the welfare measure.
    case absolute(Double)
    /// `share` × the weighted median (or mean) of welfare. EU-SILC's
    /// at-risk-of-poverty threshold (laeken's `arpt`) is `.relative(share: 0.6, of: .median)`.
    case relative(share: Double, of: Reference)

    /// The EU-SILC at-risk-of-poverty threshold: 60% of the weighted median
    /// (Eurostat; laeken `arpt`).
    public static let euAtRiskOfPoverty = PovertyLine.relative(share: 0.6, of: .median)

    /// Whether the line is estimated from the data (and so has sampling error).
    public var isRelative: Bool {
        if case .relative = self { return true }
        return false
    }

    /// Whether this is EU-SILC's at-risk-of-poverty threshold (60% of the median).
    public var isAtRiskOfPovertyThreshold: Bool { self == .euAtRiskOfPoverty }

    /// A short label: `10000` or `0.6 median`.
    public var description: String {
        switch self {
        case .absolute(let z): return Self.format(z)
        case .relative(let share, let reference): return "\(Self.format(share)) \(reference.rawValue)"
        }
    }

    /// A key usable in JSON and CSV: `10000` or `0.6_median`.
    public var key: String {
        switch self {
        case .absolute(let z): return Self.format(z)
        case .relative(let share, let reference): return "\(Self.format(share))_\(reference.rawValue)"
        }
    }

    /// The shares a relative line may be of its reference: more than 0, at most 10.
    ///
    /// Lines in use are 40% to 70% of the median; a line of many times the
    /// median classes everyone as poor, and a share such as 1e308 makes the
    /// line infinite. Ten leaves room for any study while catching typos.
    public static let relativeShares: ClosedRange<Double> = Double.leastNonzeroMagnitude...10

    /// Checks the line is usable: a finite absolute line > 0, a share in (0, 10] (``relativeShares``).
    /// The value a relative line takes in the data is checked when it is computed
    /// (``WelfareAnalysis`` refuses a line that is not finite and > 0).
    /// - Throws: ``AnalysisError/invalidOption(_:)``.
    func validate() throws {
        switch self {
        case .absolute(let z):
            guard z.isFinite, z > 0 else { throw AnalysisError.invalidOption("a poverty line must be a finite number > 0 (got \(z))") }
        case .relative(let share, _):
            guard Self.relativeShares.contains(share) else {
                throw AnalysisError.invalidOption("a relative poverty line needs a share > 0 and at most 10 (got \(share)); 0.6 is 60% of the median")
            }
        }
    }

    /// A number as labels and keys show it: whole numbers without a fraction (`10000`), others in Swift's shortest form (`0.6`).
    public static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }
}
