/// The loops behind each instruction: one `switch` per instruction, then a
/// plain loop over the whole register.
extension ExpressionProgram {
    static func apply(_ op: CheckedNode.UnaryOperation, _ a: UnsafeMutableBufferPointer<Double>, _ d: UnsafeMutableBufferPointer<Double>) {
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

    static func apply(_ op: CheckedNode.BinaryOperation, _ a: UnsafeMutableBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>,
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
    static func aggregate(_ kind: CheckedNode.Aggregate, _ value: UnsafeMutableBufferPointer<Double>?, _ condition: UnsafeMutableBufferPointer<Double>?,
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
