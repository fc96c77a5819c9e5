/// A component written in a system or scenario file with `declare:` instead
/// of naming a module: its eligibility, amount, means test, caps, payee,
/// take-up and counters are rule expressions (docs/rules.md), checked when
/// the file is read and compiled into programs the kernel runs over its
/// sub-batches of households.
///
/// ```yaml
/// - name: rural_under5_grant
///   declare:
///     kind: benefit
///     unit: household
///     variables: {consumption: money}
///     parameters:
///       line: {unit: currency_per_month, values: {2025-01-01: 300}}
///       share: {unit: share, value: 0.1}
///     eligible: not any(urban) and count(age < 5) >= 1 and sum(consumption) / count() < line
///     amount: share * line
/// ```
///
/// The pipeline, per unit of assessment (a person, or a household) and in
/// this order (docs/rules.md, "Declared components", defines each step):
/// 1. `amount`, or a `schedule` of bands on a `base` (computed for every unit);
/// 2. `eligible` (default: everyone): a non-eligible unit's amount is 0; an amount below 0 counts as 0;
/// 3. `means_test`: the household's total T of its units' amounts is cut to
///    max(0, T − rate × (income − threshold)⁺) (`taper`) or to 0 when
///    income > threshold (`cliff`), every unit scaled by the same factor;
/// 4. `cap` (most per unit; below 0 pays nothing), then `household_cap` (most per household, a
///    person unit's amounts scaled down together);
/// 5. `phase_in` (a share of the amount paid in the simulated year);
/// 6. with take-up, the counter `entitled_units` (units with an amount above 0, before take-up);
/// 7. `take_up`: a unit with an amount keeps it with the probability given
///    (one draw per unit, from the run's seeded streams; a rate of 1 draws nothing);
/// 8. the declared `counters` (counted where the component pays the household);
/// 9. payment: to each person (`paid_to: each`), or the household's total to
///    its head (`head`, `household`; with `household` every member counts as a
///    beneficiary).
public struct DeclaredModule: PolicyModule {
    public static let name = "declared"
    public static let summary = "A component declared in the file with rule expressions (docs/rules.md)"
    public static let parameters: [ParameterSpec] = []

    /// Declared components are read from `declare:` (`DeclaredComponentReader`), never from parameters.
    public init(parameters p: ResolvedParameters) throws {
        throw p.error("declare", "a declared component is written with 'declare:', not as a module")
    }

    /// What the component is (`kind:`).
    public enum DeclaredKind: String, Sendable, CaseIterable {
        case benefit, tax, contribution
        /// A cost to the state not paid to households (a subsidy paid to a
        /// fund): its amounts are counted in `state_cost_annual`, nobody's income changes.
        case state_cost
    }

    /// The unit of assessment (`unit:`).
    public enum AssessmentUnit: String, Sendable, CaseIterable {
        case person, household
    }

    /// Who is paid (`paid_to:`).
    public enum Payee: String, Sendable, CaseIterable {
        /// Each person their own amount (person unit only).
        case each
        /// The household's total, to the head (first member); only the head counts as a beneficiary.
        case head
        /// The household's total, to the head; every member counts as a beneficiary.
        case household
    }

    /// How a schedule turns its base into an amount.
    public enum ScheduleMethod: String, Sendable, CaseIterable {
        /// Σ rate_k × (min(B, from_{k+1}) − from_k)⁺: each band's rate on the part of the base in it.
        case marginal
        /// rate_k × B, k the highest band with from_k ≤ B (0 below the first band).
        case average
        /// amount_k, k the highest band with from_k ≤ B (0 below the first band).
        case amount
    }

    /// A schedule of bands (thresholds rising strictly).
    public struct Schedule: Sendable, Equatable {
        public let method: ScheduleMethod
        /// Each band's lower threshold.
        public let from: [Double]
        /// Each band's rate (marginal, average) or amount (amount).
        public let values: [Double]
    }

    /// The means test (`means_test:`).
    public enum MeansTestMethod: String, Sendable, CaseIterable { case taper, cliff }

    /// The compiled rules: each optional expression of the declaration.
    public struct Rules: Sendable {
        public var incomeLists: [(name: String, rule: RuleExpression)] = []
        public var eligible: RuleExpression?
        public var amount: RuleExpression?
        public var scheduleBase: RuleExpression?
        public var schedule: Schedule?
        public var meansTest: MeansTestMethod?
        public var meansIncome: RuleExpression?
        public var meansThreshold: RuleExpression?
        public var meansRate: RuleExpression?
        public var cap: RuleExpression?
        public var householdCap: RuleExpression?
        public var takeUp: RuleExpression?
        public var counters: [(name: String, rule: RuleExpression)] = []
    }

    /// Where a name a rule reads comes from.
    public enum Source: Sendable, Equatable {
        /// A data variable.
        case variable(Variable)
        /// The amounts of the component at this index of the system.
        case component(Int)
        /// The person's market income (the system's `market_income` variables summed).
        case marketIncome
        /// Market income plus the earlier benefits' amounts.
        case grossIncome
        /// Income so far: market income, plus the earlier benefits, minus the earlier taxes and contributions.
        case disposableIncome
        /// The income list at this index of ``Rules/incomeLists``.
        case incomeList(Int)
    }

    public let declaredKind: DeclaredKind
    public let kind: ComponentKind
    public let unit: AssessmentUnit
    public let payee: Payee
    public let rules: Rules
    /// The share of the amount paid in the simulated year (1 when there is no phase-in).
    public let phaseIn: Double
    /// Every name the rules read, and where it comes from.
    public let sources: [String: Source]
    /// The system's market income variables, in order.
    public let marketIncome: [String]
    /// The system's earlier benefits (for gross income), in order.
    public let earlierBenefits: [Int]
    public let targetGroup: TargetGroup?
    public let counters: [String]
    /// Whether the first counter is `entitled_units` (kept when there is take-up).
    public var countsEntitled: Bool { rules.takeUp != nil }
    /// The name of the component (for take-up streams and messages).
    public let componentName: String
    /// Where the declaration is written.
    public let location: RuleLocation
    /// The parameters (their values for the year, by name), the declaration's settings
    /// (`declare.kind`, `declare.phase_in`, ...: `DeclaredComponentReader.setting(_:)`, apart
    /// from any parameter) and the rules' texts (`rule.amount`, ...), for provenance and for
    /// recognising a component shared by two systems.
    public let provenance: [String: ParameterValue]
    /// Where each parameter's value in force is written (file, line, date), by name.
    public var parameterSources: [String: ParameterSource] = [:]
    /// The declaration as written (recompiled when a reform changes the components before it).
    let declaration: YAMLNode
    /// Whether revenue goes to the budget (`paid_to_budget: true`, default) rather than a fund.
    public let amountsAreBudgetRevenue: Bool

    init(declaredKind: DeclaredKind, unit: AssessmentUnit, payee: Payee, rules: Rules, phaseIn: Double,
         sources: [String: Source], marketIncome: [String], earlierBenefits: [Int], targetGroup: TargetGroup?,
         counters: [String], componentName: String, location: RuleLocation, provenance: [String: ParameterValue],
         budgetRevenue: Bool, declaration: YAMLNode) {
        self.declaration = declaration
        self.declaredKind = declaredKind
        // A state cost pays no household: like the contribution subsidy's module it is
        // a component whose amounts (all 0 once run) are neither a benefit nor budget
        // revenue, so that it is never a benefit the option changes (target group,
        // coverage, beneficiaries) and its cost is counted once, in state_cost_annual.
        switch declaredKind {
        case .benefit: kind = .benefit
        case .tax: kind = .tax
        case .contribution, .state_cost: kind = .contribution
        }
        self.unit = unit
        self.payee = payee
        self.rules = rules
        self.phaseIn = phaseIn
        self.sources = sources
        self.marketIncome = marketIncome
        self.earlierBenefits = earlierBenefits
        self.targetGroup = targetGroup
        self.counters = counters
        self.componentName = componentName
        self.location = location
        self.provenance = provenance
        self.amountsAreBudgetRevenue = declaredKind == .state_cost ? false : budgetRevenue
    }

    /// Every data variable the rules read (market income ones included when a rule reads market or gross income).
    public var variables: [VariableRequest] {
        var seen: Set<String> = []
        var result: [VariableRequest] = []
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            switch source {
            case .variable(let v):
                if seen.insert(v.name).inserted { result.append(VariableRequest(v, neededBy: "(rule name '\(name)')")) }
            case .marketIncome, .grossIncome:
                for m in marketIncome where seen.insert(m).inserted {
                    result.append(VariableRequest(TaxBenefitSystem.marketIncomeRequirement.variable(named: m), neededBy: "(market income)"))
                }
            default: break
            }
        }
        if let t = targetGroup?.condition {
            for v in t.variables where seen.insert(v.name).inserted { result.append(VariableRequest(v, neededBy: "(target group)")) }
        }
        return result
    }

    /// Each state cost is counted in `state_cost_annual`.
    public var stateCostCounters: [String] { declaredKind == .state_cost ? ["state_cost_annual"] : [] }

    /// With `paid_to: household`, every member of a paid household counts as a beneficiary.
    public var beneficiaryUnit: BeneficiaryUnit { payee == .household ? .household : .person }

    public var readsEarlierAmounts: Bool {
        sources.values.contains { if case .component = $0 { return true }; return $0 == .grossIncome }
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        DeclaredRule(module: self, population: population)
    }
}
