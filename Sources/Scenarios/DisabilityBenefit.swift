import SimKernel

/// A non-contributory disability benefit: a monthly amount for every person
/// with a severe disability (`disabled == 1`) in an age range, optionally
/// means-tested.
///
/// The working-age guarantee of a social protection floor (ILO
/// Recommendation No. 202) covers persons unable to earn enough because of
/// disability; Cabo Verde's unified social pension, for example, also covers
/// the disabled and those with a permanent incapacity.
///
/// Rule, per person with `disabled == 1` and `min_age <= age <= max_age`:
/// `amount`; then the means test (`MeansTest`) scales the household's
/// amounts together; then each person takes up (one draw per person).
public struct DisabilityBenefit: PolicyModule {
    public static let name = "disability_benefit"
    public static let summary = "A monthly benefit for persons with a severe disability in an age range; optional means test; take-up"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("amount", .number, unit: "currency_per_month", range: 0...1e9,
                      summary: "monthly benefit per eligible person with a disability"),
        ParameterSpec("min_age", .integer, unit: "years", default: .number(0), range: 0...130,
                      summary: "youngest eligible age, in completed years"),
        ParameterSpec("max_age", .integer, unit: "years", default: .number(130), range: 0...130,
                      summary: "oldest eligible age, in completed years (e.g. 64 when a social pension takes over at 65)"),
    ] + MeansTest.parameters + TakeUp.parameters(unit: "each eligible person")

    public let kind = ComponentKind.benefit
    public let amount: Double
    public let minAge: Int32
    public let maxAge: Int32
    let meansTest: MeansTest
    let takeUp: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        amount = p.number("amount")
        minAge = Int32(p.number("min_age"))
        maxAge = Int32(p.number("max_age"))
        guard minAge <= maxAge else {
            throw p.error("min_age", "min_age (\(minAge)) is above max_age (\(maxAge)); no one would be eligible")
        }
        meansTest = try MeansTest(p)
        takeUp = try TakeUp(p)
    }

    /// The target group for coverage and projections: the eligible ages (among them, those with a disability).
    public var targetAges: ClosedRange<Int>? { Int(minAge)...Int(maxAge) }
    /// Persons with a severe disability in the age range (not everyone of those ages).
    public var targetGroup: TargetGroup? { TargetGroup(ages: Int(minAge)...Int(maxAge), condition: .disabled) }

    public var variables: [VariableRequest] {
        [VariableRequest(.age, neededBy: ""), VariableRequest(.disabled, neededBy: "")] + takeUp.variables(neededBy: "")
    }

    /// Persons with a disability entitled after the means test, before take-up.
    public var counters: [String] { ["eligible_persons"] }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(benefit: self, age: population.integers("age"), disabled: population.integers("disabled"),
             takeUp: takeUp.bind(to: population), purpose: RandomStream.purpose("disability_benefit.take_up"))
    }

    struct Rule: HouseholdRule {
        let benefit: DisabilityBenefit
        let age: Column<Int32>
        let disabled: Column<Int32>
        let takeUp: TakeUp.Bound
        let purpose: UInt64

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let first = household.firstPerson
            var any = false
            for k in 0..<household.size where disabled[first + k] == 1
                && (benefit.minAge...benefit.maxAge).contains(age[first + k]) {
                amounts[k] = benefit.amount
                any = true
            }
            guard any, benefit.amount > 0 else { return }
            if !benefit.meansTest.apply(to: amounts, income: household.totalIncome) {
                amounts.update(repeating: 0)
                return
            }
            household.counters[0] = BenefitPipeline.countEntitled(amounts)
            for k in 0..<household.size where amounts[k] > 0 {
                if !takeUp.takesUp(first + k, { household.randomStream(purpose: purpose, member: k) }) { amounts[k] = 0 }
            }
        }
    }
}
