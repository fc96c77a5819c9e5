/// How one system reached one household's disposable income, component by
/// component: what `simrun household` and `simrun scenario explain` print
/// (docs/explain.md), as OpenFisca's trace explains a computation.
///
/// Made by ``HouseholdStepper``, which applies the rules exactly as the
/// kernel (``Simulator``) does, so every amount here is the kernel's, bit
/// for bit. Amounts are money per month; member values are in member order
/// (the data's row order).
public struct HouseholdTrace: Sendable {
    /// A value of a data variable: a number, or the label of a category.
    public enum Value: Sendable, Equatable {
        case number(Double)
        case label(String)
    }

    /// A data variable and each member's value of it (a household-level
    /// variable repeats the household's value for every member).
    public struct MemberValues: Sendable, Equatable {
        public let name: String
        public let values: [Value]
    }

    /// A parameter a component uses and where its value comes from.
    public struct Parameter: Sendable, Equatable {
        public let key: String
        public let value: ParameterValue
        /// The file and line, or the module default; `nil` for a component built by a program.
        public let source: ParameterSource?
    }

    /// A per-household quantity a rule reports besides its amounts (``PolicyModule/counters``).
    public struct Counter: Sendable, Equatable {
        public let name: String
        public let value: Double
    }

    /// One component applied to the household.
    public struct Component: Sendable {
        /// The component's name in its system.
        public let name: String
        /// The module's catalogue name.
        public let moduleName: String
        /// Benefit (added to income), tax or contribution (subtracted).
        public let kind: ComponentKind
        /// Each member's running income before the component.
        public let incomeBefore: [Double]
        /// The data variables the module reads, each member's value.
        public let variables: [MemberValues]
        /// The parameter values in force, by key.
        public let parameters: [Parameter]
        /// Each member's amount as the rule wrote it (taxes and contributions positive).
        public let amounts: [Double]
        /// The household's amount: the members' amounts summed in member order.
        public let householdAmount: Double
        /// Members counted as recipients: those with a positive amount, or
        /// every member of a household with a positive total for a
        /// household benefit (``PolicyModule/beneficiaryUnit``).
        public let recipients: Int
        /// The rule's counters for the household.
        public let counters: [Counter]
        /// Each member's running income after the component.
        public let incomeAfter: [Double]
        /// The rule's own steps, for a rule that conforms to ``TracingRule``; `nil` otherwise.
        public let steps: [RuleTraceStep]?
    }

    /// The system's name (`current_law`).
    public let system: String
    /// The household's identifier in the data.
    public let householdID: Int64
    /// The household's index in its population.
    public let householdIndex: Int
    /// The number of members.
    public let memberCount: Int
    /// The market income variables, each member's value.
    public let marketIncome: [MemberValues]
    /// Each member's market income (the sum of ``marketIncome``), the running income before the first component.
    public let marketIncomeTotal: [Double]
    /// The components in the order they apply.
    public let components: [Component]
    /// The household's disposable income: the members' final incomes summed in member order.
    public let disposableIncome: Double
    /// ``disposableIncome`` divided by ``memberCount``: the welfare measure of poverty figures.
    public let perCapitaIncome: Double
    /// The poverty line (currency per person per month), if one was given.
    public let povertyLine: Double?

    /// Whether the household is poor: per-capita income strictly below the
    /// line (docs/statistics.md); `nil` without a line.
    public var isPoor: Bool? { povertyLine.map { perCapitaIncome < $0 } }
}

extension HouseholdTrace {
    /// Fails when the household's results are not finite numbers (a declared
    /// rule that overflows), as ``ScenarioRun/requireFiniteResults(population:)``
    /// does for a whole run, so that no trace prints an infinity.
    ///
    /// - Parameter file: The file the system's rules come from (the scenario or system file).
    /// - Throws: ``InputError`` (``InputError/Kind/badValue``) naming the file, the system, the household and the first component concerned.
    public func requireFinite(file: String) throws {
        let bad = components.first { c in !c.householdAmount.isFinite || c.amounts.contains { !$0.isFinite } }
        guard bad != nil || !disposableIncome.isFinite else { return }
        let what = bad.map { "component '\($0.name)' gives" } ?? "the components give"
        throw InputError(file: file, kind: .badValue,
            "in the \(system) system, \(what) household \(householdID) an amount that is not a finite number; a rule overflows or gives an undefined result: check its amounts and use div(a, b, default: d) for divisions")
    }
}
