/// Applies one system to one household at a time, exactly as the kernel
/// does, and records every step (``HouseholdTrace``).
///
/// The rules are bound once to the whole population, as in a run (a rule
/// that prepares something from every household, such as income deciles or
/// a donor pool, prepares the same thing), and each household is then run
/// as a batch of its own: market income summed column by column, each
/// component applied to the members' running income with the amounts of
/// the components before it, zeroed amounts and counters, running income
/// updated person by person (± the amount), the household's amount and
/// disposable income summed in member order. Random draws are seeded by the
/// run's seed and the household's identifier, as in the kernel, so take-up
/// and other draws are the run's. A rule that conforms to ``TracingRule``
/// is asked for its steps (``TracingRule/trace(batch:amounts:)``) instead of
/// being applied.
///
/// ```swift
/// let stepper = HouseholdStepper(system: scenario.reform, population: population,
///                                context: RunContext(seed: 1, year: scenario.year))
/// let trace = stepper.trace(household: 17, povertyLine: scenario.povertyLine)
/// trace.components.map(\.householdAmount)   // the kernel's amounts, bit for bit
/// ```
///
/// Tracing runs off the kernel's hot path: it allocates per household.
public struct HouseholdStepper: Sendable {
    /// The system applied.
    public let system: TaxBenefitSystem
    /// The population the rules are bound to.
    public let population: Population
    /// The run's seed and year.
    public let context: RunContext
    private let rules: [any HouseholdRule]

    /// Binds every component of `system` to `population` (once).
    public init(system: TaxBenefitSystem, population: Population, context: RunContext) {
        self.system = system
        self.population = population
        self.context = context
        rules = system.components.map { $0.module.bind(to: population, context: context) }
    }

    /// Runs household `h` (an index into the population) and records every step.
    ///
    /// - Parameters:
    ///   - h: The household's index in the population.
    ///   - povertyLine: The line the per-capita income is compared with, if any.
    /// - Complexity: O(members × components), plus what traced rules record.
    public func trace(household h: Int, povertyLine: Double? = nil) -> HouseholdTrace {
        precondition(h >= 0 && h < population.householdCount, "household index \(h) is out of range")
        return withExtendedLifetime(population) { trace(h, povertyLine: povertyLine) }
    }

    private func trace(_ h: Int, povertyLine: Double?) -> HouseholdTrace {
        let starts = population.householdStart.values.baseAddress!
        let ids = population.householdID.values.baseAddress!
        let first = starts[h], n = starts[h + 1] - first
        let componentCount = system.components.count
        let income = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let amounts = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, componentCount * n))
        let maxCounters = max(1, system.components.map { $0.module.counters.count }.max() ?? 1)
        let counters = UnsafeMutableBufferPointer<Double>.allocate(capacity: maxCounters)
        defer {
            income.deallocate()
            amounts.deallocate()
            counters.deallocate()
        }
        amounts.initialize(repeating: 0)
        let random = RandomStream()

        // Market income: as the kernel sums it (0 + x, then + y, then each further column).
        let columns = system.marketIncome.map { population.reals($0) }
        MarketIncome.sum(columns: columns.count, { columns[$0].values.baseAddress! + first }, persons: n, into: income.baseAddress!)
        let marketIncome = system.marketIncome.map { memberValues(Variable.named($0).name, household: h) }
        let marketTotal = Array(income)

        var steps: [HouseholdTrace.Component] = []
        for (c, component) in system.components.enumerated() {
            let module = component.module
            let before = Array(income)
            let a = UnsafeMutableBufferPointer(rebasing: amounts[(c * n)..<((c + 1) * n)])
            let counterCount = module.counters.count
            let slots = UnsafeMutableBufferPointer(rebasing: counters[0..<counterCount])
            slots.update(repeating: 0)
            let batch = HouseholdBatch(
                households: h..<(h + 1), firstPerson: first, starts: starts, ids: ids,
                income: UnsafeBufferPointer(income), random: random, seed: context.seed,
                counters: slots, counterCount: counterCount,
                earlierAmounts: UnsafePointer(amounts.baseAddress!), earlierStride: n, earliestComponent: 0, component: c)
            var ruleSteps: [RuleTraceStep]? = nil
            if let tracing = rules[c] as? any TracingRule {
                ruleSteps = tracing.trace(batch: batch, amounts: a)
            } else {
                rules[c].apply(batch: batch, amounts: a)
            }
            // Running income, person by person; the household's amount and recipients, members in order.
            let sign = module.kind.sign
            var total = 0.0
            var recipients = 0
            for i in 0..<n {
                income[i] += sign * a[i]
                total += a[i]
                if a[i] > 0 { recipients += 1 }
            }
            if module.beneficiaryUnit == .household && total > 0 { recipients = n }
            var seen: Set<String> = []
            let variables = module.variables.map(\.variable.name).filter { seen.insert($0).inserted }
                .map { memberValues($0, household: h) }
            steps.append(HouseholdTrace.Component(
                name: component.name, moduleName: component.moduleName, kind: module.kind,
                incomeBefore: before, variables: variables,
                // A declared component's parameters are those it declares (its rules' texts are
                // shown with its steps); a module's, every parameter.
                parameters: component.parameters.keys.sorted()
                    .filter { !(component.module is DeclaredModule) || component.parameterSources[$0] != nil }.map {
                    HouseholdTrace.Parameter(key: $0, value: component.parameters[$0]!, source: component.parameterSources[$0])
                },
                amounts: Array(a), householdAmount: total, recipients: recipients,
                counters: zip(module.counters, slots).map { HouseholdTrace.Counter(name: $0, value: $1) },
                incomeAfter: Array(income), steps: ruleSteps))
        }
        withExtendedLifetime(random) {}
        var disposable = 0.0
        for i in 0..<n { disposable += income[i] }
        return HouseholdTrace(
            system: system.name, householdID: ids[h], householdIndex: h, memberCount: n,
            marketIncome: marketIncome, marketIncomeTotal: marketTotal, components: steps,
            disposableIncome: disposable, perCapitaIncome: disposable / Double(n), povertyLine: povertyLine)
    }

    /// Each member's value of variable `name` as the population holds it.
    private func memberValues(_ name: String, household h: Int) -> HouseholdTrace.MemberValues {
        let persons = population.persons(of: h)
        let stored = population.storedVariables
        let values: [HouseholdTrace.Value]
        if let c = stored.reals[name] {
            values = persons.map { .number(c[$0]) }
        } else if let c = stored.integers[name] {
            values = persons.map { .number(Double(c[$0])) }
        } else if let c = stored.householdIntegers[name] {
            values = persons.map { _ in .number(Double(c[h])) }
        } else if let c = stored.categories[name] {
            values = persons.map { .label(c.labels[Int(c.codes[$0])]) }
        } else if name == "weight" {
            values = persons.map { _ in .number(population.weight[h]) }
        } else {
            values = []  // not loaded (the rules cannot have read it)
        }
        return HouseholdTrace.MemberValues(name: name, values: values)
    }
}
