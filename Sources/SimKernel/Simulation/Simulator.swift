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
        // A system that reuses the shared components also shares their output
        // columns (the same values): nothing is copied.
        var made: [SystemOutputs] = []
        for (s, system) in bound.enumerated() {
            made.append(SystemOutputs(system, households: households, persons: population.personCount,
                                         personAmounts: recordPersonAmounts, coverage: recordCoverage,
                                         sharing: reuse[s] ? (made[0], snapshotAt) : nil))
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
        let block = BlockSums.blockSize
        let blockCount = (households + block - 1) / block
        let fuse = chunkSize % block == 0
        let sumsPerSystem = bound.map { 3 * $0.rules.count + 1 }
        let sumsStorage = UnsafeMutableBufferPointer<Double>.allocate(capacity: fuse ? max(1, sumsPerSystem.reduce(0, +) * blockCount) : 1)
        defer { sumsStorage.deallocate() }
        let sums = DisjointBuffer(sumsStorage)
        let sumsBase = sumsPerSystem.reduce(into: [0]) { $0.append($0.last! + $1 * blockCount) }
        let weightColumn = population.weight

        plan.forEach(pieces: chunks.count) { chunk in
            let starts = householdStarts.values
            let ids = householdIDs.values
            let households = chunks[chunk]
            let firstPerson = starts[households.lowerBound]
            let persons = starts[households.upperBound] - firstPerson
            // Per-chunk scratch: no allocation per household.
            let income = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(persons, 1))
            let amounts = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(persons, 1))
            let receives = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(persons, 1))
            let counterSlots = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, households.count * maxCounters))
            let savedIncome = UnsafeMutableBufferPointer<Double>.allocate(capacity: snapshotAt > 0 ? max(persons, 1) : 1)
            let savedReceives = UnsafeMutableBufferPointer<Bool>.allocate(capacity: snapshotAt > 0 ? max(persons, 1) : 1)
            let random = RandomStream()
            defer {
                income.deallocate()
                amounts.deallocate()
                receives.deallocate()
                counterSlots.deallocate()
                savedIncome.deallocate()
                savedReceives.deallocate()
            }
            func save() {
                for i in 0..<persons {
                    savedIncome[i] = income[i]
                    savedReceives[i] = receives[i]
                }
            }
            for s in 0..<bound.count {
                let system = bound[s]
                let out = outputs[s]
                let mask = out.componentMask.map { $0.base + firstPerson }
                var firstComponent = 0
                if reuse[s] {
                    // Start from the first system's state after the shared components.
                    firstComponent = snapshotAt
                    for i in 0..<persons {
                        income[i] = savedIncome[i]
                        receives[i] = savedReceives[i]
                    }
                    outputs[0].copyMask(components: 0..<snapshotAt, persons: firstPerson..<(firstPerson + persons), to: out)
                } else {
                    // Market income: one column at a time (contiguous, vectorisable).
                    // 0 + x, as if added to a zeroed buffer (the sign of a zero is kept the same).
                    if let column = system.income.first {
                        let source = column.baseAddress! + firstPerson
                        for i in 0..<persons { income[i] = 0 + source[i] }
                    } else {
                        income.update(repeating: 0)
                    }
                    for column in system.income.dropFirst() {
                        let source = column.baseAddress! + firstPerson
                        for i in 0..<persons { income[i] += source[i] }
                    }
                    if anyBenefit { receives.update(repeating: false) }
                    mask?.update(repeating: 0, count: persons)
                }
                let startAt = starts.baseAddress!
                let amountAt = amounts.baseAddress!, incomeAt = income.baseAddress!, receivesAt = receives.baseAddress!
                var low = Double.infinity, high = -Double.infinity
                let weightAt = weightColumn.values.baseAddress!
                // Block partial sums for component c's three figures (slot 3c..3c+2) and benefit recipients (slot 3 × components).
                @inline(__always) func sumSlot(_ k: Int, _ h: Int) -> Int { sumsBase[s] + (k * blockCount + h / block) }
                var recipientsSum = CompensatedSum()
                // The household's disposable income (members' incomes in member order),
                // its members receiving a benefit, and the per-capita range.
                @inline(__always) func finishHousehold(_ h: Int, _ lo: Int, _ hi: Int) {
                    var y = 0.0
                    var i = lo
                    while i < hi {
                        y += incomeAt[i]
                        i &+= 1
                    }
                    var receiving: Int32 = 0
                    if system.hasBenefit {
                        i = lo
                        while i < hi {
                            receiving &+= receivesAt[i] ? 1 : 0
                            i &+= 1
                        }
                    }
                    out.disposable[h] = y
                    out.benefitRecipients[h] = receiving
                    if fuse {
                        recipientsSum.add(weightAt[h] * Double(receiving))
                        if (h &+ 1) % block == 0 || h &+ 1 == households.upperBound {
                            sums[sumSlot(3 * system.rules.count, h)] = recipientsSum.value
                            recipientsSum = CompensatedSum()
                        }
                    }
                    let perCapita = y / Double(hi - lo)
                    if perCapita < low { low = perCapita }
                    if perCapita > high { high = perCapita }
                }
                // Components in order, each over the whole chunk: a household's
                // component c sees only its own income after components < c, so
                // this gives exactly the household-by-household result.
                let last = system.rules.count - 1
                for c in firstComponent..<system.rules.count {
                    if s == 0 && c == snapshotAt && snapshotAt > 0 { save() }
                    let counterCount = system.counterCounts[c]
                    let counters = UnsafeMutableBufferPointer(rebasing: counterSlots[0..<(households.count * counterCount)])
                    if !system.fillsEveryAmount[c] { amounts.update(repeating: 0) }
                    counters.update(repeating: 0)
                    let batch = HouseholdBatch(
                        households: households, firstPerson: firstPerson, starts: starts.baseAddress!,
                        ids: ids.baseAddress!, income: UnsafeBufferPointer(rebasing: income[0..<persons]), random: random,
                        seed: seed, counters: counters, counterCount: counterCount)
                    system.rules[c].apply(batch: batch, amounts: UnsafeMutableBufferPointer(rebasing: amounts[0..<persons]))
                    let sign = system.signs[c]
                    let householdUnit = system.householdUnit[c]
                    let amountOut = out.amount[c], recipientOut = out.recipients[c]
                    if let personOut = out.personAmount?[c] {
                        for i in 0..<persons { personOut[firstPerson + i] = amounts[i] }
                    }
                    // Running income, person by person (the sign is ±1: exact).
                    for i in 0..<persons { incomeAt[i] += sign * amountAt[i] }
                    let bit: UInt32 = c < 32 ? 1 << UInt32(c) : 0
                    let marks = sign > 0 || mask != nil
                    let isLast = c == last
                    var ba = CompensatedSum(), bp = CompensatedSum(), bh = CompensatedSum()
                    for h in households {
                        let lo = startAt[h] &- firstPerson, hi = startAt[h &+ 1] &- firstPerson
                        var total = 0.0
                        var count: Int32 = 0
                        var i = lo
                        while i < hi {
                            let a = amountAt[i]
                            total += a
                            count &+= a > 0 ? 1 : 0
                            i &+= 1
                        }
                        if total > 0 {
                            if householdUnit { count = Int32(hi &- lo) }
                            if marks {
                                i = lo
                                while i < hi {
                                    if householdUnit || amountAt[i] > 0 {
                                        if sign > 0 { receivesAt[i] = true }
                                        mask?[i] |= bit
                                    }
                                    i &+= 1
                                }
                            }
                        }
                        amountOut[h] = total
                        recipientOut[h] = count
                        if fuse {
                            let w = weightAt[h]
                            ba.add(w * total)
                            bp.add(w * Double(count))
                            bh.add(total > 0 ? w : 0)
                            if (h &+ 1) % block == 0 || h &+ 1 == households.upperBound {
                                sums[sumSlot(3 * c, h)] = ba.value
                                sums[sumSlot(3 * c + 1, h)] = bp.value
                                sums[sumSlot(3 * c + 2, h)] = bh.value
                                ba = CompensatedSum(); bp = CompensatedSum(); bh = CompensatedSum()
                            }
                        }
                        // The last component's pass also finishes the household.
                        if isLast { finishHousehold(h, lo, hi) }
                    }
                    if counterCount > 0 {
                        for (j, column) in out.counters[c].enumerated() {
                            for h in households { column[h] = counters[(h - households.lowerBound) * counterCount + j] }
                        }
                    }
                }
                if s == 0 && snapshotAt == system.rules.count && snapshotAt > 0 { save() }
                if last < firstComponent {  // no component ran in this pass
                    for h in households { finishHousehold(h, startAt[h] &- firstPerson, startAt[h &+ 1] &- firstPerson) }
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
    /// and component by component the same name, module and parameter values).
    static func sharedPrefix(_ a: TaxBenefitSystem, _ b: TaxBenefitSystem) -> Int {
        guard a.marketIncome == b.marketIncome else { return 0 }
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
    let amountBuilders: [OutputColumn<Double>]
    let recipientBuilders: [OutputColumn<Int32>]
    let counterBuilders: [[OutputColumn<Double>]]
    let disposable: DisjointBuffer<Double>
    let benefitRecipients: DisjointBuffer<Int32>
    let componentMask: DisjointBuffer<UInt32>?
    let amount: [DisjointBuffer<Double>]
    let recipients: [DisjointBuffer<Int32>]
    let counters: [[DisjointBuffer<Double>]]
    let personAmountBuilders: [OutputColumn<Double>]?
    let personAmount: [DisjointBuffer<Double>]?

    /// - Parameter sharing: Another system's outputs and the number of leading
    ///   components whose columns this system shares with it (its values for
    ///   them are the same).
    init(_ system: BoundSystem, households: Int, persons: Int, personAmounts: Bool, coverage: Bool,
         sharing: (SystemOutputs, Int)? = nil) {
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
        amountBuilders = system.rules.indices.map { c in own(c, { $0.amountBuilders[c] }) { OutputColumn(count: households) } }
        recipientBuilders = system.rules.indices.map { c in
            own(c, { $0.recipientBuilders[c] }) { OutputColumn(count: households) }
        }
        counterBuilders = system.counterCounts.enumerated().map { c, n in
            own(c, { $0.counterBuilders[c] }) { (0..<n).map { _ in OutputColumn(count: households) } }
        }
        disposable = disposableBuilder.buffer
        benefitRecipients = benefitRecipientBuilder.buffer
        amount = amountBuilders.map(\.buffer)
        recipients = recipientBuilders.map(\.buffer)
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
                    amount: amountBuilders[c].finish(), recipients: recipientBuilders[c].finish(),
                    personAmount: personAmountBuilders?[c].finish(),
                    stateCostCounters: component.module.stateCostCounters,
                    budgetRevenue: component.module.amountsAreBudgetRevenue,
                    counters: zip(component.module.counters, counterBuilders[c]).map { ($0, $1.finish()) })
            })
    }
}
