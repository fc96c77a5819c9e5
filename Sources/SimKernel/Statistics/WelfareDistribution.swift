/// The distribution of a welfare measure over persons, held per household.
///
/// Every member of a household has the same welfare (per-capita household
/// disposable income), so the person-level distribution is held as one value
/// per household with the person weight `w_h * n_h` (household weight times
/// members). Every indicator below is a person-weighted statistic, exactly as
/// if each person were listed with the household weight; this halves the
/// work of sorting and summing without changing any result (members of a
/// household are tied, and every indicator here is invariant to the order
/// of ties).
public struct WelfareDistribution: Sendable {
    /// Welfare of each household's members (currency per person per month).
    public let welfare: [Double]
    /// Persons represented by each household: weight times members.
    public let personWeight: [Double]

    /// A distribution from explicit values and person weights.
    /// - Precondition: equal lengths, at least one value, weights > 0.
    public init(welfare: [Double], personWeight: [Double]) {
        precondition(welfare.count == personWeight.count, "welfare and weights differ in length")
        precondition(!welfare.isEmpty, "a distribution needs at least one value")
        self.welfare = welfare
        self.personWeight = personWeight
    }

    /// Per-capita household disposable income under `outcome`.
    public init(perCapitaIncomeOf outcome: SystemOutcome, in population: Population) {
        let n = population.householdCount
        let starts = population.householdStart.values
        let weight = population.weight.values
        let income = outcome.disposableIncome.values
        var welfare = [Double](repeating: 0, count: n)
        var personWeight = [Double](repeating: 0, count: n)
        for h in 0..<n {
            let size = Double(starts[h + 1] - starts[h])
            welfare[h] = income[h] / size
            personWeight[h] = weight[h] * size
        }
        self.init(welfare: welfare, personWeight: personWeight)
    }

    /// The number of households (observations).
    public var count: Int { welfare.count }

    /// The weighted number of persons, `W = sum of w`.
    public var totalWeight: Double {
        var s = CompensatedSum()
        for w in personWeight { s.add(w) }
        return s.value
    }

    /// The weighted mean, `sum(w y) / W`.
    public var mean: Double {
        var sy = CompensatedSum(), sw = CompensatedSum()
        for h in 0..<welfare.count {
            sy.add(personWeight[h] * welfare[h])
            sw.add(personWeight[h])
        }
        return sy.value / sw.value
    }
}
