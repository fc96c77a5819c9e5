import Foundation

/// Runs tax-benefit systems over every household of a population, in
/// parallel.
///
/// Households are cut into chunks of ``chunkSize`` (a fixed number, never
/// derived from the thread count); chunks run on the threads of ``plan``
/// and write disjoint ranges of the output columns. Every household's
/// result depends only on that household's data, so the output is the same
/// bit for bit whatever the thread count or chunk size.
///
/// Per household and system the kernel:
/// 1. sets each member's income to the sum of the system's market-income
///    variables;
/// 2. applies the components in order: each rule writes its members'
///    amounts, the kernel adds them (benefits) or subtracts them (taxes,
///    contributions) from the members' income;
/// 3. stores the household's disposable income (members' incomes summed in
///    member order) and each component's amount and number of recipients.
///
/// Several systems (baseline and reform) run in one pass over the data.
public struct Simulator: Sendable {
    /// Threads.
    public var plan: ParallelPlan
    /// Households per chunk of work.
    public var chunkSize: Int
    /// Also keep every person's amount of every component (for costing by
    /// age and sex, incidence by person); off by default to save memory.
    public var recordPersonAmounts = false
    /// Also keep, per person, which components give them an amount
    /// (``SystemOutcome/componentMask``), for coverage figures; off by default.
    public var recordCoverage = false
    /// Keep each component's amount and recipients per household
    /// (``SystemOutcome/ComponentOutcome/householdAmount``); on by default.
    /// Without them a run writes 12 bytes less per household and component
    /// (``SystemIndicators`` then reads the block sums the kernel forms; they
    /// are kept anyway when ``chunkSize`` is not a multiple of 4,096, as the
    /// indicators then sum the columns).
    public var keepComponentColumns = true

    /// Households per sub-batch: a chunk is worked through in sub-batches this
    /// small, so that a sub-batch's scratch stays in cache between the passes
    /// over it. Divides ``BlockSums/blockSize``.
    static let subBatchSize = 1024

    public init(plan: ParallelPlan = ParallelPlan(), chunkSize: Int = 4096) {
        precondition(chunkSize > 0, "chunk size must be positive")
        self.plan = plan
        self.chunkSize = chunkSize
    }

    /// Simulates `systems` on `population`.
    ///
    /// The run is a fixed list of stages (each documented where it is
    /// defined, with the exact order of its floating-point operations, which
    /// is part of the contract: the same bits for any thread count and chunk
    /// size):
    /// - once per run, the `KernelLayout`: bound systems, the components a
    ///   reform shares with the first system, output columns, fused block sums;
    /// - per chunk, its `ChunkScratch` and the size ordering of its
    ///   sub-batches (`ChunkScratch.orderBySize(starts:)`);
    /// - per system of the chunk (a `SystemPass`) and sub-batch: the starting
    ///   state (market income, or the shared components' saved state), each
    ///   component in order (rule, running income, recipients and coverage
    ///   marks, counters; the shared state saved after the shared ones), the
    ///   finishing pass over the households, the fused block sums;
    /// - per system, the outcome assembled from the chunks' results in chunk order.
    ///
    /// - Returns: One outcome per system, in order.
    /// - Complexity: O(persons × components), spread over the threads.
    public func run(_ systems: [TaxBenefitSystem], on population: Population,
                    context: RunContext = RunContext()) -> [SystemOutcome] {
        let layout = KernelLayout(systems, population: population, context: context, simulator: self)
        let chunks = layout.chunks
        let starts = population.householdStart, ids = population.householdID, weights = population.weight
        // Per chunk and system: the smallest and largest per-capita income.
        let ranges = DisjointSlots(count: chunks.count * systems.count, initial: (Double.infinity, -Double.infinity))
        let sums = FusedBlockSums(layout)
        defer { sums.deallocate() }
        let arenas = ScratchArenas()
        defer { arenas.free() }

        plan.forEach(pieces: chunks.count) { chunk in
            let columns = KernelColumns(starts: starts.values.baseAddress!, ids: ids.values.baseAddress!,
                                        weights: weights.values.baseAddress!, seed: context.seed)
            var carver = ScratchCarver(arena: arenas.take())
            defer { arenas.give(carver.arena) }
            let scratch = ChunkScratch(carving: &carver, households: chunks[chunk], starts: columns.starts, layout: layout)
            scratch.orderBySize(starts: columns.starts)
            for s in systems.indices {
                var pass = SystemPass(system: s, layout: layout, scratch: scratch, columns: columns)
                for households in scratch.subBatches {
                    let batch = pass.subBatch(households)
                    if pass.startsFromSharedState {
                        pass.restoreSharedState(batch)
                    } else {
                        pass.startFromMarketIncome(batch)
                    }
                    for c in pass.components {
                        if pass.savesSharedState(before: c) { pass.saveSharedState(batch) }
                        pass.applyComponent(c, to: batch)
                    }
                    if pass.savesSharedState(before: pass.ruleCount) { pass.saveSharedState(batch) }
                    pass.finishHouseholds(batch)
                    if layout.fuse { pass.addBlockSums(batch, to: sums) }
                }
                ranges.write(chunk * systems.count + s, pass.perCapitaRange)
            }
        }
        return layout.outcomes(systems, perCapitaRanges: ranges.finish(), sums: sums)
    }
}

extension Simulator {
    /// How many leading components `a` shares with `b` (same market income,
    /// and component by component the same name, module and parameter
    /// values); 0 when a component of `a` reads earlier components' amounts
    /// (``PolicyModule/readsEarlierAmounts``), as those of shared components
    /// are not kept.
    static func sharedPrefix(_ a: TaxBenefitSystem, _ b: TaxBenefitSystem) -> Int {
        guard a.marketIncome == b.marketIncome else { return 0 }
        guard !a.components.contains(where: { $0.module.readsEarlierAmounts }) else { return 0 }
        var k = 0
        while k < a.components.count, k < b.components.count {
            let x = a.components[k], y = b.components[k]
            guard x.name == y.name, x.moduleName == y.moduleName, x.parameters == y.parameters else { break }
            k += 1
        }
        return k
    }
}
