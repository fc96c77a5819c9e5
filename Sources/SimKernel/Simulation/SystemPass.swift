import Foundation

/// One system's pass over one chunk: the stages of the household pass, each
/// applied to one sub-batch at a time.
///
/// Per sub-batch ``Simulator/run(_:on:context:)`` calls, in this order:
/// 1. ``subBatch(_:)``: where the sub-batch's state lives;
/// 2. ``startFromMarketIncome(_:)``, or ``restoreSharedState(_:)`` for a
///    system that starts from the first system's state after the shared
///    components;
/// 3. ``applyComponent(_:to:)`` for each component of ``components`` in order
///    (the first system calls ``saveSharedState(_:)`` after the shared ones);
/// 4. ``finishHouseholds(_:)``;
/// 5. ``addBlockSums(_:to:)`` when the block sums are fused.
///
/// Components run in order, each over the whole sub-batch: a household's
/// component `c` sees only its own income after components `< c`, so this
/// gives exactly the household-by-household result, whatever the sub-batch
/// and chunk boundaries.
struct SystemPass {
    /// The system's index in the run.
    let s: Int
    let system: BoundSystem
    let out: SystemOutputs
    /// The first system's outputs (for the shared components' coverage bits).
    let firstOutputs: SystemOutputs
    let scratch: ChunkScratch
    let columns: KernelColumns
    /// The system's number of components.
    let ruleCount: Int
    /// The first component computed in this pass (a reusing system's shared
    /// ones were computed by the first system).
    let firstComponent: Int
    /// The number of components computed in this pass.
    let active: Int
    /// Whether this system starts from the first system's saved state.
    let startsFromSharedState: Bool
    /// Whether the running incomes and benefit marks live in the saved
    /// state's place: when all of the first system is shared (nothing to copy
    /// when it is saved), and for the last system to start from the saved
    /// state (nothing later needs it).
    let inPlace: Bool
    let snapshotAt: Int
    /// The coverage bits of the shared leading components (those a reusing system copies).
    let sharedBits: UInt32
    let anyBenefit: Bool
    let keepColumns: Bool
    let disposableOut: UnsafeMutablePointer<Double>
    let benefitRecipientOut: UnsafeMutablePointer<Int32>
    /// The smallest and largest per-capita income so far.
    var low = Double.infinity, high = -Double.infinity
    /// The running block sum of benefit recipients (the components' are in the scratch).
    var recipientBlock = CountBlockSum()

    /// The pass of system `s` of `layout` over the chunk of `scratch`; resets
    /// the running block sums.
    init(system s: Int, layout: KernelLayout, scratch: ChunkScratch, columns: KernelColumns) {
        self.s = s
        system = layout.bound[s]
        out = layout.outputs[s]
        firstOutputs = layout.outputs[0]
        self.scratch = scratch
        self.columns = columns
        ruleCount = system.rules.count
        startsFromSharedState = layout.reuse[s]
        firstComponent = startsFromSharedState ? layout.snapshotAt : 0
        active = ruleCount - firstComponent
        snapshotAt = layout.snapshotAt
        sharedBits = layout.bound[0].coverageBits.prefix(layout.snapshotAt).reduce(0, |)
        inPlace = s == layout.lastReuser || (s == 0 && snapshotAt > 0 && snapshotAt == ruleCount)
        anyBenefit = layout.anyBenefit
        keepColumns = layout.keepColumns
        disposableOut = out.disposable.base
        benefitRecipientOut = out.benefitRecipients.base
        for k in 0..<active { scratch.wholeHousehold[k] = system.householdUnit[firstComponent + k] }
        // Running block sums, carried across the sub-batches of a 4,096-household
        // block: per component of the pass, Σ w × amount, Σ w × recipients and
        // Σ w × [amount > 0]; and benefit recipients.
        for k in 0..<active { scratch.block[k] = ComponentBlockSums() }
    }

    /// The components computed in this pass, in order.
    var components: Range<Int> { firstComponent..<ruleCount }

    /// The smallest and largest per-capita income of the chunk's households
    /// (after all its sub-batches: (+∞, −∞) for an empty chunk).
    var perCapitaRange: (Double, Double) { (low, high) }

    /// Whether the first system saves the shared state before component `c`
    /// (`c == ruleCount`: after its last).
    func savesSharedState(before c: Int) -> Bool { s == 0 && snapshotAt > 0 && c == snapshotAt }

    /// Stage: places sub-batch `households`'s state, and points the component
    /// totals' destinations (``ChunkScratch/amountOut``,
    /// ``ChunkScratch/recipientOut``) at its first household.
    func subBatch(_ households: Range<Int>) -> SubBatch {
        let first = columns.starts[households.lowerBound]
        let n = columns.starts[households.upperBound] &- first
        let saved = first &- scratch.firstPerson  // the sub-batch's place in the chunk's saved state
        let income = inPlace ? scratch.savedIncome + saved : scratch.income
        let receives = inPlace && anyBenefit ? scratch.savedReceives + saved : scratch.receives
        // Component totals of the sub-batch's households, indexed from its first household.
        let h0 = households.lowerBound
        for k in 0..<active {
            if keepColumns {
                scratch.amountOut[k] = out.amount[firstComponent + k]!.base + h0
                scratch.recipientOut[k] = out.recipients[firstComponent + k]!.base + h0
            } else {
                scratch.amountOut[k] = scratch.amountScratch + k * scratch.subBatchSize
                scratch.recipientOut[k] = scratch.recipientScratch + k * scratch.subBatchSize
            }
        }
        return SubBatch(households: households, first: first, count: n, saved: saved, income: income,
                        receives: receives, mask: out.componentMask.map { $0.base + first })
    }

    /// Stage: market income. Each person's running income is `0 + x₁ + x₂ + …`
    /// over the system's market-income columns, added left to right in the
    /// system's order (the `0 +` as if added to a zeroed buffer: the sign of
    /// a zero is kept the same); the first two columns in one pass, the rest
    /// one column at a time (contiguous, vectorisable). With no column, 0.
    /// Also clears the benefit marks and the coverage bits.
    func startFromMarketIncome(_ b: SubBatch) {
        let income = b.income, n = b.count, first = b.first
        let columns = system.income
        MarketIncome.sum(columns: columns.count, { columns[$0].baseAddress! + first }, persons: n, into: income)
        if anyBenefit { b.receives.update(repeating: 0, count: n) }
        b.mask?.update(repeating: 0, count: n)
    }

    /// Stage: saves the sub-batch's running incomes and benefit marks after
    /// the shared components, for the systems that start from them (a copy;
    /// nothing to do when the state is already in place).
    func saveSharedState(_ b: SubBatch) {
        guard !inPlace else { return }  // already there
        (scratch.savedIncome + b.saved).update(from: b.income, count: b.count)
        if anyBenefit { (scratch.savedReceives + b.saved).update(from: b.receives, count: b.count) }
    }

    /// Stage: starts from the first system's saved state after the shared
    /// components (a copy of the running incomes and benefit marks, unless
    /// this pass works on them in place) and copies their coverage bits.
    func restoreSharedState(_ b: SubBatch) {
        if !inPlace {
            b.income.update(from: scratch.savedIncome + b.saved, count: b.count)
            if anyBenefit { b.receives.update(from: scratch.savedReceives + b.saved, count: b.count) }
        }
        firstOutputs.copyMask(keep: sharedBits, persons: b.first..<(b.first + b.count), to: out)
    }

    /// Stage: applies component `c` to the sub-batch, in this order:
    /// ``applyRule(_:to:)`` (the members' amounts), ``addToRunningIncome(_:amounts:of:)``,
    /// ``markRecipients(_:amounts:of:)``, ``storeCounters(_:of:)``.
    func applyComponent(_ c: Int, to b: SubBatch) {
        let a = applyRule(c, to: b)
        addToRunningIncome(c, amounts: a, of: b)
        markRecipients(c, amounts: a, of: b)
        storeCounters(c, of: b)
    }

    /// The counter slots of component `c` for the sub-batch's households
    /// (`households × counterCount`, household-major).
    func counters(_ c: Int, of b: SubBatch) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(rebasing: scratch.counterSlots[0..<(b.households.count * system.counterCounts[c])])
    }

    /// Stage: the rule of component `c` writes each person's amount into the
    /// component's slot of ``ChunkScratch/amounts`` (zeroed first unless the
    /// rule ``HouseholdRule/fillsEveryAmount``; counters zeroed first), in one
    /// call over the sub-batch with a ``HouseholdBatch`` that gives the running
    /// incomes and the amounts of the earlier components of this pass
    /// (`earlierAmounts`, `earliestComponent`, `component`). The amounts are
    /// copied to the per-person column when recorded.
    ///
    /// - Returns: The amounts (`b.count` of them).
    func applyRule(_ c: Int, to b: SubBatch) -> UnsafeMutablePointer<Double> {
        let n = b.count
        let a = scratch.amounts + (c - firstComponent) * scratch.widest
        let counterCount = system.counterCounts[c]
        let counters = counters(c, of: b)
        if !system.fillsEveryAmount[c] { a.update(repeating: 0, count: n) }
        counters.update(repeating: 0)
        let batch = HouseholdBatch(
            households: b.households, firstPerson: b.first, starts: columns.starts, ids: columns.ids,
            income: UnsafeBufferPointer(start: b.income, count: n), random: scratch.random,
            seed: columns.seed, counters: counters, counterCount: counterCount,
            earlierAmounts: scratch.amounts, earlierStride: scratch.widest, earliestComponent: firstComponent,
            component: c)
        system.rules[c].apply(batch: batch, amounts: UnsafeMutableBufferPointer(start: a, count: n))
        if let personOut = out.personAmount?[c] { (personOut.base + b.first).update(from: a, count: n) }
        return a
    }

    /// Stage: running income, person by person: `income[i] += sign × a[i]`
    /// with the component's sign ±1 (benefits added, taxes and contributions
    /// subtracted; the product is exact).
    func addToRunningIncome(_ c: Int, amounts a: UnsafeMutablePointer<Double>, of b: SubBatch) {
        let income = b.income, n = b.count
        let sign = system.signs[c]
        for i in 0..<n { income[i] += sign * a[i] }
    }

    /// Stage: benefit recipients (for a benefit) and coverage bits (when
    /// recorded; bit `c`, none past 31): the members of a household whose
    /// amounts sum to a positive total (members in order) and who have a
    /// positive amount, or all its members for a household benefit.
    ///
    /// When no amount of the sub-batch is negative or not a number and the
    /// benefit is per person, a household's total is positive exactly when a
    /// member's amount is, so each member's own amount decides (person by
    /// person, no branch); else household by household.
    func markRecipients(_ c: Int, amounts a: UnsafeMutablePointer<Double>, of b: SubBatch) {
        let sign = system.signs[c]
        let mask = b.mask, receives = b.receives, n = b.count, first = b.first
        let startAt = columns.starts
        guard sign > 0 || mask != nil else { return }
        let bit = system.coverageBits[c]
        var irregular: UInt64 = 0  // any amount negative or not a number
        for i in 0..<n { irregular |= BranchFree.flag(!(a[i] >= 0)) }
        let householdUnit = system.householdUnit[c]
        if !householdUnit && irregular == 0 {
            // No amount below 0: a household's total is positive exactly
            // when a member's amount is, so each member's own amount decides.
            if sign > 0 { for i in 0..<n { receives[i] |= UInt8(truncatingIfNeeded: BranchFree.flag(a[i] > 0)) } }
            if let mask { for i in 0..<n { mask[i] |= bit & UInt32(truncatingIfNeeded: 0 &- BranchFree.flag(a[i] > 0)) } }
        } else {
            for h in b.households {
                let lo = startAt[h] &- first, hi = startAt[h &+ 1] &- first
                var total = 0.0
                for i in lo..<hi { total += a[i] }
                guard total > 0 else { continue }
                for i in lo..<hi where householdUnit || a[i] > 0 {
                    if sign > 0 { receives[i] = 1 }
                    mask?[i] |= bit
                }
            }
        }
    }

    /// Stage: copies component `c`'s counters of the sub-batch's households
    /// to its counter columns (no arithmetic).
    func storeCounters(_ c: Int, of b: SubBatch) {
        let counterCount = system.counterCounts[c]
        guard counterCount > 0 else { return }
        let counters = counters(c, of: b)
        let batchHouseholds = b.households
        for (j, column) in out.counters[c].enumerated() {
            for h in batchHouseholds {
                column[h] = counters[(h - batchHouseholds.lowerBound) * counterCount + j]
            }
        }
    }
}

/// A sub-batch of a chunk's households and where its state lives.
struct SubBatch {
    /// The sub-batch's households.
    let households: Range<Int>
    /// Its first person.
    let first: Int
    /// Its number of persons.
    let count: Int
    /// Its first person's offset in the chunk's saved state.
    let saved: Int
    /// The persons' running incomes.
    let income: UnsafeMutablePointer<Double>
    /// The persons' benefit marks.
    let receives: UnsafeMutablePointer<UInt8>
    /// The persons' coverage bits, when recorded.
    let mask: UnsafeMutablePointer<UInt32>?
}
