/// The program as it runs: the instructions lowered once, when the program
/// is built, to steps that read their operands where they are.
///
/// - A constant (a literal, a parameter, and every instruction whose operands
///   are all constants) is folded to its value: computed here by the same
///   kernels on one element, so the same bits as computing it per person;
///   a broadcast of a constant costs nothing.
/// - An input is read in place: a column of `Double` is never copied; a
///   column of `Int32` is compared directly by `x in [...]` and by a
///   comparison with a constant, and converted (`materialise`) only before
///   the first step that needs it as `Double`.
/// - The last step writes the caller's output, not a register.
///
/// Each step runs one loop over its level's rows, as before; the order of
/// the arithmetic on each value is unchanged, so results are bit-identical
/// to running the instructions one by one (tested against
/// ``ExpressionProgram/evaluateReference(householdOffsets:columns:into:)``).
extension ExpressionProgram {
    /// Where a step reads an operand.
    enum Operand: Sendable, Equatable {
        /// A register (``ExpressionProgram/outputRegister``: the caller's output).
        case register(Int)
        /// An input column, read in place.
        case input(Int)
        /// A value known when the program was built.
        case constant(Double)
    }

    /// One step of the lowered program; destinations are registers, or
    /// ``ExpressionProgram/outputRegister``.
    enum Step: Sendable {
        /// Register `d` now holds input `input`: the column itself if it is
        /// of `Double`, else its values converted into the register.
        case materialise(Int, input: Int)
        /// A household operand copied to every member.
        case broadcast(Int, from: Operand)
        case unary(CheckedNode.UnaryOperation, Int, Operand)
        /// Operands of `Int32` only in a comparison with a constant.
        case binary(CheckedNode.BinaryOperation, Int, Operand, Operand)
        case divideOrDefault(Int, Operand, Operand, fallback: Operand)
        case select(Int, Operand, Operand, Operand)
        case clamp(Int, Operand, Operand, Operand)
        /// The operand may be an input of `Int32`.
        case membership(Int, Operand, [Double])
        case aggregate(CheckedNode.Aggregate, Int, value: Operand?, condition: Operand?, fallback: Operand?)
        /// The result, when no step computes it into the output (a register written earlier).
        case copy(Int, Operand)
    }

    /// The register number that stands for the caller's output.
    static let outputRegister = -1

    /// `operand` within `lo ... hi` (a comparison with a constant, or `x in [v]`).
    struct Interval: Sendable, Equatable {
        let operand: Operand
        let lo: Double
        let hi: Double
    }

    /// The lowered steps and where the result is after them.
    struct Lowered: Sendable {
        var steps: [Step]
        /// A constant, an input (read in place), or the output.
        var result: Operand
        /// When the last three steps compute `p and q`, p and q each a comparison
        /// of an operand with a constant or `x in [v]`: the two as intervals, so that
        /// a condition can be applied in one loop (``ExpressionProgram/runApplying``).
        var intervals: (Interval, Interval)? = nil
    }

    /// The interval of values of `x` for which `x op c` holds (`lo` NaN: none).
    /// For doubles `x < c` is exactly `x <= c.nextDown`, `x > c` is `x >= c.nextUp`
    /// (an infinite or NaN `c` excepted: no value), and NaN is in no interval.
    static func interval(_ op: CheckedNode.BinaryOperation, _ c: Double) -> (lo: Double, hi: Double)? {
        switch op {
        case .less: return c.isNaN || c == -.infinity ? (.nan, .nan) : (-.infinity, c.nextDown)
        case .lessOrEqual: return (-.infinity, c)
        case .greater: return c.isNaN || c == .infinity ? (.nan, .nan) : (c.nextUp, .infinity)
        case .greaterOrEqual: return (c, .infinity)
        case .equal: return (c, c)
        default: return nil
        }
    }

    /// The register step `step` writes and its condition as an interval, if it is one.
    static func interval(of step: Step) -> (Int, Interval)? {
        func isConstant(_ o: Operand) -> Bool { if case .constant = o { return true }; return false }
        switch step {
        case .membership(let d, let a, let values) where values.count == 1 && !isConstant(a):
            return (d, Interval(operand: a, lo: values[0], hi: values[0]))
        case .binary(let op, let d, let a, .constant(let c)) where !isConstant(a):
            return interval(op, c).map { (d, Interval(operand: a, lo: $0.lo, hi: $0.hi)) }
        case .binary(let op, let d, .constant(let c), let b) where !isConstant(b):
            // c op x is x op' c.
            let flipped: CheckedNode.BinaryOperation
            switch op {
            case .less: flipped = .greater
            case .lessOrEqual: flipped = .greaterOrEqual
            case .greater: flipped = .less
            case .greaterOrEqual: flipped = .lessOrEqual
            default: flipped = op
            }
            return interval(flipped, c).map { (d, Interval(operand: b, lo: $0.lo, hi: $0.hi)) }
        default: return nil
        }
    }

    /// Lowers `instructions` (see the type's comment).
    static func lower(_ instructions: [Instruction], levels: [RuleType.Level], result: Int) -> Lowered {
        // What each register holds at this point of the program.
        var state: [Operand] = levels.indices.map { .register($0) }
        var steps: [Step] = []
        func use(_ r: Int, raw: Bool = false) -> Operand {
            if case .input(let slot) = state[r], !raw {
                steps.append(.materialise(r, input: slot))
                state[r] = .register(r)
            }
            return state[r]
        }
        func constant(_ o: Operand) -> Double? {
            if case .constant(let v) = o { return v }
            return nil
        }
        /// The step's value when its operands are all constants: the kernel run on one element.
        func fold(_ step: Step, _ operands: [Operand]) -> Double? {
            guard operands.allSatisfy({ constant($0) != nil }) else { return nil }
            var out = 0.0
            withUnsafeMutablePointer(to: &out) { o in
                let none = UnsafePointer<Int>(bitPattern: 8)!  // no aggregate is folded: offsets never read
                run(step, rows: 1, households: 1, offsets: none, destination: o, value: { op in .scalar(constant(op)!) })
            }
            return out
        }
        for instruction in instructions {
            var step: Step
            var operands: [Operand]
            let d: Int
            switch instruction {
            case .load(let r, let slot):
                state[r] = .input(slot)
                continue
            case .fill(let r, let v):
                state[r] = .constant(v)
                continue
            case .broadcast(let r, let s):
                if case .constant = state[s] {
                    state[r] = state[s]
                    continue
                }
                let from = use(s, raw: true)  // the broadcast reads either kind of column
                (d, step, operands) = (r, .broadcast(r, from: from), [from])
            case .unary(let op, let r, let a):
                let x = use(a)
                (d, step, operands) = (r, .unary(op, r, x), [x])
            case .binary(let op, let r, let a, let b):
                // An integer column is compared with a constant as it is (Double(x) exactly).
                let comparison: Bool
                switch op {
                case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: comparison = true
                default: comparison = false
                }
                let x = use(a, raw: comparison && constant(state[b]) != nil)
                let y = use(b, raw: comparison && constant(state[a]) != nil)
                (d, step, operands) = (r, .binary(op, r, x, y), [x, y])
            case .divideOrDefault(let r, let a, let b, let f):
                let x = use(a), y = use(b), z = use(f)
                (d, step, operands) = (r, .divideOrDefault(r, x, y, fallback: z), [x, y, z])
            case .select(let r, let c, let a, let b):
                let k = use(c), x = use(a), y = use(b)
                (d, step, operands) = (r, .select(r, k, x, y), [k, x, y])
            case .clamp(let r, let v, let lo, let hi):
                let x = use(v), l = use(lo), h = use(hi)
                (d, step, operands) = (r, .clamp(r, x, l, h), [x, l, h])
            case .membership(let r, let a, let values):
                let x = use(a, raw: true)
                (d, step, operands) = (r, .membership(r, x, values), [x])
            case .aggregate(let kind, let r, let value, let condition, let fallback):
                // Never folded: it depends on the households' sizes.
                let v = value.map { use($0) }, c = condition.map { use($0) }, f = fallback.map { use($0) }
                steps.append(.aggregate(kind, r, value: v, condition: c, fallback: f))
                state[r] = .register(r)
                continue
            }
            if let v = fold(step, operands) {
                state[d] = .constant(v)
            } else {
                steps.append(step)
                state[d] = .register(d)
            }
        }
        // The result: a constant or an input stays where it is; a register's value
        // is computed into the output by the step that wrote it, when it is the last.
        switch state[result] {
        case .constant, .input: return Lowered(steps: steps, result: state[result])
        case .register:
            if let last = steps.last, last.destination == result {
                steps[steps.count - 1] = last.writing(outputRegister)
            } else {
                steps.append(.copy(outputRegister, .register(result)))
            }
            var lowered = Lowered(steps: steps, result: .register(outputRegister))
            // p and q, each an interval, computed by the two steps before: skipping
            // those two writes nothing the others read (each register is read once).
            let n = steps.count
            if n >= 3, case .binary(.and, _, .register(let r1), .register(let r2)) = steps[n - 1], r1 != r2,
               case let (d1, p)? = interval(of: steps[n - 3]), case let (d2, q)? = interval(of: steps[n - 2]),
               Set([d1, d2]) == Set([r1, r2]), p.operand != .register(d2), q.operand != .register(d1) {
                lowered.intervals = (p, q)
            }
            return lowered
        }
    }
}

extension ExpressionProgram.Step {
    /// The register the step writes.
    var destination: Int {
        switch self {
        case .materialise(let d, _), .broadcast(let d, _), .unary(_, let d, _), .binary(_, let d, _, _),
             .divideOrDefault(let d, _, _, _), .select(let d, _, _, _), .clamp(let d, _, _, _), .membership(let d, _, _),
             .aggregate(_, let d, _, _, _), .copy(let d, _):
            return d
        }
    }

    /// The step writing register `d` instead.
    func writing(_ d: Int) -> Self {
        switch self {
        case .materialise(_, let input): return .materialise(d, input: input)
        case .broadcast(_, let s): return .broadcast(d, from: s)
        case .unary(let op, _, let a): return .unary(op, d, a)
        case .binary(let op, _, let a, let b): return .binary(op, d, a, b)
        case .divideOrDefault(_, let a, let b, let f): return .divideOrDefault(d, a, b, fallback: f)
        case .select(_, let c, let a, let b): return .select(d, c, a, b)
        case .clamp(_, let x, let lo, let hi): return .clamp(d, x, lo, hi)
        case .membership(_, let a, let values): return .membership(d, a, values)
        case .aggregate(let k, _, let v, let c, let f): return .aggregate(k, d, value: v, condition: c, fallback: f)
        case .copy(_, let a): return .copy(d, a)
        }
    }
}
