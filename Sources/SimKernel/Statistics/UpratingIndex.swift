/// The index a money variable is uprated by when a survey is aged from the
/// country profile's base year (the survey year) to a later year.
///
/// With the profile's annual rates `macro.Y` for the years after the base
/// year `B`, the factor to year `T ≥ B` is the product over `Y = B+1 … T` of:
///
/// - ``cpi``: `1 + cpi_inflation(Y)` (consumer prices);
/// - ``wages``: `1 + wage_growth(Y)` (nominal average wage);
/// - ``gdp``: `(1 + real_gdp_growth(Y)) · (1 + cpi_inflation(Y))`, nominal GDP
///   growth with CPI inflation standing for the GDP deflator (the same
///   definition as ``CountryProfile/nominalGDP(in:)``; total, not per capita:
///   population growth is already in the reweighting);
/// - ``none``: 1.
///
/// The base year's own rate is never applied (the survey's amounts are the
/// base year's); for `T = B` every factor is 1.
///
/// ```swift
/// UpratingIndex.wages.factor(profile, to: 2027)   // (1 + 0.098) · (1 + 0.096) on the example
/// ```
public enum UpratingIndex: String, Sendable, CaseIterable, CustomStringConvertible {
    case cpi, wages, gdp, none

    public var description: String { rawValue }

    /// The cumulative factor from `profile.baseYear` to `year` (1 for the base year).
    ///
    /// - Precondition: `year` is in ``CountryProfile/years`` (checked by ``SurveyAgeing/checkYear(_:profile:)``).
    public func factor(_ profile: CountryProfile, to year: Int) -> Double {
        switch self {
        case .none: return 1
        case .cpi: return profile.cumulative({ $0.cpiInflation }, to: year)
        case .wages: return profile.cumulative({ $0.wageGrowth }, to: year)
        case .gdp: return profile.cumulative({ (1 + $0.realGDPGrowth) * (1 + $0.cpiInflation) - 1 }, to: year)
        }
    }

    /// The index a money variable follows unless told otherwise: `earnings`
    /// follows ``wages``; `other_income`, `pension_income` and every other
    /// money variable follow ``cpi``.
    public static func defaultIndex(of variable: String) -> UpratingIndex {
        variable == "earnings" ? .wages : .cpi
    }

    /// Reads `uprate: {variable: index, ...}` (the `ageing:` key of a country
    /// profile or a scenario).
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/badValue``) naming the line
    ///   of an index that is not `cpi`, `wages`, `gdp` or `none`.
    public static func overrides(in node: YAMLNode) throws -> [String: UpratingIndex] {
        var out: [String: UpratingIndex] = [:]
        for entry in try node.entries() {
            let text = try entry.value.text()
            guard let index = UpratingIndex(rawValue: text) else {
                throw entry.value.error(kind: .badValue,
                    "\(InputExcerpt.quoted(text)) is not an uprating index for \(entry.key); expected cpi, wages, gdp or none")
            }
            out[entry.key] = index
        }
        return out
    }

    /// Reads an `ageing:` block (`ageing: {uprate: {earnings: wages, other_income: cpi}}`).
    ///
    /// - Throws: ``InputError``: an unknown key under `ageing:` or a bad index, with its line.
    public static func ageingBlock(_ node: YAMLNode) throws -> [String: UpratingIndex] {
        try ScenarioDefinition.checkKeys(try node.entries(), allowed: ["uprate"])
        return try node["uprate"].map(overrides(in:)) ?? [:]
    }
}
