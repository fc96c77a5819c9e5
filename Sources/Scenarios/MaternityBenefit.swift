import SimKernel

/// Maternity protection in cash: a birth grant, a number of months of a flat
/// or earnings-related maternity benefit, and a pregnancy allowance, with
/// coverage options that reach informal workers.
///
/// Ghana piloted maternity benefits for women in the informal economy;
/// Argentina added a universal pregnancy allowance to its child allowance in
/// 2011; Convention No. 183 sets 14 weeks at two thirds of earnings.
///
/// A survey is a cross-section, so one-off and time-limited payments are
/// annualised. The women with a birth in the last 12 months
/// (`months_since_birth` 0 to 11, an optional column) are the year's
/// births; each of them gets, as a monthly amount averaged over the year:
/// - `birth_grant / 12`, if the grant covers her (`grant_coverage`:
///   `all_mothers`, or `covered_mothers` only);
/// - `benefit_months × b / 12` if her `labour_status` is in
///   `covered_labour_status`, with b = `flat_amount`, or b =
///   `replacement_rate × earnings` kept between `minimum_amount` and
///   `maximum_amount` (0 = no maximum); a covered mother with no earnings in
///   the survey (e.g. on leave) gets `minimum_amount`.
/// 12 × the monthly amount is then the cost of one birth, and the component's
/// annual amount the cost of a year's births. A pregnant woman (`pregnant ==
/// 1`) gets `pregnancy_allowance` every month (a stock, not annualised), under
/// the same coverage as the grant. Each woman takes up everything or nothing
/// (one draw per woman).
public struct MaternityBenefit: PolicyModule {
    public static let name = "maternity_benefit"
    public static let summary = "Birth grant, months of flat or earnings-related maternity benefit, pregnancy allowance; coverage of informal workers; take-up"

    public enum BenefitType: String, CaseIterable, Sendable { case flat, earnings_related }
    public enum GrantCoverage: String, CaseIterable, Sendable { case all_mothers, covered_mothers }

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("birth_grant", .number, unit: "currency", default: .number(0), range: 0...1e9,
                      summary: "one-off grant per birth, paid to the mother (annualised: birth_grant / 12 a month for a birth in the last 12 months)"),
        ParameterSpec("grant_coverage", .choice(GrantCoverage.allCases.map(\.rawValue)), unit: "choice", default: .text("all_mothers"),
                      summary: "who gets the birth grant and pregnancy allowance: all_mothers, or covered_mothers (labour_status in covered_labour_status)"),
        ParameterSpec("pregnancy_allowance", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "monthly allowance while pregnant (reads the column pregnant)"),
        ParameterSpec("benefit_months", .number, unit: "months", default: .number(0), range: 0...36,
                      summary: "months of maternity benefit per birth (14 weeks = 3.2; 0 = none)"),
        ParameterSpec("benefit_type", .choice(BenefitType.allCases.map(\.rawValue)), unit: "choice", default: .text("earnings_related"),
                      summary: "flat: flat_amount a month; earnings_related: replacement_rate x the mother's earnings"),
        ParameterSpec("flat_amount", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "flat monthly maternity benefit"),
        ParameterSpec("replacement_rate", .number, unit: "share", default: .number(1), range: 0...1,
                      summary: "earnings_related: share of the mother's monthly earnings paid (C183: at least 2/3)"),
        ParameterSpec("minimum_amount", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "earnings_related: lowest monthly benefit (also paid to covered mothers with no earnings)"),
        ParameterSpec("maximum_amount", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "earnings_related: highest monthly benefit (0 = no maximum)"),
        ParameterSpec("covered_labour_status", .integerList, unit: "codes", default: .integerList([1]), range: 0...3,
                      summary: "labour_status codes of mothers covered by the maternity benefit: 1 formal; add 2 to reach informal workers, 0 and 3 for all"),
    ] + TakeUp.parameters(unit: "each eligible woman")

    public let kind = ComponentKind.benefit
    public let birthGrant: Double
    public let grantCoverage: GrantCoverage
    public let pregnancyAllowance: Double
    public let benefitMonths: Double
    public let benefitType: BenefitType
    public let flatAmount: Double
    public let replacementRate: Double
    public let minimumAmount: Double
    public let maximumAmount: Double
    public let covered: [Int32]
    let takeUp: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        birthGrant = p.number("birth_grant")
        grantCoverage = GrantCoverage(rawValue: p.text("grant_coverage"))!
        pregnancyAllowance = p.number("pregnancy_allowance")
        benefitMonths = p.number("benefit_months")
        benefitType = BenefitType(rawValue: p.text("benefit_type"))!
        flatAmount = p.number("flat_amount")
        replacementRate = p.number("replacement_rate")
        minimumAmount = p.number("minimum_amount")
        maximumAmount = p.number("maximum_amount")
        covered = p.integers("covered_labour_status").map(Int32.init)
        takeUp = try TakeUp(p)
        if birthGrant == 0 && pregnancyAllowance == 0 && benefitMonths == 0 {
            throw p.error("benefit_months", "nothing would be paid: give benefit_months, birth_grant or pregnancy_allowance above 0")
        }
        if benefitMonths > 0 && benefitType == .flat && flatAmount == 0 {
            throw p.error("flat_amount", "benefit_type is flat but flat_amount is 0; give the monthly amount")
        }
        if maximumAmount > 0 && maximumAmount < minimumAmount {
            throw p.error("maximum_amount", "maximum_amount (\(maximumAmount)) is below minimum_amount (\(minimumAmount))")
        }
    }

    var readsBirths: Bool { birthGrant > 0 || benefitMonths > 0 }
    var readsEarnings: Bool { benefitMonths > 0 && benefitType == .earnings_related }

    public var variables: [VariableRequest] {
        [VariableRequest(.labourStatus, neededBy: "")]
            + (readsBirths ? [VariableRequest(.monthsSinceBirth, neededBy: "(birth_grant, benefit_months)")] : [])
            + (pregnancyAllowance > 0 ? [VariableRequest(.pregnant, neededBy: "(pregnancy_allowance)")] : [])
            + (readsEarnings ? [VariableRequest(.earnings, neededBy: "(earnings_related)")] : [])
            + takeUp.variables(neededBy: "")
    }

    /// Births in the last 12 months (= births a year) and those covered by the maternity benefit.
    public var counters: [String] { ["births", "covered_births"] }

    /// Women pregnant or with a birth in the last 12 months, of any age.
    public var targetGroup: TargetGroup? { TargetGroup(condition: .maternity) }

    /// The monthly maternity benefit of a covered mother earning `earnings` a month.
    public func monthlyBenefit(earnings: Double) -> Double {
        switch benefitType {
        case .flat: return flatAmount
        case .earnings_related:
            let b = max(minimumAmount, replacementRate * max(0, earnings))
            return maximumAmount > 0 ? min(b, maximumAmount) : b
        }
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(benefit: self, status: population.integers("labour_status"),
             monthsSinceBirth: readsBirths ? population.integers("months_since_birth") : nil,
             pregnant: pregnancyAllowance > 0 ? population.integers("pregnant") : nil,
             earnings: readsEarnings ? population.reals("earnings") : nil,
             covered: CodeSet(covered), takeUp: takeUp.bind(to: population),
             purpose: RandomStream.purpose("maternity_benefit.take_up"))
    }

    struct Rule: HouseholdRule {
        let benefit: MaternityBenefit
        let status: Column<Int32>
        let monthsSinceBirth: Column<Int32>?
        let pregnant: Column<Int32>?
        let earnings: Column<Double>?
        let covered: CodeSet
        let takeUp: TakeUp.Bound
        let purpose: UInt64

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for k in 0..<household.size {
                let i = household.firstPerson + k
                let isCovered = covered.contains(status[i])
                let getsGrant = benefit.grantCoverage == .all_mothers || isCovered
                var amount = 0.0
                if let msb = monthsSinceBirth?[i], (0...11).contains(msb) {
                    household.counters[0] += 1
                    if getsGrant { amount += benefit.birthGrant / 12 }
                    if isCovered && benefit.benefitMonths > 0 {
                        household.counters[1] += 1
                        amount += benefit.benefitMonths * benefit.monthlyBenefit(earnings: earnings?[i] ?? 0) / 12
                    }
                }
                if getsGrant, let p = pregnant?[i], p == 1 { amount += benefit.pregnancyAllowance }
                guard amount > 0 else { continue }
                if takeUp.takesUp(i, { household.randomStream(purpose: purpose, member: k) }) { amounts[k] = amount }
            }
        }
    }
}
