import SimKernel

/// A change of the standard VAT rate, with its incidence on households
/// through their consumption.
///
/// Financing options for a social protection floor include higher indirect
/// taxes; their burden falls on households as they spend, more heavily on
/// the poor, who consume a larger share of their income.
///
/// Rule, per household, paid by the head (every member counts as paying):
/// 1. consumption C = c_d × max(0, Y), with Y the household's income so far
///    (list `vat` last, so that C responds to the reform's benefits and
///    taxes) and c_d the `propensity_to_consume` of the household's decile d
///    (`IncomeDeciles`: deciles of persons by per-capita household income
///    from `decile_income`, market income by default, computed once per run,
///    so a household keeps its decile whatever the reform pays it);
/// 2. VAT = C × s_d × (t − t₀) / (1 + t₀), with t = `rate`, t₀ =
///    `rate_in_prices` (the rate already in the prices behind the survey's
///    incomes) and s_d the `taxable_share` of consumption at the standard rate
///    (one value, or one per decile). This is the extra VAT on an unchanged
///    basket when prices rise fully by the rate change (full pass-through,
///    no change of behaviour): the first-order loss of purchasing power.
///
/// A cut (t < t₀) lowers prices: the component is then a benefit to
/// households of C × s_d × (t₀ − t) / (1 + t₀), and its annual amount is the
/// revenue forgone (it counts in the scenario's cost). Alternatively, put the
/// VAT in the baseline system (`rate: t₀, rate_in_prices: 0`) and replace it
/// in the reform (`rate: t`, same component name).
public struct ValueAddedTax: PolicyModule {
    public static let name = "vat"
    public static let summary = "VAT rate change: incidence through consumption (income x propensity to consume by decile)"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("rate", .number, unit: "share", range: 0...1,
                      summary: "standard VAT rate simulated (0.18 = 18%)"),
        ParameterSpec("rate_in_prices", .number, unit: "share", default: .number(0), range: 0...1,
                      summary: "standard rate already in the prices behind the survey's incomes (today's rate); the tax is the change from it"),
        ParameterSpec("propensity_to_consume", .numberList, unit: "share",
                      default: .numberList([1.15, 1.0, 0.95, 0.92, 0.9, 0.88, 0.85, 0.82, 0.78, 0.68]), range: 0...5,
                      summary: "consumption / income in each income decile, poorest first (10 values; above 1 = dissaving)"),
        ParameterSpec("taxable_share", .numberList, unit: "share", default: .numberList([0.6]), range: 0...1,
                      summary: "share of consumption taxed at the standard rate (the rest exempt or zero-rated): one value, or 10 by decile"),
        ParameterSpec("decile_income", .variableList(.money), unit: "variables", default: .textList(["earnings", "other_income"]),
                      summary: "income variables whose per-capita household sum ranks households into deciles"),
    ]

    /// A tax for a rise (t ≥ t₀), a benefit (revenue forgone, lower prices) for a cut.
    public var kind: ComponentKind { rate >= rateInPrices ? .tax : .benefit }
    public let rate: Double
    public let rateInPrices: Double
    public let propensity: [Double]
    public let taxableShare: [Double]
    public let decileIncome: [String]
    /// `decile_income` as its spec reads it (money; checked when the file was read).
    private let decileVariables: [Variable]

    public init(parameters p: ResolvedParameters) throws {
        rate = p.number("rate")
        rateInPrices = p.number("rate_in_prices")
        propensity = p.numbers("propensity_to_consume")
        let share = p.numbers("taxable_share")
        decileIncome = p.texts("decile_income")
        decileVariables = p.variables("decile_income")
        guard propensity.count == 10 else {
            throw p.error("propensity_to_consume", "give 10 values, one per income decile (poorest first); found \(propensity.count)")
        }
        guard share.count == 1 || share.count == 10 else {
            throw p.error("taxable_share", "give one value, or 10 (one per income decile); found \(share.count)")
        }
        taxableShare = share.count == 1 ? Array(repeating: share[0], count: 10) : share
        guard !decileIncome.isEmpty else { throw p.error("decile_income", "name at least one income variable, e.g. [earnings, other_income]") }
    }

    public var beneficiaryUnit: BeneficiaryUnit { .household }

    public var variables: [VariableRequest] { decileVariables.map { VariableRequest($0, neededBy: "(decile_income)") } }

    /// `consumption_annual`: the households' yearly consumption, 12 × C (currency per year).
    public var counters: [String] { ["consumption_annual"] }

    /// The VAT change of a household of decile `decile` (0-based) with income so far
    /// `income`: positive for a rise, negative for a cut.
    public func tax(decile: Int, income: Double) -> (consumption: Double, tax: Double) {
        let consumption = propensity[decile] * max(0, income)
        return (consumption, consumption * taxableShare[decile] * (rate - rateInPrices) / (1 + rateInPrices))
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(vat: self, deciles: IncomeDeciles.of(population, income: decileVariables))
    }

    struct Rule: HouseholdRule {
        let vat: ValueAddedTax
        let deciles: [UInt8]

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let (consumption, tax) = vat.tax(decile: Int(deciles[household.index]), income: household.totalIncome)
            household.counters[0] = 12 * consumption
            amounts[0] = abs(tax)  // the kind (tax or benefit) carries the sign
        }
    }
}
