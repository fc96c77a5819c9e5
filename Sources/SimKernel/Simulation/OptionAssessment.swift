/// What an option does beyond the headline indicators: who is lifted out of
/// poverty, who the new money reaches, how well the target group is covered,
/// and the unweighted counts behind each figure (for disclosure control).
///
/// Every figure is person-weighted with the household weight; welfare is
/// the scenario's concept (``ScenarioDefinition/welfare``: per-capita household
/// disposable income by default); the poverty line is the scenario's (each
/// person's area line when the concept has `lines:`). Money figures (cost, revenue) are not here: they are the
/// change of ``SystemIndicators`` (``ScenarioRun/change``) and the net cost
/// is ``FiscalChange``, so that every command shows the same numbers.
///
/// The figures depend only on the run (the option, its baseline, the seed
/// and the year) and the population; which other options are compared does
/// not enter (the population must hold the same columns: commands load the
/// optional coverage variables whenever the data has them,
/// ``OptionComparison/variables(of:costing:available:)``).
public struct OptionAssessment: Sendable {
    /// Persons poor (y < z) under the baseline and not under the reform.
    public let liftedOut: Double
    /// Persons not poor under the baseline and poor under the reform (e.g. after a tax rise).
    public let pushedIn: Double
    /// Share of the change in benefit spending reaching the poorest 40% of persons
    /// (ranked by baseline welfare; the household straddling the 40% point counts
    /// for the fraction of its persons below it). NaN when benefit spending does not change.
    public let shareToPoorest40: Double
    /// The target groups of the benefit components the reform adds or changes (their union is the option's target group; empty: no benefit changed).
    public let targetGroups: [TargetGroup]
    /// The option's target group in words (``TargetGroup/describe(union:)``).
    public var targetGroupDescription: String { TargetGroup.describe(union: targetGroups) }
    /// Weighted persons in the target group.
    public let targetPersons: Double
    /// Share of the target group receiving any benefit of the system (or a
    /// contributory pension, when the data has `pension_income`), baseline and
    /// reform. NaN when the group is empty or the option changes no benefit.
    public let coverageBaseline: Double
    public let coverageReform: Double
    /// Weighted persons receiving one of the reform's changed benefits.
    public let optionBeneficiaries: Double
    /// Weighted households receiving one of the reform's changed benefits.
    public let optionHouseholds: Double
    /// Unweighted counts behind the figures, for disclosure control (``Disclosure``):
    /// persons lifted out; persons pushed in; persons receiving the option's benefits;
    /// persons in the target group; persons in households whose disposable income
    /// changes (behind the money and FGT/Gini changes); persons who receive one of
    /// the changed benefits under the baseline or the reform (behind the share of
    /// the change in benefits reaching the poorest 40%).
    public let liftedOutObservations: Int
    public let pushedInObservations: Int
    public let beneficiaryObservations: Int
    public let targetObservations: Int
    public let changedObservations: Int
    public let benefitChangeObservations: Int

    /// The baseline's side of the "poorest 40%" figure: each household's baseline welfare
    /// and person weight, the households in order of welfare, and the total person weight.
    /// It depends on the baseline only, so ``BaselineCache`` keeps it with the baseline.
    struct BaselineRanking: Sendable {
        let welfare: [Double]
        let personWeight: [Double]
        let order: [Int32]
        let total: Double
    }

    /// The assessment of one option.
    ///
    /// - Parameters:
    ///   - run: The option: its baseline and reform simulated on `population`.
    ///   - population: The survey `run` was simulated on.
    ///   - baselines: Where the baseline's ranking is kept between options with the same
    ///     baseline (``BaselineCache``); the figures are the same bits with or without it.
    public init(run: ScenarioRun, population: Population, baselines: BaselineCache? = nil) {
        let line = run.scenario.povertyLine
        let n = population.householdCount
        let starts = population.householdStart.values
        let weight = population.weight.values
        let yb = run.outcomes.baseline.disposableIncome.values
        let yr = run.outcomes.reform.disposableIncome.values
        var lifted = CompensatedSum(), pushed = CompensatedSum()
        var liftedCount = 0, pushedCount = 0, changedCount = 0, benefitChangedCount = 0
        var deltaB = [Double](repeating: 0, count: n)
        for (sign, outcome) in [(-1.0, run.outcomes.baseline), (1.0, run.outcomes.reform)] {
            for c in outcome.components where c.kind == .benefit {
                let a = c.amount.values
                for h in 0..<n { deltaB[h] += sign * a[h] }
            }
        }
        let cachedRanking = run.baselineKey.flatMap { baselines?.ranking($0) }
        var welfare = cachedRanking == nil ? [Double](repeating: 0, count: n) : []
        var personWeight = cachedRanking == nil ? [Double](repeating: 0, count: n) : []
        var benefitSum = CompensatedSum()
        let concept = run.welfare
        for h in 0..<n {
            let members = starts[h + 1] - starts[h]
            let size = Double(members)
            let pw: Double
            let poorBefore: Bool, poorAfter: Bool
            let w: Double
            if let concept {
                // The scenario's welfare concept: area lines are already folded into welfare (WelfareConcept).
                pw = concept.baseline.personWeight[h]
                w = concept.baseline.welfare[h]
                poorBefore = concept.baseline.welfare[h] < line
                poorAfter = concept.reform.welfare[h] < line
            } else {
                pw = weight[h] * size
                w = yb[h] / size
                poorBefore = yb[h] / size < line
                poorAfter = yr[h] / size < line
            }
            if cachedRanking == nil {
                welfare[h] = w
                personWeight[h] = pw
            }
            if poorBefore && !poorAfter {
                lifted.add(pw)
                liftedCount += members
            }
            if !poorBefore && poorAfter {
                pushed.add(pw)
                pushedCount += members
            }
            if yb[h] != yr[h] { changedCount += members }
            benefitSum.add(12 * weight[h] * deltaB[h])
        }
        liftedOut = lifted.value
        pushedIn = pushed.value
        let benefitChange = benefitSum.value

        // Poorest 40% by baseline welfare, with the straddling household split.
        let ranking: BaselineRanking
        if let cachedRanking {
            ranking = cachedRanking
        } else {
            let order = welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
            var total = CompensatedSum()
            for w in personWeight { total.add(w) }
            ranking = BaselineRanking(welfare: welfare, personWeight: personWeight, order: order, total: total.value)
            if let key = run.baselineKey { baselines?.store(ranking, key) }
        }
        let order = ranking.order
        personWeight = ranking.personWeight
        let cutoff = 0.4 * ranking.total
        var cumulative = 0.0
        var poorest = CompensatedSum()
        for i in order {
            let h = Int(i)
            guard cumulative < cutoff else { break }
            let fraction = min(1, (cutoff - cumulative) / personWeight[h])
            poorest.add(fraction * 12 * weight[h] * deltaB[h])
            cumulative += personWeight[h]
        }
        shareToPoorest40 = benefitChange != 0 ? poorest.value / benefitChange : .nan

        // Coverage of the target group: the union of the changed benefit components' groups.
        var changedBits: UInt32 = 0
        var benefitBitsBaseline: UInt32 = 0, benefitBitsReform: UInt32 = 0
        var groups: [TargetGroup] = []
        let reform = run.scenario.reform, baseline = run.scenario.baseline
        for (c, component) in reform.components.enumerated() where component.module.kind == .benefit {
            benefitBitsReform |= reform.coverageBit(ofComponent: c)
            if run.scenario.changedComponents.contains(component.name) {
                changedBits |= reform.coverageBit(ofComponent: c)
                let group = component.module.targetGroup ?? .everyone
                if !groups.contains(group) { groups.append(group) }
            }
        }
        var changedBitsBaseline: UInt32 = 0
        for (c, component) in baseline.components.enumerated() where component.module.kind == .benefit {
            benefitBitsBaseline |= baseline.coverageBit(ofComponent: c)
            if run.scenario.changedComponents.contains(component.name) { changedBitsBaseline |= baseline.coverageBit(ofComponent: c) }
        }
        targetGroups = groups
        let membership = TargetGroup.membership(of: groups, in: population)
        // A contributory pension counts as coverage, as in ``CoverageAssessment``.
        let pension = population.has("pension_income") ? population.reals("pension_income").values : nil
        let maskB = run.outcomes.baseline.coverage.values
        let maskR = run.outcomes.reform.coverage.values
        var inTarget = CompensatedSum(), coveredB = CompensatedSum(), coveredR = CompensatedSum()
        var optionPersons = CompensatedSum(), optionHouseholds = CompensatedSum()
        var beneficiaryCount = 0, targetCount = 0
        // Persons a row stands for: 1, or the household's size with one row per household (welfare: household_size).
        let personsPerRow = run.personsPerRow
        for h in 0..<n {
            var householdReceives = false
            let rowPersons = personsPerRow.map { weight[h] * $0[h] } ?? weight[h]
            for p in starts[h]..<starts[h + 1] {
                if maskR[p] & changedBits != 0 {
                    optionPersons.add(rowPersons)
                    beneficiaryCount += 1
                    householdReceives = true
                }
                if maskR[p] & changedBits != 0 || maskB[p] & changedBitsBaseline != 0 { benefitChangedCount += 1 }
                guard !groups.isEmpty, membership.contains(p) else { continue }
                inTarget.add(rowPersons)
                targetCount += 1
                let pensioner = (pension?[p] ?? 0) > 0
                if maskB[p] & benefitBitsBaseline != 0 || pensioner { coveredB.add(rowPersons) }
                if maskR[p] & benefitBitsReform != 0 || pensioner { coveredR.add(rowPersons) }
            }
            if householdReceives { optionHouseholds.add(weight[h]) }
        }
        targetPersons = inTarget.value
        coverageBaseline = inTarget.value > 0 ? coveredB.value / inTarget.value : .nan
        coverageReform = inTarget.value > 0 ? coveredR.value / inTarget.value : .nan
        optionBeneficiaries = optionPersons.value
        self.optionHouseholds = optionHouseholds.value
        liftedOutObservations = liftedCount
        pushedInObservations = pushedCount
        beneficiaryObservations = beneficiaryCount
        targetObservations = targetCount
        changedObservations = changedCount
        benefitChangeObservations = benefitChangedCount
    }
}
