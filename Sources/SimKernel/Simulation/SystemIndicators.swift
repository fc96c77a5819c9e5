/// The headline figures of one tax-benefit system on one population.
///
/// Money is in the survey's currency. Every figure is weighted with the
/// household sampling weight; person-level figures count every member.
public struct SystemIndicators: Sendable, Equatable {
    /// One component's totals.
    public struct ComponentTotals: Sendable, Equatable {
        public var name: String
        public var module: String
        public var kind: ComponentKind
        /// For a tax or contribution: whether its amounts are budget revenue (else they go to a social insurance fund).
        public var budgetRevenue: Bool
        /// 12 × Σ_h w_h × (monthly amount of household h): a cost for a benefit, revenue for a tax.
        public var annualAmount: Double
        /// Σ_h w_h × (members with a positive amount): weighted persons receiving (benefit) or paying (tax).
        public var persons: Double
        /// Σ_h w_h × [household amount > 0]: weighted households receiving or paying.
        public var households: Double
        /// The module's counters, each Σ_h w_h × (counter of h), in declaration order.
        public var counters: [Counter]
    }

    /// A module's weighted counter total.
    public struct Counter: Sendable, Equatable {
        public var name: String
        public var total: Double
    }

    /// Annual gross cost of benefits paid to households: 12 × Σ_h w_h × (monthly benefits of h), the sum of
    /// the benefit components' annual amounts. State costs not paid to households are not in it (``stateCostAnnual``).
    public var costAnnual: Double
    /// Annual costs to the state not paid to households (e.g. contribution subsidies paid to a fund):
    /// Σ_h w_h × (counter of h) over the ``PolicyModule/stateCostCounters`` of every component.
    public var stateCostAnnual: Double
    /// Annual budget revenue from taxes and contributions: 12 × Σ_h w_h × (monthly taxes and contributions of h),
    /// the sum of the annual amounts of the components whose amounts are budget revenue
    /// (``PolicyModule/amountsAreBudgetRevenue``). Contributions paid to a social insurance fund are not in it.
    public var revenueAnnual: Double
    /// Annual contributions collected by social insurance funds (employee and employer), Σ_h w_h × (counter of h)
    /// over the ``PolicyModule/fundContributionCounters`` of every component. Not budget revenue.
    public var fundContributionsAnnual: Double
    /// Weighted persons receiving a positive amount from at least one benefit.
    public var beneficiaries: Double
    /// FGT(0), FGT(1), FGT(2) of welfare (per-capita household disposable income, or the
    /// scenario's ``WelfareConcept``) at the scenario's line (each person's area line with `lines:`).
    public var fgt0: Double
    public var fgt1: Double
    public var fgt2: Double
    /// Gini of welfare (per-capita household disposable income, or the scenario's concept; persons weighted).
    public var gini: Double
    /// Weighted mean of welfare (per-capita household disposable income, or the scenario's concept; currency per person per month).
    public var meanIncome: Double
    /// Weighted number of persons, Σ_h w_h n_h (the denominator of the FGT indices; n_h from `household_size` when declared).
    public var weightedPersons: Double
    /// Per component, in the system's order.
    public var components: [ComponentTotals]

    /// Computes the indicators of `outcome`.
    ///
    /// - Parameters:
    ///   - outcome: The simulated system.
    ///   - population: The population it was simulated on.
    ///   - povertyLine: z, in currency per person per month.
    ///   - welfare: The system's welfare under the scenario's concept (``ScenarioRun/welfare``); `nil`
    ///     for per-capita household disposable income. FGT, Gini, mean and persons are computed on it.
    ///   - personsPerRow: For a file with one row per household (``ScenarioRun/personsPerRow``): the
    ///     persons each household's row stands for; person counts (beneficiaries, a component's
    ///     recipients) are then `Σ_h w_h × personsPerRow_h × (recipient rows of h)`. Needs the
    ///     component columns (``Simulator/keepComponentColumns``) for the components' counts.
    public init(outcome: SystemOutcome, population: Population, povertyLine: Double, welfare: WelfareDistribution? = nil,
                personsPerRow: [Double]? = nil) {
        let weight = population.weight.values
        let n = population.householdCount
        // Sums within blocks of 4,096 households (compensated; component totals
        // and benefit recipients in the lane order of HouseholdBlockSum), blocks
        // combined with compensation: the order of operations depends on n
        // alone (the kernel forms the same block sums on the way when it can:
        // BlockSums).
        func blockSums(_ body: (Range<Int>) -> Void) {
            var start = 0
            while start < n {
                let end = min(n, start + 4096)
                body(start..<end)
                start = end
            }
        }
        func weightedSum(_ column: UnsafeBufferPointer<Double>) -> Double {
            var s = CompensatedSum()
            blockSums { block in
                var b = CompensatedSum()
                for h in block { b.add(weight[h] * column[h]) }
                s.add(b.value)
            }
            return s.value
        }
        func combine(_ blocks: [Double]) -> Double {
            var s = CompensatedSum()
            for b in blocks { s.add(b) }
            return s.value
        }
        var cost = 0.0, revenue = 0.0, stateCost = 0.0, fundContributions = 0.0
        components = outcome.components.enumerated().map { k, c in
            // Amount, persons and households in one pass (or the kernel's block sums, the same numbers).
            var amount = CompensatedSum(), persons = CompensatedSum(), households = CompensatedSum()
            if let fused = outcome.blockSums?.components[k] {
                amount.add(combine(fused.amount))
                persons.add(combine(fused.persons))
                households.add(combine(fused.households))
            } else {
                let values = c.amount.values, recipients = c.recipients.values
                blockSums { block in
                    var b = ComponentBlockSums()
                    b.add(amount: values.baseAddress!, recipients: recipients.baseAddress!, weight: weight.baseAddress!, range: block)
                    amount.add(b.amount.value)
                    persons.add(b.persons.value)
                    households.add(b.households.value)
                }
            }
            let annual = 12 * amount.value
            if c.kind == .benefit { cost += annual } else if c.budgetRevenue { revenue += annual }
            let counters = c.counters.map { Counter(name: $0.name, total: weightedSum($0.values.values)) }
            for counter in counters {
                if c.stateCostCounters.contains(counter.name) { stateCost += counter.total }
                if c.fundContributionCounters.contains(counter.name) { fundContributions += counter.total }
            }
            return ComponentTotals(name: c.name, module: c.moduleName, kind: c.kind, budgetRevenue: c.budgetRevenue,
                                   annualAmount: annual, persons: persons.value, households: households.value,
                                   counters: counters)
        }
        costAnnual = cost
        revenueAnnual = revenue
        stateCostAnnual = stateCost
        fundContributionsAnnual = fundContributions
        var receiving = CompensatedSum()
        let benefitRecipients = outcome.benefitRecipients.values
        if let fused = outcome.blockSums?.benefitRecipients {
            for b in fused { receiving.add(b) }
        } else {
            blockSums { block in
                var b = CountBlockSum()
                b.add(count: benefitRecipients.baseAddress!, weight: weight.baseAddress!, range: block)
                receiving.add(b.total.value)
            }
        }
        beneficiaries = receiving.value
        if let personsPerRow {
            // Rows stand for several persons: count persons, not rows.
            func persons(_ recipients: UnsafeBufferPointer<Int32>) -> Double {
                var s = CompensatedSum()
                for h in 0..<n { s.add(weight[h] * personsPerRow[h] * Double(recipients[h])) }
                return s.value
            }
            beneficiaries = persons(benefitRecipients)
            for (k, c) in outcome.components.enumerated() where c.householdRecipients != nil {
                components[k].persons = persons(c.recipients.values)
            }
        }
        if let welfare {
            let h = welfare.headline(line: povertyLine)
            (fgt0, fgt1, fgt2, meanIncome, weightedPersons) = (h.fgt0, h.fgt1, h.fgt2, h.mean, h.population)
            gini = welfare.gini
            return
        }
        let headline = PerCapitaHeadline(householdIncome: outcome.disposableIncome.values,
                                         starts: population.householdStart.values, weight: weight, line: povertyLine,
                                         bounds: outcome.perCapitaBounds)
        fgt0 = headline.fgt0
        fgt1 = headline.fgt1
        fgt2 = headline.fgt2
        gini = headline.gini
        meanIncome = headline.mean
        weightedPersons = headline.population
    }

    init(costAnnual: Double, stateCostAnnual: Double, revenueAnnual: Double, fundContributionsAnnual: Double, beneficiaries: Double, fgt0: Double, fgt1: Double, fgt2: Double,
         gini: Double, meanIncome: Double, weightedPersons: Double, components: [ComponentTotals]) {
        self.weightedPersons = weightedPersons
        self.costAnnual = costAnnual
        self.stateCostAnnual = stateCostAnnual
        self.revenueAnnual = revenueAnnual
        self.fundContributionsAnnual = fundContributionsAnnual
        self.beneficiaries = beneficiaries
        self.fgt0 = fgt0
        self.fgt1 = fgt1
        self.fgt2 = fgt2
        self.gini = gini
        self.meanIncome = meanIncome
        self.components = components
    }

    /// `self − baseline`, figure by figure. Components are matched by name; a
    /// component missing on one side counts as zero there.
    public func change(from baseline: SystemIndicators) -> SystemIndicators {
        var names: [String] = baseline.components.map(\.name)
        for c in components where !names.contains(c.name) { names.append(c.name) }
        let parts = names.map { name -> ComponentTotals in
            let r = components.first { $0.name == name }
            let b = baseline.components.first { $0.name == name }
            let template = r ?? b!
            let counterNames = (r ?? b!).counters.map(\.name)
            func counter(_ t: ComponentTotals?, _ name: String) -> Double { t?.counters.first { $0.name == name }?.total ?? 0 }
            return ComponentTotals(name: name, module: template.module, kind: template.kind, budgetRevenue: template.budgetRevenue,
                                   annualAmount: (r?.annualAmount ?? 0) - (b?.annualAmount ?? 0),
                                   persons: (r?.persons ?? 0) - (b?.persons ?? 0),
                                   households: (r?.households ?? 0) - (b?.households ?? 0),
                                   counters: counterNames.map { Counter(name: $0, total: counter(r, $0) - counter(b, $0)) })
        }
        return SystemIndicators(
            costAnnual: costAnnual - baseline.costAnnual, stateCostAnnual: stateCostAnnual - baseline.stateCostAnnual,
            revenueAnnual: revenueAnnual - baseline.revenueAnnual,
            fundContributionsAnnual: fundContributionsAnnual - baseline.fundContributionsAnnual,
            beneficiaries: beneficiaries - baseline.beneficiaries, fgt0: fgt0 - baseline.fgt0,
            fgt1: fgt1 - baseline.fgt1, fgt2: fgt2 - baseline.fgt2, gini: gini - baseline.gini,
            meanIncome: meanIncome - baseline.meanIncome, weightedPersons: weightedPersons, components: parts)
    }
}
