/// What a place that takes a variable name accepts: which measures
/// (money, category code, ...) and how a column simrun does not know is read.
///
/// A parameter spec declares it (`ParameterSpec("base", .variable(.money), ...)`),
/// and so does a system's `market_income`; the readers check every name
/// against it once, at load time (`scenario validate` included), and report a
/// variable of the wrong measure with the file, line, key and what was
/// expected (``InputError/Kind/wrongType``). A module then gets the checked
/// ``Variable`` from ``ResolvedParameters/variable(_:)``, so that it requests
/// and reads the column exactly as it was checked.
///
/// A name simrun does not know (a column of the analyst's data, possibly
/// renamed by a column map) takes the measure the place implies
/// (``customMeasure``): a custom column named as a take-up group is read as
/// whole-number codes, and a value such as `2.5` is refused at load time
/// with its line and column rather than turned into a group nobody listed.
///
/// ```swift
/// VariableRequirement.money.problem(with: "age", for: "additional_base")
/// // "'age' is an age in years, not an amount of money per month; additional_base takes a money variable ..."
/// VariableRequirement.money.variable(named: "remittances").kind   // .real
/// ```
public struct VariableRequirement: Sendable, Equatable {
    /// The measures a variable simrun knows must have.
    public let accepted: Set<Variable.Measure>
    /// The measure given to a name simrun does not know (it decides how the column is read and checked).
    public let customMeasure: Variable.Measure
    /// Names that are not data columns but are accepted as they are (a
    /// proxy-means score's built-in characteristics such as `members`).
    public let builtIn: [String]
    /// What is accepted, as a short noun phrase ("an amount of money per month").
    public let noun: String
    /// What is expected, in words with examples, for messages and documentation.
    public let expectation: String

    /// A requirement; see the static presets.
    public init(accepted: Set<Variable.Measure>, customMeasure: Variable.Measure, builtIn: [String] = [],
                noun: String, expectation: String) {
        precondition(customMeasure != .identifier && customMeasure != .weight, "a custom column cannot be an identifier or the weight")
        self.accepted = accepted
        self.customMeasure = customMeasure
        self.builtIn = builtIn
        self.noun = noun
        self.expectation = expectation
    }

    /// A person's amount of money per month: market income, a tax or contribution base, incomes ranking deciles.
    public static let money = VariableRequirement(
        accepted: [.money], customMeasure: .money, noun: "an amount of money per month",
        expectation: "a money variable (currency per month) such as " + examples([.money]) + ", or a money column of the data")

    /// A category: a code or a 0/1 flag (groups of take-up rates).
    public static let category = VariableRequirement(
        accepted: [.code, .flag], customMeasure: .code, noun: "a category (a code or a 0/1 flag)",
        expectation: "a category variable (a code or a 0/1 flag) such as " + examples([.code, .flag])
            + ", or a whole-number column of the data")

    /// A column whose distinct values form groups for breakdowns (`--by`):
    /// a code, a flag, an age or a count, not money (every amount would be a
    /// group of its own), the weight or an identifier. (`--by` reads a column
    /// simrun does not know as category labels, not as ``customMeasure``.)
    public static let grouping = VariableRequirement(
        accepted: [.code, .flag, .age, .count], customMeasure: .code, noun: "a categorical column",
        expectation: "a categorical column (a code, a 0/1 flag, an age or a count) such as "
            + examples([.code, .flag, .age]) + ", or a column of category labels of the data")

    /// A quantity describing a household's head in a linear score (count,
    /// flag, age, money or a number): not a code, whose size means nothing,
    /// nor the weight or an identifier; `builtIn` names are accepted too.
    public static func characteristic(builtIn: [String]) -> VariableRequirement {
        VariableRequirement(
            accepted: [.money, .count, .flag, .age, .number], customMeasure: .number, builtIn: builtIn,
            noun: "a measured quantity",
            expectation: "a characteristic measured as a number (a count, a 0/1 flag, an age or money) such as "
                + (builtIn.prefix(3) + ["urban", "age"]).joined(separator: ", ")
                + ", or a numeric column of the data (a code such as region is a category: give a 0/1 column per category instead)")
    }

    /// The variable `name` stands for under this requirement: a known
    /// variable as declared, any other name as a column of ``customMeasure``.
    /// Check it first with ``problem(with:for:)``.
    public func variable(named name: String) -> Variable {
        if let known = Variable.declared(name) { return known }
        return Variable.custom(name, measure: customMeasure)
    }

    /// Why `name`, given for `key`, does not meet the requirement, or `nil`
    /// if it does (a built-in name, a variable of an accepted measure, or a
    /// name simrun does not know, which is read as ``customMeasure``).
    ///
    /// - Parameters:
    ///   - name: The variable name as written in the file.
    ///   - key: The key it is given for (`market_income`, `take_up_group`), for the message.
    public func problem(with name: String, for key: String) -> String? {
        if builtIn.contains(name) { return nil }
        guard let known = Variable.declared(name) else { return nil }
        if accepted.contains(known.measure) { return nil }
        return "'\(name)' is \(known.measure.phrase), not \(noun); \(key) takes \(expectation)"
    }

    /// Known person variables of the given measures (at most five), for messages.
    private static func examples(_ measures: Set<Variable.Measure>) -> String {
        (Variable.known + Variable.optionalColumns).filter { measures.contains($0.measure) && $0.level == .person }
            .prefix(5).map(\.name).joined(separator: ", ")
    }
}

extension Variable {
    /// The variable simrun declares under `name` (SPEC.md's columns and the optional ones), if any.
    public static func declared(_ name: String) -> Variable? {
        known.first { $0.name == name } ?? optionalColumns.first { $0.name == name }
    }

    /// A column of the analyst's data that simrun does not know, read as `measure` implies:
    /// money and numbers as finite reals, codes as whole numbers, flags as 0 or 1,
    /// counts as whole numbers >= 0, ages as whole numbers from 0 to 130.
    public static func custom(_ name: String, measure: Measure) -> Variable {
        let summary = "a column of the data, read as \(measure.phrase)"
        switch measure {
        case .money:
            return Variable(name, kind: .real, measure: .money, unit: "currency per month", summary: summary)
        case .code:
            return Variable(name, kind: .integer, measure: .code, unit: "code", summary: summary)
        case .flag:
            return Variable(name, kind: .integer, measure: .flag, validRange: 0...1, unit: "flag", summary: summary)
        case .count:
            return Variable(name, kind: .integer, measure: .count, validRange: 0...Double(Int32.max), unit: "count", summary: summary)
        case .age:
            return Variable(name, kind: .integer, measure: .age, validRange: 0...130, unit: "years", summary: summary)
        case .number, .weight, .identifier:
            return Variable(name, kind: .real, measure: .number, unit: "as in the data", summary: summary)
        }
    }
}
