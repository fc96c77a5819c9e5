import Foundation

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
        /// The name of a model variable (a data column) meeting a requirement
        /// (e.g. ``VariableRequirement/money``), checked when the file is read.
        case variable(VariableRequirement)
        /// A list of model variable names, each meeting the requirement.
        case variableList(VariableRequirement)
        /// A list of real numbers (e.g. a propensity to consume per income decile).
        case numberList
        /// A list of records with the given fields, all required (e.g. age bands
        /// `{min_age, max_age, amount}`).
        case records([RecordField])
        /// A mapping from a whole-number category code to a number (e.g. a
        /// take-up rate per region: `{1: 0.9, 2: 0.7}`).
        case codeMap
        /// A mapping from a model variable name (meeting the requirement) to a
        /// number (e.g. the weights of a proxy-means score: `{members: -0.08, urban: 0.2}`).
        case variableMap(VariableRequirement)

        /// Whether the plain (undated) value is itself a mapping.
        var isMapping: Bool {
            switch self {
            case .codeMap, .variableMap: return true
            default: return false
            }
        }

        /// What the variable names of this type must be, if the type holds any.
        public var variableRequirement: VariableRequirement? {
            switch self {
            case .variable(let r), .variableList(let r), .variableMap(let r): return r
            default: return nil
            }
        }

        public var description: String {
            switch self {
            case .number: return "a number"
            case .integer: return "a whole number"
            case .integerList: return "a list of whole numbers"
            case .schedule: return "a list of brackets {threshold, rate}"
            case .choice(let options): return "one of " + options.joined(separator: ", ")
            case .variable(let r): return "the name of \(r.expectation)"
            case .variableList(let r): return "a list of names, each \(r.expectation)"
            case .numberList: return "a list of numbers"
            case .records(let fields): return "a list of {" + fields.map(\.description).joined(separator: ", ") + "}"
            case .codeMap: return "a mapping from category code (a whole number) to a number"
            case .variableMap(let r): return "a mapping to a number from names, each \(r.expectation)"
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

    /// The valid range in words ("0 to 1", ">= 0", "0 to 1e9").
    public var rangeText: String {
        guard let range else { return "any" }
        let f = ParameterSpec.boundText
        if range.upperBound == .infinity { return ">= \(f(range.lowerBound))" }
        return "\(f(range.lowerBound)) to \(f(range.upperBound))"
    }

    /// A range bound as documentation writes it: whole numbers plainly, powers of ten from a million as `1e6`, `1e9`.
    public static func boundText(_ x: Double) -> String {
        let magnitude = abs(x)
        if magnitude >= 1e6, magnitude < 1e300 {
            let exponent = log10(magnitude).rounded()
            if pow(10, exponent) == magnitude { return (x < 0 ? "-" : "") + "1e\(Int(exponent))" }
        }
        return x == x.rounded() && magnitude < 1e15 ? String(Int64(x)) : String(x)
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

/// One field of the records of a ``ParameterSpec/ValueType/records(_:)``
/// parameter, e.g. the `min_age` of an age band.
public struct RecordField: Sendable, Equatable, CustomStringConvertible {
    /// The key inside each record (`min_age`).
    public let key: String
    /// The unit, as scenario files write it (`years`).
    public let unit: String
    /// Valid values, or `nil` for any finite number.
    public let range: ClosedRange<Double>?
    /// Whether the value must be a whole number.
    public let wholeNumber: Bool

    public init(_ key: String, unit: String, range: ClosedRange<Double>? = nil, wholeNumber: Bool = false) {
        self.key = key
        self.unit = unit
        self.range = range
        self.wholeNumber = wholeNumber
    }

    /// `min_age (years, 0 to 130)`.
    public var description: String {
        guard let range else { return "\(key) (\(unit))" }
        let n = ParameterSpec.boundText
        let text = range.upperBound == .infinity ? ">= \(n(range.lowerBound))" : "\(n(range.lowerBound)) to \(n(range.upperBound))"
        return "\(key) (\(unit), \(text))"
    }
}

/// A key with a number: one entry of a mapping parameter, or one field of a record.
public struct KeyedNumber: Sendable, Equatable {
    /// The key as written in the file (a category code such as `1`, a variable or field name).
    public let key: String
    public let value: Double

    public init(key: String, value: Double) {
        self.key = key
        self.value = value
    }
}

/// A parameter's value, once read and checked.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case integerList([Int])
    case schedule([Bracket])
    case text(String)
    case textList([String])
    /// A list of real numbers.
    case numberList([Double])
    /// A list of records, each field in the order the spec declares them.
    case records([[KeyedNumber]])
    /// A mapping (category code or variable name to a number), in file order.
    case keyedNumbers([KeyedNumber])

    public var description: String {
        switch self {
        case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case .integerList(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .schedule(let bs): return bs.map { "\($0.rate) above \($0.threshold)" }.joined(separator: "; ")
        case .text(let s): return s
        case .textList(let xs): return "[" + xs.joined(separator: ", ") + "]"
        case .numberList(let xs): return "[" + xs.map { ParameterValue.number($0).description }.joined(separator: ", ") + "]"
        case .records(let rs):
            return "[" + rs.map { r in
                "{" + r.map { "\($0.key): \(ParameterValue.number($0.value))" }.joined(separator: ", ") + "}"
            }.joined(separator: ", ") + "]"
        case .keyedNumbers(let es):
            return "{" + es.map { "\($0.key): \(ParameterValue.number($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
