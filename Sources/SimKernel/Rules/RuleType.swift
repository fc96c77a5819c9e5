/// The static type of a rule value: what it is (a number with a unit, a
/// boolean, a category code) and at which level it varies (a constant, one
/// value per household, one per person).
///
/// A constant or household value may be used where a person value is
/// expected (it is the same for every member); a person value where a
/// household value is expected is an error unless an aggregate (`sum`,
/// `count`, `any`, ...) turns it into one.
public struct RuleType: Sendable, Hashable, CustomStringConvertible {
    /// What sort of value.
    public enum Kind: Sendable, Hashable {
        /// A number with a unit; `nil` for a bare literal such as `12`, which
        /// takes the unit of whatever it is combined with.
        case number(RuleUnit?)
        /// True or false (a 0/1 flag of the data is a boolean).
        case boolean
        /// A category code: compared by equality and `in` only.
        case category
    }

    /// At which level a value varies; ordered constant < household < person.
    public enum Level: Int, Sendable, Hashable, Comparable {
        /// The same for everyone (a literal, a parameter).
        case constant
        /// One value per household.
        case household
        /// One value per person.
        case person

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// The level in words, for messages.
        public var phrase: String {
            switch self {
            case .constant: return "a constant"
            case .household: return "a household value"
            case .person: return "a person value"
            }
        }
    }

    /// What sort of value.
    public var kind: Kind
    /// At which level it varies.
    public var level: Level

    /// A type of `kind` at `level`.
    public init(_ kind: Kind, _ level: Level) {
        self.kind = kind
        self.level = level
    }

    /// The unit of a number (`nil` for a bare literal or a non-number).
    public var unit: RuleUnit? {
        if case .number(let u) = kind { return u }
        return nil
    }

    /// Whether the value is a number.
    public var isNumber: Bool {
        if case .number = kind { return true }
        return false
    }

    /// The kind in words, for messages ("money per month", "a boolean").
    public var kindPhrase: String {
        switch kind {
        case .number(let u?): return u.phrase
        case .number(nil): return "a number"
        case .boolean: return "a boolean (true/false)"
        case .category: return "a category code"
        }
    }

    public var description: String { "\(kindPhrase) (\(level.phrase))" }
}
