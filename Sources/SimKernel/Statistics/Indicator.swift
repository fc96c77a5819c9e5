/// One figure of a welfare analysis: an inequality or poverty index, a
/// quantile, a share.
///
/// Poverty indicators name their line by its index into
/// ``IndicatorOptions/lines``. Every definition (formula, weighting, ties,
/// zero and negative welfare) is on the computing code and in
/// `docs/statistics.md`; ``key`` is the name used in JSON and CSV output.
public enum Indicator: Sendable, Hashable {
    /// Σ w: the weighted number of persons.
    case population
    /// A group's share of the population, W_g / W (groups only).
    case populationShare
    /// Σ w y / Σ w.
    case mean
    /// The weighted median (the analysis' quantile definition at p = 0.5).
    case median
    /// The weighted p-quantile.
    case quantile(Double)
    /// The Gini coefficient (0–1, no small-sample correction).
    case gini
    /// Generalised entropy GE(α): α = 0 mean log deviation, α = 1 Theil.
    case generalizedEntropy(Double)
    /// Atkinson's index with inequality aversion ε.
    case atkinson(Double)
    /// S80/S20, laeken's quintile share ratio.
    case s80s20
    /// Palma ratio: income share of the top 10% over the bottom 40%.
    case palma
    /// Income share of decile k (1–10).
    case decileShare(Int)
    /// Mean welfare of decile k (1–10).
    case decileMean(Int)
    /// Income share of quintile k (1–5).
    case quintileShare(Int)
    /// Mean welfare of quintile k (1–5).
    case quintileMean(Int)
    /// The value of poverty line `line` (for EU-SILC's relative line: the ARPT).
    case line(Int)
    /// Weighted number of persons below line `line`.
    case poorPersons(line: Int)
    /// FGT(α) at line `line` (α = 0 headcount ratio; at 60% of the median: the ARPR).
    case fgt(alpha: Double, line: Int)
    /// The Watts index at line `line`.
    case watts(line: Int)
    /// The yearly money needed to lift every poor person exactly to line `line`.
    case povertyGapMoney(line: Int)
    /// Relative median poverty gap at line `line` (laeken's `rmpg`, as a fraction).
    case medianPovertyGap(line: Int)
    /// A group's additive contribution to FGT(α): (W_g / W) × FGT_g(α) (groups only).
    case fgtContribution(alpha: Double, line: Int)

    /// The poverty line the indicator refers to, if any.
    public var lineIndex: Int? {
        switch self {
        case .line(let k), .poorPersons(let k), .watts(let k), .povertyGapMoney(let k), .medianPovertyGap(let k):
            return k
        case .fgt(_, let k), .fgtContribution(_, let k):
            return k
        default:
            return nil
        }
    }

    /// The name in JSON and CSV output (`gini`, `fgt0`, `theil`, `atkinson_0.5`, `decile_share`...).
    /// Indexed families (quantiles, deciles) share one key; see ``position``.
    public var key: String {
        switch self {
        case .population: return "population"
        case .populationShare: return "population_share"
        case .mean: return "mean"
        case .median: return "median"
        case .quantile: return "quantile"
        case .gini: return "gini"
        case .generalizedEntropy(let a):
            if a == 0 { return "mld" }
            if a == 1 { return "theil" }
            return "ge\(PovertyLine.format(a))"
        case .atkinson(let e): return "atkinson_\(PovertyLine.format(e))"
        case .s80s20: return "s80_s20"
        case .palma: return "palma"
        case .decileShare: return "decile_share"
        case .decileMean: return "decile_mean"
        case .quintileShare: return "quintile_share"
        case .quintileMean: return "quintile_mean"
        case .line: return "line"
        case .poorPersons: return "poor_persons"
        case .fgt(let a, _): return "fgt\(PovertyLine.format(a))"
        case .watts: return "watts"
        case .povertyGapMoney: return "poverty_gap_money"
        case .medianPovertyGap: return "rmpg"
        case .fgtContribution(let a, _): return "fgt\(PovertyLine.format(a))_contribution"
        }
    }

    /// The position inside an indexed family: the probability of a quantile
    /// (as text) or the decile/quintile number; `nil` otherwise.
    public var position: String? {
        switch self {
        case .quantile(let p): return PovertyLine.format(p)
        case .decileShare(let k), .decileMean(let k), .quintileShare(let k), .quintileMean(let k): return String(k)
        default: return nil
        }
    }

    /// A label for people, e.g. "Poverty gap FGT(1)".
    public var label: String {
        switch self {
        case .population: return "Population (weighted persons)"
        case .populationShare: return "Share of population"
        case .mean: return "Mean"
        case .median: return "Median"
        case .quantile(let p): return "Quantile \(PovertyLine.format(p))"
        case .gini: return "Gini"
        case .generalizedEntropy(let a):
            if a == 0 { return "Mean log deviation GE(0)" }
            if a == 1 { return "Theil GE(1)" }
            return "GE(\(PovertyLine.format(a)))"
        case .atkinson(let e): return "Atkinson (e = \(PovertyLine.format(e)))"
        case .s80s20: return "S80/S20 ratio"
        case .palma: return "Palma ratio"
        case .decileShare(let k): return "Decile \(k) share"
        case .decileMean(let k): return "Decile \(k) mean"
        case .quintileShare(let k): return "Quintile \(k) share"
        case .quintileMean(let k): return "Quintile \(k) mean"
        case .line: return "Poverty line"
        case .poorPersons: return "Poor persons"
        case .fgt(let a, _):
            switch a {
            case 0: return "Headcount FGT(0)"
            case 1: return "Poverty gap FGT(1)"
            case 2: return "Severity FGT(2)"
            default: return "FGT(\(PovertyLine.format(a)))"
            }
        case .watts: return "Watts index"
        case .povertyGapMoney: return "Poverty gap in money"
        case .medianPovertyGap: return "Relative median poverty gap"
        case .fgtContribution(let a, _): return "Contribution to FGT(\(PovertyLine.format(a)))"
        }
    }

    /// The unit, for tables: "welfare unit", "share", "index", "persons", "currency per year".
    public var unit: String {
        switch self {
        case .population, .poorPersons: return "persons"
        case .mean, .median, .quantile, .decileMean, .quintileMean, .line: return "welfare unit"
        case .populationShare, .decileShare, .quintileShare, .fgtContribution: return "share"
        case .fgt(let a, _): return a == 0 ? "share" : "index"
        case .medianPovertyGap: return "share of line"
        case .povertyGapMoney: return "currency per year"
        case .gini, .generalizedEntropy, .atkinson, .watts: return "index"
        case .s80s20, .palma: return "ratio"
        }
    }
}
