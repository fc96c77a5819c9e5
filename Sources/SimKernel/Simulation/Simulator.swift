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
    /// - Returns: One outcome per system, in order.
    /// - Complexity: O(persons × components), spread over the threads.
    public func run(_ systems: [TaxBenefitSystem], on population: Population,
                    context: RunContext = RunContext()) -> [SystemOutcome] {
        let households = population.householdCount
        let bound = systems.map { BoundSystem($0, population: population, context: context) }
        let chunks = pieceRanges(count: households, size: chunkSize)
        let householdStarts = population.householdStart
        let householdIDs = population.householdID
        let seed = context.seed
        let maxCounters = max(1, bound.flatMap { $0.counterCounts }.max() ?? 1)
        // A reform usually starts with the baseline's own components: those are
        // computed once, in the first system, and their state after them is
        // reused (the same operations in the same order: identical bits).
        let prefixes = systems.map { Self.sharedPrefix($0, systems[0]) }
        let snapshotAt = prefixes.dropFirst().first { $0 > 0 } ?? 0
        let reuse = prefixes.enumerated().map { s, k in s > 0 && k == snapshotAt && k > 0 }
        let lastReuser = reuse.lastIndex(of: true) ?? -1
        // A system that reuses the shared components also shares their output
        // columns (the same values): nothing is copied.
        let keepColumns = keepComponentColumns || chunkSize % BlockSums.blockSize != 0
        var made: [SystemOutputs] = []
        for (s, system) in bound.enumerated() {
            made.append(SystemOutputs(system, households: households, persons: population.personCount,
                                         personAmounts: recordPersonAmounts, coverage: recordCoverage,
                                         componentColumns: keepColumns, sharing: reuse[s] ? (made[0], snapshotAt) : nil))
        }
        let outputs = made

        // Benefit recipients are tracked when any system has a benefit (a later
        // system may start from the first one's state).
        let anyBenefit = bound.contains { $0.hasBenefit }
        // Per chunk and system: the smallest and largest per-capita income.
        let bounds = DisjointSlots(count: chunks.count * bound.count, initial: (Double.infinity, -Double.infinity))
        // When chunks hold whole blocks of 4,096 households (the blocks of the
        // indicator sums), the kernel also forms each block's weighted sums, in
        // exactly the order SystemIndicators would: per system, per component
        // 3 sums (amount, recipients, households paid), then benefit recipients.
        let blockSize = BlockSums.blockSize
        let blockCount = (households + blockSize - 1) / blockSize
        let fuse = chunkSize % blockSize == 0
        let sumsPerSystem = bound.map { 3 * $0.rules.count + 1 }
        let sumsStorage = UnsafeMutableBufferPointer<Double>.allocate(capacity: fuse ? max(1, sumsPerSystem.reduce(0, +) * blockCount) : 1)
        defer { sumsStorage.deallocate() }
        let sums = DisjointBuffer(sumsStorage)
        let sumsBase = sumsPerSystem.reduce(into: [0]) { $0.append($0.last! + $1 * blockCount) }
        let weightColumn = population.weight

        // Chunks are worked through in sub-batches of households small enough
        // that a sub-batch's scratch (running incomes, every component's
        // amounts) stays in the core's cache between the passes over it.
        let subBatch = min(chunkSize, Self.subBatchSize)
        let maxRules = max(1, bound.map(\.rules.count).max() ?? 1)
        let arenas = ScratchArenas()
        defer { arenas.free() }

        plan.forEach(pieces: chunks.count) { chunk in
            let startAt = householdStarts.values.baseAddress!
            let idAt = householdIDs.values.baseAddress!
            let weightAt = weightColumn.values.baseAddress!
            let households = chunks[chunk]
            let firstPerson = startAt[households.lowerBound]
            let persons = startAt[households.upperBound] &- firstPerson
            var widest = 1  // persons in the largest sub-batch
            var h0 = households.lowerBound
            while h0 < households.upperBound {
                let h1 = min(h0 + subBatch, households.upperBound)
                widest = max(widest, startAt[h1] - startAt[h0])
                h0 = h1
            }
            // Per-chunk scratch, carved from an arena that the chunks of a run pass on
            // to each other (no allocation per household, sub-batch or chunk, so
            // no fresh pages for the operating system to zero chunk after chunk).
            var scratch = ScratchCarver(arena: arenas.take())
            defer { arenas.give(scratch.arena) }
            let personSlots = snapshotAt > 0 ? max(persons, 1) : 1
            let incomeScratch = scratch.take(Double.self, widest)
            let receivesScratch = scratch.take(UInt8.self, widest)
            receivesScratch.initialize(repeating: 0, count: widest)  // stays 0 when no system has a benefit
            let amounts = scratch.take(Double.self, widest * maxRules)
            let counterSlots = UnsafeMutableBufferPointer(start: scratch.take(Double.self, max(1, subBatch * maxCounters)),
                                                          count: max(1, subBatch * maxCounters))
            let savedIncome = scratch.take(Double.self, personSlots)
            let savedReceives = scratch.take(UInt8.self, personSlots)
            let zeros = scratch.take(Double.self, widest)  // the amounts of an unused SIMD lane
            zeros.initialize(repeating: 0, count: widest)
            // Where the household pass writes each component's totals: the output
            // columns, or, when they are not kept, a scratch per component.
            let amountOut = scratch.take(UnsafeMutablePointer<Double>.self, maxRules)
            let recipientOut = scratch.take(UnsafeMutablePointer<Int32>.self, maxRules)
            let amountScratch = scratch.take(Double.self, maxRules * subBatch)
            let recipientScratch = scratch.take(Int32.self, maxRules * subBatch)
            let wholeHousehold = scratch.take(Bool.self, maxRules)
            let block = scratch.take(ComponentBlockSums.self, maxRules)
            let random = RandomStream()
            // The chunk's households ordered by size within each sub-batch (a stable
            // counting sort, sizes above 15 together): the household pass visits them
            // in this order, so that its loop over members runs the same number of
            // times for long stretches and its exit branch is predicted. Every
            // household's own operations are unchanged, so are its results.
            let bySize = scratch.take(Int32.self, max(1, households.count))
            do {
                var next = [Int](repeating: 0, count: 17)
                var h0 = households.lowerBound
                while h0 < households.upperBound {
                    let h1 = min(h0 + subBatch, households.upperBound)
                    for k in 0..<17 { next[k] = 0 }
                    for h in h0..<h1 { next[min(startAt[h + 1] - startAt[h], 16)] += 1 }
                    var at = h0 - households.lowerBound
                    for k in 0..<17 {
                        let c = next[k]
                        next[k] = at
                        at += c
                    }
                    for h in h0..<h1 {
                        let k = min(startAt[h + 1] - startAt[h], 16)
                        bySize[next[k]] = Int32(truncatingIfNeeded: h - households.lowerBound)
                        next[k] += 1
                    }
                    h0 = h1
                }
            }
            for s in 0..<bound.count {
                let system = bound[s]
                let out = outputs[s]
                let ruleCount = system.rules.count
                let firstComponent = reuse[s] ? snapshotAt : 0
                // The components computed in this pass (a reform's shared ones were computed by the first system).
                let active = ruleCount - firstComponent
                for k in 0..<active { wholeHousehold[k] = system.householdUnit[firstComponent + k] }
                let hasBenefit = system.hasBenefit
                let disposableOut = out.disposable.base, benefitRecipientOut = out.benefitRecipients.base
                var low = Double.infinity, high = -Double.infinity
                // Running block sums, carried across the sub-batches of a 4,096-household
                // block: per component of the pass, Σ w × amount, Σ w × recipients and
                // Σ w × [amount > 0]; and benefit recipients.
                for k in 0..<active { block[k] = ComponentBlockSums() }
                var recipientBlock = CountBlockSum()

                var subStart = households.lowerBound
                while subStart < households.upperBound {
                    let batchHouseholds = subStart..<min(subStart + subBatch, households.upperBound)
                    subStart = batchHouseholds.upperBound
                    let first = startAt[batchHouseholds.lowerBound]
                    let n = startAt[batchHouseholds.upperBound] &- first
                    let saved = first &- firstPerson  // the sub-batch's place in the chunk's saved state
                    // The running incomes and benefit marks: when all of the first system is
                    // shared, it runs in the saved state's place (nothing to copy when it is
                    // saved), and the last system to start from the saved state works on it
                    // in place (nothing later needs it).
                    let inPlace = s == lastReuser || (s == 0 && snapshotAt > 0 && snapshotAt == ruleCount)
                    let income = inPlace ? savedIncome + saved : incomeScratch
                    let receives = inPlace && anyBenefit ? savedReceives + saved : receivesScratch
                    // Component totals of the sub-batch's households, indexed from its first household.
                    let h0 = batchHouseholds.lowerBound
                    for k in 0..<active {
                        if keepColumns {
                            amountOut[k] = out.amount[firstComponent + k]!.base + h0
                            recipientOut[k] = out.recipients[firstComponent + k]!.base + h0
                        } else {
                            amountOut[k] = amountScratch + k * subBatch
                            recipientOut[k] = recipientScratch + k * subBatch
                        }
                    }
                    let mask = out.componentMask.map { $0.base + first }
                    func save() {
                        guard !inPlace else { return }  // already there
                        (savedIncome + saved).update(from: income, count: n)
                        if anyBenefit { (savedReceives + saved).update(from: receives, count: n) }
                    }
                    if reuse[s] {
                        // Start from the first system's state after the shared components.
                        if !inPlace {
                            income.update(from: savedIncome + saved, count: n)
                            if anyBenefit { receives.update(from: savedReceives + saved, count: n) }
                        }
                        outputs[0].copyMask(components: 0..<snapshotAt, persons: first..<(first + n), to: out)
                    } else {
                        // Market income: one column at a time (contiguous, vectorisable).
                        // 0 + x, as if added to a zeroed buffer (the sign of a zero is kept the same).
                        // (The first two columns in one pass: the same additions in the same order.)
                        let columns = system.income
                        if columns.count >= 2 {
                            let x = columns[0].baseAddress! + first, y = columns[1].baseAddress! + first
                            for i in 0..<n { income[i] = (0 + x[i]) + y[i] }
                        } else if let column = columns.first {
                            let source = column.baseAddress! + first
                            for i in 0..<n { income[i] = 0 + source[i] }
                        } else {
                            income.update(repeating: 0, count: n)
                        }
                        for column in columns.dropFirst(2) {
                            let source = column.baseAddress! + first
                            for i in 0..<n { income[i] += source[i] }
                        }
                        if anyBenefit { receives.update(repeating: 0, count: n) }
                        mask?.update(repeating: 0, count: n)
                    }
                    // Components in order, each over the whole sub-batch: a household's
                    // component c sees only its own income after components < c, so
                    // this gives exactly the household-by-household result.
                    for c in firstComponent..<ruleCount {
                        if s == 0 && c == snapshotAt && snapshotAt > 0 { save() }
                        let a = amounts + (c - firstComponent) * widest
                        let counterCount = system.counterCounts[c]
                        let counters = UnsafeMutableBufferPointer(rebasing: counterSlots[0..<(batchHouseholds.count * counterCount)])
                        if !system.fillsEveryAmount[c] { a.update(repeating: 0, count: n) }
                        counters.update(repeating: 0)
                        let batch = HouseholdBatch(
                            households: batchHouseholds, firstPerson: first, starts: startAt, ids: idAt,
                            income: UnsafeBufferPointer(start: income, count: n), random: random,
                            seed: seed, counters: counters, counterCount: counterCount,
                            earlierAmounts: amounts, earlierStride: widest, earliestComponent: firstComponent, component: c)
                        system.rules[c].apply(batch: batch, amounts: UnsafeMutableBufferPointer(start: a, count: n))
                        if let personOut = out.personAmount?[c] { (personOut.base + first).update(from: a, count: n) }
                        // Running income, person by person (the sign is ±1: exact).
                        let sign = system.signs[c]
                        for i in 0..<n { income[i] += sign * a[i] }
                        // Benefit recipients (and coverage bits): the members of a household
                        // with a positive total who have a positive amount (or all members, for
                        // a household benefit).
                        if sign > 0 || mask != nil {
                            let bit: UInt32 = c < 32 ? 1 << UInt32(c) : 0
                            var irregular: UInt64 = 0  // any amount negative or not a number
                            for i in 0..<n { irregular |= BranchFree.flag(!(a[i] >= 0)) }
                            if !system.householdUnit[c] && irregular == 0 {
                                // No amount below 0: a household's total is positive exactly
                                // when a member's amount is, so each member's own amount decides.
                                if sign > 0 { for i in 0..<n { receives[i] |= UInt8(truncatingIfNeeded: BranchFree.flag(a[i] > 0)) } }
                                if let mask { for i in 0..<n { mask[i] |= bit & UInt32(truncatingIfNeeded: 0 &- BranchFree.flag(a[i] > 0)) } }
                            } else {
                                for h in batchHouseholds {
                                    let lo = startAt[h] &- first, hi = startAt[h &+ 1] &- first
                                    var total = 0.0
                                    for i in lo..<hi { total += a[i] }
                                    guard total > 0 else { continue }
                                    for i in lo..<hi where system.householdUnit[c] || a[i] > 0 {
                                        if sign > 0 { receives[i] = 1 }
                                        mask?[i] |= bit
                                    }
                                }
                            }
                        }
                        if counterCount > 0 {
                            for (j, column) in out.counters[c].enumerated() {
                                for h in batchHouseholds {
                                    column[h] = counters[(h - batchHouseholds.lowerBound) * counterCount + j]
                                }
                            }
                        }
                    }
                    if s == 0 && snapshotAt == ruleCount && snapshotAt > 0 { save() }

                    // Passes over the households, one per group of up to four components
                    // of the pass (their amounts summed and recipients counted as SIMD
                    // lanes, members in order: lane by lane the same operations as a
                    // scalar sum); the first also finishes the household: disposable
                    // income, benefit recipients, per-capita range.
                    let chunkStart = households.lowerBound
                    var group = 0
                    repeat {
                        let lanes = min(4, active - group)
                        @inline(__always) func lane(_ j: Int) -> UnsafeMutablePointer<Double> {
                            j < lanes ? amounts + (group + j) * widest : zeros
                        }
                        let a0 = lane(0), a1 = lane(1), a2 = lane(2), a3 = lane(3)
                        let finishing = group == 0
                        var wholeMask = SIMDMask<SIMD4<Int64>>(repeating: false)
                        for j in 0..<lanes { wholeMask[j] = wholeHousehold[group + j] }
                        // A household's outputs, from its lanes' sums and counts (recipients:
                        // members with a positive amount, or all of them for a household
                        // benefit with a positive total, already set in `count`); the
                        // group of the first components also finishes the household.
                        @inline(__always)
                        func finish(_ h: Int, size: Int, total: (Int) -> Double, count: (Int) -> Int64, y: Double, receiving: Int32) {
                            for j in 0..<lanes {
                                amountOut[group &+ j][h &- h0] = total(j)
                                recipientOut[group &+ j][h &- h0] = Int32(truncatingIfNeeded: count(j))
                            }
                            guard finishing else { return }
                            disposableOut[h] = y
                            benefitRecipientOut[h] = hasBenefit ? receiving : 0
                            let perCapita = y / Double(size)
                            if perCapita < low { low = perCapita }
                            if perCapita > high { high = perCapita }
                        }
                        let positions = (batchHouseholds.lowerBound - chunkStart)..<(batchHouseholds.upperBound - chunkStart)
                        if lanes <= 2 {
                            // At most two components: the same pass on two lanes (half the loads).
                            var wholeMask2 = SIMDMask<SIMD2<Int64>>(repeating: false)
                            for j in 0..<lanes { wholeMask2[j] = wholeHousehold[group + j] }
                            for position in positions {
                                let h = chunkStart &+ Int(bySize[position])
                                let lo = startAt[h] &- first, hi = startAt[h &+ 1] &- first
                                var total = SIMD2<Double>(repeating: 0)
                                var count = SIMD2<Int64>(repeating: 0)
                                var y = 0.0
                                var receiving: Int32 = 0
                                var i = lo
                                while i < hi {
                                    let x = SIMD2(a0[i], a1[i])
                                    total += x
                                    count.replace(with: count &+ 1, where: x .> 0)
                                    y += income[i]
                                    receiving &+= Int32(receives[i])
                                    i &+= 1
                                }
                                count.replace(with: SIMD2(repeating: Int64(hi &- lo)), where: (total .> 0) .& wholeMask2)
                                finish(h, size: hi &- lo, total: { total[$0] }, count: { count[$0] }, y: y, receiving: receiving)
                            }
                            group += 4
                            continue
                        }
                        for position in positions {
                            let h = chunkStart &+ Int(bySize[position])
                            let lo = startAt[h] &- first, hi = startAt[h &+ 1] &- first
                            var total = SIMD4<Double>(repeating: 0)
                            var count = SIMD4<Int64>(repeating: 0)
                            var y = 0.0
                            var receiving: Int32 = 0
                            var i = lo
                            while i < hi {
                                let x = SIMD4(a0[i], a1[i], a2[i], a3[i])
                                total += x
                                count.replace(with: count &+ 1, where: x .> 0)
                                y += income[i]
                                receiving &+= Int32(receives[i])  // kept only for systems with a benefit
                                i &+= 1
                            }
                            count.replace(with: SIMD4(repeating: Int64(hi &- lo)), where: (total .> 0) .& wholeMask)
                            finish(h, size: hi &- lo, total: { total[$0] }, count: { count[$0] }, y: y, receiving: receiving)
                        }
                        group += 4
                    } while group < active
                    // A block of the indicator sums ends with this sub-batch (sub-batches
                    // divide blocks when the sums are fused): store its sums.
                    guard fuse else { continue }
                    // The block sums of the sub-batch, from its outputs (still in cache).
                    let local = 0..<batchHouseholds.count
                    for k in 0..<active {
                        block[k].add(amount: amountOut[k], recipients: recipientOut[k], weight: weightAt + h0, range: local)
                    }
                    recipientBlock.add(count: benefitRecipientOut, weight: weightAt, range: batchHouseholds)
                    let end = batchHouseholds.upperBound
                    if end % blockSize == 0 || end == households.upperBound {
                        let b = (end - 1) / blockSize
                        for k in 0..<active {
                            let c = firstComponent + k
                            sums[sumsBase[s] + 3 * c * blockCount + b] = block[k].amount.value
                            sums[sumsBase[s] + (3 * c + 1) * blockCount + b] = block[k].persons.value
                            sums[sumsBase[s] + (3 * c + 2) * blockCount + b] = block[k].households.value
                            block[k] = ComponentBlockSums()
                        }
                        sums[sumsBase[s] + 3 * ruleCount * blockCount + b] = recipientBlock.total.value
                        recipientBlock = CountBlockSum()
                    }
                }
                bounds.write(chunk * bound.count + s, (low, high))
            }
        }
        let found = bounds.finish()
        return zip(systems, outputs).enumerated().map { s, pair in
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
                func slots(_ system: Int, _ k: Int) -> [Double] {
                    Array(sumsStorage[(sumsBase[system] + k * blockCount)..<(sumsBase[system] + (k + 1) * blockCount)])
                }
                let count = bound[s].rules.count
                outcome.blockSums = BlockSums(
                    components: (0..<count).map { c in
                        let owner = c < snapshotAt ? from : s
                        return (slots(owner, 3 * c), slots(owner, 3 * c + 1), slots(owner, 3 * c + 2))
                    },
                    benefitRecipients: slots(s, 3 * count))
            }
            return outcome
        }
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

/// A system's rules and income columns, fetched once per run.
///
/// `@unchecked Sendable`: `income` points into the immutable columns held by
/// `incomeColumns`, which live as long as this value; nothing is written.
private struct BoundSystem: @unchecked Sendable {
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

/// The output columns of one system, filled in disjoint household ranges by the chunks.
private struct SystemOutputs: Sendable {
    let disposableBuilder: OutputColumn<Double>
    let benefitRecipientBuilder: OutputColumn<Int32>
    let componentMaskBuilder: OutputColumn<UInt32>?
    let amountBuilders: [OutputColumn<Double>?]
    let recipientBuilders: [OutputColumn<Int32>?]
    let counterBuilders: [[OutputColumn<Double>]]
    let disposable: DisjointBuffer<Double>
    let benefitRecipients: DisjointBuffer<Int32>
    let componentMask: DisjointBuffer<UInt32>?
    let amount: [DisjointBuffer<Double>?]
    let recipients: [DisjointBuffer<Int32>?]
    let counters: [[DisjointBuffer<Double>]]
    let personAmountBuilders: [OutputColumn<Double>]?
    let personAmount: [DisjointBuffer<Double>]?

    /// - Parameter sharing: Another system's outputs and the number of leading
    ///   components whose columns this system shares with it (its values for
    ///   them are the same).
    init(_ system: BoundSystem, households: Int, persons: Int, personAmounts: Bool, coverage: Bool,
         componentColumns: Bool, sharing: (SystemOutputs, Int)? = nil) {
        let shared = sharing?.1 ?? 0
        func own<T>(_ c: Int, _ theirs: (SystemOutputs) -> T?, _ make: () -> T) -> T {
            if c < shared, let sharing, let t = theirs(sharing.0) { return t }
            return make()
        }
        personAmountBuilders = personAmounts
            ? system.rules.indices.map { c in own(c, { $0.personAmountBuilders?[c] }) { OutputColumn(count: persons) } }
            : nil
        personAmount = personAmountBuilders?.map(\.buffer)
        componentMaskBuilder = coverage ? OutputColumn(count: persons) : nil
        componentMask = componentMaskBuilder?.buffer
        disposableBuilder = OutputColumn(count: households)
        benefitRecipientBuilder = OutputColumn(count: households)
        amountBuilders = system.rules.indices.map { c in
            componentColumns ? own(c, { $0.amountBuilders[c] }) { OutputColumn(count: households) } : nil
        }
        recipientBuilders = system.rules.indices.map { c in
            componentColumns ? own(c, { $0.recipientBuilders[c] }) { OutputColumn(count: households) } : nil
        }
        counterBuilders = system.counterCounts.enumerated().map { c, n in
            own(c, { $0.counterBuilders[c] }) { (0..<n).map { _ in OutputColumn(count: households) } }
        }
        disposable = disposableBuilder.buffer
        benefitRecipients = benefitRecipientBuilder.buffer
        amount = amountBuilders.map { $0?.buffer }
        recipients = recipientBuilders.map { $0?.buffer }
        counters = counterBuilders.map { $0.map(\.buffer) }
    }

    /// Copies the coverage mask bits of `components` (the shared leading ones)
    /// for a chunk's persons into `other`.
    func copyMask(components: Range<Int>, persons: Range<Int>, to other: SystemOutputs) {
        if let mine = componentMask, let theirs = other.componentMask {
            // Only the shared components' bits are set at this point in the first system.
            let keep: UInt32 = components.upperBound >= 32 ? ~0 : (1 << UInt32(components.upperBound)) &- 1
            for p in persons { theirs[p] = mine[p] & keep }
        }
    }

    func finish(system: TaxBenefitSystem) -> SystemOutcome {
        SystemOutcome(
            system: system.name,
            disposableIncome: disposableBuilder.finish(),
            benefitRecipients: benefitRecipientBuilder.finish(),
            componentMask: componentMaskBuilder?.finish(),
            components: system.components.enumerated().map { c, component in
                SystemOutcome.ComponentOutcome(
                    name: component.name, moduleName: component.moduleName, kind: component.module.kind,
                    householdAmount: amountBuilders[c]?.finish(), householdRecipients: recipientBuilders[c]?.finish(),
                    personAmount: personAmountBuilders?[c].finish(),
                    stateCostCounters: component.module.stateCostCounters,
                    fundContributionCounters: component.module.fundContributionCounters,
                    budgetRevenue: component.module.amountsAreBudgetRevenue,
                    counters: zip(component.module.counters, counterBuilders[c]).map { ($0, $1.finish()) })
            })
    }
}

/// Scratch memory handed from chunk to chunk within one run: a worker takes
/// an arena when it starts a chunk and gives it back when done, so a run
/// allocates about one arena per worker thread instead of one per chunk.
private final class ScratchArenas: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: `spare` is read and written under `lock`.
    private let lock = NSLock()
    private var spare: [ScratchArena] = []

    /// An arena (its blocks grow as ``ScratchCarver/take(_:_:)`` needs).
    func take() -> ScratchArena {
        lock.lock()
        defer { lock.unlock() }
        return spare.popLast() ?? ScratchArena()
    }

    func give(_ arena: ScratchArena) {
        lock.lock()
        spare.append(arena)
        lock.unlock()
    }

    /// Frees every arena (after the run's chunks have all returned theirs).
    func free() {
        for arena in spare { for block in arena.blocks { block.base.deallocate() } }
        spare = []
    }
}

/// The blocks of one arena, one per array a chunk takes, in the order taken.
private struct ScratchArena {
    var blocks: [(base: UnsafeMutableRawPointer, bytes: Int)] = []
}

/// Hands out typed, 64-byte-aligned, uninitialised arrays from an arena: the
/// n-th array taken reuses the arena's n-th block when it is large enough
/// (chunks take the same arrays in the same order), else replaces it.
private struct ScratchCarver {
    private(set) var arena: ScratchArena
    private var next = 0

    init(arena: ScratchArena) { self.arena = arena }

    /// The next array of `count` elements (at least one).
    mutating func take<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = MemoryLayout<T>.stride * max(count, 1)
        if next == arena.blocks.count {
            arena.blocks.append((.allocate(byteCount: bytes, alignment: 64), bytes))
        } else if arena.blocks[next].bytes < bytes {
            arena.blocks[next].base.deallocate()
            arena.blocks[next] = (.allocate(byteCount: bytes, alignment: 64), bytes)
        }
        defer { next += 1 }
        return arena.blocks[next].base.bindMemory(to: T.self, capacity: max(count, 1))
    }
}
