/// What an option does beyond the headline indicators: who is lifted out of
/// poverty, who the new money reaches, how well the target group is covered,
/// and what that costs per unit of effect.
///
/// Every figure is person-weighted with the household weight; welfare is
/// per-capita household disposable income; the poverty line is the
/// scenario's.
public struct OptionAssessment: Sendable {
    /// Persons poor (y < z) under the baseline and not under the reform.
    public let liftedOut: Double
    /// Persons not poor under the baseline and poor under the reform (e.g. after a tax rise).
    public let pushedIn: Double
    /// Annual change in benefit spending, 12 · Σ_h w_h (B_reform,h − B_baseline,h).
    public let benefitChange: Double
    /// Annual change in taxes and contributions collected for the budget.
    public let revenueChange: Double
    /// Annual change in state costs not paid to households (e.g. contribution subsidies).
    public let stateCostChange: Double
    /// Share of the change in benefit spending reaching the poorest 40% of persons
    /// (ranked by baseline welfare; the household straddling the 40% point counts
    /// for the fraction of its persons below it).
    public let shareToPoorest40: Double
    /// The ages the reform's changed benefits target (`nil`: everyone).
    public let targetAges: ClosedRange<Int>?
    /// Weighted persons in the target group.
    public let targetPersons: Double
    /// Share of the target group receiving any benefit (or a contributory
    /// pension, when the data has `pension_income`), baseline and reform.
    public let coverageBaseline: Double
    public let coverageReform: Double
    /// Weighted persons receiving one of the reform's changed benefits.
    public let optionBeneficiaries: Double
    /// Weighted households receiving one of the reform's changed benefits.
    public let optionHouseholds: Double
    /// Unweighted counts behind the figures, for disclosure control: persons
    /// lifted out, persons receiving the option's benefits, persons in the target group.
    public let liftedOutObservations: Int
    public let beneficiaryObservations: Int
    public let targetObservations: Int

    public init(run: ScenarioRun, population: Population) {
        let line = run.scenario.povertyLine
        let n = population.householdCount
        let starts = population.householdStart.values
        let weight = population.weight.values
        let yb = run.outcomes.baseline.disposableIncome.values
        let yr = run.outcomes.reform.disposableIncome.values
        var lifted = CompensatedSum(), pushed = CompensatedSum()
        var liftedCount = 0
        var deltaB = [Double](repeating: 0, count: n)
        var benefitSum = CompensatedSum(), revenueSum = CompensatedSum(), stateCostSum = CompensatedSum()
        for (sign, outcome) in [(-1.0, run.outcomes.baseline), (1.0, run.outcomes.reform)] {
            for c in outcome.components {
                let a = c.amount.values
                if c.kind == .benefit {
                    for h in 0..<n { deltaB[h] += sign * a[h] }
                } else if c.budgetRevenue {
                    for h in 0..<n { revenueSum.add(sign * 12 * weight[h] * a[h]) }
                }
                for counter in c.counters where c.stateCostCounters.contains(counter.name) {
                    let v = counter.values.values
                    for h in 0..<n { stateCostSum.add(sign * weight[h] * v[h]) }
                }
            }
        }
        var welfare = [Double](repeating: 0, count: n)
        var personWeight = [Double](repeating: 0, count: n)
        for h in 0..<n {
            let size = Double(starts[h + 1] - starts[h])
            let pw = weight[h] * size
            welfare[h] = yb[h] / size
            personWeight[h] = pw
            let poorBefore = yb[h] / size < line, poorAfter = yr[h] / size < line
            if poorBefore && !poorAfter {
                lifted.add(pw)
                liftedCount += starts[h + 1] - starts[h]
            }
            if !poorBefore && poorAfter { pushed.add(pw) }
            benefitSum.add(12 * weight[h] * deltaB[h])
        }
        liftedOut = lifted.value
        pushedIn = pushed.value
        benefitChange = benefitSum.value
        revenueChange = revenueSum.value
        stateCostChange = stateCostSum.value

        // Poorest 40% by baseline welfare, with the straddling household split.
        let order = welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
        var total = CompensatedSum()
        for w in personWeight { total.add(w) }
        let cutoff = 0.4 * total.value
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

        // Coverage of the target group.
        var changedBits: UInt32 = 0
        var benefitBitsBaseline: UInt32 = 0, benefitBitsReform: UInt32 = 0
        var target: ClosedRange<Int>?
        for (c, component) in run.scenario.reform.components.enumerated() where c < 32 && component.module.kind == .benefit {
            benefitBitsReform |= 1 << UInt32(c)
            if run.scenario.changedComponents.contains(component.name) {
                changedBits |= 1 << UInt32(c)
                if let t = component.module.targetAges {
                    target = target.map { min($0.lowerBound, t.lowerBound)...max($0.upperBound, t.upperBound) } ?? t
                }
            }
        }
        for (c, component) in run.scenario.baseline.components.enumerated() where c < 32 && component.module.kind == .benefit {
            benefitBitsBaseline |= 1 << UInt32(c)
        }
        targetAges = target
        let ages = population.has("age") ? population.integers("age").values : nil
        // A contributory pension counts as coverage, as in ``CoverageAssessment``.
        let pension = population.has("pension_income") ? population.reals("pension_income").values : nil
        let maskB = run.outcomes.baseline.coverage.values
        let maskR = run.outcomes.reform.coverage.values
        var inTarget = CompensatedSum(), coveredB = CompensatedSum(), coveredR = CompensatedSum()
        var optionPersons = CompensatedSum(), optionHouseholds = CompensatedSum()
        var beneficiaryCount = 0, targetCount = 0
        for h in 0..<n {
            var householdReceives = false
            for p in starts[h]..<starts[h + 1] {
                if maskR[p] & changedBits != 0 {
                    optionPersons.add(weight[h])
                    beneficiaryCount += 1
                    householdReceives = true
                }
                if let target, let ages, !target.contains(Int(ages[p])) { continue }
                inTarget.add(weight[h])
                targetCount += 1
                let pensioner = (pension?[p] ?? 0) > 0
                if maskB[p] & benefitBitsBaseline != 0 || pensioner { coveredB.add(weight[h]) }
                if maskR[p] & benefitBitsReform != 0 || pensioner { coveredR.add(weight[h]) }
            }
            if householdReceives { optionHouseholds.add(weight[h]) }
        }
        targetPersons = inTarget.value
        coverageBaseline = inTarget.value > 0 ? coveredB.value / inTarget.value : .nan
        coverageReform = inTarget.value > 0 ? coveredR.value / inTarget.value : .nan
        optionBeneficiaries = optionPersons.value
        self.optionHouseholds = optionHouseholds.value
        liftedOutObservations = liftedCount
        beneficiaryObservations = beneficiaryCount
        targetObservations = targetCount
    }
}
