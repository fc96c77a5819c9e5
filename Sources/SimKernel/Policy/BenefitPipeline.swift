/// The steps benefits share, as building blocks: the built-in modules (child
/// grant, social pension, disability benefit, means-tested transfer, ...) and
/// declared components (``DeclaredModule``) call the same functions, so that
/// a means test or a take-up draw means the same, bit for bit, wherever it is
/// written.
///
/// A benefit's pipeline, per household: eligibility and entitlement (each
/// rule's own), then ``withdraw(_:payable:)`` for a means test on the
/// household's total, ``countEntitled(_:)`` for the counters, and
/// ``takesUp(rate:_:)`` per unit for take-up.
public enum BenefitPipeline {
    /// A taper: the household keeps max(0, E − w × (Y − T)⁺) of its entitlement E.
    ///
    /// - Parameters:
    ///   - e: E, the household's total entitlement.
    ///   - income: Y, the income tested.
    ///   - threshold: T, the income up to which nothing is withdrawn.
    ///   - rate: w, the share of each unit of income above T withdrawn.
    @inline(__always)
    public static func taper(_ e: Double, income: Double, threshold: Double, rate: Double) -> Double {
        max(0, e - rate * max(0, income - threshold))
    }

    /// A cliff: the household keeps its whole entitlement E when income ≤ T, else nothing.
    @inline(__always)
    public static func cliff(_ e: Double, income: Double, threshold: Double) -> Double {
        income <= threshold ? e : 0
    }

    /// Scales a household's amounts (one slot per unit: its members, or the
    /// household) so that they sum to what a means test lets it keep.
    ///
    /// With E the sum of `amounts`: nothing happens when E ≤ 0; otherwise
    /// P = `payable(E)`, and when P < E every amount is multiplied by P / E.
    ///
    /// - Returns: Whether anything is left (E > 0 and P > 0).
    @inline(__always) @discardableResult
    public static func withdraw(_ amounts: UnsafeMutableBufferPointer<Double>, payable: (Double) -> Double) -> Bool {
        var e = 0.0
        for a in amounts { e += a }
        guard e > 0 else { return false }
        let paid = payable(e)
        if paid < e {
            let factor = paid / e
            for k in amounts.indices { amounts[k] *= factor }
        }
        return paid > 0
    }

    /// The number of units with an amount above 0 (a counter of entitled units).
    @inline(__always)
    public static func countEntitled(_ amounts: UnsafeMutableBufferPointer<Double>) -> Double {
        var n = 0.0
        for a in amounts where a > 0 { n += 1 }
        return n
    }

    /// Whether a unit with take-up rate `rate` takes up: always for a rate of
    /// 1 or more and never for 0 or less, without a draw; otherwise when
    /// u < rate for u ~ U[0, 1) drawn from `stream()` (the unit's stream:
    /// ``HouseholdFrame/randomStream(purpose:)`` for a household,
    /// ``HouseholdFrame/randomStream(purpose:member:)`` for a person).
    @inline(__always)
    public static func takesUp(rate: Double, _ stream: () -> RandomStream) -> Bool {
        if rate >= 1 { return true }
        if rate <= 0 { return false }
        return stream().uniform() < rate
    }
}

extension HouseholdFrame {
    /// The household's random stream for `purpose`, reseeded for member `k`
    /// (position in the household, 0 = head): the draws depend only on (run
    /// seed, purpose, household id, k), not on other members.
    public func randomStream(purpose: UInt64, member k: Int) -> RandomStream {
        randomStream(purpose: RandomStream.seed(purpose, 0x6d65_6d62_6572, UInt64(k)))
    }
}
