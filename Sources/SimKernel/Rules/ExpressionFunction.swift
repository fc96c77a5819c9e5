/// The functions a rule expression may call, with the number of arguments
/// each takes (docs/rules.md describes each with an example).
enum ExpressionFunction: String, Sendable, CaseIterable {
    // Scalar functions.
    case `if`, min, max, abs, round, floor, ceil, clamp, div, monthly, yearly
    // Household aggregates over members (min and max are aggregates with one
    // argument, or with a boolean second argument).
    case sum, count, any, all, mean

    /// Every function name, for "did you mean" suggestions.
    static let names: [String] = allCases.map(\.rawValue)

    /// The call's shape in words, for messages.
    var usage: String {
        switch self {
        case .if: return "if(condition, then, else)"
        case .min: return "min(a, b, ...) or the aggregate min(x, condition, default: d)"
        case .max: return "max(a, b, ...) or the aggregate max(x, condition, default: d)"
        case .abs: return "abs(x)"
        case .round: return "round(x)"
        case .floor: return "floor(x)"
        case .ceil: return "ceil(x)"
        case .clamp: return "clamp(x, low, high)"
        case .div: return "div(a, b, default: d)"
        case .monthly: return "monthly(x) for x in money per year"
        case .yearly: return "yearly(x) for x in money per month"
        case .sum: return "sum(x) or sum(x, condition)"
        case .count: return "count() or count(condition)"
        case .any: return "any(condition)"
        case .all: return "all(condition)"
        case .mean: return "mean(x) or mean(x, condition, default: d)"
        }
    }
}
