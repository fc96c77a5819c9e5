/// Lowers a ``CheckedNode`` tree to an ``ExpressionProgram``: one register
/// per node, with a broadcast wherever a constant or household value meets
/// a finer level.
struct ExpressionCompiler {
    private(set) var instructions: [ExpressionProgram.Instruction] = []
    private(set) var levels: [RuleType.Level] = []

    private mutating func register(_ level: RuleType.Level) -> Int {
        levels.append(level)
        return levels.count - 1
    }

    /// Emits `node` and returns the register holding it at `level` (>= its own).
    mutating func emit(_ node: CheckedNode, at level: RuleType.Level) -> Int {
        let own = emit(node)
        guard level > node.type.level else { return own }
        let wide = register(level)
        instructions.append(.broadcast(wide, from: own))
        return wide
    }

    /// Emits `node` at its own level.
    private mutating func emit(_ node: CheckedNode) -> Int {
        let level = node.type.level
        switch node.operation {
        case .constant(let v):
            let d = register(level)
            instructions.append(.fill(d, v))
            return d
        case .input(let slot):
            let d = register(level)
            instructions.append(.load(d, input: slot))
            return d
        case .unary(let op, let a):
            let ra = emit(a, at: level)
            let d = register(level)
            instructions.append(.unary(op, d, ra))
            return d
        case .binary(let op, let a, let b):
            let ra = emit(a, at: level), rb = emit(b, at: level)
            let d = register(level)
            instructions.append(.binary(op, d, ra, rb))
            return d
        case .divideOrDefault(let a, let b, let f):
            let ra = emit(a, at: level), rb = emit(b, at: level), rf = emit(f, at: level)
            let d = register(level)
            instructions.append(.divideOrDefault(d, ra, rb, fallback: rf))
            return d
        case .select(let c, let a, let b):
            let rc = emit(c, at: level), ra = emit(a, at: level), rb = emit(b, at: level)
            let d = register(level)
            instructions.append(.select(d, rc, ra, rb))
            return d
        case .clamp(let x, let lo, let hi):
            let rx = emit(x, at: level), rl = emit(lo, at: level), rh = emit(hi, at: level)
            let d = register(level)
            instructions.append(.clamp(d, rx, rl, rh))
            return d
        case .membership(let a, let values):
            let ra = emit(a, at: level)
            let d = register(level)
            instructions.append(.membership(d, ra, values))
            return d
        case .aggregate(let kind, let value, let condition, let fallback):
            let rv = value.map { emit($0, at: .person) }
            let rc = condition.map { emit($0, at: .person) }
            let rf = fallback.map { emit($0, at: .household) }
            let d = register(.household)
            instructions.append(.aggregate(kind, d, value: rv, condition: rc, fallback: rf))
            return d
        }
    }
}
