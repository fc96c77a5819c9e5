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
        let bound = systems.map { system in
            BoundSystem(
                income: system.marketIncome.map { population.reals($0) },
                rules: system.components.map { $0.module.bind(to: population, context: context) },
                signs: system.components.map { $0.module.kind.sign })
        }
        let disposable = systems.map { _ in ColumnBuilder<Double>(count: households, filling: 0) }
        let benefitRecipients = systems.map { _ in ColumnBuilder<Int32>(count: households, filling: 0) }
        let amounts = systems.map { s in s.components.map { _ in ColumnBuilder<Double>(count: households, filling: 0) } }
        let recipients = systems.map { s in s.components.map { _ in ColumnBuilder<Int32>(count: households, filling: 0) } }
        let chunks = pieceRanges(count: households, size: chunkSize)
        let starts = population.householdStart
        let ids = population.householdID
        let seed = context.seed
        let largest = population.largestHousehold
        let disposableOut = disposable.map(\.buffer)
        let benefitRecipientOut = benefitRecipients.map(\.buffer)
        let amountOut = amounts.map { $0.map(\.buffer) }
        let recipientOut = recipients.map { $0.map(\.buffer) }

        plan.forEach(pieces: chunks.count) { chunk in
            let income = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(largest, 1))
            let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(largest, 1))
            let benefits = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(largest, 1))
            let random = RandomStream()
            defer {
                income.deallocate()
                scratch.deallocate()
                benefits.deallocate()
            }
            for h in chunks[chunk] {
                let first = starts[h]
                let size = starts[h + 1] - first
                let members = UnsafeMutableBufferPointer(rebasing: income[0..<size])
                let memberAmounts = UnsafeMutableBufferPointer(rebasing: scratch[0..<size])
                for (s, system) in bound.enumerated() {
                    for k in 0..<size {
                        var x = 0.0
                        for column in system.income { x += column[first + k] }
                        members[k] = x
                        benefits[k] = 0
                    }
                    for (c, rule) in system.rules.enumerated() {
                        memberAmounts.update(repeating: 0)
                        rule.apply(HouseholdFrame(index: h, id: ids[h], firstPerson: first,
                                                  income: UnsafeBufferPointer(members), random: random, seed: seed),
                                   amounts: memberAmounts)
                        var total = 0.0
                        var count: Int32 = 0
                        let sign = system.signs[c]
                        for k in 0..<size {
                            let a = memberAmounts[k]
                            total += a
                            if a > 0 { count += 1 }
                            members[k] += sign * a
                        }
                        if sign > 0 {
                            for k in 0..<size { benefits[k] += memberAmounts[k] }
                        }
                        amountOut[s][c][h] = total
                        recipientOut[s][c][h] = count
                    }
                    var y = 0.0
                    var receiving: Int32 = 0
                    for k in 0..<size {
                        y += members[k]
                        if benefits[k] > 0 { receiving += 1 }
                    }
                    disposableOut[s][h] = y
                    benefitRecipientOut[s][h] = receiving
                }
            }
        }

        return systems.enumerated().map { s, system in
            SystemOutcome(
                system: system.name,
                disposableIncome: disposable[s].finish(),
                benefitRecipients: benefitRecipients[s].finish(),
                components: system.components.enumerated().map { c, component in
                    SystemOutcome.ComponentOutcome(
                        name: component.name, moduleName: component.moduleName, kind: component.module.kind,
                        amount: amounts[s][c].finish(), recipients: recipients[s][c].finish())
                })
        }
    }
}

/// A system's rules and income columns, fetched once per run.
private struct BoundSystem: Sendable {
    let income: [Column<Double>]
    let rules: [any HouseholdRule]
    let signs: [Double]
}
