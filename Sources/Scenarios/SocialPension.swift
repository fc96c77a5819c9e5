import SimKernel

/// A non-contributory old-age pension (social pension, old-age grant): a
/// monthly amount for every person from an age threshold, universal,
/// pension-tested or means-tested.
///
/// Malawi's Old Persons' Grant (Older Persons' Act 2024) pays people aged 70
/// and above; Cabo Verde's unified social pension covers people over 60.
/// A pension test withholds or reduces the grant for people who already
/// draw a contributory pension (`pension_income`, an optional data column).
///
/// Rule, per person aged `min_age` or more:
/// 1. entitlement e = `amount`; pension test on the person's `pension_income` P
///    with threshold Q: `withhold`: e = 0 if P > Q; `reduce`: e = max(0,
///    amount − `pension_withdrawal_rate` × (P − Q)⁺);
/// 2. the means test (`MeansTest`) scales the household's entitlements
///    together (income so far, summed over members);
/// 3. each entitled person takes up with the take-up rate (one draw per
///    person).
public struct SocialPension: PolicyModule {
    public static let name = "social_pension"
    public static let summary = "Old-age grant from an age threshold: universal, pension-tested or means-tested; take-up"

    /// How a contributory pension affects the grant.
    public enum PensionTest: String, CaseIterable, Sendable {
        case none, withhold, reduce
    }

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("amount", .number, unit: "currency_per_month", range: 0...1e9,
                      summary: "monthly grant per eligible older person"),
        ParameterSpec("min_age", .integer, unit: "years", default: .number(65), range: 0...130,
                      summary: "age from which the grant is paid, in completed years (e.g. 60, 65, 70)"),
        ParameterSpec("pension_test", .choice(PensionTest.allCases.map(\.rawValue)), unit: "choice", default: .text("none"),
                      summary: "none (universal); withhold: nothing for a contributory pension above pension_threshold; reduce: cut by pension_withdrawal_rate per unit above it. Reads pension_income"),
        ParameterSpec("pension_threshold", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "contributory pension (pension_income) above which the grant is withheld or reduced"),
        ParameterSpec("pension_withdrawal_rate", .number, unit: "share", default: .number(0.5), range: 0...1,
                      summary: "reduce: grant withdrawn per unit of contributory pension above pension_threshold"),
    ] + MeansTest.parameters + TakeUp.parameters(unit: "each eligible person")

    public let kind = ComponentKind.benefit
    public let amount: Double
    public let minAge: Int32
    public let pensionTest: PensionTest
    public let pensionThreshold: Double
    public let pensionWithdrawalRate: Double
    let meansTest: MeansTest
    let takeUp: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        amount = p.number("amount")
        minAge = Int32(p.number("min_age"))
        pensionTest = PensionTest(rawValue: p.text("pension_test"))!
        pensionThreshold = p.number("pension_threshold")
        pensionWithdrawalRate = p.number("pension_withdrawal_rate")
        if pensionTest == .reduce && pensionWithdrawalRate == 0 {
            throw p.error("pension_withdrawal_rate", "pension_test is reduce but pension_withdrawal_rate is 0, so nothing would be reduced; give a rate above 0")
        }
        meansTest = try MeansTest(p)
        takeUp = try TakeUp(p)
    }

    /// The target group for coverage and projections: persons at or above the pension age.
    public var targetAges: ClosedRange<Int>? { Int(minAge)...130 }

    public var variables: [VariableRequest] {
        [VariableRequest(.age, neededBy: "")]
            + (pensionTest == .none ? [] : [VariableRequest(.pensionIncome, neededBy: "(pension_test)")])
            + takeUp.variables(neededBy: "")
    }

    /// Older persons entitled after the pension and means tests, before take-up.
    public var counters: [String] { ["eligible_persons"] }

    /// The grant of a person with contributory pension `pension`, before the means test.
    public func entitlement(pension: Double) -> Double {
        switch pensionTest {
        case .none: return amount
        case .withhold: return BenefitPipeline.cliff(amount, income: pension, threshold: pensionThreshold)
        case .reduce: return BenefitPipeline.taper(amount, income: pension, threshold: pensionThreshold, rate: pensionWithdrawalRate)
        }
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(pension: self, age: population.integers("age"),
             pensionIncome: pensionTest == .none ? nil : population.reals("pension_income"),
             takeUp: takeUp.bind(to: population), purpose: RandomStream.purpose("social_pension.take_up"))
    }

    struct Rule: HouseholdRule {
        let pension: SocialPension
        let age: Column<Int32>
        let pensionIncome: Column<Double>?
        let takeUp: TakeUp.Bound
        let purpose: UInt64

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let first = household.firstPerson
            var any = false
            for k in 0..<household.size where age[first + k] >= pension.minAge {
                amounts[k] = pension.entitlement(pension: pensionIncome?[first + k] ?? 0)
                any = any || amounts[k] > 0
            }
            guard any else { return }
            if !pension.meansTest.apply(to: amounts, income: household.totalIncome) {
                amounts.update(repeating: 0)
                return
            }
            household.counters[0] = BenefitPipeline.countEntitled(amounts)
            for k in 0..<household.size where amounts[k] > 0 {
                if !takeUp.takesUp(first + k, { household.randomStream(purpose: purpose, member: k) }) { amounts[k] = 0 }
            }
        }
    }
}
