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
    /// Adult equivalents per person of each household, `s_h / n_h`, when
    /// welfare is equivalised household income (`nil`: per-capita welfare,
    /// i.e. 1 for every household). Money amounts need it: household h's
    /// income is `y_h × s_h`, and lifting it to a line z costs
    /// `(z − y_h) × s_h`, so the population total is `Σ personWeight × equivalents × amount`.
    public let equivalentsPerPerson: [Double]?

    /// A distribution from explicit values and person weights.
    ///
    /// - Parameters:
    ///   - welfare: Welfare of each unit's members.
    ///   - personWeight: Persons each unit represents (household weight × members; a row's weight for person rows).
    ///   - equivalentsPerPerson: `s_h / n_h` per unit for equivalised welfare, or `nil` for per-capita welfare.
    /// - Precondition: equal lengths, at least one value, weights >= 0.
    public init(welfare: [Double], personWeight: [Double], equivalentsPerPerson: [Double]? = nil) {
        precondition(welfare.count == personWeight.count, "welfare and weights differ in length")
        precondition(!welfare.isEmpty, "a distribution needs at least one value")
        precondition(equivalentsPerPerson.map { $0.count == welfare.count } ?? true, "equivalents and welfare differ in length")
        self.welfare = welfare
        self.personWeight = personWeight
        self.equivalentsPerPerson = equivalentsPerPerson
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

    /// Equivalised household income: household h's income divided by its
    /// adult equivalents `s_h` under `scale`, for each of its members.
    ///
    /// - Parameters:
    ///   - householdIncome: Income per household (e.g. ``SystemOutcome``'s disposable income), per period.
    ///   - population: The households (offsets and weights) and, for scales that count children, ages.
    ///   - scale: The equivalence scale; ``EquivalenceScale/perCapita`` gives the same as ``init(perCapitaIncomeOf:in:)``.
    ///   - ageVariable: The person variable with ages in completed years (scales that count children).
    /// - Precondition: `householdIncome` has one value per household; the population has ages if the scale needs them.
    public init(householdIncome: UnsafeBufferPointer<Double>, in population: Population, scale: EquivalenceScale,
                ageVariable: String = "age") {
        let n = population.householdCount
        precondition(householdIncome.count == n, "one income per household")
        let starts = population.householdStart.values, weight = population.weight.values
        let ages = scale.needsAges ? population.integers(ageVariable).values : nil
        let childMaxAge = scale.childMaxAge ?? Int.min
        var welfare = [Double](repeating: 0, count: n), personWeight = welfare, equivalents = welfare
        for h in 0..<n {
            let members = starts[h + 1] - starts[h]
            var children = 0
            if let ages { for p in starts[h]..<starts[h + 1] where Int(ages[p]) <= childMaxAge { children += 1 } }
            let s = scale.adultEquivalents(adults: members - children, children: children)
            welfare[h] = householdIncome[h] / s
            personWeight[h] = weight[h] * Double(members)
            equivalents[h] = s / Double(members)
        }
        self.init(welfare: welfare, personWeight: personWeight, equivalentsPerPerson: scale == .perCapita ? nil : equivalents)
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
