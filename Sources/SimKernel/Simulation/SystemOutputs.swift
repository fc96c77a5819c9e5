import Foundation

/// The output columns of one system, filled in disjoint household ranges by the chunks.
struct SystemOutputs: Sendable {
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

    /// Copies the coverage mask bits `keep` (those of the shared leading
    /// components, ``TaxBenefitSystem/coverageBit(ofComponent:)``) for a
    /// chunk's persons into `other`. The first system has finished the chunk
    /// by then, so its mask also holds the bits of its later benefits: they
    /// are masked out.
    func copyMask(keep: UInt32, persons: Range<Int>, to other: SystemOutputs) {
        if let mine = componentMask, let theirs = other.componentMask {
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
