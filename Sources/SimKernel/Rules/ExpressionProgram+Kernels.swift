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
        for h in 0..<d.count {
            let members = offsets[h] ..< offsets[h + 1]
            var selected = 0.0
            var acc = 0.0
            switch kind {
            case .min: acc = .infinity
            case .max: acc = -.infinity
            case .all: acc = 1
            default: break
            }
            for i in members {
                if let condition, condition[i] == 0 { continue }
                selected += 1
                switch kind {
                case .sum, .mean: acc += value![i]
                case .count: acc += 1
                case .any: acc = 1
                case .all: break
                case .min: acc = Swift.min(acc, value![i])
                case .max: acc = Swift.max(acc, value![i])
                }
            }
            if kind == .all, let condition {
                // all(c): no member where c is false.
                acc = 1
                for i in members where condition[i] == 0 { acc = 0 }
            }
            switch kind {
            case .mean: d[h] = selected == 0 ? (fallback?[h] ?? 0) : acc / selected
            case .min, .max: d[h] = selected == 0 ? (fallback?[h] ?? 0) : acc
            default: d[h] = acc
            }
        }
    }
}
