/// What one tax-benefit system gives every household: the simulation's
/// output, before any statistic is computed.
///
/// All amounts are monthly, per household, in household order.
public struct SystemOutcome: Sendable {
    /// One component's amounts.
    public struct ComponentOutcome: Sendable {
        public let name: String
        public let moduleName: String
        public let kind: ComponentKind
        /// The component's monthly amount per household (summed over members; positive).
        public let amount: Column<Double>
        /// The number of members with a positive amount, per household (all
        /// members when the module's beneficiary unit is the household).
        public let recipients: Column<Int32>
        /// Each person's monthly amount, when the simulator was asked to keep them.
        public let personAmount: Column<Double>?
        /// The module's counters that are state costs (annual currency), see ``PolicyModule/stateCostCounters``.
        public let stateCostCounters: [String]
        /// Whether the amounts of a tax or contribution are budget revenue (``PolicyModule/amountsAreBudgetRevenue``).
        public let budgetRevenue: Bool
        /// The module's counters (``PolicyModule/counters``), per household, in declaration order.
        public let counters: [(name: String, values: Column<Double>)]
    }

    /// The system's name.
    public let system: String
    /// Monthly household disposable income: market income minus taxes and
    /// contributions plus benefits, summed over members.
    public let disposableIncome: Column<Double>
    /// Members receiving at least one benefit, per household (a benefit paid
    /// to the household counts all its members).
    public let benefitRecipients: Column<Int32>
    /// Per person, bit `c` set when component `c` (in the system's order,
    /// the first 32) gives that person a positive amount (all members for a
    /// household-level benefit). Coverage of any group by any component is
    /// read from it.
    /// Present when the simulator was asked to record coverage (``Simulator/recordCoverage``).
    public let componentMask: Column<UInt32>?

    /// The component mask, which coverage figures need.
    /// - Precondition: the run recorded coverage.
    public var coverage: Column<UInt32> {
        guard let componentMask else { preconditionFailure("coverage figures need Simulator.recordCoverage = true") }
        return componentMask
    }
    /// One entry per component, in the system's order.
    public let components: [ComponentOutcome]
    /// The smallest and largest per-capita disposable income (income / members)
    /// over all households, found by the kernel on the way (the statistics'
    /// sort needs them before its first pass).
    var perCapitaBounds: (min: Double, max: Double)? = nil
    /// The weighted sums of ``SystemIndicators`` per block of households,
    /// formed by the kernel on the way when its chunks hold whole blocks.
    var blockSums: BlockSums? = nil
}

/// Weighted sums (Neumaier-compensated) over fixed blocks of ``blockSize``
/// households, in household order (the blocks ``SystemIndicators`` combines with
/// compensation): identical numbers whether the kernel or the indicators
/// form them.
struct BlockSums: Sendable {
    static let blockSize = 4096
    /// Per component, per block: Σ w × amount, Σ w × recipients, Σ w × [amount > 0].
    var components: [(amount: [Double], persons: [Double], households: [Double])]
    /// Per block: Σ w × benefit recipients.
    var benefitRecipients: [Double]
}
