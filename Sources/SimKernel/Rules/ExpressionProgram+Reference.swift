/// The instructions run one by one, each over a whole register: the plain
/// reading of the program, kept as the reference the lowered evaluation
/// (``ExpressionProgram/evaluate(householdOffsets:columns:into:)``) is
/// tested against, bit for bit.
extension ExpressionProgram {
    /// Evaluates the instructions one by one over a batch of households (for
    /// tests): the same arguments and results as
    /// ``evaluate(householdOffsets:columns:into:)``, with a register per
    /// instruction's level allocated and zeroed per call.
    func evaluateReference(householdOffsets: UnsafeBufferPointer<Int>, columns: [ExpressionColumn], into output: UnsafeMutableBufferPointer<Double>) {
        let h = householdOffsets.count - 1
        precondition(h >= 0 && householdOffsets[0] == 0, "householdOffsets must start at 0 and hold H + 1 entries")
        for i in 0..<h { precondition(householdOffsets[i] < householdOffsets[i + 1], "every household needs at least one member") }
        let p = householdOffsets[h]
        precondition(columns.count == inputs.count, "one column per input (\(inputs.map(\.name)))")
        for (c, input) in zip(columns, inputs) {
            precondition(c.count == (input.level == .person ? p : h), "column '\(input.name)' has \(c.count) values")
        }
        precondition(output.count == (type.level == .person ? p : h), "the output needs one value per \(type.level == .person ? "person" : "household")")
        var bases: [Int] = []
        var total = 0
        for level in registerLevels {
            bases.append(total)
            total += level == .person ? p : level == .household ? h : 1
        }
        let store = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(total, 1))
        defer { store.deallocate() }
        store.initialize(repeating: 0)
        func reg(_ r: Int) -> UnsafeMutableBufferPointer<Double> {
            let n = registerLevels[r] == .person ? p : registerLevels[r] == .household ? h : 1
            return UnsafeMutableBufferPointer(rebasing: store[bases[r] ..< bases[r] + n])
        }
        for instruction in instructions {
            switch instruction {
            case .load(let d, let slot):
                let out = reg(d)
                switch columns[slot] {
                case .real(let b): for i in 0..<out.count { out[i] = b[i] }
                case .integer(let b): for i in 0..<out.count { out[i] = Double(b[i]) }
                }
            case .fill(let d, let v):
                reg(d).update(repeating: v)
            case .broadcast(let d, let s):
                let out = reg(d), src = reg(s)
                if registerLevels[s] == .constant {
                    out.update(repeating: src[0])
                } else {
                    for hh in 0..<h {
                        let v = src[hh]
                        for i in householdOffsets[hh] ..< householdOffsets[hh + 1] { out[i] = v }
                    }
                }
            case .unary(let op, let d, let a):
                Self.referenceApply(op, reg(a), reg(d))
            case .binary(let op, let d, let a, let b):
                Self.referenceApply(op, reg(a), reg(b), reg(d))
            case .divideOrDefault(let d, let a, let b, let f):
                let out = reg(d), x = reg(a), y = reg(b), z = reg(f)
                for i in 0..<out.count { out[i] = y[i] == 0 ? z[i] : x[i] / y[i] }
            case .select(let d, let c, let a, let b):
                let out = reg(d), k = reg(c), x = reg(a), y = reg(b)
                for i in 0..<out.count { out[i] = k[i] != 0 ? x[i] : y[i] }
            case .clamp(let d, let v, let lo, let hi):
                let out = reg(d), x = reg(v), l = reg(lo), u = reg(hi)
                for i in 0..<out.count { out[i] = Swift.min(Swift.max(x[i], l[i]), u[i]) }
            case .membership(let d, let a, let values):
                let out = reg(d), x = reg(a)
                values.withUnsafeBufferPointer { list in
                    for i in 0..<out.count {
                        var hit = 0.0
                        for v in list where x[i] == v { hit = 1 }
                        out[i] = hit
                    }
                }
            case .aggregate(let kind, let d, let value, let condition, let fallback):
                Self.referenceAggregate(kind, value.map(reg), condition.map(reg), fallback.map(reg), householdOffsets, reg(d))
            }
        }
        let result = reg(self.result)  // compiled at type.level, so one value per output row
        for i in 0..<output.count { output[i] = result[i] }
    }

    static func referenceApply(_ op: CheckedNode.UnaryOperation, _ a: UnsafeMutableBufferPointer<Double>, _ d: UnsafeMutableBufferPointer<Double>) {
        let n = d.count
        switch op {
        case .negate: for i in 0..<n { d[i] = -a[i] }
        case .not: for i in 0..<n { d[i] = a[i] != 0 ? 0 : 1 }
        case .absolute: for i in 0..<n { d[i] = Swift.abs(a[i]) }
        case .round: for i in 0..<n { d[i] = a[i].rounded(.toNearestOrAwayFromZero) }
        case .floor: for i in 0..<n { d[i] = a[i].rounded(.down) }
        case .ceil: for i in 0..<n { d[i] = a[i].rounded(.up) }
        case .scale(let k): for i in 0..<n { d[i] = a[i] * k }
        }
    }

    static func referenceApply(_ op: CheckedNode.BinaryOperation, _ a: UnsafeMutableBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>,
                      _ d: UnsafeMutableBufferPointer<Double>) {
        let n = d.count
        switch op {
        case .add: for i in 0..<n { d[i] = a[i] + b[i] }
        case .subtract: for i in 0..<n { d[i] = a[i] - b[i] }
        case .multiply: for i in 0..<n { d[i] = a[i] * b[i] }
        case .divide: for i in 0..<n { d[i] = a[i] / b[i] }
        case .less: for i in 0..<n { d[i] = a[i] < b[i] ? 1 : 0 }
        case .lessOrEqual: for i in 0..<n { d[i] = a[i] <= b[i] ? 1 : 0 }
        case .greater: for i in 0..<n { d[i] = a[i] > b[i] ? 1 : 0 }
        case .greaterOrEqual: for i in 0..<n { d[i] = a[i] >= b[i] ? 1 : 0 }
        case .equal: for i in 0..<n { d[i] = a[i] == b[i] ? 1 : 0 }
        case .notEqual: for i in 0..<n { d[i] = a[i] != b[i] ? 1 : 0 }
        case .and: for i in 0..<n { d[i] = a[i] != 0 && b[i] != 0 ? 1 : 0 }
        case .or: for i in 0..<n { d[i] = a[i] != 0 || b[i] != 0 ? 1 : 0 }
        case .minimum: for i in 0..<n { d[i] = Swift.min(a[i], b[i]) }
        case .maximum: for i in 0..<n { d[i] = Swift.max(a[i], b[i]) }
        }
    }

    /// Household `h`'s aggregate over members `offsets[h] ..< offsets[h + 1]`
    /// in row order, counting only members whose condition is non-zero; an
    /// empty selection gives 0 (sum, count), false (any), true (all), or the
    /// fallback (mean, min, max; the checker requires one when a condition
    /// can select nobody, and without a condition every household has a member).
    static func referenceAggregate(_ kind: CheckedNode.Aggregate, _ value: UnsafeMutableBufferPointer<Double>?, _ condition: UnsafeMutableBufferPointer<Double>?,
                          _ fallback: UnsafeMutableBufferPointer<Double>?, _ offsets: UnsafeBufferPointer<Int>, _ d: UnsafeMutableBufferPointer<Double>) {
        // Without a condition every member is selected: a register of ones.
        let ones = UnsafeMutableBufferPointer<Double>.allocate(capacity: condition == nil ? max(offsets[d.count], 1) : 0)
        defer { ones.deallocate() }
        if condition == nil { ones.initialize(repeating: 1) }
        let c = condition ?? ones
        let x = value ?? c
        func each(_ body: (Range<Int>, Int) -> Void) {
            for h in 0..<d.count { body(offsets[h] ..< offsets[h + 1], h) }
        }
        switch kind {
        case .sum:
            each { m, h in var s = 0.0; for i in m where c[i] != 0 { s += x[i] }; d[h] = s }
        case .count:
            each { m, h in var s = 0.0; for i in m where c[i] != 0 { s += 1 }; d[h] = s }
        case .any:
            each { m, h in var s = 0.0; for i in m where c[i] != 0 { s = 1 }; d[h] = s }
        case .all:
            each { m, h in var s = 1.0; for i in m where c[i] == 0 { s = 0 }; d[h] = s }
        case .mean:
            each { m, h in
                var s = 0.0, n = 0.0
                for i in m where c[i] != 0 { s += x[i]; n += 1 }
                d[h] = n == 0 ? (fallback?[h] ?? 0) : s / n
            }
        case .min, .max:
            let isMin = kind == .min
            each { m, h in
                var s = isMin ? Double.infinity : -Double.infinity, n = 0.0
                for i in m where c[i] != 0 { s = isMin ? Swift.min(s, x[i]) : Swift.max(s, x[i]); n += 1 }
                d[h] = n == 0 ? (fallback?[h] ?? 0) : s
            }
        }
    }
}
