extension Population {
    /// A copy of this population with new household weights and some person
    /// real columns replaced (the aged survey of ``SurveyAgeing/age(_:to:profile:moneyVariables:uprating:extraMargins:options:)``).
    ///
    /// Everything else (households, identifiers, integer and household
    /// columns, categories, ``preparation``) is shared with this population.
    ///
    /// - Parameters:
    ///   - weights: One weight per household, in household order.
    ///   - reals: New values of existing person real columns, one per person.
    /// - Precondition: the lengths match and every name in `reals` is a stored real column
    ///   (a programmer mistake otherwise, not bad input).
    func replacing(weights: [Double], reals: [String: [Double]]) -> Population {
        precondition(weights.count == householdCount, "one weight per household")
        var personReals = storedVariables.reals
        for (name, values) in reals {
            precondition(personReals[name] != nil && values.count == personCount, "'\(name)' must be a person real column")
            personReals[name] = Column(values)
        }
        var copy = Population(
            source: source, householdStart: householdStart, householdID: householdID, weight: Column(weights),
            personReals: personReals, personIntegers: storedVariables.integers,
            householdIntegers: storedVariables.householdIntegers, categories: storedVariables.categories)
        copy.preparation = preparation
        return copy
    }

    /// Whether `name` is stored as a person real column (the only kind of column uprating changes).
    func hasPersonReal(_ name: String) -> Bool {
        storedVariables.reals[name] != nil
    }
}
