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
        /// The component's monthly amount per household (summed over members),
        /// when the simulator kept it (``Simulator/keepComponentColumns``).
        public let householdAmount: Column<Double>?
        /// The number of members with a positive amount, per household (all
        /// members when the module's beneficiary unit is the household paid a
        /// positive total), when the simulator kept it.
        public let householdRecipients: Column<Int32>?

        /// ``householdAmount``, which per-household figures need.
        /// - Precondition: the run kept the component columns.
        public var amount: Column<Double> {
            guard let householdAmount else { preconditionFailure("per-household amounts need Simulator.keepComponentColumns = true") }
            return householdAmount
        }
        /// ``householdRecipients``, which per-household figures need.
        /// - Precondition: the run kept the component columns.
        public var recipients: Column<Int32> {
            guard let householdRecipients else { preconditionFailure("per-household recipients need Simulator.keepComponentColumns = true") }
            return householdRecipients
        }
        /// Each person's monthly amount, when the simulator was asked to keep them.
        public let personAmount: Column<Double>?
        /// The module's counters that are state costs (annual currency), see ``PolicyModule/stateCostCounters``.
        public let stateCostCounters: [String]
        /// The module's counters that are contributions collected by a social insurance fund (annual currency), see ``PolicyModule/fundContributionCounters``.
        public let fundContributionCounters: [String]
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

/// Weighted sums over fixed blocks of ``blockSize`` households (the blocks
/// ``SystemIndicators`` combines with compensation), each formed by
/// ``HouseholdBlockSum``: identical numbers whether the kernel or the
/// indicators form them.
struct BlockSums: Sendable {
    static let blockSize = 4096
    /// Per component, per block: Σ w × amount, Σ w × recipients, Σ w × [amount > 0].
    var components: [(amount: [Double], persons: [Double], households: [Double])]
    /// Per block: Σ w × benefit recipients.
    var benefitRecipients: [Double]
}

/// A compensated sum of one term per household over a block of households,
/// in a fixed order that two SIMD lanes can follow: lane 0 takes the
/// households at even offsets from the block's first household, lane 1 those
/// at odd offsets, each lane a running sum with its rounding errors carried
/// exactly (Knuth's TwoSum: the same error terms as Neumaier's compensation,
/// without its branch); at the end the lanes are combined as
/// `(s₀ + s₁) + (e + c₀ + c₁)`, `e` the rounding error of `s₀ + s₁` and
/// `c₀`, `c₁` the lanes' carried errors. The order of operations depends on
/// the households' offsets in the block alone, so the kernel (a sub-batch at
/// a time) and ``SystemIndicators`` (a block at a time) get the same bits.
struct HouseholdBlockSum {
    private var sum = SIMD2<Double>(repeating: 0)
    private var carry = SIMD2<Double>(repeating: 0)

    /// Adds a pair of terms: the household at an even offset and the next one.
    @inline(__always)
    mutating func add(_ x: SIMD2<Double>) {
        let t = sum + x
        let xPart = t - sum
        let sPart = t - xPart
        carry += (sum - sPart) + (x - xPart)
        sum = t
    }

    /// The block's sum.
    var value: Double {
        let t = sum[0] + sum[1]
        let b = t - sum[0]
        let e = (sum[0] - (t - b)) + (sum[1] - b)
        return t + ((e + carry[0]) + carry[1])
    }
}

/// The three sums of one component over a block of households: Σ w × amount,
/// Σ w × recipients and Σ w × [amount > 0] (each a ``HouseholdBlockSum``).
struct ComponentBlockSums {
    var amount = HouseholdBlockSum()
    var persons = HouseholdBlockSum()
    var households = HouseholdBlockSum()

    /// Adds households `range`, whose first household is at an even offset from
    /// the block's first one (an odd household at the end is paired with terms 0).
    @inline(__always)
    mutating func add(amount: UnsafePointer<Double>, recipients: UnsafePointer<Int32>, weight: UnsafePointer<Double>,
                      range: Range<Int>) {
        var h = range.lowerBound
        let zero = SIMD2<Double>(repeating: 0)
        while h &+ 1 < range.upperBound {
            let w = SIMD2(weight[h], weight[h &+ 1])
            let a = SIMD2(amount[h], amount[h &+ 1])
            self.amount.add(w * a)
            persons.add(w * SIMD2(Double(recipients[h]), Double(recipients[h &+ 1])))
            households.add(zero.replacing(with: w, where: a .> zero))
            h &+= 2
        }
        if h < range.upperBound {
            let w = SIMD2(weight[h], 0), a = SIMD2(amount[h], 0)
            self.amount.add(w * a)
            persons.add(w * SIMD2(Double(recipients[h]), 0))
            households.add(zero.replacing(with: w, where: a .> zero))
        }
    }
}

/// Σ w × count over a block of households, as a ``HouseholdBlockSum``.
struct CountBlockSum {
    var total = HouseholdBlockSum()

    /// Adds households `range` (first at an even offset from the block's first household).
    @inline(__always)
    mutating func add(count: UnsafePointer<Int32>, weight: UnsafePointer<Double>, range: Range<Int>) {
        var h = range.lowerBound
        while h &+ 1 < range.upperBound {
            total.add(SIMD2(weight[h], weight[h &+ 1]) * SIMD2(Double(count[h]), Double(count[h &+ 1])))
            h &+= 2
        }
        if h < range.upperBound { total.add(SIMD2(weight[h] * Double(count[h]), 0)) }
    }
}

extension SystemOutcome {
    /// The index of the first household whose disposable income is not a
    /// finite number (infinite or not a number), or `nil`.
    public var firstNonFiniteHousehold: Int? {
        let y = disposableIncome.values
        var bad = false
        for v in y { bad = bad || !v.isFinite }  // one branch-free pass; the index only when something is wrong
        guard bad else { return nil }
        return y.firstIndex { !$0.isFinite }
    }
}
