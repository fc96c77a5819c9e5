#if canImport(Glibc)
import Glibc  // pthread keys (DeclaredScratch)
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``DeclaredModule`` bound to a population: runs the declaration's
/// compiled programs over each sub-batch the kernel hands it, then the
/// pipeline of ``DeclaredModule`` (eligibility, amount, means test, caps,
/// phase-in, take-up, payment) as plain loops over the batch's units.
///
/// Nothing is allocated per sub-batch, person or household: the programs'
/// registers, their results and the pipeline's columns are carved from a
/// block of scratch memory kept per thread (``DeclaredScratch``). Names are
/// resolved to columns when bound, once per run, and each program's inputs
/// to an array of those in its order. A program's result is used where it
/// is (a constant, a data column) rather than copied; eligibility is
/// applied with a bit mask, and a person unit paid to each person writes
/// the kernel's amounts directly. A class: the kernel holds the rule as an
/// existential and calls it per sub-batch; a struct of this size would be
/// copied (a few dozen reference counts) on every call.
final class DeclaredRule: TracingRule {
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

    /// A rule with its inputs resolved, in the order its program reads them
    /// (a class: used per sub-batch without copying the rule's fields).
    final class BoundRule: Sendable {
        let rule: RuleExpression
        let program: ExpressionProgram
        let inputs: [Bound]
        /// Whether the program reads the households' offsets (a broadcast or an aggregate).
        let readsOffsets: Bool

        init(rule: RuleExpression, inputs: [Bound]) {
            self.rule = rule
            program = rule.program
            self.inputs = inputs
            readsOffsets = program.lowered.steps.contains {
                switch $0 {
                case .broadcast, .aggregate: return true
                default: return false
                }
            }
        }
    }

    let module: DeclaredModule
    let marketColumns: [Column<Double>]
    let starts: Column<Int>
    let ids: Column<Int64>
    let purpose: UInt64
    let incomeLists: [BoundRule]
    let eligible: BoundRule?
    let amount: BoundRule?
    let scheduleBase: BoundRule?
    let meansIncome: BoundRule?
    let meansThreshold: BoundRule?
    let meansRate: BoundRule?
    let cap: BoundRule?
    let householdCap: BoundRule?
    let takeUp: BoundRule?
    let counterRules: [BoundRule]
    /// Every program above (to size the registers).
    let programs: [ExpressionProgram]

    init(module: DeclaredModule, population: Population) {
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
        func resolve(_ rule: RuleExpression?) -> BoundRule? {
            rule.map { r in BoundRule(rule: r, inputs: r.program.inputs.map { bound[$0.name]! }) }
        }
        let rules = module.rules
        incomeLists = rules.incomeLists.map { resolve($0.rule)! }
        eligible = resolve(rules.eligible)
        amount = resolve(rules.amount)
        scheduleBase = resolve(rules.scheduleBase)
        meansIncome = resolve(rules.meansIncome)
        meansThreshold = resolve(rules.meansThreshold)
        meansRate = resolve(rules.meansRate)
        cap = resolve(rules.cap)
        householdCap = resolve(rules.householdCap)
        takeUp = resolve(rules.takeUp)
        counterRules = rules.counters.map { resolve($0.rule)! }
        programs = (incomeLists + [eligible, amount, scheduleBase, meansIncome, meansThreshold, meansRate, cap, householdCap, takeUp]
            .compactMap { $0 } + counterRules).map(\.program)
        let needsMarket = module.sources.values.contains { $0 == .marketIncome || $0 == .grossIncome }
        marketColumns = needsMarket ? module.marketIncome.map { population.reals($0) } : []
        starts = population.householdStart
        ids = population.householdID
        purpose = RandomStream.purpose("\(module.componentName).take_up")
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

    /// The number of person-sized columns the pipeline may use besides the
    /// income lists and counters (market and gross income, amount,
    /// eligibility, schedule base, means-test income, threshold and rate,
    /// caps, take-up rates).
    static let pipelineColumns = 11

    /// The pipeline over one sub-batch; with `steps`, records each step (one household only).
    private func run(_ batch: HouseholdBatch, _ amounts: UnsafeMutableBufferPointer<Double>, steps: inout [RuleTraceStep]?) {
        let households = batch.households.count, persons = batch.persons.count
        guard households > 0 else { return }
        // Scratch: offsets, a byte per person (whether entitled) and 8 to spare, the
        // columns, and registers for the largest program, each 64-byte aligned.
        func rounded(_ bytes: Int) -> Int { (bytes + 63) & ~63 }
        let columnCount = Self.pipelineColumns + incomeLists.count + counterRules.count
        let registerCount = programs.reduce(1) { max($0, $1.registerCount(persons: persons, households: households)) }
        let offsetBytes = rounded((households + 1) * MemoryLayout<Int>.stride)
        let entitledBytes = rounded(persons + 8)
        let columnBytes = rounded(persons * MemoryLayout<Double>.stride)
        let bytes = offsetBytes + entitledBytes + columnCount * columnBytes + registerCount * MemoryLayout<Double>.stride
        DeclaredScratch.with(bytes: bytes) { block in
            let offsets = block.bindMemory(to: Int.self, capacity: households + 1)
            let entitled = (block + offsetBytes).bindMemory(to: UInt8.self, capacity: persons + 8)
            let columns = (block + offsetBytes + entitledBytes).bindMemory(to: Double.self, capacity: columnCount * columnBytes / 8)
            let registers = (block + offsetBytes + entitledBytes + columnCount * columnBytes).bindMemory(to: Double.self, capacity: registerCount)
            pipeline(batch, amounts, offsets: offsets, entitled: entitled, columns: columns, columnStride: columnBytes / 8,
                     registers: registers, steps: &steps)
        }
    }

    private func pipeline(_ batch: HouseholdBatch, _ amounts: UnsafeMutableBufferPointer<Double>, offsets: UnsafeMutablePointer<Int>,
                          entitled: UnsafeMutablePointer<UInt8>, columns: UnsafeMutablePointer<Double>, columnStride: Int,
                          registers: UnsafeMutablePointer<Double>, steps: inout [RuleTraceStep]?) {
        typealias Value = ExpressionProgram.Value
        let households = batch.households.count, persons = batch.persons.count
        let first = batch.firstPerson, firstHousehold = batch.households.lowerBound
        let rules = module.rules
        let personUnit = module.unit == .person
        let units = personUnit ? persons : households
        // Each household's first member in the batch, formed when a step needs them.
        var haveOffsets = false
        func formOffsets() {
            guard !haveOffsets else { return }
            haveOffsets = true
            for k in 0..<households { offsets[k] = batch.starts[firstHousehold + k] &- first }
            offsets[households] = persons
        }
        // Columns: market, gross, the pipeline's, then the income lists and the counters.
        func column(_ i: Int) -> UnsafeMutablePointer<Double> { columns + i * columnStride }
        let market = column(0), gross = column(1)
        let amountColumn = column(2), eligibleColumn = column(3), baseColumn = column(4)
        let incomeColumn = column(5), thresholdColumn = column(6), rateColumn = column(7)
        let capColumn = column(8), householdCapColumn = column(9), takeUpColumn = column(10)
        func list(_ i: Int) -> UnsafeMutablePointer<Double> { column(Self.pipelineColumns + i) }
        func counterColumn(_ i: Int) -> UnsafeMutablePointer<Double> { column(Self.pipelineColumns + incomeLists.count + i) }
        var haveMarket = false, haveGross = false

        func fillMarket() {
            guard !haveMarket else { return }
            haveMarket = true
            MarketIncome.sum(columns: marketColumns.count, { self.marketColumns[$0].values.baseAddress! + first },
                             persons: persons, into: market)
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
        /// The rule's values: a constant, a data column read in place, or `out`.
        /// Input `slot` of `rule` over the batch.
        func input(_ rule: BoundRule, _ slot: Int) -> ExpressionColumn {
            switch rule.inputs[slot] {
            case .real(let c): return .real(UnsafeBufferPointer(start: c.values.baseAddress! + first, count: persons))
            case .integer(let c): return .integer(UnsafeBufferPointer(start: c.values.baseAddress! + first, count: persons))
            case .householdInteger(let c):
                return .integer(UnsafeBufferPointer(start: c.values.baseAddress! + firstHousehold, count: households))
            case .component(let k): return .real(UnsafeBufferPointer(start: batch.amounts(ofComponent: k), count: persons))
            case .marketIncome:
                fillMarket()
                return .real(UnsafeBufferPointer(start: market, count: persons))
            case .grossIncome:
                fillGross()
                return .real(UnsafeBufferPointer(start: gross, count: persons))
            case .disposableIncome: return .real(batch.income)
            case .incomeList(let i): return .real(UnsafeBufferPointer(start: list(i), count: persons))
            }
        }
        /// The rule's values: a constant, a data column read in place, or `out`.
        func evaluate(_ rule: BoundRule, into out: UnsafeMutablePointer<Double>) -> Value {
            if rule.readsOffsets { formOffsets() }
            return rule.program.run(households: households, persons: persons, offsets: offsets, registers: registers,
                                    output: out) { input(rule, $0) }
        }
        /// `value`'s `n` values in memory: a constant is written to `out`.
        func values(_ value: Value, _ n: Int, _ out: UnsafeMutablePointer<Double>) -> UnsafePointer<Double> {
            switch value {
            case .reals(let x): return x
            case .scalar, .integers:
                ExpressionProgram.map1(value, n, out) { $0 }
                return UnsafePointer(out)
            }
        }
        func record(_ label: String, _ rule: RuleExpression?, _ value: Value, _ n: Int, level: RuleType.Level, condition: Bool = false) {
            guard steps != nil else { return }
            var array = [Double](repeating: 0, count: n)
            array.withUnsafeMutableBufferPointer { ExpressionProgram.map1(value, n, $0.baseAddress!) { $0 } }
            steps!.append(RuleTraceStep(label: label, expression: rule?.text, location: rule?.location, isCondition: condition,
                                        level: level, values: array))
        }
        func record(_ label: String, _ rule: RuleExpression?, _ x: UnsafePointer<Double>, _ n: Int, level: RuleType.Level,
                    condition: Bool = false) {
            record(label, rule, .reals(x), n, level: level, condition: condition)
        }
        let unitLevel: RuleType.Level = personUnit ? .person : .household

        for (i, rule) in incomeLists.enumerated() {
            let out = list(i)
            let x = values(evaluate(rule, into: out), persons, out)
            if x != UnsafePointer(out) { out.update(from: x, count: persons) }
            record("income list \(rules.incomeLists[i].name)", rule.rule, out, persons, level: .person)
        }
        // The amount (or schedule), then eligibility, straight into the kernel's
        // amounts when each person is paid their own.
        let paysInPlace = personUnit && module.payee == .each
        let u = paysInPlace ? amounts.baseAddress! : amountColumn
        var a: Value = .scalar(0)
        if let amount {
            a = evaluate(amount, into: u)
            record("amount", amount.rule, a, units, level: unitLevel)
        } else if let scheduleBase, let schedule = rules.schedule {
            let b = values(evaluate(scheduleBase, into: baseColumn), units, baseColumn)
            record("schedule base", scheduleBase.rule, b, units, level: unitLevel)
            Self.apply(schedule, base: b, into: u, count: units)
            a = .reals(UnsafePointer(u))
            record("schedule (\(schedule.method.rawValue))", nil, u, units, level: unitLevel)
        }
        // When nothing changes the amounts between eligibility and the counters,
        // the eligibility pass also marks each entitled person (a byte each).
        let flagged = personUnit && eligible != nil && rules.meansTest == nil && cap == nil && householdCap == nil
            && module.phaseIn == 1
        if let eligible, steps == nil, eligible.program.runApplying(
            to: a, into: u, entitled: entitled, households: households, persons: persons,
            offsets: { if eligible.readsOffsets { formOffsets() }; return UnsafePointer(offsets) }(), registers: registers,
            output: eligibleColumn, column: { input(eligible, $0) }) {
            // The condition's last step and the masking in one pass (the bits of the steps below).
        } else if let eligible {
            let e = evaluate(eligible, into: eligibleColumn)
            record("eligible", eligible.rule, e, units, level: unitLevel, condition: true)
            // The amount where eligible, else +0: the amount's bits masked.
            switch (e, a) {
            case (.reals(let x), .reals(let y)) where y == UnsafePointer(u):
                // In place (the amount was computed into u): one pointer, so the loop vectorises.
                if flagged {
                    for j in 0..<units {
                        let v = BranchFree.kept(u[j], if: BranchFree.flag(x[j] != 0))
                        u[j] = v
                        entitled[j] = UInt8(BranchFree.flag(v > 0))
                    }
                } else {
                    for j in 0..<units { u[j] = BranchFree.kept(u[j], if: BranchFree.flag(x[j] != 0)) }
                }
            case (.reals(let x), .scalar(let c)):
                if flagged {
                    // c > 0 or not: an entitled person is an eligible one, or nobody.
                    let positive = BranchFree.flag(c > 0)
                    for j in 0..<units {
                        let keep = BranchFree.flag(x[j] != 0)
                        u[j] = BranchFree.kept(c, if: keep)
                        entitled[j] = UInt8(truncatingIfNeeded: keep & positive)
                    }
                } else {
                    for j in 0..<units { u[j] = BranchFree.kept(c, if: BranchFree.flag(x[j] != 0)) }
                }
            default:
                let x = values(e, units, eligibleColumn)
                let y = values(a, units, u)
                for j in 0..<units { u[j] = BranchFree.kept(y[j], if: BranchFree.flag(x[j] != 0)) }
                if flagged { for j in 0..<units { entitled[j] = UInt8(BranchFree.flag(u[j] > 0)) } }
            }
            record("amount if eligible", nil, u, units, level: unitLevel)
        } else {
            let y = values(a, units, u)
            if y != UnsafePointer(u) { u.update(from: y, count: units) }
        }
        // An amount below 0 counts as 0 (docs/rules.md): a benefit never takes from a
        // household, a tax never pays one. Skipped when no amount can be negative:
        // a constant of 0 or more, or a marginal schedule with no negative rate.
        var mayBeNegative = true
        if case .scalar(let c) = a { mayBeNegative = !(c >= 0) }
        if let schedule = rules.schedule, amount == nil, schedule.method == .marginal, schedule.values.allSatisfy({ $0 >= 0 }) {
            mayBeNegative = false
        }
        if mayBeNegative { Self.floorAtZero(u, units) }
        // Means test on the household's total.
        if let method = rules.meansTest, let meansIncome, let meansThreshold {
            let y = values(evaluate(meansIncome, into: incomeColumn), households, incomeColumn)
            record("means-test income", meansIncome.rule, y, households, level: .household)
            let t = values(evaluate(meansThreshold, into: thresholdColumn), households, thresholdColumn)
            record("means-test threshold", meansThreshold.rule, t, households, level: .household)
            var w: UnsafePointer<Double>?
            if method == .taper, let meansRate {
                let r = values(evaluate(meansRate, into: rateColumn), households, rateColumn)
                record("withdrawal rate", meansRate.rule, r, households, level: .household)
                w = r
            }
            formOffsets()
            // The shared building block: the household's units scaled to what it may keep.
            for k in 0..<households {
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                let slice = UnsafeMutableBufferPointer(start: u + lo, count: hi - lo)
                switch method {
                case .taper: BenefitPipeline.withdraw(slice) { BenefitPipeline.taper($0, income: y[k], threshold: t[k], rate: w![k]) }
                case .cliff: BenefitPipeline.withdraw(slice) { BenefitPipeline.cliff($0, income: y[k], threshold: t[k]) }
                }
            }
            record("after the means test", nil, u, units, level: unitLevel)
        }
        if let cap {
            let c = values(evaluate(cap, into: capColumn), units, capColumn)
            record("cap", cap.rule, c, units, level: unitLevel)
            for j in 0..<units { u[j] = min(u[j], c[j]) }
        }
        if let householdCap {
            let c = values(evaluate(householdCap, into: householdCapColumn), households, householdCapColumn)
            record("household cap", householdCap.rule, c, households, level: .household)
            formOffsets()
            for k in 0..<households {
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                var total = 0.0
                for j in lo..<hi { total += u[j] }
                if total > c[k] && total > 0 {
                    let factor = c[k] / total
                    for j in lo..<hi { u[j] *= factor }
                }
            }
        }
        // A cap below 0 pays nothing (the amount below 0 counts as 0).
        if cap != nil || householdCap != nil { Self.floorAtZero(u, units) }
        if module.phaseIn != 1 {
            for j in 0..<units { u[j] *= module.phaseIn }
        }
        if cap != nil || householdCap != nil || module.phaseIn != 1 { record("after caps and phase-in", nil, u, units, level: unitLevel) }
        // Counters: units entitled (before take-up). A person unit's are counted
        // from a byte per member (1 if its amount is positive), eight members at a
        // time: the household's bytes read as one word, masked to its members and
        // summed by a multiplication; no branch per household below 9 members.
        let counters = batch.counters, stride = batch.counterCount
        let userBase = module.countsEntitled ? 1 : 0
        if !module.countsEntitled {
            // No take-up: the units paid are the component's recipients already.
        } else if personUnit {
            if !flagged {
                for j in 0..<persons { entitled[j] = UInt8(BranchFree.flag(u[j] > 0)) }
            }
            for j in persons..<(persons + 8) { entitled[j] = 0 }
            let raw = UnsafeRawPointer(entitled)
            let starts = batch.starts + firstHousehold
            var slot = counters.baseAddress!
            var lo = starts[0] &- first
            for k in 1...households {
                let hi = starts[k] &- first, size = hi &- lo
                let word = raw.loadUnaligned(fromByteOffset: lo, as: UInt64.self)
                let mask = UInt64.max &>> UInt64(truncatingIfNeeded: 64 &- 8 &* Swift.min(size, 8))
                var n = Int(truncatingIfNeeded: ((word & mask) &* 0x0101_0101_0101_0101) &>> 56)
                if size > 8 { for j in (lo &+ 8)..<hi { n &+= Int(entitled[j]) } }
                slot.pointee = Double(n)
                slot += stride
                lo = hi
            }
        } else {
            for k in 0..<households { counters[k * stride] = Double(BranchFree.flag(u[k] > 0)) }
        }
        if let takeUp {
            let r = values(evaluate(takeUp, into: takeUpColumn), units, takeUpColumn)
            record("take-up rate", takeUp.rule, r, units, level: unitLevel)
            formOffsets()
            for k in 0..<households {
                let h = firstHousehold + k
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                for j in lo..<hi where u[j] > 0 {
                    // The shared take-up draw: a unit's stream keyed by (seed, purpose, household id[, member]).
                    let keep = BenefitPipeline.takesUp(rate: r[j]) {
                        personUnit ? batch.frame(h).randomStream(purpose: purpose, member: j - lo) : batch.frame(h).randomStream(purpose: purpose)
                    }
                    if !keep { u[j] = 0 }
                }
            }
            record("after take-up", nil, u, units, level: unitLevel)
        }
        // Declared counters: summed over the households the component pays (after take-up).
        if !counterRules.isEmpty { formOffsets() }
        for (c, rule) in counterRules.enumerated() {
            let out = values(evaluate(rule, into: counterColumn(c)), households, counterColumn(c))
            record("counter \(rules.counters[c].name)", rule.rule, out, households, level: .household)
            for k in 0..<households {
                let lo = personUnit ? offsets[k] : k, hi = personUnit ? offsets[k + 1] : k + 1
                var total = 0.0
                for j in lo..<hi { total += u[j] }
                counters[k * stride + userBase + c] = total > 0 ? out[k] : 0
            }
        }
        // Payment.
        let out = amounts.baseAddress!
        if !paysInPlace || module.declaredKind == .state_cost || steps != nil { formOffsets() }
        if !paysInPlace {
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

    /// Sets every amount below 0 to 0 (keeping −0 and NaN as they are).
    @inline(__always)
    static func floorAtZero(_ u: UnsafeMutablePointer<Double>, _ n: Int) {
        for j in 0..<n { u[j] = u[j] < 0 ? 0 : u[j] }
    }

    /// The schedule's amount for each base value.
    static func apply(_ schedule: DeclaredModule.Schedule, base: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, count n: Int) {
        let from = schedule.from, values = schedule.values, m = from.count
        switch schedule.method {
        case .marginal:
            // Band by band (vectorisable), each value's terms added in band order from +0;
            // a band at rate 0 adds +0 to a sum that is +0 or positive: skipped. The same
            // bits as adding rate × (min(B, next) − from) for the bands B exceeds.
            // The first band's pass writes 0 + its term (the same bits as zeroing first).
            var started = false
            for k in 0..<m where values[k] != 0 {
                let lower = from[k], upper = k + 1 < m ? from[k + 1] : .infinity, rate = values[k]
                if started {
                    for j in 0..<n { out[j] += rate * max(0, min(base[j], upper) - lower) }
                } else {
                    for j in 0..<n { out[j] = 0 + rate * max(0, min(base[j], upper) - lower) }
                    started = true
                }
            }
            if !started { out.update(repeating: 0, count: n) }
        case .average, .amount:
            for j in 0..<n {
                let b = base[j]
                var v = 0.0
                for k in 0..<m where b >= from[k] { v = values[k] }
                out[j] = schedule.method == .average ? v * b : v
            }
        }
    }
}

/// Scratch memory for declared rules, one block per thread, reused by every
/// sub-batch and every declared component that thread runs (the kernel's
/// workers are long-lived, so a run allocates nothing after each worker's
/// first sub-batch). A block grows to the largest request and is freed when
/// its thread exits. A nested request on the same thread (none today) gets
/// a block of its own.
enum DeclaredScratch {
    /// A block's header: its capacity in bytes, then 1 while in use.
    private static let header = 64
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { $0?.deallocate() }
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return key
    }()

    /// Calls `body` with at least `bytes` bytes of 64-byte-aligned scratch (contents undefined).
    static func with<R>(bytes: Int, _ body: (UnsafeMutableRawPointer) -> R) -> R {
        var block = pthread_getspecific(key)
        if let b = block, b.load(fromByteOffset: 8, as: Int.self) != 0 {
            let own = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
            defer { own.deallocate() }
            return body(own)
        }
        if block == nil || block!.load(as: Int.self) < bytes {
            block?.deallocate()
            let capacity = max(bytes + bytes / 4, 1 << 16)
            let b = UnsafeMutableRawPointer.allocate(byteCount: header + capacity, alignment: 64)
            b.storeBytes(of: capacity, as: Int.self)
            pthread_setspecific(key, b)
            block = b
        }
        let b = block!
        b.storeBytes(of: 1, toByteOffset: 8, as: Int.self)
        defer { b.storeBytes(of: 0, toByteOffset: 8, as: Int.self) }
        return body(b + header)
    }
}
