extension SurveyAgeing {
    /// One money variable's uprating.
    public struct Uprating: Sendable, Equatable {
        /// The person variable (e.g. `earnings`).
        public let variable: String
        public let index: UpratingIndex
        /// The factor every value was multiplied by.
        public let factor: Double
    }

    /// A survey aged to a later year: the population to simulate on and how it was made.
    public struct AgedSurvey: Sendable {
        /// The survey year (the profile's base year).
        public let baseYear: Int
        /// The target year.
        public let year: Int
        /// The aged population: new household weights, uprated money variables, everything else as surveyed.
        public let population: Population
        /// The calibration of the weights.
        public let reweighting: Reweighting
        /// Each money variable uprated, in the order given.
        public let uprating: [Uprating]
        /// Smallest and largest ratio of a household's new weight to its survey weight.
        public let weightRatioRange: ClosedRange<Double>
    }

    /// The years a survey can be aged to with `profile`: from its base year
    /// (the survey year) to the last year with both population and macro rates.
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/outOfRange``, exit 65) naming the profile.
    public static func checkYear(_ year: Int, profile: CountryProfile) throws {
        let years = profile.years
        guard years.contains(year) else {
            throw InputError(file: profile.file, field: year < years.lowerBound ? "base_year" : "population", kind: .outOfRange,
                             "cannot age the survey to \(year): the country profile covers \(years.lowerBound) (its base year, the survey year) to \(years.upperBound); choose a year in that range or extend the profile's macro and population tables")
        }
    }

    /// Ages `population` (the survey of `profile.baseYear`) to `year`.
    ///
    /// Two steps:
    /// 1. household weights calibrated to `profile`'s population by age group
    ///    and sex in `year` plus `extraMargins`
    ///    (``reweight(_:to:profile:extraMargins:options:)``);
    /// 2. every money variable named in `moneyVariables` that the population
    ///    holds as a person real column multiplied by the factor of its index
    ///    (``UpratingIndex/factor(_:to:)``): `uprating[name]`, else
    ///    `profile.uprating[name]`, else ``UpratingIndex/defaultIndex(of:)``.
    ///    Household-level variables, codes, counts and ages are never changed
    ///    (persons do not grow older: the reweighting stands for the change in
    ///    the age structure).
    ///
    /// For `year == profile.baseYear` the money factors are 1 and the weights
    /// are calibrated to the base-year population (the survey's own weights
    /// when its weighted totals already equal the profile's).
    ///
    /// ```swift
    /// let aged = try SurveyAgeing.age(population, to: 2030, profile: profile,
    ///                                 moneyVariables: ["earnings", "other_income"])
    /// aged.population.reals("earnings")   // survey earnings × (1 + wage growth) over 2026-2030
    /// ```
    ///
    /// - Throws: ``InputError`` for a year outside the profile
    ///   (``checkYear(_:profile:)``) or a population without `age` or `sex`;
    ///   ``CalibrationError`` as ``reweight(_:to:profile:extraMargins:options:)``.
    public static func age(_ population: Population, to year: Int, profile: CountryProfile, moneyVariables: [String],
                           uprating: [String: UpratingIndex] = [:], extraMargins: [CalibrationMargin] = [],
                           options: CalibrationOptions = CalibrationOptions(method: .raking)) throws -> AgedSurvey {
        try checkYear(year, profile: profile)
        let reweighting = try reweight(population, to: year, profile: profile, extraMargins: extraMargins, options: options)
        var upratings: [Uprating] = []
        var reals: [String: [Double]] = [:]
        for name in moneyVariables where population.hasPersonReal(name) && reals[name] == nil {
            let index = uprating[name] ?? profile.uprating[name] ?? UpratingIndex.defaultIndex(of: name)
            let factor = index.factor(profile, to: year)
            upratings.append(Uprating(variable: name, index: index, factor: factor))
            reals[name] = population.reals(name).values.map { $0 * factor }
        }
        var low = Double.infinity, high = -Double.infinity
        for h in 0..<population.householdCount {
            let r = reweighting.householdWeights[h] / population.weight[h]
            low = min(low, r)
            high = max(high, r)
        }
        if population.householdCount == 0 { low = 1; high = 1 }
        return AgedSurvey(baseYear: profile.baseYear, year: year,
                          population: population.replacing(weights: reweighting.householdWeights, reals: reals),
                          reweighting: reweighting, uprating: upratings, weightRatioRange: low...high)
    }
}
