/// The unit a number in a rule carries, so that the checker can refuse a
/// monthly amount added to a yearly one, or an age added to money.
///
/// The raw values are the `unit:` words of scenario parameters.
///
/// ```swift
/// RuleUnit(rawValue: "currency_per_month")   // .currencyPerMonth
/// RuleUnit.share.isScale                      // true: it may multiply money
/// ```
public enum RuleUnit: String, Sendable, Hashable, CaseIterable {
    /// An amount of money per month.
    case currencyPerMonth = "currency_per_month"
    /// An amount of money per year.
    case currencyPerYear = "currency_per_year"
    /// A number of things (members, children, months).
    case count
    /// A number of years (an age, a duration).
    case years
    /// A proportion (a rate, a take-up share): 0.1 is 10%.
    case share
    /// A pure number (a ratio of two amounts, an equivalence weight).
    case dimensionless

    /// Whether the unit may scale another quantity (`share * money` is money,
    /// `count * money` is money): counts, shares and pure numbers.
    public var isScale: Bool {
        switch self {
        case .count, .share, .dimensionless: return true
        case .currencyPerMonth, .currencyPerYear, .years: return false
        }
    }

    /// The unit in words, for messages ("money per month").
    public var phrase: String {
        switch self {
        case .currencyPerMonth: return "money per month"
        case .currencyPerYear: return "money per year"
        case .count: return "a count"
        case .years: return "years"
        case .share: return "a share"
        case .dimensionless: return "a pure number"
        }
    }

    /// The unit of a data variable of `measure`, or `nil` when the measure is
    /// not a number a rule may compute with (flags are booleans, codes are
    /// categories, identifiers are refused).
    public init?(measure: Variable.Measure) {
        switch measure {
        case .money: self = .currencyPerMonth
        case .count: self = .count
        case .age: self = .years
        case .weight, .number: self = .dimensionless
        case .code, .flag, .identifier: return nil
        }
    }
}
