/// What a component of a tax-benefit system does to household income.
public enum ComponentKind: String, Sendable, CaseIterable {
    /// A cash benefit, added to income; its total is a cost to the state.
    case benefit
    /// A tax, subtracted from income; its total is revenue.
    case tax
    /// A social insurance contribution, subtracted from income; its total is revenue.
    case contribution

    /// +1 for benefits, -1 for taxes and contributions.
    public var sign: Double { self == .benefit ? 1 : -1 }
}

/// A kind of policy rule that scenario files can use: a universal child
/// grant, an income tax, a social pension, ...
///
/// A module type is registered in the scenario catalogue under ``name``. A
/// scenario or system file lists components, each naming a module and
/// giving its parameters; simrun reads the parameters against
/// ``parameters``, creates the module with ``init(parameters:)``, and binds
/// it to the loaded population once. The kernel then calls the bound rule
/// for every household.
///
/// Adding a module never changes the kernel: write a type conforming to this
/// protocol in `Sources/Scenarios` and list it in the catalogue.
///
/// ```swift
/// struct FlatGrant: PolicyModule {
///     static let name = "flat_grant"
///     static let summary = "A flat amount for every person"
///     static let parameters = [ParameterSpec("amount", .number, unit: "currency_per_month", range: 0...1e9, summary: "...")]
///     let kind = ComponentKind.benefit
///     let amount: Double
///     init(parameters p: ResolvedParameters) throws { amount = p.number("amount") }
///     var variables: [VariableRequest] { [] }
///     func bind(to population: Population) -> any HouseholdRule { Rule(amount: amount) }
/// }
/// ```
public protocol PolicyModule: Sendable {
    /// The name scenario files use (`universal_child_grant`).
    static var name: String { get }
    /// One line for `simrun scenario list`.
    static var summary: String { get }
    /// The parameters, with units, defaults and ranges.
    static var parameters: [ParameterSpec] { get }
    /// Creates the module from checked parameters.
    /// - Throws: ``InputError`` (via ``ResolvedParameters/error(_:_:)``) if the values are inconsistent.
    init(parameters: ResolvedParameters) throws
    /// Benefit, tax or contribution.
    var kind: ComponentKind { get }
    /// The data variables the module reads.
    var variables: [VariableRequest] { get }
    /// Fetches the columns the rule reads, once per run.
    func bind(to population: Population) -> any HouseholdRule
}

/// A module bound to a population: computes one household's amounts.
///
/// Called by the kernel for every household, from many threads at once, so
/// it must be a pure function of its inputs: no shared mutable state, no I/O,
/// no allocation per call.
public protocol HouseholdRule: Sendable {
    /// Writes each member's monthly amount into `amounts`.
    ///
    /// - Parameters:
    ///   - household: The household and its members' running income.
    ///   - amounts: One slot per member, zeroed by the kernel; the rule
    ///     writes non-negative monthly amounts (a tax is written as a
    ///     positive amount; the kernel applies the sign of the module's kind).
    ///     A household-level amount goes to the first member (the head).
    func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>)
}

/// One household as a rule sees it.
public struct HouseholdFrame {
    /// Index of the household in the population.
    public let index: Int
    /// Index of the first member in person-level columns.
    public let firstPerson: Int
    /// Each member's monthly income so far: market income plus the amounts
    /// of the components before this one (benefits added, taxes subtracted).
    public let income: UnsafeBufferPointer<Double>

    /// The number of members.
    @inline(__always) public var size: Int { income.count }

    /// The household's income so far, summed over members.
    @inline(__always) public var totalIncome: Double {
        var s = 0.0
        for x in income { s += x }
        return s
    }
}
