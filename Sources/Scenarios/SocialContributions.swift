import SimKernel

/// Employee social insurance contributions: a rate on a person's earnings
/// for covered workers, optionally up to a ceiling.
///
/// SPEC.md's baseline: 7% of `earnings` for formal employees
/// (`labour_status == 1`).
///
/// Rule, per person: `rate × min(base, ceiling)` if the person's
/// `labour_status` is in `covered_labour_status`, else 0. A ceiling of 0
/// means no ceiling.
public struct SocialContributions: PolicyModule {
    public static let name = "social_contributions"
    public static let summary = "Employee social insurance contributions: a rate on earnings of covered workers"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("rate", .number, unit: "share", range: 0...1,
                      summary: "contribution rate on the base (0.07 = 7%)"),
        ParameterSpec("base", .variable, unit: "variable", default: .text("earnings"),
                      summary: "the monthly income variable contributions are levied on"),
        ParameterSpec("ceiling", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "monthly base above which no contribution is due (0 = no ceiling)"),
        ParameterSpec("covered_labour_status", .integerList, unit: "codes", default: .integerList([1]), range: 0...3,
                      summary: "labour_status codes that pay (1 = formal employee)"),
    ]

    public let kind = ComponentKind.contribution
    public let rate: Double
    public let base: String
    public let ceiling: Double
    public let covered: [Int32]

    public init(parameters p: ResolvedParameters) throws {
        rate = p.number("rate")
        base = p.text("base")
        ceiling = p.number("ceiling")
        covered = p.integers("covered_labour_status").map(Int32.init)
    }

    public var variables: [VariableRequest] {
        [VariableRequest(base, neededBy: ""), VariableRequest(.labourStatus, neededBy: "")]
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(base: population.reals(base), status: population.integers("labour_status"),
             rate: rate, ceiling: ceiling > 0 ? ceiling : .infinity, covered: CodeSet(covered))
    }

    struct Rule: HouseholdRule {
        let base: Column<Double>
        let status: Column<Int32>
        let rate: Double
        let ceiling: Double
        let covered: CodeSet

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for k in 0..<household.size {
                let i = household.firstPerson + k
                guard covered.contains(status[i]) else { continue }
                let b = base[i]
                if b > 0 { amounts[k] = rate * min(b, ceiling) }
            }
        }
    }
}

/// A small set of category codes (0...63) tested in constant time, for hot loops.
struct CodeSet: Sendable {
    private let bits: UInt64
    init(_ codes: [Int32]) {
        var b: UInt64 = 0
        for c in codes where (0..<64).contains(c) { b |= 1 << UInt64(c) }
        bits = b
    }
    @inline(__always) func contains(_ code: Int32) -> Bool {
        code >= 0 && code < 64 && bits & (1 << UInt64(code)) != 0
    }
}
