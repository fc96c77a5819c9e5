/// The coverage-gap assessment of a national dialogue: for each group a
/// social protection floor guarantees, how many are covered by some benefit
/// and how many are poor, today and under each option.
///
/// Groups (ILO Recommendation No. 202), persons weighted by household weight:
/// - `children`: ages 0-17;
/// - `unemployed`: ages 18-64 with `labour_status` 3;
/// - `maternity`: women who are pregnant or gave birth in the last 12 months
///   (`pregnant` = 1, or `months_since_birth` 0-11);
/// - `disability`: ages 18-64 with `disabled` = 1;
/// - `older`: ages at or above the older-age threshold (default 65).
///
/// A person is **covered** when some benefit component of the system gives
/// them (or their household, for a household benefit) a positive amount, or
/// when they draw a contributory pension (`pension_income` > 0, when the data
/// has it). **Poor**: per-capita household disposable income below the
/// scenario's poverty line. A group whose defining variables the data lacks
/// is listed in ``skipped`` with the reason, never silently left out.
public struct CoverageAssessment: Sendable {
    /// One group's figures.
    public struct Group: Sendable {
        public let name: String
        public let definition: String
        /// Weighted persons, and the unweighted count (for disclosure control).
        public let persons: Double
        public let observations: Int
        public let coverageBaseline: Double
        public let povertyBaseline: Double
        /// Per option, in the order given.
        public let coverageReform: [Double]
        public let povertyReform: [Double]
    }

    public let groups: [Group]
    /// Groups not assessed, with why.
    public let skipped: [(name: String, reason: String)]

    /// The variables the assessment reads when the data has them.
    public static let optionalVariables: [Variable] = [.age, .sex, .labourStatus, .disabled, .pregnant, .monthsSinceBirth, .pensionIncome]

    /// Assesses `runs` (one per option, all on `population`).
    public init(runs: [ScenarioRun], population: Population, olderAge: Int = 65) {
        precondition(!runs.isEmpty, "an assessment needs at least one option")
        let n = population.personCount
        let starts = population.householdStart.values
        let weight = population.weight.values
        func ints(_ name: String) -> UnsafeBufferPointer<Int32>? { population.has(name) ? population.integers(name).values : nil }
        let age = ints("age"), sex = ints("sex"), status = ints("labour_status"), disabled = ints("disabled")
        let pregnant = ints("pregnant"), birth = ints("months_since_birth")
        let pension = population.has("pension_income") ? population.reals("pension_income").values : nil

        var definitions: [(String, String, (Int) -> Bool)] = []
        var skipped: [(String, String)] = []
        if let age {
            definitions.append(("children", "ages 0-17", { age[$0] <= 17 }))
            if let status {
                definitions.append(("unemployed", "ages 18-64, unemployed", { (18...64).contains(age[$0]) && status[$0] == 3 }))
            } else { skipped.append(("unemployed", "the data has no labour_status")) }
            if let disabled {
                definitions.append(("disability", "ages 18-64 with a severe disability", { (18...64).contains(age[$0]) && disabled[$0] == 1 }))
            } else { skipped.append(("disability", "the data has no disabled column")) }
            definitions.append(("older", "ages \(olderAge) and over", { Int(age[$0]) >= olderAge }))
        } else {
            skipped += [("children", "no age"), ("unemployed", "no age"), ("disability", "no age"), ("older", "no age")]
        }
        if let sex, pregnant != nil || birth != nil {
            definitions.append(("maternity", "women pregnant or with a birth in the last 12 months", { p in
                sex[p] == 2 && ((pregnant?[p] ?? 0) == 1 || (0...11).contains(birth?[p] ?? -1))
            }))
        } else {
            skipped.append(("maternity", "the data has no sex with pregnant or months_since_birth"))
        }

        // Per person: household index, for weights and welfare.
        var household = [Int32](repeating: 0, count: n)
        for h in 0..<population.householdCount { for p in starts[h]..<starts[h + 1] { household[p] = Int32(h) } }
        func benefitBits(_ system: TaxBenefitSystem) -> UInt32 {
            var bits: UInt32 = 0
            for (c, component) in system.components.enumerated() where c < 32 && component.module.kind == .benefit { bits |= 1 << UInt32(c) }
            return bits
        }
        func figures(_ member: (Int) -> Bool, _ outcome: SystemOutcome, _ system: TaxBenefitSystem, _ line: Double)
            -> (persons: Double, count: Int, covered: Double, poor: Double) {
            let bits = benefitBits(system)
            let mask = outcome.coverage.values
            let income = outcome.disposableIncome.values
            var persons = CompensatedSum(), covered = CompensatedSum(), poor = CompensatedSum()
            var count = 0
            for p in 0..<n where member(p) {
                let h = Int(household[p])
                let w = weight[h]
                persons.add(w)
                count += 1
                if mask[p] & bits != 0 || (pension?[p] ?? 0) > 0 { covered.add(w) }
                if income[h] / Double(starts[h + 1] - starts[h]) < line { poor.add(w) }
            }
            return (persons.value, count, covered.value, poor.value)
        }
        var groups: [Group] = []
        for (name, definition, member) in definitions {
            let first = runs[0]
            let base = figures(member, first.outcomes.baseline, first.scenario.baseline, first.scenario.povertyLine)
            var coverage: [Double] = [], poverty: [Double] = []
            for run in runs {
                let r = figures(member, run.outcomes.reform, run.scenario.reform, run.scenario.povertyLine)
                coverage.append(r.persons > 0 ? r.covered / r.persons : .nan)
                poverty.append(r.persons > 0 ? r.poor / r.persons : .nan)
            }
            groups.append(Group(
                name: name, definition: definition, persons: base.persons, observations: base.count,
                coverageBaseline: base.persons > 0 ? base.covered / base.persons : .nan,
                povertyBaseline: base.persons > 0 ? base.poor / base.persons : .nan,
                coverageReform: coverage, povertyReform: poverty))
        }
        self.groups = groups
        self.skipped = skipped
    }
}
