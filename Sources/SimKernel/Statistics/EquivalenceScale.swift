import Foundation

/// An equivalence scale: the number of "adult equivalents" `s` a household's
/// income is divided by, so that households of different size and
/// composition can be compared. Welfare is `y = household income / s`, and
/// every member is given that `y`.
///
/// With `n` members, of whom `K` are children (age ≤ ``childMaxAge``) and
/// `A = n − K` adults:
///
/// | scale | s | source |
/// |---|---|---|
/// | ``perCapita`` (default) | n | — |
/// | ``oecdModified(childMaxAge:)`` | 1 + 0.5 (A − 1) + 0.3 K, with a first member who is a child counting 1 (a household of children only: 1 + 0.3 (K − 1)) | Eurostat EU-SILC; Hagenaars, de Vos and Zaidi (1994) |
/// | ``squareRoot`` | √n | OECD (2008), *Growing Unequal?* |
/// | ``parametric(adultWeight:childWeight:elasticity:childMaxAge:)`` | (a·A + α·K)^θ | Citro and Michael (1995); Deaton and Zaidi (2002) |
///
/// EU-SILC's children are persons aged under 14 (`childMaxAge` 13), so the
/// OECD-modified scale of laeken's `eusilc` data (`eqSS`) is reproduced
/// with the default. Ages are in completed years; a negative age (laeken's
/// `eusilc` has −1 for babies) counts as a child.
public enum EquivalenceScale: Sendable, Hashable, Codable, CustomStringConvertible {
    /// s = n.
    case perCapita
    /// s = 1 + 0.5 (A − 1) + 0.3 K (Eurostat's modified OECD scale); children
    /// are persons aged `childMaxAge` or younger (default 13, i.e. under 14).
    case oecdModified(childMaxAge: Int = 13)
    /// s = √n.
    case squareRoot
    /// s = (adultWeight·A + childWeight·K)^elasticity; with the defaults
    /// (1, 1, θ) this is n^θ. Children are aged `childMaxAge` or younger.
    case parametric(adultWeight: Double = 1, childWeight: Double, elasticity: Double, childMaxAge: Int = 13)

    /// Whether the scale needs each member's age.
    public var needsAges: Bool {
        switch self {
        case .perCapita, .squareRoot: return false
        case .oecdModified, .parametric: return true
        }
    }

    /// The age at or below which a member counts as a child (scales that use ages).
    public var childMaxAge: Int? {
        switch self {
        case .perCapita, .squareRoot: return nil
        case .oecdModified(let limit): return limit
        case .parametric(_, _, _, let limit): return limit
        }
    }

    /// The adult equivalents of a household with `adults` adults and `children` children.
    ///
    /// - Precondition: `adults + children ≥ 1`.
    /// - Returns: s > 0 (for the parametric scale, when its base is > 0).
    public func adultEquivalents(adults: Int, children: Int) -> Double {
        let n = adults + children
        precondition(n >= 1, "a household has at least one member")
        switch self {
        case .perCapita:
            return Double(n)
        case .squareRoot:
            return Double(n).squareRoot()
        case .oecdModified:
            // The first member counts 1 whatever the age; with no adult the
            // first child takes that place.
            if adults >= 1 { return 1 + 0.5 * Double(adults - 1) + 0.3 * Double(children) }
            return 1 + 0.3 * Double(children - 1)
        case .parametric(let a, let alpha, let theta, _):
            let base = a * Double(adults) + alpha * Double(children)
            return theta == 1 ? base : pow(base, theta)
        }
    }

    /// Checks the parameters: a parametric scale needs weights ≥ 0 with a
    /// positive adult weight and an elasticity in [0, 1].
    public func validate() throws {
        if case .parametric(let a, let alpha, let theta, _) = self {
            guard a > 0, alpha >= 0, a.isFinite, alpha.isFinite else {
                throw AnalysisError.invalidOption("the parametric equivalence scale needs an adult weight > 0 and a child weight >= 0 (got \(a) and \(alpha))")
            }
            guard theta >= 0, theta <= 1 else {
                throw AnalysisError.invalidOption("the parametric equivalence scale needs an elasticity from 0 to 1 (got \(theta))")
            }
        }
    }

    public var description: String {
        switch self {
        case .perCapita: return "per capita (household size)"
        case .oecdModified(let limit): return "OECD-modified (1, 0.5, 0.3; children aged \(limit) or less)"
        case .squareRoot: return "square root of household size"
        case .parametric(let a, let alpha, let theta, let limit):
            return "parametric (\(a) A + \(alpha) K)^\(theta) (children aged \(limit) or less)"
        }
    }
}
