/// Reweighting a survey to a later year's population: household weights
/// calibrated so that the weighted number of persons in each age group × sex
/// cell equals a country profile's projection for that year (plus any other
/// margins given), with one weight per household.
///
/// This is the demographic half of ageing a survey (issue 13, section 6):
/// the persons stay as surveyed, their households are reweighted. Money
/// variables are uprated elsewhere.
///
/// The age × sex margin is one categorical margin named ``marginName`` with
/// the profile's age groups for men, then for women ("male 0-4", …,
/// "female 80+"), whose totals are `profile.population[year]`. A person's
/// cell is `sex` (1 male, 2 female) and the age group of `age`
/// (``CountryProfile/group(ofAge:)``). Calibration is
/// ``Calibration/calibrate(weights:design:options:)`` with households
/// (every member's initial weight is the household's), so the constraints are
/// household counts of persons per cell.
///
/// ```swift
/// let aged = try SurveyAgeing.reweight(population, to: 2030, profile: profile,
///                                      options: CalibrationOptions(method: .raking, bounds: .init(lower: 0.3, upper: 3)))
/// aged.householdWeights    // one per household, in household order
/// ```
public enum SurveyAgeing {
    /// The name of the age group × sex margin in diagnostics and errors.
    public static let marginName = "age_group_sex"

    /// Household weights for a later year and the calibration that made them.
    public struct Reweighting: Sendable {
        /// The year the weights represent.
        public let year: Int
        /// One weight per household, in the population's household order.
        public let householdWeights: [Double]
        /// The person-level calibration (weights, ratios, iterations, deviations).
        public let calibration: CalibrationResult
    }

    /// The cells of the age × sex margin: "male 0-4", …, then "female …".
    public static func categories(of profile: CountryProfile) -> [String] {
        ["male", "female"].flatMap { sex in profile.ageGroupLabels.map { "\(sex) \($0)" } }
    }

    /// The age group × sex margin of `population` with the totals of `year` in `profile`.
    ///
    /// - Throws: ``InputError``: ``InputError/Kind/missingColumn`` if the
    ///   population has no `age` or `sex`, ``InputError/Kind/outOfRange`` if
    ///   the profile has no population for `year` or a person's sex is not 1 or 2.
    public static func ageSexMargin(of population: Population, profile: CountryProfile, year: Int) throws -> CalibrationMargin {
        for name in ["age", "sex"] where !population.has(name) {
            throw InputError(file: population.source, field: name, kind: .missingColumn,
                             "ageing the survey needs each person's \(name) (to count persons by age group and sex)")
        }
        guard let totals = profile.population[year] else {
            let years = profile.population.keys.sorted()
            throw InputError(file: profile.file, field: "population", kind: .outOfRange,
                             "the profile has no population for \(year); it has \(years.first.map(String.init) ?? "none")-\(years.last.map(String.init) ?? "")")
        }
        let ages = population.integers("age"), sexes = population.integers("sex")
        let groups = profile.ageGroups.count
        var codes = [Int](repeating: 0, count: population.personCount)
        for i in 0..<population.personCount {
            let sex = Int(sexes[i])
            guard sex == 1 || sex == 2 else {
                throw InputError(file: population.source, field: "sex", kind: .outOfRange,
                                 "person \(i + 1) has sex \(sex); ageing needs 1 (male) or 2 (female)")
            }
            codes[i] = (sex - 1) * groups + profile.group(ofAge: Int(ages[i]))
        }
        return CalibrationMargin(name: marginName, codes: codes, categories: categories(of: profile), totals: totals[0] + totals[1])
    }

    /// Household weights of `population` calibrated to `profile`'s population by age group and sex in `year`.
    ///
    /// - Parameters:
    ///   - population: The survey; its household weights are the initial weights.
    ///   - year: A year with a population projection in the profile.
    ///   - profile: The country profile.
    ///   - extraMargins: Further margins, one value per person (e.g. region
    ///     counts); categorical ones must add up to the same total as the profile's population.
    ///   - options: Method, bounds, trimming (default: raking without bounds).
    /// - Returns: The new household weights with the calibration's diagnostics.
    /// - Throws: ``InputError`` as ``ageSexMargin(of:profile:year:)``;
    ///   ``CalibrationError`` if an age × sex cell has a projected population
    ///   but no surveyed person (``CalibrationError/emptyCategory(margin:category:)``),
    ///   if the margins contradict each other, or if calibration does not converge.
    public static func reweight(_ population: Population, to year: Int, profile: CountryProfile,
                                extraMargins: [CalibrationMargin] = [],
                                options: CalibrationOptions = CalibrationOptions(method: .raking)) throws -> Reweighting {
        let margin = try ageSexMargin(of: population, profile: profile, year: year)
        var weights = [Double](repeating: 0, count: population.personCount)
        var households = [Int](repeating: 0, count: population.personCount)
        for h in 0..<population.householdCount {
            for i in population.persons(of: h) {
                weights[i] = population.weight[h]
                households[i] = h
            }
        }
        let design = CalibrationDesign(margins: [margin] + extraMargins, households: households)
        let result = try Calibration.calibrate(weights: weights, design: design, options: options)
        let householdWeights = (0..<population.householdCount).map { h in
            population.persons(of: h).first.map { result.weights[$0] } ?? population.weight[h]
        }
        return Reweighting(year: year, householdWeights: householdWeights, calibration: result)
    }
}
