import SimKernel

/// Employee social insurance contributions: a rate on a person's earnings
/// for covered workers, optionally up to a ceiling.
///
/// SPEC.md's baseline: 7% of `earnings` for formal employees
/// (`labour_status == 1`).
///
/// Rule, per person: `rate × min(max(base, floor), ceiling)` if the person's
/// `labour_status` is in `covered_labour_status` (and, when
/// `covered_contract_types` is not empty, their `contract_type` is in it) and
/// the base is positive, else 0. A ceiling of 0 means no ceiling; a floor of
/// 0 (the default) means none, which gives SPEC.md's rule exactly. With
/// `covered_contract_types` the module can levy e.g. an unemployment
/// insurance contribution on permanent and fixed-term employees only.
public struct SocialContributions: PolicyModule {
    public static let name = "social_contributions"
    public static let summary = "Employee social insurance contributions: a rate on earnings of covered workers"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("rate", .number, unit: "share", range: 0...1,
                      summary: "contribution rate on the base (0.07 = 7%)"),
        ParameterSpec("base", .variable(.money), unit: "variable", default: .text("earnings"),
                      summary: "the monthly income variable contributions are levied on"),
        ParameterSpec("ceiling", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "monthly base above which no contribution is due (0 = no ceiling)"),
        ParameterSpec("covered_labour_status", .integerList, unit: "codes", default: .integerList([1]), range: 0...3,
                      summary: "labour_status codes that pay (1 = formal employee)"),
        ParameterSpec("floor", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "lowest monthly base for a covered person with a positive base (0 = none)"),
        ParameterSpec("covered_contract_types", .integerList, unit: "codes", default: .integerList([]), range: 0...2,
                      summary: "contract_type codes that pay (0 no written contract, 1 permanent, 2 fixed-term); empty = any (reads contract_type if not empty)"),
        ParameterSpec("paid_to", .choice(["budget", "fund"]), unit: "choice", default: .text("budget"),
                      summary: "where the contributions go: the government budget (revenue that offsets the net cost) or a social insurance fund (not budget revenue; the fund's scheme counts them in fund_contributions_annual)"),
    ]

    public let kind = ComponentKind.contribution
    public let rate: Double
    public let base: String
    public let ceiling: Double
    public let covered: [Int32]
    public let floor: Double
    public let coveredContracts: [Int32]
    /// Whether the contributions go to the government budget (`paid_to: budget`) rather than a social insurance fund.
    public let amountsAreBudgetRevenue: Bool
    /// `base` as its spec reads it (money; checked when the file was read).
    private let baseVariable: Variable

    public init(parameters p: ResolvedParameters) throws {
        rate = p.number("rate")
        base = p.text("base")
        baseVariable = p.variable("base")
        ceiling = p.number("ceiling")
        covered = p.integers("covered_labour_status").map(Int32.init)
        floor = p.number("floor")
        coveredContracts = p.integers("covered_contract_types").map(Int32.init)
        amountsAreBudgetRevenue = p.text("paid_to") == "budget"
        if ceiling > 0 && floor > ceiling {
            throw p.error("floor", "floor (\(floor)) is above ceiling (\(ceiling))")
        }
    }

    public var variables: [VariableRequest] {
        [VariableRequest(baseVariable, neededBy: ""), VariableRequest(.labourStatus, neededBy: "")]
            + (coveredContracts.isEmpty ? [] : [VariableRequest(.contractType, neededBy: "(covered_contract_types)")])
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(base: population.reals(base), status: population.integers("labour_status"),
             rate: rate, ceiling: ceiling > 0 ? ceiling : .infinity, covered: CodeSet(covered), floor: floor,
             contract: coveredContracts.isEmpty ? nil : population.integers("contract_type"), contracts: CodeSet(coveredContracts))
    }

    struct Rule: HouseholdRule {
        let base: Column<Double>
        let status: Column<Int32>
        let rate: Double
        let ceiling: Double
        let covered: CodeSet
        let floor: Double
        let contract: Column<Int32>?
        let contracts: CodeSet

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for k in 0..<household.size {
                let i = household.firstPerson + k
                guard covered.contains(status[i]) else { continue }
                if let contract, !contracts.contains(contract[i]) { continue }
                let b = base[i]
                if b > 0 { amounts[k] = rate * min(max(b, floor), ceiling) }
            }
        }

        /// The same rule person by person over the whole chunk (it does not
        /// depend on the household): one branch-light loop, no frames.
        func apply(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
            let first = batch.firstPerson, n = batch.persons.count, out = amounts.baseAddress!
            let base = self.base.values.baseAddress! + first, status = self.status.values.baseAddress! + first
            let rate = self.rate, floor = self.floor, ceiling = self.ceiling
            // Every person's amount as if due, then kept where due (no branch on the data;
            // +0 elsewhere, as the household rule leaves it).
            for k in 0..<n {
                let b = base[k]
                out[k] = BranchFree.kept(rate * min(max(b, floor), ceiling), if: BranchFree.flag(b > 0))
            }
            covered.keepMembers(out, codes: status, count: n)
            if let contract = self.contract?.values.baseAddress.map({ $0 + first }) {
                contracts.keepMembers(out, codes: contract, count: n)
            }
        }

        /// The batch path writes every slot.
        var fillsEveryAmount: Bool { true }
    }
}
