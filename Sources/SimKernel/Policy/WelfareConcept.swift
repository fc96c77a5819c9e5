/// The welfare measure a scenario's poverty and inequality figures are
/// computed on (the scenario's `welfare:` key, docs/welfare.md).
///
/// The default, ``disposableIncome``, is per-capita household disposable
/// income under each system, exactly as before the key existed. An analyst
/// with a consumption survey declares consumption instead:
///
/// ```yaml
/// welfare:
///   concept: consumption         # or disposable_income (the default)
///   variable: consumption        # household consumption, the same on every member's row
///   period: year                 # the variable's period: month (default) or year (divided by 12)
///   per: capita                  # capita (default) or adult_equivalent
///   mpc: 1                       # marginal propensity to consume out of net transfers, 0..1 (default 1)
///   household_size: hsize        # one row per household: persons from this column
///   deflator: {variable: price_index}                          # or {variable: region, values: {1: 1.00, 2: 0.93}}
///   lines: {variable: urban, values: {0: 110, 1: 150}}        # a poverty line per area, currency per person per month
/// ```
///
/// Household h's welfare under a system, per person of its `n_h` members
/// (or per adult equivalent, `s_h` of them), is
///
///     y_h = W_h / s_h / d_h × z / z_a(h)
///
/// where `W_h` is the household's disposable income under the system
/// (`disposable_income`), or its consumption `C_h` plus `mpc ×` the reform's
/// net transfer `ΔY_h = Y_h(reform) − Y_h(baseline)` (`consumption`: the
/// baseline's welfare is `C_h`, the reform's `C_h + mpc × ΔY_h`); `d_h` is
/// the household's price index (1 without a deflator); `z` is the scenario's
/// `poverty_line` and `z_a(h)` the line of the household's area (`z` itself
/// without `lines:`). Scaling by `z / z_a(h)` puts every person on the
/// reference line's scale, so that with the single line z
///
/// - a person is poor when `W_h / s_h / d_h < z_a(h)` (their own area's line);
/// - their normalised gap is `(z_a − W/s/d) / z_a` (relative to their own line),
///   so FGT(α) = Σ w ((z_a − y)/z_a)^α [y < z_a] / Σ w, the poverty gap and
///   severity, and persons lifted out of poverty all use the area's line;
/// - the mean and Gini are those of welfare in reference-area money (the
///   ratio of the lines acts as a spatial price index, as in the World Bank's
///   welfare ratio).
public struct WelfareConcept: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What household welfare is before it is divided by size, prices and lines.
    public enum Source: Sendable, Hashable, Codable {
        /// Household disposable income under each system.
        case disposableIncome
        /// Household consumption read from the data (`variable`, a household-level
        /// money column), plus the reform's net transfers times ``WelfareConcept/mpc``.
        case consumption(variable: String, perYear: Bool)
    }

    /// The unit welfare is expressed per.
    public enum Unit: Sendable, Hashable, Codable {
        /// Per person: divided by the household's members `n_h`.
        case perCapita
        /// Per adult equivalent: divided by the scale's `s_h`.
        case adultEquivalent(EquivalenceScale)
    }

    /// A spatial price index per household: welfare is divided by it.
    public enum Deflator: Sendable, Hashable, Codable {
        /// The index read from a household-level data column (> 0).
        case variable(String)
        /// The index looked up by the household's code of `variable` (e.g. region) in `values`.
        case table(variable: String, values: [Int: Double])

        /// The data variable the index comes from.
        public var variable: String {
            switch self {
            case .variable(let v), .table(let v, _): return v
            }
        }
    }

    /// Separate poverty lines by area: the line of each value of a code variable.
    public struct AreaLines: Sendable, Hashable, Codable {
        /// The household-level code variable (e.g. `urban`).
        public let variable: String
        /// The line of each code, in currency per person (or adult equivalent) per month.
        public let values: [Int: Double]
    }

    public var source: Source
    public var unit: Unit
    /// Marginal propensity to consume out of a reform's net transfers, 0...1 (consumption only; 1 otherwise).
    public var mpc: Double
    /// The household-level column with each household's number of persons, for
    /// a file with one row per household (`nil`: the household's rows).
    public var householdSize: String?
    public var deflator: Deflator?
    public var lines: AreaLines?

    /// Per-capita household disposable income (today's default).
    public static let disposableIncome = WelfareConcept(source: .disposableIncome, unit: .perCapita, mpc: 1)

    public init(source: Source, unit: Unit, mpc: Double = 1, householdSize: String? = nil, deflator: Deflator? = nil,
                lines: AreaLines? = nil) {
        self.source = source
        self.unit = unit
        self.mpc = mpc
        self.householdSize = householdSize
        self.deflator = deflator
        self.lines = lines
    }

    /// Whether this is the default (per-capita disposable income, no deflator, one line, rows are persons):
    /// figures are then computed exactly as before the `welfare:` key existed.
    public var isDefault: Bool { self == .disposableIncome }

    /// The concept's name in outputs: `disposable_income` or `consumption`.
    public var conceptName: String {
        switch source {
        case .disposableIncome: return "disposable_income"
        case .consumption: return "consumption"
        }
    }

    /// The data variable holding consumption, if any.
    public var variable: String? {
        if case .consumption(let v, _) = source { return v }
        return nil
    }

    /// `capita` or `adult_equivalent`.
    public var perName: String {
        switch unit {
        case .perCapita: return "capita"
        case .adultEquivalent: return "adult_equivalent"
        }
    }

    /// The measure in words, e.g. "household consumption per capita, deflated by price_index, area lines by urban".
    public var description: String {
        var text: String
        switch source {
        case .disposableIncome: text = "household disposable income"
        case .consumption(let v, let perYear):
            text = "household consumption (variable \(v)\(perYear ? ", per year ÷ 12" : ", per month"))"
            if mpc != 1 { text += " + \(PovertyLine.format(mpc)) × net transfers" } else { text += " + net transfers" }
        }
        switch unit {
        case .perCapita: text += " per capita"
        case .adultEquivalent(let scale): text += " per adult equivalent (\(scale))"
        }
        if let householdSize { text += ", persons from \(householdSize)" }
        if let deflator { text += ", deflated by \(deflator.variable)" }
        if let lines { text += ", poverty lines by \(lines.variable)" }
        return text
    }

    /// The short words tables use where they used to say "disposable income"
    /// ("per-capita household consumption").
    public var shortName: String {
        let what = source == .disposableIncome ? "household disposable income" : "household consumption"
        switch unit {
        case .perCapita: return "per-capita \(what)"
        case .adultEquivalent: return "\(what) per adult equivalent"
        }
    }

    /// The variables the concept reads from the data, given what the
    /// systems already read (`existing`): a code variable the systems read is
    /// taken as they read it (its per-member values are checked to be the
    /// same in a household, ``WelfareData``); otherwise it is read as a
    /// household-level code.
    public func requests(existing: [VariableRequest]) -> [VariableRequest] {
        var requests: [VariableRequest] = []
        if case .consumption(let v, let perYear) = source {
            requests.append(VariableRequest(Variable(v, kind: .real, measure: .money, level: .household,
                                                     validRange: 0...Double.infinity,
                                                     unit: perYear ? "currency per year" : "currency per month",
                                                     summary: "household consumption (>= 0), the same on every member"),
                                            neededBy: "welfare: consumption"))
        }
        if let householdSize {
            requests.append(VariableRequest(Variable(householdSize, kind: .integer, measure: .count, level: .household,
                                                     validRange: 1...100_000, unit: "persons",
                                                     summary: "persons in the household (>= 1), the same on every row of it"),
                                            neededBy: "welfare: household_size"))
        }
        if case .adultEquivalent(let scale) = unit, scale.needsAges {
            requests.append(VariableRequest(.age, neededBy: "welfare: per adult_equivalent (\(scale))"))
        }
        func code(_ name: String, _ who: String) -> VariableRequest {
            if let known = existing.first(where: { $0.variable.name == name }) { return VariableRequest(known.variable, neededBy: who) }
            return VariableRequest(Variable(name, kind: .integer, measure: .code, level: .household, unit: "code",
                                            summary: "a household code (the same on every member)"), neededBy: who)
        }
        switch deflator {
        case .variable(let v)?:
            requests.append(VariableRequest(Variable(v, kind: .real, measure: .number, level: .household,
                                                     validRange: 0...Double.infinity, lowerBoundExclusive: true, unit: "index",
                                                     summary: "spatial price index (> 0), the same on every member"),
                                            neededBy: "welfare: deflator"))
        case .table(let v, _)?: requests.append(code(v, "welfare: deflator"))
        case nil: break
        }
        if let lines { requests.append(code(lines.variable, "welfare: lines")) }
        return requests
    }
}
