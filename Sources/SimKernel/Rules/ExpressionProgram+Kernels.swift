/// The loops behind each lowered step: one `switch` per step (on the
/// operation and on where each operand is), then a plain loop over the
/// step's rows with no branch on the data (booleans and selections are bit
/// masks, ``BranchFree``), so that it vectorises.
extension ExpressionProgram {
    /// An operand as a loop reads it.
    enum Value {
        /// The same value on every row.
        case scalar(Double)
        case reals(UnsafePointer<Double>)
        /// Read as exact `Double`s.
        case integers(UnsafePointer<Int32>)
    }

    /// Calls `body` with a reader of `v` specialised to where it is (no branch per row).
    @inline(__always)
    static func reading(_ v: Value, _ body: ((Int) -> Double) -> Void) {
        switch v {
        case .scalar(let c): body { _ in c }
        case .reals(let x): body { x[$0] }
        case .integers(let x): body { Double(x[$0]) }
        }
    }

    @inline(__always)
    static func map1(_ a: Value, _ n: Int, _ out: UnsafeMutablePointer<Double>, _ f: (Double) -> Double) {
        switch a {
        case .scalar(let c):
            let v = f(c)
            for i in 0..<n { out[i] = v }
        case .reals(let x): for i in 0..<n { out[i] = f(x[i]) }
        case .integers(let x): for i in 0..<n { out[i] = f(Double(x[i])) }
        }
    }

    @inline(__always)
    static func map2(_ a: Value, _ b: Value, _ n: Int, _ out: UnsafeMutablePointer<Double>, _ f: (Double, Double) -> Double) {
        switch (a, b) {
        case (.reals(let x), .reals(let y)): for i in 0..<n { out[i] = f(x[i], y[i]) }
        case (.reals(let x), .scalar(let c)): for i in 0..<n { out[i] = f(x[i], c) }
        case (.scalar(let c), .reals(let y)): for i in 0..<n { out[i] = f(c, y[i]) }
        case (.integers(let x), .scalar(let c)): for i in 0..<n { out[i] = f(Double(x[i]), c) }
        case (.scalar(let c), .integers(let y)): for i in 0..<n { out[i] = f(c, Double(y[i])) }
        case (.scalar(let c), .scalar(let e)):
            let v = f(c, e)
            for i in 0..<n { out[i] = v }
        default:
            reading(a) { x in reading(b) { y in for i in 0..<n { out[i] = f(x(i), y(i)) } } }
        }
    }

    @inline(__always)
    static func map3(_ a: Value, _ b: Value, _ c: Value, _ n: Int, _ out: UnsafeMutablePointer<Double>,
                     _ f: (Double, Double, Double) -> Double) {
        reading(a) { x in reading(b) { y in reading(c) { z in for i in 0..<n { out[i] = f(x(i), y(i), z(i)) } } } }
    }

    /// 1 where `b`, else 0 (`+0.0`).
    @inline(__always)
    static func one(if b: Bool) -> Double { BranchFree.kept(1, if: BranchFree.flag(b)) }

    /// `x` where `k` is not 0, else `y`: the bits of one or the other, chosen by a mask.
    @inline(__always)
    static func choose(_ k: Double, _ x: Double, _ y: Double) -> Double {
        let m = 0 &- BranchFree.flag(k != 0)
        return Double(bitPattern: (x.bitPattern & m) | (y.bitPattern & ~m))
    }

    /// Runs one step, writing `rows` values to `out` (its level's rows; the
    /// batch has `households` households at `offsets`).
    static func run(_ step: Step, rows n: Int, households h: Int, offsets: UnsafePointer<Int>,
                    destination out: UnsafeMutablePointer<Double>, value: (Operand) -> Value) {
        switch step {
        case .materialise(_, let slot): map1(value(.input(slot)), n, out) { $0 }
        case .copy(_, let a): map1(value(a), n, out) { $0 }
        case .broadcast(_, let s):
            reading(value(s)) { x in
                for k in 0..<h {
                    let v = x(k)
                    for i in offsets[k] ..< offsets[k + 1] { out[i] = v }
                }
            }
        case .unary(let op, _, let a): unary(op, value(a), n, out)
        case .binary(let op, _, let a, let b): binary(op, value(a), value(b), n, out)
        case .divideOrDefault(_, let a, let b, let f):
            // The quotient is formed on every row (no trap in IEEE arithmetic), the fallback chosen where b is 0.
            map3(value(a), value(b), value(f), n, out) { x, y, z in choose(one(if: y == 0), z, x / y) }
        case .select(_, let c, let a, let b): map3(value(c), value(a), value(b), n, out) { k, x, y in choose(k, x, y) }
        case .clamp(_, let v, let lo, let hi): map3(value(v), value(lo), value(hi), n, out) { x, l, u in Swift.min(Swift.max(x, l), u) }
        case .membership(_, let a, let values):
            let x = value(a)
            if values.count == 1 {
                let v = values[0]
                map1(x, n, out) { one(if: $0 == v) }
            } else {
                values.withUnsafeBufferPointer { list in
                    map1(x, n, out) { y in
                        var hit: UInt64 = 0
                        for v in list { hit |= BranchFree.flag(y == v) }
                        return BranchFree.kept(1, if: hit)
                    }
                }
            }
        case .aggregate(let kind, _, let v, let c, let f):
            aggregate(kind, v.map(value), c.map(value), f.map(value), h, offsets, out)
        }
    }

    static func unary(_ op: CheckedNode.UnaryOperation, _ a: Value, _ n: Int, _ d: UnsafeMutablePointer<Double>) {
        switch op {
        case .negate: map1(a, n, d) { -$0 }
        case .not: map1(a, n, d) { one(if: $0 == 0) }
        case .absolute: map1(a, n, d) { Swift.abs($0) }
        case .round: map1(a, n, d) { $0.rounded(.toNearestOrAwayFromZero) }
        case .floor: map1(a, n, d) { $0.rounded(.down) }
        case .ceil: map1(a, n, d) { $0.rounded(.up) }
        case .scale(let k): map1(a, n, d) { $0 * k }
        }
    }

    static func binary(_ op: CheckedNode.BinaryOperation, _ a: Value, _ b: Value, _ n: Int, _ d: UnsafeMutablePointer<Double>) {
        switch op {
        case .add: map2(a, b, n, d) { $0 + $1 }
        case .subtract: map2(a, b, n, d) { $0 - $1 }
        case .multiply: map2(a, b, n, d) { $0 * $1 }
        case .divide: map2(a, b, n, d) { $0 / $1 }
        case .less: map2(a, b, n, d) { one(if: $0 < $1) }
        case .lessOrEqual: map2(a, b, n, d) { one(if: $0 <= $1) }
        case .greater: map2(a, b, n, d) { one(if: $0 > $1) }
        case .greaterOrEqual: map2(a, b, n, d) { one(if: $0 >= $1) }
        case .equal: map2(a, b, n, d) { one(if: $0 == $1) }
        case .notEqual: map2(a, b, n, d) { one(if: $0 != $1) }
        case .and: map2(a, b, n, d) { BranchFree.kept(1, if: BranchFree.flag($0 != 0) & BranchFree.flag($1 != 0)) }
        case .or: map2(a, b, n, d) { BranchFree.kept(1, if: BranchFree.flag($0 != 0) | BranchFree.flag($1 != 0)) }
        case .minimum: map2(a, b, n, d) { Swift.min($0, $1) }
        case .maximum: map2(a, b, n, d) { Swift.max($0, $1) }
        }
    }

    /// Household `h`'s aggregate over members `offsets[h] ..< offsets[h + 1]`
    /// in row order, counting only members whose condition is non-zero; an
    /// empty selection gives 0 (sum, count), false (any), true (all), or the
    /// fallback (mean, min, max; the checker requires one when a condition
    /// can select nobody, and without a condition every household has a member).
    static func aggregate(_ kind: CheckedNode.Aggregate, _ value: Value?, _ condition: Value?, _ fallback: Value?,
                          _ h: Int, _ offsets: UnsafePointer<Int>, _ d: UnsafeMutablePointer<Double>) {
        // Without a condition every member is selected; without a value the condition is summed.
        let selection = condition ?? .scalar(1)
        reading(selection) { c in
            reading(value ?? selection) { x in
                reading(fallback ?? .scalar(0)) { f in
                    switch kind {
                    case .sum:
                        for k in 0..<h { var s = 0.0; for i in offsets[k] ..< offsets[k + 1] where c(i) != 0 { s += x(i) }; d[k] = s }
                    case .count:
                        for k in 0..<h { var s = 0.0; for i in offsets[k] ..< offsets[k + 1] where c(i) != 0 { s += 1 }; d[k] = s }
                    case .any:
                        for k in 0..<h { var s = 0.0; for i in offsets[k] ..< offsets[k + 1] where c(i) != 0 { s = 1 }; d[k] = s }
                    case .all:
                        for k in 0..<h { var s = 1.0; for i in offsets[k] ..< offsets[k + 1] where c(i) == 0 { s = 0 }; d[k] = s }
                    case .mean:
                        for k in 0..<h {
                            var s = 0.0, m = 0.0
                            for i in offsets[k] ..< offsets[k + 1] where c(i) != 0 { s += x(i); m += 1 }
                            d[k] = m == 0 ? f(k) : s / m
                        }
                    case .min, .max:
                        let isMin = kind == .min
                        for k in 0..<h {
                            var s = isMin ? Double.infinity : -Double.infinity, m = 0.0
                            for i in offsets[k] ..< offsets[k + 1] where c(i) != 0 { s = isMin ? Swift.min(s, x(i)) : Swift.max(s, x(i)); m += 1 }
                            d[k] = m == 0 ? f(k) : s
                        }
                    }
                }
            }
        }
    }
}
