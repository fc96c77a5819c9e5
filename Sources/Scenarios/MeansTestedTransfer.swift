import SimKernel
#if canImport(Glibc)
import Glibc  // exp
#elseif canImport(Darwin)
import Darwin
#endif

/// A targeted household cash transfer: paid to households whose per-capita
/// income, or proxy-means score, is at or below a threshold; an amount per
/// household plus per member, with caps. Optional assessment error shows
/// realistic targeting, and counters report inclusion and exclusion errors
/// against true eligibility.
///
/// The last-resort social assistance programme of most social protection
/// floors (Zambia's Social Cash Transfer, Pakistan's BISP, Kenya's CT-OVC).
///
/// Rule, per household of n members with income so far Y (before this
/// component) and per-capita income y = Y / n:
/// 1. truly eligible: y ≤ `income_threshold`;
/// 2. the targeting variable t is y (`targeting: per_capita_income`) or the
///    household's `ProxyMeansScore` (`proxy_means_score`); the agency sees
///    t × exp(σ z), z ~ N(0, 1) from the household's random stream, σ =
///    `assessment_error_sd` (no draw when σ = 0), and selects the household if
///    that is at or below `income_threshold` (per-capita income) or
///    `score_threshold` (score);
/// 3. a selected household takes up (one draw per household, group of the
///    head) and receives `amount_per_household` + `amount_per_member` ×
///    min(n, `max_paid_members`), at most `max_amount` (0 = no cap for both),
///    paid to the head; every member counts as a beneficiary.
///
/// Counters (weighted households): `eligible_households` (1), `selected_households`
/// (2), `inclusion_errors` (selected but not eligible), `exclusion_errors`
/// (eligible but not selected), `not_taken_up` (selected, no take-up).
/// Inclusion error rate = inclusion_errors / selected_households; exclusion
/// error rate = exclusion_errors / eligible_households.
public struct MeansTestedTransfer: PolicyModule {
    public static let name = "means_tested_transfer"
    public static let summary = "Household transfer targeted on per-capita income or a proxy-means score; assessment error, inclusion and exclusion errors; take-up"

    public enum Targeting: String, CaseIterable, Sendable { case per_capita_income, proxy_means_score }

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("targeting", .choice(Targeting.allCases.map(\.rawValue)), unit: "choice", default: .text("per_capita_income"),
                      summary: "what the agency assesses: per_capita_income (income so far / members) or proxy_means_score"),
        ParameterSpec("income_threshold", .number, unit: "currency_per_person_per_month", range: 0...1e9,
                      summary: "per-capita income at or below which a household is truly eligible (and, with per_capita_income targeting, selected)"),
        ParameterSpec("score_intercept", .number, unit: "score", default: .number(0),
                      summary: "proxy_means_score: the constant of the score"),
        ParameterSpec("score_weights", .variableMap(.characteristic(builtIn: ProxyMeansScore.builtIn)), unit: "score_per_unit", default: .keyedNumbers([]),
                      summary: "proxy_means_score: weight per characteristic (members, log_members, children, elderly, disabled_members, workers, formal_workers, unemployed_members, or a data column of the head)"),
        ParameterSpec("score_threshold", .number, unit: "score", default: .number(0),
                      summary: "proxy_means_score: households scoring at or below it are selected"),
        ParameterSpec("amount_per_household", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "monthly amount per selected household"),
        ParameterSpec("amount_per_member", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "monthly amount per member of a selected household"),
        ParameterSpec("max_paid_members", .integer, unit: "persons", default: .number(0), range: 0...100,
                      summary: "most members counted for amount_per_member (0 = all)"),
        ParameterSpec("max_amount", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "highest monthly transfer per household (0 = no cap)"),
        ParameterSpec("assessment_error_sd", .number, unit: "log_points", default: .number(0), range: 0...5,
                      summary: "standard deviation of the multiplicative lognormal error on the targeting variable (0 = exact assessment)"),
    ] + TakeUp.parameters(unit: "each selected household")

    public let kind = ComponentKind.benefit
    public let targeting: Targeting
    public let incomeThreshold: Double
    public let scoreThreshold: Double
    public let amountPerHousehold: Double
    public let amountPerMember: Double
    public let maxPaidMembers: Int
    public let maxAmount: Double
    public let assessmentErrorSD: Double
    let score: ProxyMeansScore
    let takeUp: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        targeting = Targeting(rawValue: p.text("targeting"))!
        incomeThreshold = p.number("income_threshold")
        scoreThreshold = p.number("score_threshold")
        amountPerHousehold = p.number("amount_per_household")
        amountPerMember = p.number("amount_per_member")
        maxPaidMembers = Int(p.number("max_paid_members"))
        maxAmount = p.number("max_amount")
        assessmentErrorSD = p.number("assessment_error_sd")
        score = try ProxyMeansScore(intercept: p.number("score_intercept"), weights: p.keyedNumbers("score_weights"),
                                    parameters: p, key: "score_weights")
        takeUp = try TakeUp(p)
        if amountPerHousehold == 0 && amountPerMember == 0 {
            throw p.error("amount_per_household", "nothing would be paid: give amount_per_household or amount_per_member above 0")
        }
        if targeting == .proxy_means_score && score.weights.isEmpty {
            throw p.error("score_weights", "targeting is proxy_means_score but score_weights is empty; give a weight per characteristic, e.g. {members: -0.1, urban: 0.2}")
        }
    }

    public var beneficiaryUnit: BeneficiaryUnit { .household }

    public var variables: [VariableRequest] {
        (targeting == .proxy_means_score ? score.variables(neededBy: "(score_weights)") : []) + takeUp.variables(neededBy: "")
    }

    public var counters: [String] {
        ["eligible_households", "selected_households", "inclusion_errors", "exclusion_errors", "not_taken_up"]
    }

    /// The monthly transfer to a selected household of `members` members.
    public func transfer(members: Int) -> Double {
        let counted = maxPaidMembers > 0 ? min(members, maxPaidMembers) : members
        let a = amountPerHousehold + amountPerMember * Double(counted)
        return maxAmount > 0 ? min(a, maxAmount) : a
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(transfer: self, scores: targeting == .proxy_means_score ? score.scores(of: population) : [],
             takeUp: takeUp.bind(to: population),
             purposes: (RandomStream.purpose("means_tested_transfer.assessment"), RandomStream.purpose("means_tested_transfer.take_up")))
    }

    struct Rule: HouseholdRule {
        let transfer: MeansTestedTransfer
        let scores: [Double]
        let takeUp: TakeUp.Bound
        let purposes: (assessment: UInt64, takeUp: UInt64)

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let perCapita = household.totalIncome / Double(household.size)
            let eligible = perCapita <= transfer.incomeThreshold
            let byScore = transfer.targeting == .proxy_means_score
            var assessed = byScore ? scores[household.index] : perCapita
            if transfer.assessmentErrorSD > 0 {
                assessed *= exp(household.randomStream(purpose: purposes.assessment).gaussian(sigma: transfer.assessmentErrorSD))
            }
            let selected = assessed <= (byScore ? transfer.scoreThreshold : transfer.incomeThreshold)
            let c = household.counters
            if eligible { c[0] = 1 }
            if selected { c[1] = 1 }
            if selected && !eligible { c[2] = 1 }
            if eligible && !selected { c[3] = 1 }
            guard selected else { return }
            guard takeUp.takesUp(household.firstPerson, { household.randomStream(purpose: purposes.takeUp) }) else {
                c[4] = 1
                return
            }
            amounts[0] = transfer.transfer(members: household.size)
        }
    }
}
