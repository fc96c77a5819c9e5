import Foundation

/// Everything about one ``Simulator/run(_:on:context:)`` that is fixed before
/// the first chunk: the bound systems, the chunks, which components a reform
/// shares with the first system, the output columns and the layout of the
/// fused block sums.
///
/// Built once per run; the chunks only read it.
struct KernelLayout: Sendable {
    /// The systems' rules and income columns.
    let bound: [BoundSystem]
    /// The chunks of households (``Simulator/chunkSize`` each, the last shorter).
    let chunks: [Range<Int>]
    /// The number of leading components whose state after them the first
    /// system saves for the systems that share them (0: none is shared).
    let snapshotAt: Int
    /// Per system: whether it starts from the first system's saved state
    /// after the ``snapshotAt`` shared components (never the first system).
    let reuse: [Bool]
    /// The last system that starts from the saved state (−1: none); it works
    /// on the saved state in place, as nothing later needs it.
    let lastReuser: Int
    /// Whether the per-household component columns are written (else a
    /// scratch per component takes the totals).
    let keepColumns: Bool
    /// Per system, its output columns (a reusing system shares the shared
    /// components' columns with the first system).
    let outputs: [SystemOutputs]
    /// Whether any system has a benefit: then benefit recipients are tracked
    /// in every system (a later system may start from the first one's state).
    let anyBenefit: Bool
    /// Whether the kernel forms the indicators' block sums (when chunks hold
    /// whole blocks of ``BlockSums/blockSize`` households).
    let fuse: Bool
    /// The number of blocks of ``BlockSums/blockSize`` households.
    let blockCount: Int
    /// Per system, where its block sums start in ``FusedBlockSums`` (one more
    /// entry at the end: the total).
    let sumsBase: [Int]
    /// Households per sub-batch (``Simulator/subBatchSize``, or the chunk size when smaller).
    let subBatch: Int
    /// The most components of any system (at least 1).
    let maxRules: Int
    /// The most counters of any component (at least 1).
    let maxCounters: Int

    init(_ systems: [TaxBenefitSystem], population: Population, context: RunContext, simulator: Simulator) {
        let households = population.householdCount
        let bound = systems.map { BoundSystem($0, population: population, context: context) }
        self.bound = bound
        chunks = pieceRanges(count: households, size: simulator.chunkSize)
        maxCounters = max(1, bound.flatMap { $0.counterCounts }.max() ?? 1)
        // A reform usually starts with the baseline's own components: those are
        // computed once, in the first system, and their state after them is
        // reused (the same operations in the same order: identical bits).
        let prefixes = systems.map { Simulator.sharedPrefix($0, systems[0]) }
        let snapshotAt = prefixes.dropFirst().first { $0 > 0 } ?? 0
        let reuse = prefixes.enumerated().map { s, k in s > 0 && k == snapshotAt && k > 0 }
        self.snapshotAt = snapshotAt
        self.reuse = reuse
        lastReuser = reuse.lastIndex(of: true) ?? -1
        // A system that reuses the shared components also shares their output
        // columns (the same values): nothing is copied.
        let keepColumns = simulator.keepComponentColumns || simulator.chunkSize % BlockSums.blockSize != 0
        self.keepColumns = keepColumns
        var made: [SystemOutputs] = []
        for (s, system) in bound.enumerated() {
            made.append(SystemOutputs(system, households: households, persons: population.personCount,
                                      personAmounts: simulator.recordPersonAmounts, coverage: simulator.recordCoverage,
                                      componentColumns: keepColumns, sharing: reuse[s] ? (made[0], snapshotAt) : nil))
        }
        outputs = made
        anyBenefit = bound.contains { $0.hasBenefit }
        // When chunks hold whole blocks of 4,096 households (the blocks of the
        // indicator sums), the kernel also forms each block's weighted sums, in
        // exactly the order SystemIndicators would: per system, per component
        // 3 sums (amount, recipients, households paid), then benefit recipients.
        let blockSize = BlockSums.blockSize
        let blockCount = (households + blockSize - 1) / blockSize
        self.blockCount = blockCount
        fuse = simulator.chunkSize % blockSize == 0
        let sumsPerSystem = bound.map { 3 * $0.rules.count + 1 }
        sumsBase = sumsPerSystem.reduce(into: [0]) { $0.append($0.last! + $1 * blockCount) }
        // Chunks are worked through in sub-batches of households small enough
        // that a sub-batch's scratch (running incomes, every component's
        // amounts) stays in the core's cache between the passes over it.
        subBatch = min(simulator.chunkSize, Simulator.subBatchSize)
        maxRules = max(1, bound.map(\.rules.count).max() ?? 1)
    }

    /// Each system's outcome: its output columns, the per-capita range over
    /// the chunks (`min` and `max` of the chunks' ranges, in chunk order) and,
    /// when fused, its block sums (those of the components shared with the
    /// first system were summed there).
    ///
    /// - Parameter perCapitaRanges: Per chunk and system (`chunk × systems + s`),
    ///   the smallest and largest per-capita income.
    func outcomes(_ systems: [TaxBenefitSystem], perCapitaRanges found: [(Double, Double)],
                  sums: FusedBlockSums) -> [SystemOutcome] {
        zip(systems, outputs).enumerated().map { s, pair in
            var outcome = pair.1.finish(system: pair.0)
            var low = Double.infinity, high = -Double.infinity
            for chunk in chunks.indices {
                low = min(low, found[chunk * bound.count + s].0)
                high = max(high, found[chunk * bound.count + s].1)
            }
            if !chunks.isEmpty { outcome.perCapitaBounds = (low, high) }
            if fuse {
                // Components shared with the first system were summed there.
                let from = reuse[s] ? 0 : s
                let count = bound[s].rules.count
                outcome.blockSums = BlockSums(
                    components: (0..<count).map { c in
                        let owner = c < snapshotAt ? from : s
                        return (sums.slots(owner, 3 * c), sums.slots(owner, 3 * c + 1), sums.slots(owner, 3 * c + 2))
                    },
                    benefitRecipients: sums.slots(s, 3 * count))
            }
            return outcome
        }
    }
}

/// The population's household columns and the run's seed, as the chunks read them.
///
/// `@unchecked Sendable`: the pointers point into the population's immutable
/// columns, which outlive the run; nothing is written through them.
struct KernelColumns: @unchecked Sendable {
    /// Each household's first person (one past the last household included).
    let starts: UnsafePointer<Int>
    /// Each household's identifier.
    let ids: UnsafePointer<Int64>
    /// Each household's weight.
    let weights: UnsafePointer<Double>
    /// The run's seed (``RunContext/seed``).
    let seed: UInt64
}

/// The indicators' block sums that the kernel forms while the outputs are in
/// cache (when ``KernelLayout/fuse``): per system, per component `c` the
/// sums `3c` (Σ w × amount), `3c + 1` (Σ w × recipients), `3c + 2`
/// (Σ w × [amount > 0]), then benefit recipients; each sum one slot per block.
///
/// Chunks write the slots of their own blocks (disjoint); read after the
/// chunks have all returned. Freed by ``deallocate()``.
struct FusedBlockSums: Sendable {
    private let buffer: DisjointBuffer<Double>
    private let base: [Int]
    private let blockCount: Int

    init(_ layout: KernelLayout) {
        buffer = DisjointBuffer(.allocate(capacity: layout.fuse ? max(1, layout.sumsBase.last!) : 1))
        base = layout.sumsBase
        blockCount = layout.blockCount
    }

    /// Stores sum `k` of system `s` for block `b`.
    @inline(__always)
    func store(_ value: Double, system s: Int, sum k: Int, block b: Int) {
        buffer[base[s] + k * blockCount + b] = value
    }

    /// Sum `k` of system `s`, block by block.
    func slots(_ s: Int, _ k: Int) -> [Double] {
        Array(UnsafeBufferPointer(start: buffer.base + base[s] + k * blockCount, count: blockCount))
    }

    func deallocate() { buffer.base.deallocate() }
}

/// A system's rules and income columns, fetched once per run.
///
/// `@unchecked Sendable`: `income` points into the immutable columns held by
/// `incomeColumns`, which live as long as this value; nothing is written.
struct BoundSystem: @unchecked Sendable {
    let income: [UnsafeBufferPointer<Double>]
    let incomeColumns: [Column<Double>]  // keeps `income` alive
    let rules: [any HouseholdRule]
    let signs: [Double]
    let householdUnit: [Bool]
    let counterCounts: [Int]
    /// Whether the rule writes every person's amount (so the kernel need not zero them).
    let fillsEveryAmount: [Bool]
    /// Whether any component is a benefit (else nobody is a benefit recipient).
    let hasBenefit: Bool

    init(_ system: TaxBenefitSystem, population: Population, context: RunContext) {
        incomeColumns = system.marketIncome.map { population.reals($0) }
        income = incomeColumns.map(\.values)
        rules = system.components.map { $0.module.bind(to: population, context: context) }
        signs = system.components.map { $0.module.kind.sign }
        householdUnit = system.components.map { $0.module.beneficiaryUnit == .household }
        counterCounts = system.components.map { $0.module.counters.count }
        fillsEveryAmount = rules.map(\.fillsEveryAmount)
        hasBenefit = system.components.contains { $0.module.kind.sign > 0 }
    }
}
