import SimKernel

/// A personal income tax with a bracket schedule on a person's monthly
/// income, for covered workers.
///
/// SPEC.md's baseline: 15% of the part of `earnings` above 500 a month, for
/// formal employees (`labour_status == 1`), written as the schedule
/// `[{threshold: 0, rate: 0}, {threshold: 500, rate: 0.15}]`.
///
/// Rule, per person: if covered, tax = Σ_k rate_k × (min(base, t_{k+1}) − t_k)⁺
/// over brackets k with thresholds t_k (the last bracket has no upper
/// bound), on base = the `base` variable minus `allowance`; else 0.
public struct IncomeTax: PolicyModule {
    public static let name = "income_tax"
    public static let summary = "Personal income tax: a bracket schedule on monthly income of covered persons"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("brackets", .schedule, unit: "currency_per_month",
                      summary: "rate schedule: each bracket's rate applies to income above its threshold, up to the next"),
        ParameterSpec("base", .variable, unit: "variable", default: .text("earnings"),
                      summary: "the monthly income variable taxed"),
        ParameterSpec("allowance", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "amount deducted from the base before the schedule applies"),
        ParameterSpec("covered_labour_status", .integerList, unit: "codes", default: .integerList([1]), range: 0...3,
                      summary: "labour_status codes taxed (1 = formal employee)"),
    ]

    public let kind = ComponentKind.tax
    public let brackets: [Bracket]
    public let base: String
    public let allowance: Double
    public let covered: [Int32]

    public init(parameters p: ResolvedParameters) throws {
        brackets = p.schedule("brackets")
        base = p.text("base")
        allowance = p.number("allowance")
        covered = p.integers("covered_labour_status").map(Int32.init)
    }

    public var variables: [VariableRequest] {
        [VariableRequest(base, neededBy: ""), VariableRequest(.labourStatus, neededBy: "")]
    }

    /// The tax due on a monthly base (after the allowance).
    public func tax(onTaxable income: Double) -> Double {
        var tax = 0.0
        for (k, b) in brackets.enumerated() where income > b.threshold {
            let upper = k + 1 < brackets.count ? min(income, brackets[k + 1].threshold) : income
            tax += b.rate * (upper - b.threshold)
        }
        return tax
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(tax: self, base: population.reals(base), status: population.integers("labour_status"), covered: CodeSet(covered))
    }

    struct Rule: HouseholdRule {
        let tax: IncomeTax
        let base: Column<Double>
        let status: Column<Int32>
        let covered: CodeSet

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for k in 0..<household.size {
                let i = household.firstPerson + k
                guard covered.contains(status[i]) else { continue }
                amounts[k] = tax.tax(onTaxable: base[i] - tax.allowance)
            }
        }
    }
}
