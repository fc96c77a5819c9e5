/// The persons a benefit is meant for: an age range and, optionally, a
/// condition (a severe disability, a recent birth, unemployment).
///
/// Coverage of the target group, a figure of `scenario compare`, `assess`
/// and `report`, is the weighted share of the group's persons who receive
/// some benefit (docs/costing.md). The target group is a property of each
/// benefit component (``PolicyModule/targetGroup``); an option's target
/// group is the **union** of the groups of the benefit components it adds
/// or changes (a person belongs if any component's group contains them),
/// never a range merged from their ages. A changed benefit component that
/// declares no group targets every person.
///
/// ```swift
/// let pension = TargetGroup(ages: 70...TargetGroup.oldestAge)       // "ages 70 and over"
/// let disability = TargetGroup(ages: 18...64, condition: .disabled) // "persons with a severe disability aged 18-64"
/// ```
public struct TargetGroup: Sendable, Equatable, CustomStringConvertible {
    /// A condition a person must meet besides the ages.
    public enum Condition: String, Sendable, Equatable, CaseIterable {
        /// `disabled` = 1.
        case disabled
        /// A woman (`sex` = 2) who is pregnant (`pregnant` = 1) or gave birth in the last 12 months (`months_since_birth` 0-11).
        case maternity
        /// Unemployed: `labour_status` = 3.
        case unemployed

        /// The data variables the condition reads.
        public var variables: [Variable] {
            switch self {
            case .disabled: return [.disabled]
            case .maternity: return [.sex, .pregnant, .monthsSinceBirth]
            case .unemployed: return [.labourStatus]
            }
        }
    }

    /// The oldest age the data allows; an upper bound of this age reads "and over".
    public static let oldestAge = 130

    /// The ages, inclusive (`nil`: any age).
    public let ages: ClosedRange<Int>?
    /// The condition besides the ages (`nil`: none).
    public let condition: Condition?

    /// Creates a target group.
    public init(ages: ClosedRange<Int>? = nil, condition: Condition? = nil) {
        self.ages = ages
        self.condition = condition
    }

    /// Every person.
    public static let everyone = TargetGroup()

    /// The group in words, as every output prints it: "ages 0-17", "ages 70 and over",
    /// "persons with a severe disability aged 18-64", "all persons".
    public var description: String {
        let agePart: String? = ages.map { a in
            if a.upperBound >= Self.oldestAge { return "\(a.lowerBound) and over" }
            return a.lowerBound == a.upperBound ? "\(a.lowerBound)" : "\(a.lowerBound)-\(a.upperBound)"
        }
        switch condition {
        case nil: return agePart.map { "ages \($0)" } ?? "all persons"
        case .disabled: return "persons with a severe disability" + (agePart.map { " aged \($0)" } ?? "")
        case .maternity: return "women pregnant or with a birth in the last 12 months" + (agePart.map { " aged \($0)" } ?? "")
        case .unemployed: return "unemployed persons" + (agePart.map { " aged \($0)" } ?? "")
        }
    }

    /// The union of `groups` in words ("ages 0-4 or ages 70 and over"); "none" when empty.
    public static func describe(union groups: [TargetGroup]) -> String {
        var unique: [TargetGroup] = []
        for g in groups where !unique.contains(g) { unique.append(g) }
        if unique.contains(.everyone) { return TargetGroup.everyone.description }
        return unique.isEmpty ? "none (the option changes no benefit)" : unique.map(\.description).joined(separator: " or ")
    }

    /// The group bound to a population's columns, to test persons quickly.
    public struct Membership: Sendable {
        let groups: [TargetGroup]
        let age: Column<Int32>?
        let sex: Column<Int32>?
        let disabled: Column<Int32>?
        let pregnant: Column<Int32>?
        let monthsSinceBirth: Column<Int32>?
        let labourStatus: Column<Int32>?

        /// Whether person `p` (person index in the population) belongs to any of the groups.
        ///
        /// A condition whose variables the data lacks is not met (the modules that
        /// declare such a group read those variables, so a run always has them).
        public func contains(_ p: Int) -> Bool {
            for g in groups where matches(g, p) { return true }
            return false
        }

        private func matches(_ g: TargetGroup, _ p: Int) -> Bool {
            if let ages = g.ages {
                guard let age, ages.contains(Int(age.values[p])) else { return false }
            }
            switch g.condition {
            case nil: return true
            case .disabled: return disabled.map { $0.values[p] == 1 } ?? false
            case .unemployed: return labourStatus.map { $0.values[p] == 3 } ?? false
            case .maternity:
                guard let sex, sex.values[p] == 2 else { return false }
                let isPregnant = pregnant.map { $0.values[p] == 1 } ?? false
                let recentBirth = monthsSinceBirth.map { (0...11).contains($0.values[p]) } ?? false
                return isPregnant || recentBirth
            }
        }
    }

    /// Binds the union of `groups` to `population`.
    public static func membership(of groups: [TargetGroup], in population: Population) -> Membership {
        func ints(_ v: Variable) -> Column<Int32>? { population.has(v.name) ? population.integers(v.name) : nil }
        return Membership(groups: groups, age: ints(.age), sex: ints(.sex), disabled: ints(.disabled),
                          pregnant: ints(.pregnant), monthsSinceBirth: ints(.monthsSinceBirth), labourStatus: ints(.labourStatus))
    }

    /// The data variables needed to test membership of `groups`.
    public static func variables(of groups: [TargetGroup]) -> [Variable] {
        var out: [Variable] = []
        for g in groups {
            if g.ages != nil && !out.contains(where: { $0.name == Variable.age.name }) { out.append(.age) }
            for v in g.condition?.variables ?? [] where !out.contains(where: { $0.name == v.name }) { out.append(v) }
        }
        return out
    }
}
