/// The declaration of one parameter of a policy module: its key, type,
/// unit, default, valid range and meaning.
///
/// Modules declare their parameters as a list of specs. The same list
/// drives validation of scenario files (unknown keys, wrong types, values out
/// of range), `simrun scenario describe`, and the documentation.
public struct ParameterSpec: Sendable {
    /// The shape of a parameter's value.
    public enum ValueType: Sendable, Equatable {
        /// A real number.
        case number
        /// A whole number.
        case integer
        /// A list of whole numbers (e.g. labour-status codes).
        case integerList
        /// A rate schedule: a list of `{threshold, rate}` brackets with rising thresholds.
        case schedule
        /// One word from a fixed list.
        case choice([String])
        /// The name of a model variable (a data column).
        case variable
        /// A list of model variable names.
        case variableList

        public var description: String {
            switch self {
            case .number: return "a number"
            case .integer: return "a whole number"
            case .integerList: return "a list of whole numbers"
            case .schedule: return "a list of brackets {threshold, rate}"
            case .choice(let options): return "one of " + options.joined(separator: ", ")
            case .variable: return "the name of a model variable"
            case .variableList: return "a list of model variable names"
            }
        }
    }

    /// The key in the scenario file, readable snake_case (`amount_per_child`).
    public let key: String
    public let type: ValueType
    /// The unit, written as scenario files write it (`currency_per_month`, `share`, `years`).
    public let unit: String
    /// The value when the scenario does not give one; `nil` makes the parameter required.
    public let defaultValue: ParameterValue?
    /// Valid values for numbers, integers and each list element or bracket rate.
    public let range: ClosedRange<Double>?
    /// What the parameter means.
    public let summary: String

    public init(
        _ key: String, _ type: ValueType, unit: String, default defaultValue: ParameterValue? = nil,
        range: ClosedRange<Double>? = nil, summary: String
    ) {
        self.key = key
        self.type = type
        self.unit = unit
        self.defaultValue = defaultValue
        self.range = range
        self.summary = summary
    }

    /// The valid range in words ("0 to 1", ">= 0").
    public var rangeText: String {
        guard let range else { return "any" }
        func f(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
        if range.upperBound == .infinity { return ">= \(f(range.lowerBound))" }
        return "\(f(range.lowerBound)) to \(f(range.upperBound))"
    }
}

/// One bracket of a rate schedule: `rate` applies to the part of the base above `threshold`
/// (up to the next bracket's threshold).
public struct Bracket: Sendable, Equatable {
    public let threshold: Double
    public let rate: Double
    public init(threshold: Double, rate: Double) {
        self.threshold = threshold
        self.rate = rate
    }
}

/// A parameter's value, once read and checked.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case integerList([Int])
    case schedule([Bracket])
    case text(String)
    case textList([String])

    public var description: String {
        switch self {
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case .integerList(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .schedule(let bs): return bs.map { "\($0.rate) above \($0.threshold)" }.joined(separator: "; ")
        case .text(let s): return s
        case .textList(let xs): return "[" + xs.joined(separator: ", ") + "]"
        }
    }
}
