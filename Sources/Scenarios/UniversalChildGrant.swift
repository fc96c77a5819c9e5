import SimKernel

/// A child grant: a monthly amount for every child in an age range, by
/// default whatever the household's income; optionally with amounts by age
/// band, a limit on the children paid per household, a means test, a
/// phase-in by birth cohort and incomplete take-up.
///
/// The reform costed in SPEC.md (30 a month for every person aged 0 to 17),
/// and the kind of benefit Argentina's Universal Child Allowance (AUH, 2009)
/// and many social protection floor assessments put on the table.
///
/// Rule, per household:
/// 1. a child is eligible if `min_age <= age <= oldest`, where `oldest` is
///    `max_age`, or during a phase-in (`phase_in_start_year` S > 0, year Y):
///    min(max_age, phase_in_first_max_age + Y − S), nobody before S (a new
///    cohort enters each year and keeps the grant as it ages; with no year
///    the grant is taken as fully phased in);
/// 2. the child's amount is that of the age band holding its age, or
///    `amount_per_child` if no band holds it;
/// 3. with `max_children` N > 0, only the N youngest eligible children are
///    paid (equal ages: the one listed first);
/// 4. the means test (`MeansTest`) scales the household's amounts;
/// 5. the household takes up (one draw per household, group of the head) or
///    receives nothing.
///
/// With the defaults (no bands, no limit, no means test, no phase-in,
/// take-up 1) the rule is exactly `amount_per_child` if `min_age <= age <=
/// max_age`, else 0, with no random draw.
public struct UniversalChildGrant: PolicyModule {
    public static let name = "universal_child_grant"
    public static let summary = "A monthly grant per child in an age range; optional age bands, child limit, means test, cohort phase-in, take-up"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("amount_per_child", .number, unit: "currency_per_month", range: 0...1e9,
                      summary: "monthly amount paid for each eligible child (whose age is in no age band)"),
        ParameterSpec("min_age", .integer, unit: "years", default: .number(0), range: 0...130,
                      summary: "youngest eligible age, in completed years"),
        ParameterSpec("max_age", .integer, unit: "years", default: .number(17), range: 0...130,
                      summary: "oldest eligible age, in completed years (17 = under 18)"),
        ParameterSpec("age_bands", .records([
            RecordField("min_age", unit: "years", range: 0...130, wholeNumber: true),
            RecordField("max_age", unit: "years", range: 0...130, wholeNumber: true),
            RecordField("amount", unit: "currency_per_month", range: 0...1e9),
        ]), unit: "currency_per_month", default: .records([]),
                      summary: "amounts by age, bands not overlapping, e.g. [{min_age: 0, max_age: 5, amount: 40}]; eligible ages in no band get amount_per_child"),
        ParameterSpec("max_children", .integer, unit: "children", default: .number(0), range: 0...100,
                      summary: "most children paid per household, the youngest first (0 = no limit)"),
    ] + MeansTest.parameters + [
        ParameterSpec("phase_in_start_year", .integer, unit: "year", default: .number(0), range: 0...2200,
                      summary: "first year of a phase-in by birth cohort (0 = no phase-in); needs a simulation year"),
        ParameterSpec("phase_in_first_max_age", .integer, unit: "years", default: .number(0), range: 0...130,
                      summary: "oldest eligible age in phase_in_start_year; it rises by one a year up to max_age"),
    ] + TakeUp.parameters(unit: "each household with eligible children")

    /// An amount for the ages `ages`.
    public struct AgeBandAmount: Sendable, Equatable {
        public let ages: ClosedRange<Int32>
        public let amount: Double
    }

    public let kind = ComponentKind.benefit
    /// Monthly amount per eligible child outside every band.
    public let amountPerChild: Double
    public let minAge: Int32
    public let maxAge: Int32
    public let ageBands: [AgeBandAmount]
    /// 0 = no limit.
    public let maxChildren: Int
    public let phaseInStartYear: Int
    public let phaseInFirstMaxAge: Int32
    let meansTest: MeansTest
    let takeUp: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        amountPerChild = p.number("amount_per_child")
        minAge = Int32(p.number("min_age"))
        maxAge = Int32(p.number("max_age"))
        guard minAge <= maxAge else {
            throw p.error("min_age", "min_age (\(minAge)) is above max_age (\(maxAge)); no child would be eligible")
        }
        var bands: [AgeBandAmount] = []
        for r in p.records("age_bands") {
            let lo = Int32(r["min_age"]!), hi = Int32(r["max_age"]!)
            guard lo <= hi else {
                throw p.error("age_bands", "an age band runs from \(lo) to \(hi); its min_age must not be above its max_age")
            }
            if let other = bands.first(where: { $0.ages.overlaps(lo...hi) }) {
                throw p.error("age_bands", "the age bands \(other.ages.lowerBound)-\(other.ages.upperBound) and \(lo)-\(hi) overlap; each age may be in one band only")
            }
            bands.append(AgeBandAmount(ages: lo...hi, amount: r["amount"]!))
        }
        ageBands = bands
        maxChildren = Int(p.number("max_children"))
        meansTest = try MeansTest(p)
        phaseInStartYear = Int(p.number("phase_in_start_year"))
        phaseInFirstMaxAge = Int32(p.number("phase_in_first_max_age"))
        takeUp = try TakeUp(p)
    }

    /// The target group for coverage and projections: children of the eligible ages.
    public var targetAges: ClosedRange<Int>? { Int(minAge)...Int(maxAge) }

    public var variables: [VariableRequest] {
        [VariableRequest(.age, neededBy: "")] + takeUp.variables(neededBy: "")
    }

    /// With a means test, a child limit or take-up below 1: eligible children
    /// (age, limit and means test passed, before take-up), weighted.
    public var counters: [String] {
        meansTest.isActive || takeUp.isActive || maxChildren > 0 ? ["eligible_children"] : []
    }

    /// The oldest eligible age in `year` (phase-in), or `nil` if no one is eligible yet.
    public func oldestEligibleAge(in year: Int?) -> Int32? {
        guard phaseInStartYear > 0, let year else { return maxAge }
        guard year >= phaseInStartYear else { return nil }
        return min(maxAge, phaseInFirstMaxAge + Int32(clamping: year - phaseInStartYear))
    }

    /// The monthly amount for an eligible child of age `age`.
    public func amount(forAge age: Int32) -> Double {
        for band in ageBands where band.ages.contains(age) { return band.amount }
        return amountPerChild
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        let oldest = oldestEligibleAge(in: context.year)
        let ages: ClosedRange<Int32>? = oldest.flatMap { $0 >= minAge ? minAge...$0 : nil }
        return Rule(grant: self, age: population.integers("age"), ages: ages,
                    takeUp: takeUp.bind(to: population), purpose: RandomStream.purpose("universal_child_grant.take_up"),
                    counting: !counters.isEmpty,
                    personByPerson: maxChildren == 0 && !meansTest.isActive && !takeUp.isActive && ageBands.isEmpty)
    }

    struct Rule: HouseholdRule {
        let grant: UniversalChildGrant
        let age: Column<Int32>
        let ages: ClosedRange<Int32>?
        let takeUp: TakeUp.Bound
        let purpose: UInt64
        let counting: Bool
        /// No child limit, means test, take-up or age bands: the grant is a
        /// function of each child's age alone.
        let personByPerson: Bool

        /// The person-by-person path writes every slot.
        var fillsEveryAmount: Bool { personByPerson }

        /// With the defaults, child by child over the whole chunk (no frames);
        /// otherwise household by household.
        func apply(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
            guard personByPerson else { return applyHouseholdByHousehold(batch: batch, amounts: amounts) }
            let n = batch.persons.count, out = amounts.baseAddress!
            guard let ages else {
                out.update(repeating: 0, count: n)
                return
            }
            // lo <= age <= hi as one unsigned comparison: branch-free, vectorisable.
            let age = self.age.values.baseAddress! + batch.firstPerson
            let lo = ages.lowerBound, width = UInt32(bitPattern: ages.upperBound &- ages.lowerBound)
            let amount = grant.amountPerChild
            for k in 0..<n { out[k] = BranchFree.kept(amount, if: BranchFree.flag(UInt32(bitPattern: age[k] &- lo) <= width)) }
        }

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            guard let ages else { return }
            let first = household.firstPerson
            let age = self.age.values
            var paid = 0
            if grant.maxChildren == 0 {
                for k in 0..<household.size where ages.contains(age[first + k]) {
                    amounts[k] = grant.amount(forAge: age[first + k])
                    paid += 1
                }
            } else {
                // The youngest first; equal ages in member order. No allocation: scan by age.
                var a = ages.lowerBound
                while a <= ages.upperBound && paid < grant.maxChildren {
                    for k in 0..<household.size where age[first + k] == a && paid < grant.maxChildren {
                        amounts[k] = grant.amount(forAge: a)
                        paid += 1
                    }
                    a += 1
                }
            }
            guard paid > 0 else { return }
            if grant.meansTest.isActive && !grant.meansTest.apply(to: amounts, income: household.totalIncome) {
                amounts.update(repeating: 0)
                return
            }
            if counting { household.counters[0] = Double(paid) }
            if !takeUp.takesUp(first, { household.randomStream(purpose: purpose) }) {
                amounts.update(repeating: 0)
            }
        }
    }
}
