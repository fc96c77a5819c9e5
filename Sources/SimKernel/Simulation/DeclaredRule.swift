/// A ``DeclaredModule`` bound to a population: runs the declaration's
/// compiled programs over each sub-batch the kernel hands it, then the
/// pipeline of ``DeclaredModule`` (eligibility, amount, means test, caps,
/// phase-in, take-up, payment) as plain loops over the batch's units.
///
/// Per sub-batch it allocates one scratch block (the programs' inputs and
/// results) and each program its registers; nothing per person or
/// household. Names are resolved to columns when bound, once per run.
struct DeclaredRule: TracingRule {
    /// A column a rule reads, fetched once per run.
    enum Bound {
        case real(Column<Double>)
        case integer(Column<Int32>)
        case householdInteger(Column<Int32>)
        case component(Int)
        case marketIncome
        case grossIncome
        case disposableIncome
        case incomeList(Int)
    }

    let module: DeclaredModule
    let bound: [String: Bound]
    let marketColumns: [Column<Double>]
    let starts: Column<Int>
    let ids: Column<Int64>
    let purpose: UInt64
    let seed: UInt64

    init(module: DeclaredModule, population: Population, seed: UInt64) {
        self.module = module
        var bound: [String: Bound] = [:]
        for (name, source) in module.sources {
            switch source {
            case .variable(let v):
                switch v.kind {
                case .real: bound[name] = .real(population.reals(v.name))
                case .integer where v.level == .household: bound[name] = .householdInteger(population.householdIntegers(v.name))
                case .integer, .identifier: bound[name] = .integer(population.integers(v.name))
                case .category: bound[name] = .integer(population.category(v.name).codes)
                }
            case .component(let c): bound[name] = .component(c)
            case .marketIncome: bound[name] = .marketIncome
            case .grossIncome: bound[name] = .grossIncome
            case .disposableIncome: bound[name] = .disposableIncome
            case .incomeList(let i): bound[name] = .incomeList(i)
            }
        }
        self.bound = bound
        let needsMarket = module.sources.values.contains { $0 == .marketIncome || $0 == .grossIncome }
        marketColumns = needsMarket ? module.marketIncome.map { population.reals($0) } : []
        starts = population.householdStart
        ids = population.householdID
        purpose = RandomStream.purpose("\(module.componentName).take_up")
        self.seed = seed
    }

    func apply(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) {
        var steps: [RuleTraceStep]? = nil
        run(batch, amounts, steps: &steps)
    }

    func trace(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) -> [RuleTraceStep] {
        var steps: [RuleTraceStep]? = []
        run(batch, amounts, steps: &steps)
        return steps ?? []
    }

    /// One household at a time (the kernel uses the batch path); for a rule
    /// that reads no earlier component's amounts.
    func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
        precondition(!module.readsEarlierAmounts, "a declared rule reading earlier components runs in batches only")
        let h = household.index
        let stream = household.random ?? RandomStream()
        let batch = HouseholdBatch(
            households: h..<(h + 1), firstPerson: household.firstPerson, starts: starts.values.baseAddress!,
            ids: ids.values.baseAddress!, income: household.income, random: stream, seed: household.seed,
            counters: household.counters, counterCount: household.counters.count)
        apply(batch: batch, amounts: amounts)
    }

    /// Whether the batch path writes every slot: it does.
    var fillsEveryAmount: Bool { true }

    /// The pipeline over one sub-batch; with `steps`, records each step (one household only).
    private func run(_ batch: HouseholdBatch, _ amounts: UnsafeMutableBufferPointer<Double>, steps: inout [RuleTraceStep]?) {
        let households = batch.households.count, persons = batch.persons.count
        let first = batch.firstPerson
        let rules = module.rules
        let personUnit = module.unit == .person
        let units = personUnit ? persons : households
        // Scratch: offsets, market and gross income, income lists, and the pipeline's columns.
        let offsets = UnsafeMutableBufferPointer<Int>.allocate(capacity: households + 1)
        defer { offsets.deallocate() }
        for (k, h) in batch.households.enumerated() { offsets[k] = batch.starts[h] &- first }
        offsets[households] = persons
        let listCount = rules.incomeLists.count
        let columnCount = 2 + listCount + 11 + rules.counters.count
        let store = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, columnCount * max(persons, 1)))
        defer { store.deallocate() }
        var nextColumn = 0
        func column(_ n: Int) -> UnsafeMutableBufferPointer<Double> {
            defer { nextColumn += 1 }
            return UnsafeMutableBufferPointer(rebasing: store[(nextColumn * max(persons, 1))..<(nextColumn * max(persons, 1) + n)])
        }
        let market = column(persons), gross = column(persons)
        var lists: [UnsafeMutableBufferPointer<Double>] = []
        var haveMarket = false, haveGross = false

        func fillMarket() {
            guard !haveMarket else { return }
            haveMarket = true
            // As the kernel forms market income: 0 + x, then the further columns added in order.
            if marketColumns.isEmpty { market.update(repeating: 0); return }
            let x = marketColumns[0].values.baseAddress! + first
            for i in 0..<persons { market[i] = 0 + x[i] }
            for c in marketColumns.dropFirst() {
                let y = c.values.baseAddress! + first
                for i in 0..<persons { market[i] += y[i] }
            }
        }
        func fillGross() {
            guard !haveGross else { return }
            haveGross = true
            fillMarket()
            for i in 0..<persons { gross[i] = market[i] }
            for c in module.earlierBenefits {
                let a = batch.amounts(ofComponent: c)
                for i in 0..<persons { gross[i] += a[i] }
            }
        }
        func evaluate(_ rule: RuleExpression, into out: UnsafeMutableBufferPointer<Double>) {
            var columns: [ExpressionColumn] = []
            columns.reserveCapacity(rule.program.inputs.count)
            for input in rule.program.inputs {
                switch bound[input.name]! {
                case .real(let c): columns.append(.real(UnsafeBufferPointer(rebasing: c.values[first..<(first + persons)])))
                case .integer(let c): columns.append(.integer(UnsafeBufferPointer(rebasing: c.values[first..<(first + persons)])))
                case .householdInteger(let c):
                    columns.append(.integer(UnsafeBufferPointer(rebasing: c.values[batch.households])))
                case .component(let k): columns.append(.real(UnsafeBufferPointer(start: batch.amounts(ofComponent: k), count: persons)))
                case .marketIncome:
                    fillMarket()
                    columns.append(.real(UnsafeBufferPointer(market)))
                case .grossIncome:
                    fillGross()
                    columns.append(.real(UnsafeBufferPointer(gross)))
                case .disposableIncome: columns.append(.real(batch.income))
                case .incomeList(let i): columns.append(.real(UnsafeBufferPointer(lists[i])))
                }
            }
            rule.program.evaluate(householdOffsets: UnsafeBufferPointer(offsets), columns: columns, into: out)
        }
        func record(_ label: String, _ rule: RuleExpression?, _ values: UnsafeMutableBufferPointer<Double>, level: RuleType.Level,
                    condition: Bool = false) {
            guard steps != nil else { return }
            steps!.append(RuleTraceStep(label: label, expression: rule?.text, location: rule?.location, isCondition: condition,
                                        level: level, values: Array(values)))
        }
        let unitLevel: RuleType.Level = personUnit ? .person : .household

        for (name, rule) in rules.incomeLists {
            let out = column(persons)
            evaluate(rule, into: out)
            lists.append(out)
            record("income list \(name)", rule, out, level: .person)
        }
        // Amount (or schedule), then eligibility.
        let u = column(units)
        if let amount = rules.amount {
            evaluate(amount, into: u)
            record("amount", amount, u, level: unitLevel)
        } else if let base = rules.scheduleBase, let schedule = rules.schedule {
            let b = column(units)
            evaluate(base, into: b)
            record("schedule base", base, b, level: unitLevel)
            Self.apply(schedule, base: b, into: u)
            record("schedule (\(schedule.method.rawValue))", nil, u, level: unitLevel)
        }
        if let eligible = rules.eligible {
            let e = column(units)
            evaluate(eligible, into: e)
            record("eligible", eligible, e, level: unitLevel, condition: true)
            for j in 0..<units { u[j] = e[j] != 0 ? u[j] : 0 }
            record("amount if eligible", nil, u, level: unitLevel)
        }
        // Means test on the household's total.
        if let method = rules.meansTest, let incomeRule = rules.meansIncome, let thresholdRule = rules.meansThreshold {
            let y = column(households), t = column(households)
            evaluate(incomeRule, into: y)
            record("means-test income", incomeRule, y, level: .household)
            evaluate(thresholdRule, into: t)
            record("means-test threshold", thresholdRule, t, level: .household)
            var w: UnsafeMutableBufferPointer<Double>?
            if method == .taper, let rateRule = rules.meansRate {
                let r = column(households)
                evaluate(rateRule, into: r)
                record("withdrawal rate", rateRule, r, level: .household)
                w = r
            }
            for k in 0..<households {
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                var e = 0.0
                for j in lo..<hi { e += u[j] }
                guard e > 0 else { continue }
                let paid: Double
                switch method {
                case .taper: paid = max(0, e - w![k] * max(0, y[k] - t[k]))
                case .cliff: paid = y[k] <= t[k] ? e : 0
                }
                if paid < e {
                    let factor = paid / e
                    for j in lo..<hi { u[j] *= factor }
                }
            }
            record("after the means test", nil, u, level: unitLevel)
        }
        if let capRule = rules.cap {
            let c = column(units)
            evaluate(capRule, into: c)
            record("cap", capRule, c, level: unitLevel)
            for j in 0..<units { u[j] = min(u[j], c[j]) }
        }
        if let capRule = rules.householdCap {
            let c = column(households)
            evaluate(capRule, into: c)
            record("household cap", capRule, c, level: .household)
            for k in 0..<households {
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                var total = 0.0
                for j in lo..<hi { total += u[j] }
                if total > c[k] {
                    let factor = c[k] / total
                    for j in lo..<hi { u[j] *= factor }
                }
            }
        }
        if module.phaseIn != 1 {
            for j in 0..<units { u[j] *= module.phaseIn }
        }
        if rules.cap != nil || rules.householdCap != nil || module.phaseIn != 1 { record("after caps and phase-in", nil, u, level: unitLevel) }
        // Counters: units entitled (before take-up), then the declared ones.
        let counters = batch.counters, stride = batch.counterCount
        for k in 0..<households {
            let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
            var n = 0.0
            for j in lo..<hi where u[j] > 0 { n += 1 }
            counters[k * stride] = n
        }
        if let takeUpRule = rules.takeUp {
            let r = column(units)
            evaluate(takeUpRule, into: r)
            record("take-up rate", takeUpRule, r, level: unitLevel)
            for k in 0..<households {
                let h = batch.households.lowerBound + k
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                for j in lo..<hi where u[j] > 0 {
                    let rate = r[j]
                    if rate >= 1 { continue }
                    var keep = false
                    if rate > 0 {
                        let frame = batch.frame(h)
                        let member = personUnit ? j - lo : 0
                        let stream = personUnit
                            ? frame.randomStream(purpose: RandomStream.seed(purpose, 0x6d65_6d62_6572, UInt64(member)))
                            : frame.randomStream(purpose: purpose)
                        keep = stream.uniform() < rate
                    }
                    if !keep { u[j] = 0 }
                }
            }
            record("after take-up", nil, u, level: unitLevel)
        }
        for (c, (name, rule)) in rules.counters.enumerated() {
            let out = column(households)
            evaluate(rule, into: out)
            record("counter \(name)", rule, out, level: .household)
            for k in 0..<households { counters[k * stride + 1 + c] = out[k] }
        }
        // Payment.
        let out = amounts.baseAddress!
        if personUnit && module.payee == .each {
            for i in 0..<persons { out[i] = u[i] }
        } else {
            out.update(repeating: 0, count: persons)
            for k in 0..<households {
                let lo = offsets[k], hi = offsets[k + 1]
                if personUnit {
                    var total = 0.0
                    for j in lo..<hi { total += u[j] }
                    out[lo] = total
                } else {
                    out[lo] = u[k]
                }
            }
        }
        if module.declaredKind == .state_cost {
            let slot = stride - 1
            for k in 0..<households {
                var total = 0.0
                for i in offsets[k]..<offsets[k + 1] { total += out[i] }
                counters[k * stride + slot] = 12 * total
            }
            out.update(repeating: 0, count: persons)
        }
        if steps != nil {
            steps!.append(RuleTraceStep(label: module.declaredKind == .state_cost ? "amount (a cost to the state, not paid)" : "paid",
                                        level: .person, values: Array(UnsafeBufferPointer(start: out, count: persons))))
        }
    }

    /// The schedule's amount for each base value.
    static func apply(_ schedule: DeclaredModule.Schedule, base: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let from = schedule.from, values = schedule.values, m = from.count
        switch schedule.method {
        case .marginal:
            // Band by band (vectorisable), each value's terms added in band order from +0;
            // a band at rate 0 adds +0 to a sum that is +0 or positive: skipped. The same
            // bits as adding rate × (min(B, next) − from) for the bands B exceeds.
            for j in 0..<out.count { out[j] = 0 }
            for k in 0..<m where values[k] != 0 {
                let lower = from[k], upper = k + 1 < m ? from[k + 1] : .infinity, rate = values[k]
                for j in 0..<out.count { out[j] += rate * max(0, min(base[j], upper) - lower) }
            }
        case .average, .amount:
            for j in 0..<out.count {
                let b = base[j]
                var v = 0.0
                for k in 0..<m where b >= from[k] { v = values[k] }
                out[j] = schedule.method == .average ? v * b : v
            }
        }
    }
}
