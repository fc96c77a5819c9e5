/// What a welfare analysis computes: poverty lines, FGT parameters,
/// quantiles, inequality parameters, units.
///
/// The defaults give EU-SILC's set (at-risk-of-poverty threshold, rate and
/// relative median gap at 60% of the median), FGT(0), FGT(1), FGT(2) and
/// Watts, the Gini, GE(0), GE(1), GE(2), Atkinson 0.5, 1, 2, S80/S20, Palma,
/// decile and quintile shares and means, and the 10, 20, 25, 50, 75, 80
/// and 90% quantiles, all with laeken's quantile definition.
///
/// ```swift
/// var options = IndicatorOptions()
/// options.lines = [.absolute(150), .absolute(90), .euAtRiskOfPoverty]
/// options.periodsPerYear = 12        // welfare is per month
/// ```
public struct IndicatorOptions: Sendable, Hashable {
    /// Poverty lines; every poverty indicator is computed at each.
    public var lines: [PovertyLine]
    /// FGT parameters α ≥ 0.
    public var fgtAlphas: [Double]
    /// Probabilities of the quantiles reported (0 ≤ p ≤ 1).
    public var quantiles: [Double]
    /// Generalised entropy parameters (0: mean log deviation, 1: Theil).
    public var generalizedEntropy: [Double]
    /// Atkinson inequality-aversion parameters ε ≥ 0.
    public var atkinson: [Double]
    /// How weighted quantiles (median, deciles, quintiles, relative lines) are read.
    public var quantileDefinition: QuantileDefinition
    /// Welfare periods in a year, to turn the poverty gap into money per year:
    /// 12 when welfare is monthly (simrun's convention), 1 when it is yearly
    /// (EU-SILC's `eqIncome`).
    public var periodsPerYear: Double
    /// A change in welfare no larger than this (in welfare units) counts as
    /// "unchanged" in a reform's incidence.
    public var unchangedTolerance: Double

    /// Options with the defaults above; every parameter is the property of the same name.
    public init(lines: [PovertyLine] = [.euAtRiskOfPoverty], fgtAlphas: [Double] = [0, 1, 2],
                quantiles: [Double] = [0.1, 0.2, 0.25, 0.5, 0.75, 0.8, 0.9],
                generalizedEntropy: [Double] = [0, 1, 2], atkinson: [Double] = [0.5, 1, 2],
                quantileDefinition: QuantileDefinition = .laeken, periodsPerYear: Double = 12,
                unchangedTolerance: Double = 0.005) {
        self.lines = lines
        self.fgtAlphas = fgtAlphas
        self.quantiles = quantiles
        self.generalizedEntropy = generalizedEntropy
        self.atkinson = atkinson
        self.quantileDefinition = quantileDefinition
        self.periodsPerYear = periodsPerYear
        self.unchangedTolerance = unchangedTolerance
    }

    /// Checks every option is in range.
    /// - Throws: ``AnalysisError/invalidOption(_:)`` naming the option.
    public func validate() throws {
        for line in lines { try line.validate() }
        for a in fgtAlphas where !(a >= 0 && a.isFinite) {
            throw AnalysisError.invalidOption("FGT needs alpha >= 0 (got \(a))")
        }
        for p in quantiles where !(p >= 0 && p <= 1) {
            throw AnalysisError.invalidOption("a quantile's probability must be from 0 to 1 (got \(p))")
        }
        for a in generalizedEntropy where !a.isFinite {
            throw AnalysisError.invalidOption("a generalised entropy parameter must be finite (got \(a))")
        }
        for e in atkinson where !(e >= 0 && e.isFinite) {
            throw AnalysisError.invalidOption("Atkinson's inequality aversion must be >= 0 (got \(e))")
        }
        guard periodsPerYear > 0, periodsPerYear.isFinite else {
            throw AnalysisError.invalidOption("periods per year must be > 0 (got \(periodsPerYear))")
        }
        guard unchangedTolerance >= 0 else {
            throw AnalysisError.invalidOption("the tolerance for 'unchanged' must be >= 0 (got \(unchangedTolerance))")
        }
    }

    /// The index of EU-SILC's at-risk-of-poverty line (60% of the median) among ``lines``, if present.
    public var atRiskOfPovertyLine: Int? { lines.firstIndex(of: .euAtRiskOfPoverty) }
}
