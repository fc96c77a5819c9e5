/// Whether a published figure is shown, shown with a small-cell warning, or withheld.
public enum Disclosure: String, Sendable, Equatable, Codable {
    /// Shown as it is.
    case shown
    /// Shown, marked as resting on few observations (a small-cell warning).
    case flagged
    /// Not shown: computed from fewer unweighted observations than the rule allows.
    case suppressed
}

/// The one rule that decides, from a figure's unweighted count, whether it is
/// shown, flagged or suppressed: in `scenario compare` (table, JSON, CSV),
/// `assess` and `report` (HTML, CSV, xlsx) alike.
///
/// A figure whose count is below ``minimumObservations`` is suppressed when
/// ``suppress`` is true (the report's default), else flagged (`compare`'s
/// and `assess`'s default). A figure derived from another (a projected
/// year's beneficiaries from the survey year's, a cost per person lifted out
/// from the persons lifted out) carries the count of what it rests on, so it
/// is decided the same way and cannot give a withheld figure back.
///
/// ```swift
/// let rule = DisclosureRule(minimumObservations: 30, suppress: true)
/// rule.status(observations: 6)   // .suppressed
/// rule.status(observations: nil) // .shown (a figure on the whole sample)
/// ```
public struct DisclosureRule: Sendable, Equatable, Codable {
    /// Figures from fewer unweighted observations than this are flagged or suppressed (default 30).
    public let minimumObservations: Int
    /// Suppress small figures (true) or only flag them (false).
    public let suppress: Bool

    private enum CodingKeys: String, CodingKey { case minimumObservations, suppress }

    /// A rule read back (a result record): the threshold is at least 1, as a command line's.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let minimum = try c.decode(Int.self, forKey: .minimumObservations)
        guard minimum >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .minimumObservations, in: c, debugDescription: "the disclosure threshold is at least 1")
        }
        self.init(minimumObservations: minimum, suppress: try c.decode(Bool.self, forKey: .suppress))
    }

    public init(minimumObservations: Int = 30, suppress: Bool) {
        precondition(minimumObservations >= 1, "the disclosure threshold is at least 1")
        self.minimumObservations = minimumObservations
        self.suppress = suppress
    }

    /// The decision for a figure resting on `observations` unweighted persons (`nil`: not subject to the rule;
    /// 0: the figure is zero in the sample, shown).
    public func status(observations: Int?) -> Disclosure {
        // No observation at all: the figure is an exact zero of the sample (nobody pushed into poverty), nothing to protect.
        guard let observations, observations > 0, observations < minimumObservations else { return .shown }
        return suppress ? .suppressed : .flagged
    }
}
