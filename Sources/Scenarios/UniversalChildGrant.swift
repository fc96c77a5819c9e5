import SimKernel

/// A universal child grant: a flat monthly amount for every child in an age
/// range, paid whatever the household's income.
///
/// The reform costed in SPEC.md (30 a month for every person aged 0 to 17),
/// and the kind of benefit Argentina's Universal Child Allowance (AUH, 2009)
/// and many social protection floor assessments put on the table.
///
/// Rule, per person: `amount_per_child` if `min_age <= age <= max_age`, else 0.
public struct UniversalChildGrant: PolicyModule {
    public static let name = "universal_child_grant"
    public static let summary = "A flat monthly grant for every child in an age range, without a means test"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("amount_per_child", .number, unit: "currency_per_month", range: 0...1e9,
                      summary: "monthly amount paid for each eligible child"),
        ParameterSpec("min_age", .integer, unit: "years", default: .number(0), range: 0...130,
                      summary: "youngest eligible age, in completed years"),
        ParameterSpec("max_age", .integer, unit: "years", default: .number(17), range: 0...130,
                      summary: "oldest eligible age, in completed years (17 = under 18)"),
    ]

    public let kind = ComponentKind.benefit
    /// Monthly amount per eligible child.
    public let amountPerChild: Double
    public let minAge: Int32
    public let maxAge: Int32

    public init(parameters p: ResolvedParameters) throws {
        amountPerChild = p.number("amount_per_child")
        minAge = Int32(p.number("min_age"))
        maxAge = Int32(p.number("max_age"))
        guard minAge <= maxAge else {
            throw p.error("min_age", "min_age (\(minAge)) is above max_age (\(maxAge)); no child would be eligible")
        }
    }

    public var variables: [VariableRequest] { [VariableRequest(.age, neededBy: "")] }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(age: population.integers("age"), amount: amountPerChild, ages: minAge...maxAge)
    }

    struct Rule: HouseholdRule {
        let age: Column<Int32>
        let amount: Double
        let ages: ClosedRange<Int32>

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let ages = age.values
            for k in 0..<household.size where self.ages.contains(ages[household.firstPerson + k]) {
                amounts[k] = amount
            }
        }
    }
}
