import SimKernel

/// Any model variable's value for every person as a real number, whatever
/// the variable's storage (real, whole number, household-level, category).
///
/// Modules whose parameters name a variable chosen by the analyst (the
/// group of a per-group take-up rate, a characteristic of a proxy-means
/// score) read it through this type at bind time, so that the same key works
/// for `urban` (a whole number), `pension_income` (a real) or `stratum` (a
/// household variable). Built once per run; O(persons).
struct PersonValues: Sendable {
    /// One value per person, in person order.
    let values: [Double]

    /// The values of `variable`, which must have been requested as it is
    /// (the same ``Variable``, e.g. from ``ResolvedParameters/variable(_:)``)
    /// when the population was loaded.
    init(_ variable: Variable, in population: Population) {
        let name = variable.name
        switch (variable.kind, variable.level) {
        case (.real, _) where name == "weight":
            values = Self.expand(population, population.weight.array)
        case (.real, _):
            values = population.reals(name).array
        case (.integer, .person):
            values = population.integers(name).values.map(Double.init)
        case (.integer, .household):
            values = Self.expand(population, population.householdIntegers(name).values.map(Double.init))
        case (.identifier, _):
            preconditionFailure("identifier '\(name)' is not a characteristic (every VariableRequirement rejects identifiers)")
        case (.category, _):
            values = population.category(name).codes.values.map(Double.init)
        }
    }

    /// Household values repeated for each member.
    private static func expand(_ population: Population, _ perHousehold: [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(population.personCount)
        for h in 0..<population.householdCount {
            out += repeatElement(perHousehold[h], count: population.persons(of: h).count)
        }
        return out
    }

    @inline(__always) subscript(person: Int) -> Double { values[person] }
}
