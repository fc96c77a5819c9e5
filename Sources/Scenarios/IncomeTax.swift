import SimKernel

/// A personal income tax with a bracket schedule on a person's monthly
/// income, for covered workers.
///
/// SPEC.md's baseline: 15% of the part of `earnings` above 500 a month, for
/// formal employees (`labour_status == 1`), written as the schedule
/// `[{threshold: 0, rate: 0}, {threshold: 500, rate: 0.15}]`.
///
/// Rule, per person: if covered, tax = max(0, Σ_k rate_k × (min(B, t_{k+1}) −
/// t_k)⁺ − `tax_credit`) over brackets k with thresholds t_k (the last
/// bracket has no upper bound), on B = the `base` variable plus the
/// `additional_base` variables minus `allowance`; else 0. The defaults (no
/// additional base, no credit) give SPEC.md's rule exactly.
public struct IncomeTax: PolicyModule {
    public static let name = "income_tax"
    public static let summary = "Personal income tax: a bracket schedule on monthly income of covered persons"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("brackets", .schedule, unit: "currency_per_month",
                      summary: "rate schedule: each bracket's rate applies to income above its threshold, up to the next"),
        ParameterSpec("base", .variable(.money), unit: "variable", default: .text("earnings"),
                      summary: "the monthly income variable taxed"),
        ParameterSpec("allowance", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "amount deducted from the base before the schedule applies"),
        ParameterSpec("covered_labour_status", .integerList, unit: "codes", default: .integerList([1]), range: 0...3,
                      summary: "labour_status codes taxed (1 = formal employee)"),
        ParameterSpec("additional_base", .variableList(.money), unit: "variables", default: .textList([]),
                      summary: "further monthly income variables added to the base (e.g. [other_income] or [pension_income])"),
        ParameterSpec("tax_credit", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "non-refundable credit deducted from the tax due (the tax never goes below 0)"),
    ]

    public let kind = ComponentKind.tax
    public let brackets: [Bracket]
    public let base: String
    public let allowance: Double
    public let covered: [Int32]
    public let additionalBase: [String]
    public let taxCredit: Double
    /// `base` and `additional_base` as their specs read them (money; checked when the file was read).
    private let baseVariable: Variable
    private let additionalVariables: [Variable]

    public init(parameters p: ResolvedParameters) throws {
        brackets = p.schedule("brackets")
        base = p.text("base")
        baseVariable = p.variable("base")
        allowance = p.number("allowance")
        covered = p.integers("covered_labour_status").map(Int32.init)
        additionalBase = p.texts("additional_base")
        additionalVariables = p.variables("additional_base")
        taxCredit = p.number("tax_credit")
        for v in additionalBase where v == base {
            throw p.error("additional_base", "'\(v)' is already the base; listing it again would tax it twice")
        }
    }

    public var variables: [VariableRequest] {
        [VariableRequest(baseVariable, neededBy: ""), VariableRequest(.labourStatus, neededBy: "")]
            + additionalVariables.map { VariableRequest($0, neededBy: "(additional_base)") }
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
        Rule(tax: self, base: population.reals(base), status: population.integers("labour_status"), covered: CodeSet(covered),
             additional: additionalVariables.map { PersonValues($0, in: population) })
    }

    struct Rule: HouseholdRule {
        let tax: IncomeTax
        let base: Column<Double>
        let status: Column<Int32>
        let covered: CodeSet
        let additional: [PersonValues]

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for k in 0..<household.size {
                let i = household.firstPerson + k
                guard covered.contains(status[i]) else { continue }
                var b = base[i]
                for column in additional { b += column[i] }
                let due = tax.tax(onTaxable: b - tax.allowance)
                amounts[k] = tax.taxCredit > 0 ? max(0, due - tax.taxCredit) : due
            }
        }

        /// The same rule person by person over the whole chunk (it does not
        /// depend on the household): no frames.
        func apply(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
            let first = batch.firstPerson
            let base = self.base.values, status = self.status.values
            let allowance = tax.allowance, credit = tax.taxCredit
            if additional.isEmpty { return applyBranchFree(batch: batch, amounts: amounts) }
            for i in batch.persons {
                guard covered.contains(status[i]) else {
                    amounts[i - first] = 0
                    continue
                }
                var b = base[i]
                for column in additional { b += column[i] }
                let due = tax.tax(onTaxable: b - allowance)
                amounts[i - first] = credit > 0 ? max(0, due - credit) : due
            }
        }

        /// The batch path writes every slot.
        var fillsEveryAmount: Bool { true }

        /// ``apply(batch:amounts:)`` without additional base variables, without
        /// a branch on the data: every bracket adds
        /// `rate × max(0, min(B, next threshold) − threshold)`, which is the
        /// schedule's own term where `B` is above the threshold and `+0` where it
        /// is not (thresholds rise strictly and rates are in 0...1, so adding it
        /// leaves the running tax's bits unchanged): the same numbers, bit for
        /// bit, as ``IncomeTax/tax(onTaxable:)``.
        private func applyBranchFree(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
            let first = batch.firstPerson, n = batch.persons.count, out = amounts.baseAddress!
            let base = self.base.values.baseAddress! + first, status = self.status.values.baseAddress! + first
            let allowance = tax.allowance, credit = tax.taxCredit
            let brackets = tax.brackets, m = brackets.count
            let t = UnsafeMutablePointer<Double>.allocate(capacity: 3 * m)
            defer { t.deallocate() }
            let u = t + m, r = t + 2 * m
            for j in 0..<m {
                t[j] = brackets[j].threshold
                u[j] = j + 1 < m ? brackets[j + 1].threshold : .infinity
                r[j] = brackets[j].rate
            }
            // Bracket by bracket over the persons (vectorisable), each person's
            // terms added in bracket order, from 0, as in the schedule's own sum.
            // A bracket at rate 0 adds ±0 to a sum that is +0 or positive: skipped.
            var started = false
            for j in 0..<m where r[j] != 0 {
                let lower = t[j], upper = u[j], rate = r[j]
                if started {
                    for k in 0..<n { out[k] += rate * max(0, min(base[k] - allowance, upper) - lower) }
                } else {
                    for k in 0..<n { out[k] = 0 + rate * max(0, min(base[k] - allowance, upper) - lower) }
                    started = true
                }
            }
            if !started { out.update(repeating: 0, count: n) }
            if credit > 0 { for k in 0..<n { out[k] = max(0, out[k] - credit) } }
            covered.keepMembers(out, codes: status, count: n)
        }
    }
}
