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
    /// Counters (among ``counters``) that hold a cost to the state not paid
    /// to households, in currency per year (e.g. a subsidy of contributions
    /// paid to the social insurance fund); their sum is the system's
    /// `state_cost_annual`, which counts in the net cost but not in the cost
    /// of benefits. Default: none.
    var stateCostCounters: [String] { get }
    /// Counters (among ``counters``) that hold the contributions a social
    /// insurance scheme collects, in currency per year (employee and
    /// employer, e.g. `contributions_annual` of unemployment insurance);
    /// their sum is the system's `fund_contributions_annual`. Fund
    /// contributions are not budget revenue and never offset the state's
    /// net cost (docs/costing.md). Default: none.
    var fundContributionCounters: [String] { get }
    /// Whether a tax or contribution component's amounts are revenue of the
    /// government budget (default) rather than of a separate fund (e.g.
    /// workers' contributions to a social insurance fund, which finance
    /// future benefits and do not offset the state's cost).
    var amountsAreBudgetRevenue: Bool { get }
    /// The ages of the group the benefit is meant for (children 0-17 for a
    /// child grant, 65+ for a social pension), for coverage figures and for
    /// projecting beneficiaries with the population; `nil` (default) when
    /// the module has no age target.
    var targetAges: ClosedRange<Int>? { get }
    /// The persons the benefit is meant for (ages and a condition), for the
    /// coverage of the target group (``TargetGroup``). Default: the
    /// ``targetAges`` if any, else `nil`, which counts every person.
    var targetGroup: TargetGroup? { get }
    /// Who counts as a beneficiary: the persons with an amount (default), or
    /// every member of a household with an amount (a household transfer paid to the head).
    var beneficiaryUnit: BeneficiaryUnit { get }
    /// Names of per-household quantities the rule reports besides amounts
    /// (e.g. `eligible`, `selected`, `exclusion_error`); the kernel sums each
    /// over households with the household weight. Default: none.
    var counters: [String] { get }
    /// Whether the rule reads the amounts of earlier components of its
    /// system (``HouseholdBatch/amounts(ofComponent:)``). The kernel then
    /// computes every earlier component in the same pass (a reform does not
    /// reuse the baseline's shared components' state). Default: `false`.
    var readsEarlierAmounts: Bool { get }
    /// Fetches the columns the rule reads and prepares anything computed
    /// once per run (e.g. pools of donors for an imputation), once per run.
    func bind(to population: Population, context: RunContext) -> any HouseholdRule
}

/// Who counts as receiving a benefit.
public enum BeneficiaryUnit: Sendable {
    /// Each person with a positive amount.
    case person
    /// Every member of a household with a positive amount.
    case household
}

extension PolicyModule {
    public var stateCostCounters: [String] { [] }
    public var fundContributionCounters: [String] { [] }
    public var amountsAreBudgetRevenue: Bool { true }
    public var targetAges: ClosedRange<Int>? { nil }
    public var targetGroup: TargetGroup? { targetAges.map { TargetGroup(ages: $0) } }
    public var beneficiaryUnit: BeneficiaryUnit { .person }
    public var counters: [String] { [] }
    public var readsEarlierAmounts: Bool { false }
}

/// What a run tells every module when binding it.
public struct RunContext: Sendable {
    /// The run's seed (`--seed`), already combined with the replication number.
    public let seed: UInt64
    /// Which replication this is (0-based; `--replications R` runs 0..<R).
    public let replication: Int
    /// The simulation year, if any.
    public let year: Int?

    public init(seed: UInt64 = 0, replication: Int = 0, year: Int? = nil) {
        self.seed = seed
        self.replication = replication
        self.year = year
    }

    /// The seed of replication `replication` of a run seeded with `seed`.
    public static func seed(run seed: UInt64, replication: Int) -> UInt64 {
        replication == 0 ? seed : RandomStream.seed(seed, 0x7265_706c_6963_6174, UInt64(replication))
    }
}

/// A module bound to a population: computes one household's amounts.
///
/// Random draws (take-up, durations, assessment error) come only from
/// ``HouseholdFrame/randomStream(purpose:)``.
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

    /// Applies the rule to every household of a chunk. The kernel calls this
    /// once per chunk and component; the default implementation calls
    /// ``apply(_:amounts:)`` for each household, directly on the concrete
    /// rule (no dynamic dispatch per household). Rules need not implement it.
    ///
    /// - Parameters:
    ///   - batch: Consecutive households and their members' running income.
    ///   - amounts: One slot per person of the batch, zeroed by the kernel.
    func apply(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>)

    /// Whether ``apply(batch:amounts:)`` writes every person's slot (zeros
    /// included), so that the kernel may skip zeroing `amounts` first. The
    /// default is `false`: a rule that writes only its recipients' slots
    /// needs the zeroing.
    var fillsEveryAmount: Bool { get }
}

extension HouseholdRule {
    public var fillsEveryAmount: Bool { false }

    @inlinable
    public func apply(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
        applyHouseholdByHousehold(batch: batch, amounts: amounts)
    }

    /// Calls ``apply(_:amounts:)`` for each household of the batch with its
    /// members' slots of `amounts`: the default batch behaviour, for rules
    /// whose own ``apply(batch:amounts:)`` falls back to it in some settings.
    @inlinable
    public func applyHouseholdByHousehold(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
        for h in batch.households {
            let frame = batch.frame(h)
            let offset = frame.firstPerson - batch.firstPerson
            apply(frame, amounts: UnsafeMutableBufferPointer(rebasing: amounts[offset..<(offset + frame.size)]))
        }
    }
}

/// A chunk of consecutive households as the kernel hands it to a rule.
///
/// Holds pointers into the kernel's per-chunk buffers; valid only during the
/// call it is passed to.
public struct HouseholdBatch {
    /// The households of the chunk.
    public let households: Range<Int>
    /// Index of the chunk's first person.
    public let firstPerson: Int
    @usableFromInline let starts: UnsafePointer<Int>
    @usableFromInline let ids: UnsafePointer<Int64>
    /// Running income of the chunk's persons (index: person − firstPerson).
    @usableFromInline let income: UnsafeBufferPointer<Double>
    @usableFromInline unowned(unsafe) let random: RandomStream
    @usableFromInline let seed: UInt64
    /// `households.count × counterCount` counter slots.
    @usableFromInline let counters: UnsafeMutableBufferPointer<Double>
    @usableFromInline let counterCount: Int
    /// The amounts of the components applied before this one to the batch's
    /// persons: component `c`'s are at `earlierAmounts + (c − earliestComponent) × earlierStride`.
    @usableFromInline let earlierAmounts: UnsafePointer<Double>?
    @usableFromInline let earlierStride: Int
    /// The first component whose amounts ``amounts(ofComponent:)`` can give.
    @usableFromInline let earliestComponent: Int
    /// The index, in its system, of the component being applied.
    public let component: Int

    /// A batch of `households`, whose persons start at `firstPerson`.
    ///
    /// - Parameters:
    ///   - households: The households of the batch.
    ///   - firstPerson: The batch's first person (the first member of its first household).
    ///   - starts: Each household's first person (indexed by household, one past the last included).
    ///   - income: The running income of the batch's persons.
    ///   - ids: Each household's identifier from the data (indexed by household).
    ///   - random: The run's random stream, from which the rules draw (take-up, durations).
    ///   - seed: The run's seed (``RunContext/seed``).
    ///   - counters: `households.count × counterCount` zeroed slots.
    ///   - counterCount: The counters per household.
    ///   - earlierAmounts: The persons' amounts of components `earliestComponent ..< component`,
    ///     `earlierStride` apart (none: `nil`, and `earliestComponent == component`).
    ///   - earlierStride: The distance between two components' amounts in `earlierAmounts`.
    ///   - earliestComponent: The first component whose amounts `earlierAmounts` holds.
    ///   - component: The index, in its system, of the component being applied.
    public init(households: Range<Int>, firstPerson: Int, starts: UnsafePointer<Int>, ids: UnsafePointer<Int64>,
                income: UnsafeBufferPointer<Double>, random: RandomStream, seed: UInt64,
                counters: UnsafeMutableBufferPointer<Double>, counterCount: Int,
                earlierAmounts: UnsafePointer<Double>? = nil, earlierStride: Int = 0,
                earliestComponent: Int = 0, component: Int = 0) {
        self.earlierAmounts = earlierAmounts
        self.earlierStride = earlierStride
        self.earliestComponent = earliestComponent
        self.component = component
        self.households = households
        self.firstPerson = firstPerson
        self.starts = starts
        self.ids = ids
        self.income = income
        self.random = random
        self.seed = seed
        self.counters = counters
        self.counterCount = counterCount
    }

    /// The persons of the batch (indices into person-level columns); person
    /// `i`'s slot in the `amounts` a rule writes is `i − firstPerson`.
    @inlinable
    public var persons: Range<Int> { firstPerson..<starts[households.upperBound] }

    /// The amounts (each person's, as the component wrote them: taxes
    /// positive) of component `c` of the system, an earlier component than
    /// this one, for the batch's persons (slot `i − firstPerson`).
    ///
    /// Only a module whose ``PolicyModule/readsEarlierAmounts`` is `true` may
    /// call this: the kernel then keeps every earlier component's amounts.
    @inlinable
    public func amounts(ofComponent c: Int) -> UnsafePointer<Double> {
        precondition(c >= earliestComponent && c < component, "component \(c) is not an earlier component of this batch")
        return earlierAmounts! + (c &- earliestComponent) &* earlierStride
    }

    /// Household `h` of the batch as a frame.
    @inlinable
    public func frame(_ h: Int) -> HouseholdFrame {
        let first = starts[h]
        let size = starts[h + 1] - first
        let offset = first - firstPerson
        let slot = (h - households.lowerBound) * counterCount
        return HouseholdFrame(
            index: h, id: ids[h], firstPerson: first,
            income: UnsafeBufferPointer(rebasing: income[offset..<(offset + size)]),
            stream: random, seed: seed,
            counters: UnsafeMutableBufferPointer(rebasing: counters[slot..<(slot + counterCount)]))
    }
}

/// One household as a rule sees it.
public struct HouseholdFrame {
    /// Index of the household in the population.
    public let index: Int
    /// The household's identifier from the data (stable across row orders).
    public let id: Int64
    /// Index of the first member in person-level columns.
    public let firstPerson: Int
    /// Each member's monthly income so far: market income plus the amounts
    /// of the components before this one (benefits added, taxes subtracted).
    public let income: UnsafeBufferPointer<Double>
    /// One slot per name in the module's ``PolicyModule/counters``, zeroed by
    /// the kernel; the rule writes this household's values (e.g. 1 if eligible).
    public let counters: UnsafeMutableBufferPointer<Double>
    /// The chunk's generator: not reference counted (the kernel keeps it alive
    /// for the whole chunk, longer than any frame).
    @usableFromInline unowned(unsafe) let random: RandomStream?
    /// The run's seed.
    @usableFromInline let seed: UInt64

    /// The number of members.
    @inline(__always) public var size: Int { income.count }

    /// A frame for household `index`. `random`, when given, must outlive the
    /// frame; without it, ``randomStream(purpose:)`` may not be called (for
    /// tests of deterministic rules).
    public init(index: Int, id: Int64 = 0, firstPerson: Int, income: UnsafeBufferPointer<Double>,
                random: RandomStream? = nil, seed: UInt64 = 0,
                counters: UnsafeMutableBufferPointer<Double> = UnsafeMutableBufferPointer(start: nil, count: 0)) {
        self.init(index: index, id: id, firstPerson: firstPerson, income: income, stream: random, seed: seed,
                  counters: counters)
    }

    @usableFromInline
    init(index: Int, id: Int64, firstPerson: Int, income: UnsafeBufferPointer<Double>, stream: RandomStream?,
         seed: UInt64, counters: UnsafeMutableBufferPointer<Double>) {
        self.index = index
        self.id = id
        self.firstPerson = firstPerson
        self.income = income
        self.random = stream
        self.seed = seed
        self.counters = counters
    }

    /// The chunk's generator reseeded from (run seed, `purpose`, household id):
    /// the draws depend on nothing else, so they are the same on any thread,
    /// chunk size or row order.
    ///
    /// - Parameter purpose: A module-specific constant, e.g.
    ///   `RandomStream.purpose("social_pension.take_up")` computed once at bind time.
    public func randomStream(purpose: UInt64) -> RandomStream {
        guard let random else { preconditionFailure("this frame has no random stream (give one to HouseholdFrame.init)") }
        random.reseed(RandomStream.seed(seed, purpose, UInt64(bitPattern: id)))
        return random
    }

    /// The household's income so far, summed over members.
    @inline(__always) public var totalIncome: Double {
        var s = 0.0
        for x in income { s += x }
        return s
    }
}
