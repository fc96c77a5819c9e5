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
        let outputs = bound.map {
            SystemOutputs($0, households: households, persons: population.personCount, personAmounts: recordPersonAmounts,
                          coverage: recordCoverage)
        }
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
                    outputs[0].copy(components: 0..<snapshotAt, households: households,
                                    persons: firstPerson..<(firstPerson + persons), to: out)
                } else {
                    // Market income: one column at a time (contiguous, vectorisable).
                    income.update(repeating: 0)
                    receives.update(repeating: false)
                    for column in system.income {
                        let source = column.baseAddress! + firstPerson
                        for i in 0..<persons { income[i] += source[i] }
                    }
                    mask?.update(repeating: 0, count: persons)
                }
                // Components in order, each over the whole chunk: a household's
                // component c sees only its own income after components < c, so
                // this gives exactly the household-by-household result.
                for c in firstComponent..<system.rules.count {
                    if s == 0 && c == snapshotAt && snapshotAt > 0 { save() }
                    let counterCount = system.counterCounts[c]
                    let counters = UnsafeMutableBufferPointer(rebasing: counterSlots[0..<(households.count * counterCount)])
                    amounts.update(repeating: 0)
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
                    let bit: UInt32 = c < 32 ? 1 << UInt32(c) : 0
                    let isBenefit = sign > 0
                    for h in households {
                        let lo = starts[h] - firstPerson, hi = starts[h + 1] - firstPerson
                        var total = 0.0
                        var count: Int32 = 0
                        for i in lo..<hi {
                            let a = amounts[i]
                            total += a
                            count &+= a > 0 ? 1 : 0
                            income[i] += sign * a
                        }
                        if total > 0 {
                            if householdUnit { count = Int32(hi - lo) }
                            for i in lo..<hi where householdUnit || amounts[i] > 0 {
                                if isBenefit { receives[i] = true }
                                mask?[i] |= bit
                            }
                        }
                        amountOut[h] = total
                        recipientOut[h] = count
                    }
                    if counterCount > 0 {
                        for (j, column) in out.counters[c].enumerated() {
                            for h in households { column[h] = counters[(h - households.lowerBound) * counterCount + j] }
                        }
                    }
                }
                if s == 0 && snapshotAt == system.rules.count && snapshotAt > 0 { save() }
                for h in households {
                    let lo = starts[h] - firstPerson, hi = starts[h + 1] - firstPerson
                    var y = 0.0
                    var receiving: Int32 = 0
                    for i in lo..<hi {
                        y += income[i]
                        receiving &+= receives[i] ? 1 : 0
                    }
                    out.disposable[h] = y
                    out.benefitRecipients[h] = receiving
                }
            }
        }
        return zip(systems, outputs).map { $1.finish(system: $0) }
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

    init(_ system: TaxBenefitSystem, population: Population, context: RunContext) {
        incomeColumns = system.marketIncome.map { population.reals($0) }
        income = incomeColumns.map(\.values)
        rules = system.components.map { $0.module.bind(to: population, context: context) }
        signs = system.components.map { $0.module.kind.sign }
        householdUnit = system.components.map { $0.module.beneficiaryUnit == .household }
        counterCounts = system.components.map { $0.module.counters.count }
    }
}

/// The output columns of one system, filled in disjoint household ranges by the chunks.
private struct SystemOutputs: Sendable {
    let disposableBuilder: ColumnBuilder<Double>
    let benefitRecipientBuilder: ColumnBuilder<Int32>
    let componentMaskBuilder: ColumnBuilder<UInt32>?
    let amountBuilders: [ColumnBuilder<Double>]
    let recipientBuilders: [ColumnBuilder<Int32>]
    let counterBuilders: [[ColumnBuilder<Double>]]
    let disposable: DisjointBuffer<Double>
    let benefitRecipients: DisjointBuffer<Int32>
    let componentMask: DisjointBuffer<UInt32>?
    let amount: [DisjointBuffer<Double>]
    let recipients: [DisjointBuffer<Int32>]
    let counters: [[DisjointBuffer<Double>]]
    let personAmountBuilders: [ColumnBuilder<Double>]?
    let personAmount: [DisjointBuffer<Double>]?

    init(_ system: BoundSystem, households: Int, persons: Int, personAmounts: Bool, coverage: Bool) {
        personAmountBuilders = personAmounts ? system.rules.map { _ in ColumnBuilder(count: persons, filling: 0) } : nil
        personAmount = personAmountBuilders?.map(\.buffer)
        componentMaskBuilder = coverage ? ColumnBuilder(count: persons, filling: 0) : nil
        componentMask = componentMaskBuilder?.buffer
        disposableBuilder = ColumnBuilder(count: households, filling: 0)
        benefitRecipientBuilder = ColumnBuilder(count: households, filling: 0)
        amountBuilders = system.rules.map { _ in ColumnBuilder(count: households, filling: 0) }
        recipientBuilders = system.rules.map { _ in ColumnBuilder(count: households, filling: 0) }
        counterBuilders = system.counterCounts.map { n in (0..<n).map { _ in ColumnBuilder(count: households, filling: 0) } }
        disposable = disposableBuilder.buffer
        benefitRecipients = benefitRecipientBuilder.buffer
        amount = amountBuilders.map(\.buffer)
        recipients = recipientBuilders.map(\.buffer)
        counters = counterBuilders.map { $0.map(\.buffer) }
    }

    /// Copies this system's outputs of `components` for a chunk into `other` (whose
    /// first components are the same): amounts, recipients, counters, per-person
    /// amounts and the coverage mask.
    func copy(components: Range<Int>, households: Range<Int>, persons: Range<Int>, to other: SystemOutputs) {
        for c in components {
            for h in households {
                other.amount[c][h] = amount[c][h]
                other.recipients[c][h] = recipients[c][h]
            }
            for (j, column) in counters[c].enumerated() {
                for h in households { other.counters[c][j][h] = column[h] }
            }
            if let mine = personAmount?[c], let theirs = other.personAmount?[c] {
                for p in persons { theirs[p] = mine[p] }
            }
        }
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
