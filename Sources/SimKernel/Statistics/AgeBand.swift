import Foundation

/// A band of ages in completed years, `lower...upper` or open-ended `lower+`.
///
/// The default bands follow the three guarantees of a social protection
/// floor (ILO Recommendation No. 202): children 0-17, working age 18-64,
/// older persons 65+.
///
/// ```swift
/// let bands = try AgeBand.parseList("0-14,15-64,65+")
/// ```
public struct AgeBand: Sendable, Hashable, CustomStringConvertible {
    /// The youngest age in the band.
    public let lower: Int
    /// The oldest age in the band, or `nil` for no upper limit.
    public let upper: Int?

    public init(_ lower: Int, _ upper: Int?) {
        self.lower = lower
        self.upper = upper
    }

    /// 0-17, 18-64, 65+.
    public static let standard = [AgeBand(0, 17), AgeBand(18, 64), AgeBand(65, nil)]

    /// Whether `age` is in the band.
    public func contains(_ age: Int) -> Bool {
        age >= lower && (upper.map { age <= $0 } ?? true)
    }

    /// `0-17` or `65+`.
    public var description: String {
        upper.map { "\(lower)-\($0)" } ?? "\(lower)+"
    }

    /// Parses `0-17,18-64,65+`: comma-separated bands `a-b` (a ≤ b) or `a+`,
    /// in increasing order and not overlapping.
    /// - Throws: ``AnalysisError/invalidOption(_:)`` naming the bad band.
    public static func parseList(_ text: String) throws -> [AgeBand] {
        var bands: [AgeBand] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let s = part.trimmingCharacters(in: .whitespaces)
            let band: AgeBand
            if s.hasSuffix("+"), let a = Int(s.dropLast()) {
                band = AgeBand(a, nil)
            } else {
                let ends = s.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count == 2, let a = Int(ends[0]), let b = Int(ends[1]), a <= b else {
                    throw AnalysisError.invalidOption("age band '\(s)' is not of the form 'a-b' (a <= b) or 'a+', e.g. 0-17,18-64,65+")
                }
                band = AgeBand(a, b)
            }
            if let last = bands.last {
                guard let end = last.upper, band.lower > end else {
                    throw AnalysisError.invalidOption("age bands must increase without overlapping: '\(band)' comes after '\(last)'")
                }
            }
            bands.append(band)
        }
        return bands
    }
}
