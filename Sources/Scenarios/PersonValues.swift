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

    /// The variable called `name`, which must have been requested (as
    /// ``request(_:neededBy:)`` does) when the population was loaded.
    init(_ name: String, in population: Population) {
        let variable = Variable.named(name)
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
            preconditionFailure("identifier '\(name)' is not a characteristic (rejected by PersonValues.check)")
        case (.category, _):
            values = population.category(name).codes.values.map(Double.init)
        }
    }

    /// Fails for a variable that cannot serve as a person's characteristic
    /// (the household and person identifiers).
    static func check(_ name: String, parameter key: String, in p: ResolvedParameters) throws {
        if Variable.named(name).kind == .identifier {
            throw p.error(key, "'\(name)' is an identifier, not a characteristic; name a data column such as region or urban")
        }
    }

    /// The request that loads `name` the way ``init(_:in:)`` reads it.
    static func request(_ name: String, neededBy who: String) -> VariableRequest {
        VariableRequest(Variable.named(name), neededBy: who)
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
