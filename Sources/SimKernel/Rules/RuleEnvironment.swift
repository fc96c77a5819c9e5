/// The names a rule expression may use, as the caller knows them: the
/// scenario's parameters (already resolved for the year), the data's
/// variables, and the amounts of earlier components.
///
/// The checker looks every name up here once, at load time; an unknown name
/// is an error with a "did you mean" suggestion drawn from all three lists.
/// Names must be unique across the lists.
///
/// ```swift
/// var env = RuleEnvironment()
/// env.parameters["line"] = .init(value: 300, unit: .currencyPerMonth, isValidatedPositive: true)
/// env.variables["age"] = .age
/// env.components["child_grant"] = .init(unit: .currencyPerMonth, level: .household)
/// ```
public struct RuleEnvironment: Sendable {
    /// A scenario parameter's value for the year being simulated.
    public struct Parameter: Sendable, Hashable {
        /// The value.
        public var value: Double
        /// Its unit.
        public var unit: RuleUnit
        /// Whether the parameter's reader has checked that it is > 0 in every
        /// dated value, so that it is a safe divisor.
        public var isValidatedPositive: Bool

        /// A parameter with `value` in `unit`.
        public init(value: Double, unit: RuleUnit, isValidatedPositive: Bool = false) {
            self.value = value
            self.unit = unit
            self.isValidatedPositive = isValidatedPositive
        }
    }

    /// The amount of an earlier component (money per month by default).
    public struct Component: Sendable, Hashable {
        /// The amount's unit.
        public var unit: RuleUnit
        /// Whether it is one amount per person or per household.
        public var level: RuleType.Level

        /// A component amount in `unit` at `level` (``RuleType/Level/person`` or ``RuleType/Level/household``).
        public init(unit: RuleUnit = .currencyPerMonth, level: RuleType.Level) {
            precondition(level != .constant, "a component amount varies by person or household")
            self.unit = unit
            self.level = level
        }
    }

    /// Parameters by name.
    public var parameters: [String: Parameter]
    /// Data variables by name. A ``Variable/Level/household`` variable is one
    /// value per household (its column is given per household); any other is
    /// one value per person.
    public var variables: [String: Variable]
    /// Earlier components' amounts by name.
    public var components: [String: Component]
    /// Names a rule may not read here, each with the reason (a later
    /// component, a later income list): naming one is an error giving the reason.
    public var unavailable: [String: String] = [:]
    /// The labels of category variables (a Stata or SPSS value label, a text
    /// column's values): variable name to label to its codes (a label several
    /// values share stands for all of them). A rule may then
    /// compare the variable with a label in quotes (`sex == "female"`,
    /// `region in ["North", "South"]`); an unknown label is an error listing
    /// the labels.
    public var categoryLabels: [String: [String: [Double]]] = [:]
    /// Category variables whose codes mean nothing outside this run (a
    /// text column's codes are its texts' places in sorted order): they may be
    /// compared with their labels only, never with a number or another variable.
    public var labelsOnly: Set<String> = []

    /// An environment with the given names.
    public init(parameters: [String: Parameter] = [:], variables: [String: Variable] = [:], components: [String: Component] = [:]) {
        self.parameters = parameters
        self.variables = variables
        self.components = components
    }

    /// Every name, sorted, for suggestions.
    var allNames: [String] {
        (Array(parameters.keys) + Array(variables.keys) + Array(components.keys) + ExpressionFunction.names).sorted()
    }
}
