import SimKernel

/// An income test on household per-capita income, shared by the benefits
/// that may be means-tested (child grant, social pension, disability
/// benefit).
///
/// ```yaml
/// means_test: taper              # none, cliff or taper
/// income_threshold: 120          # currency per person per month
/// withdrawal_rate: 0.5           # taper only
/// ```
///
/// The income tested is the household's income so far: the members'
/// market income plus or minus the components listed before this one in the
/// system (so list the benefit after the taxes if it tests income after
/// tax). With Y that income summed over the n members, T the threshold and E
/// the household's total entitlement from the benefit:
/// - `none`: E is paid;
/// - `cliff`: E if Y / n ≤ T, else 0;
/// - `taper`: max(0, E − w × (Y − n T)⁺): each unit of household income above
///   n T withdraws w of the benefit (w = 1: the benefit tops income up).
///
/// Every member's amount is scaled by the same factor (paid / E).
struct MeansTest: Sendable {
    enum Kind: String, CaseIterable, Sendable { case none, cliff, taper }

    let kind: Kind
    /// T, currency per person per month.
    let threshold: Double
    /// w, a share.
    let withdrawalRate: Double

    static let parameters: [ParameterSpec] = [
        ParameterSpec("means_test", .choice(Kind.allCases.map(\.rawValue)), unit: "choice", default: .text("none"),
                      summary: "none; cliff: paid in full if household per-capita income <= income_threshold, else nothing; taper: reduced by withdrawal_rate per unit of household income above income_threshold x members"),
        ParameterSpec("income_threshold", .number, unit: "currency_per_person_per_month", default: .number(0), range: 0...1e9,
                      summary: "per-capita household income (income so far, before this component) at or below which the full amount is paid"),
        ParameterSpec("withdrawal_rate", .number, unit: "share", default: .number(0), range: 0...1,
                      summary: "taper: benefit withdrawn per unit of household income above income_threshold x members (0.5 = 50%)"),
    ]

    init(_ p: ResolvedParameters) throws {
        kind = Kind(rawValue: p.text("means_test"))!
        threshold = p.number("income_threshold")
        withdrawalRate = p.number("withdrawal_rate")
        if kind != .none && threshold <= 0 {
            throw p.error("income_threshold", "means_test is \(kind.rawValue) but income_threshold is 0; give the per-capita income line (currency per person per month)")
        }
        if kind == .taper && withdrawalRate <= 0 {
            throw p.error("withdrawal_rate", "means_test is taper but withdrawal_rate is 0, so nothing would be withdrawn; give a rate above 0 or use means_test: none")
        }
    }

    var isActive: Bool { kind != .none }

    /// The household's total paid out of entitlement `e`.
    ///
    /// - Parameters:
    ///   - e: The sum of the members' amounts before the test.
    ///   - income: Y, the household's income so far.
    ///   - members: n.
    @inline(__always) func payable(_ e: Double, income: Double, members: Int) -> Double {
        switch kind {
        case .none: return e
        case .cliff: return BenefitPipeline.cliff(e, income: income / Double(members), threshold: threshold)
        case .taper: return BenefitPipeline.taper(e, income: income, threshold: threshold * Double(members), rate: withdrawalRate)
        }
    }

    /// Scales `amounts` so that they sum to what the test lets the household keep.
    /// - Returns: Whether anything is left.
    @discardableResult
    func apply(to amounts: UnsafeMutableBufferPointer<Double>, income: Double) -> Bool {
        guard kind != .none else { return true }
        return BenefitPipeline.withdraw(amounts) { payable($0, income: income, members: amounts.count) }
    }
}
