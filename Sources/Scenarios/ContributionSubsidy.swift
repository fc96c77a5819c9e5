import SimKernel

/// A subsidy for informal workers who join social insurance: the state pays
/// a share of their contributions, and a share of the eligible join.
///
/// Nepal's Social Security Fund opened voluntary registration to about 8
/// million informal and self-employed workers, with the government paying
/// part of the contribution in lieu of an employer; contribution subsidies
/// for vulnerable workers were piloted elsewhere.
///
/// Rule, per person whose `labour_status` is in `eligible_labour_status` and
/// whose earnings E exceed `min_earnings`:
/// 1. the person joins with the join rate (one draw per person; `join_rate`,
///    optionally by group, as take-up);
/// 2. a joiner's contribution is c = `contribution_rate` × min(max(E,
///    `minimum_base`), `ceiling`) (0 = no ceiling); the state pays s =
///    min(`subsidy_share` × c, `max_subsidy`) (0 = no maximum) and the worker
///    the rest, c − s, which is this component's amount (a contribution,
///    subtracted from household income).
///
/// Its cost and coverage effect are read from the counters (weighted):
/// `subsidy_annual` (the state's cost, 12 × s, currency per year),
/// `contributions_annual` (12 × c, what reaches the fund), `eligible_workers`
/// and `joiners` (the workers newly covered). The component's annual amount
/// is the workers' own share. The subsidy is not a cash benefit, so it is not
/// in the scenario's cost of benefits.
public struct ContributionSubsidy: PolicyModule {
    public static let name = "contribution_subsidy"
    public static let summary = "State pays a share of contributions of informal workers who join (join rate); cost and new coverage as counters"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("eligible_labour_status", .integerList, unit: "codes", default: .integerList([2]), range: 0...3,
                      summary: "labour_status codes that may join with the subsidy (2 = informal worker)"),
        ParameterSpec("min_earnings", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "only workers earning more than this may join (0: any paid worker)"),
        ParameterSpec("contribution_rate", .number, unit: "share", range: 0...1,
                      summary: "contribution rate on the base (worker and subsidy together)"),
        ParameterSpec("minimum_base", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "lowest monthly base on which contributions are computed"),
        ParameterSpec("ceiling", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "monthly base above which no contribution is due (0 = none)"),
        ParameterSpec("subsidy_share", .number, unit: "share", range: 0...1,
                      summary: "share of the contribution the state pays (0.5 = half, in lieu of an employer)"),
        ParameterSpec("max_subsidy", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "highest monthly subsidy per worker (0 = no maximum)"),
    ] + TakeUp.parameters(prefix: "join", unit: "each eligible worker")

    public let kind = ComponentKind.contribution
    public let eligible: [Int32]
    public let minEarnings: Double
    public let contributionRate: Double
    public let minimumBase: Double
    public let ceiling: Double
    public let subsidyShare: Double
    public let maxSubsidy: Double
    let join: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        eligible = p.integers("eligible_labour_status").map(Int32.init)
        minEarnings = p.number("min_earnings")
        contributionRate = p.number("contribution_rate")
        minimumBase = p.number("minimum_base")
        ceiling = p.number("ceiling")
        subsidyShare = p.number("subsidy_share")
        maxSubsidy = p.number("max_subsidy")
        join = try TakeUp(p, prefix: "join")
        if ceiling > 0 && ceiling < minimumBase {
            throw p.error("ceiling", "ceiling (\(ceiling)) is below minimum_base (\(minimumBase))")
        }
    }

    public var variables: [VariableRequest] {
        [VariableRequest(.labourStatus, neededBy: ""), VariableRequest(.earnings, neededBy: "")] + join.variables(neededBy: "")
    }

    public var counters: [String] { ["eligible_workers", "joiners", "subsidy_annual", "contributions_annual"] }

    /// The subsidy is the state's cost: it counts in the scenario's annual cost.
    public var stateCostCounters: [String] { ["subsidy_annual"] }

    /// What reaches the fund (the joiners' contributions, the state's part included) is fund revenue.
    public var fundContributionCounters: [String] { ["contributions_annual"] }

    /// The joiners' own contributions go to the social insurance fund, not the
    /// budget: they finance future benefits and do not offset the subsidy.
    public var amountsAreBudgetRevenue: Bool { false }

    /// A joiner's monthly contribution and the state's part of it, on earnings `earnings`.
    public func contribution(earnings: Double) -> (total: Double, subsidy: Double) {
        let base = min(max(earnings, minimumBase), ceiling > 0 ? ceiling : .infinity)
        let c = contributionRate * base
        let s = subsidyShare * c
        return (c, maxSubsidy > 0 ? min(s, maxSubsidy) : s)
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(subsidy: self, status: population.integers("labour_status"), earnings: population.reals("earnings"),
             eligible: CodeSet(eligible), join: join.bind(to: population), purpose: RandomStream.purpose("contribution_subsidy.join"))
    }

    struct Rule: HouseholdRule {
        let subsidy: ContributionSubsidy
        let status: Column<Int32>
        let earnings: Column<Double>
        let eligible: CodeSet
        let join: TakeUp.Bound
        let purpose: UInt64

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let c = household.counters
            for k in 0..<household.size {
                let i = household.firstPerson + k
                guard eligible.contains(status[i]), earnings[i] > subsidy.minEarnings else { continue }
                c[0] += 1
                guard join.takesUp(i, { household.randomStream(purpose: purpose, member: k) }) else { continue }
                let (total, state) = subsidy.contribution(earnings: earnings[i])
                c[1] += 1
                c[2] += 12 * state
                c[3] += 12 * total
                amounts[k] = total - state
            }
        }
    }
}
