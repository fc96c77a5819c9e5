/// The coverage-gap assessment of a national dialogue: for each group a
/// social protection floor guarantees, how many are covered by some benefit
/// and how many are poor, under each option's own baseline and under the option.
///
/// Groups (ILO Recommendation No. 202), persons weighted by household weight,
/// each a ``TargetGroup`` (the same definitions as the options' target groups):
/// - `children`: ages 0-17;
/// - `unemployed`: ages 18-64 with `labour_status` 3;
/// - `maternity`: women of any age who are pregnant or gave birth in the last
///   12 months (`pregnant` = 1, or `months_since_birth` 0-11);
/// - `disability`: ages 18-64 with `disabled` = 1;
/// - `older`: ages at or above the older-age threshold (default 65).
///
/// A person is **covered** when some benefit component of the system gives
/// them (or their household, for a household benefit) a positive amount, or
/// when they draw a contributory pension (`pension_income` > 0, when the data
/// has it). **Poor**: welfare (the scenario's concept, ``ScenarioDefinition/welfare``;
/// per-capita household disposable income by default) below the
/// scenario's poverty line (their area's line with `lines:`). Each option is set against **its own baseline**
/// (``Group/coverageBaseline`` per option); when every option's baseline gives
/// the same figures, ``Group/baselineShared`` is true and outputs show one
/// "today" column. A group whose defining variables the data lacks is listed in
/// ``skipped`` with the reason, never silently left out.
public struct CoverageAssessment: Sendable {
    /// One group's figures (Codable: a part of `assess`'s result record, whose reader checks the list lengths).
    public struct Group: Sendable, Equatable, Codable {
        public let name: String
        public let definition: String
        /// Weighted persons, and the unweighted count (for disclosure control).
        public let persons: Double
        public let observations: Int
        /// Per option, in the order given: coverage and poverty under its baseline and under the option.
        public let coverageBaseline: [Double]
        public let povertyBaseline: [Double]
        public let coverageReform: [Double]
        public let povertyReform: [Double]
        /// Whether every option's baseline gives the same coverage and poverty (bit for bit).
        public var baselineShared: Bool {
            coverageBaseline.allSatisfy { $0.bitPattern == coverageBaseline[0].bitPattern }
                && povertyBaseline.allSatisfy { $0.bitPattern == povertyBaseline[0].bitPattern }
        }

        private enum CodingKeys: String, CodingKey {
            case name, definition, persons, observations, coverageBaseline = "coverage_baseline", povertyBaseline = "poverty_baseline"
            case coverageReform = "coverage_option", povertyReform = "poverty_option"
        }
    }

    public let groups: [Group]
    /// Groups not assessed, with why.
    public let skipped: [(name: String, reason: String)]

    /// The variables the assessment reads when the data has them.
    public static let optionalVariables: [Variable] = [.age, .sex, .labourStatus, .disabled, .pregnant, .monthsSinceBirth, .pensionIncome]

    /// The floor groups as target groups, with `olderAge` the start of old age.
    public static func floorGroups(olderAge: Int) -> [(name: String, group: TargetGroup)] {
        [("children", TargetGroup(ages: 0...17)),
         ("unemployed", TargetGroup(ages: 18...64, condition: .unemployed)),
         ("maternity", TargetGroup(condition: .maternity)),
         ("disability", TargetGroup(ages: 18...64, condition: .disabled)),
         ("older", TargetGroup(ages: olderAge...TargetGroup.oldestAge))]
    }

    /// Assesses `runs` (one per option, all on `population`).
    public init(runs: [ScenarioRun], population: Population, olderAge: Int = 65) {
        precondition(!runs.isEmpty, "an assessment needs at least one option")
        let n = population.personCount
        let starts = population.householdStart.values
        let weight = population.weight.values
        let pension = population.has("pension_income") ? population.reals("pension_income").values : nil

        var skipped: [(String, String)] = []
        var definitions: [(String, TargetGroup)] = []
        for (name, group) in Self.floorGroups(olderAge: olderAge) {
            var needed = TargetGroup.variables(of: [group]).map(\.name)
            if group.condition == .maternity {
                // Either of the two birth variables defines the group.
                needed = ["sex"]
                if !population.has("pregnant") && !population.has("months_since_birth") {
                    skipped.append((name, "the data has no pregnant or months_since_birth column"))
                    continue
                }
            }
            if let missing = needed.first(where: { !population.has($0) }) {
                skipped.append((name, "the data has no \(missing) column"))
                continue
            }
            definitions.append((name, group))
        }

        // Per person: household index, for weights and welfare.
        var household = [Int32](repeating: 0, count: n)
        for h in 0..<population.householdCount { for p in starts[h]..<starts[h + 1] { household[p] = Int32(h) } }
        func benefitBits(_ system: TaxBenefitSystem) -> UInt32 { system.coverageBits { $0.module.kind == .benefit } }
        func figures(_ members: [Int], _ outcome: SystemOutcome, _ system: TaxBenefitSystem, _ line: Double,
                     welfare: WelfareDistribution? = nil, personsPerRow: [Double]? = nil)
            -> (persons: Double, covered: Double, poor: Double) {
            let bits = benefitBits(system)
            let mask = outcome.coverage.values
            let income = outcome.disposableIncome.values
            var persons = CompensatedSum(), covered = CompensatedSum(), poor = CompensatedSum()
            for p in members {
                let h = Int(household[p])
                // Persons a row stands for: 1, or the household's size with one row per household (welfare: household_size).
                let w = personsPerRow.map { weight[h] * $0[h] } ?? weight[h]
                persons.add(w)
                if mask[p] & bits != 0 || (pension?[p] ?? 0) > 0 { covered.add(w) }
                // The scenario's welfare concept when it has one (area lines folded into welfare: WelfareConcept).
                if let welfare { if welfare.welfare[h] < line { poor.add(w) } }
                else if income[h] / Double(starts[h + 1] - starts[h]) < line { poor.add(w) }
            }
            return (persons.value, covered.value, poor.value)
        }
        func share(_ x: Double, _ of: Double) -> Double { of > 0 ? x / of : .nan }
        var groups: [Group] = []
        for (name, group) in definitions {
            let membership = TargetGroup.membership(of: [group], in: population)
            let members = (0..<n).filter { membership.contains($0) }
            var coverageB: [Double] = [], povertyB: [Double] = [], coverageR: [Double] = [], povertyR: [Double] = []
            var persons = 0.0
            for run in runs {
                let b = figures(members, run.outcomes.baseline, run.scenario.baseline, run.scenario.povertyLine,
                                welfare: run.welfare?.baseline, personsPerRow: run.personsPerRow)
                let r = figures(members, run.outcomes.reform, run.scenario.reform, run.scenario.povertyLine,
                                welfare: run.welfare?.reform, personsPerRow: run.personsPerRow)
                persons = b.persons
                coverageB.append(share(b.covered, b.persons))
                povertyB.append(share(b.poor, b.persons))
                coverageR.append(share(r.covered, r.persons))
                povertyR.append(share(r.poor, r.persons))
            }
            groups.append(Group(
                name: name, definition: group.description, persons: persons, observations: members.count,
                coverageBaseline: coverageB, povertyBaseline: povertyB, coverageReform: coverageR, povertyReform: povertyR))
        }
        self.groups = groups
        self.skipped = skipped
    }
}
