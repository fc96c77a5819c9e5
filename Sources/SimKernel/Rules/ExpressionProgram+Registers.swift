extension ExpressionProgram.Instruction {
    /// The register the instruction writes and the registers it reads.
    var registers: (destination: Int, sources: [Int]) {
        switch self {
        case .load(let d, _), .fill(let d, _): return (d, [])
        case .broadcast(let d, let s), .unary(_, let d, let s), .membership(let d, let s, _): return (d, [s])
        case .binary(_, let d, let a, let b): return (d, [a, b])
        case .divideOrDefault(let d, let a, let b, let f), .select(let d, let a, let b, let f), .clamp(let d, let a, let b, let f):
            return (d, [a, b, f])
        case .aggregate(_, let d, let v, let c, let f): return (d, [v, c, f].compactMap { $0 })
        }
    }

    /// The instruction with every register number passed through `map`.
    func renumbered(_ map: (Int) -> Int) -> Self {
        switch self {
        case .load(let d, let input): return .load(map(d), input: input)
        case .fill(let d, let v): return .fill(map(d), v)
        case .broadcast(let d, let s): return .broadcast(map(d), from: map(s))
        case .unary(let op, let d, let s): return .unary(op, map(d), map(s))
        case .membership(let d, let s, let values): return .membership(map(d), map(s), values)
        case .binary(let op, let d, let a, let b): return .binary(op, map(d), map(a), map(b))
        case .divideOrDefault(let d, let a, let b, let f): return .divideOrDefault(map(d), map(a), map(b), fallback: map(f))
        case .select(let d, let a, let b, let f): return .select(map(d), map(a), map(b), map(f))
        case .clamp(let d, let a, let b, let f): return .clamp(map(d), map(a), map(b), map(f))
        case .aggregate(let k, let d, let v, let c, let f): return .aggregate(k, map(d), value: v.map(map), condition: c.map(map), fallback: f.map(map))
        }
    }
}

extension ExpressionCompiler {
    /// Reuses registers: the compiler gives every node its own register; this
    /// pass gives a register back once its last reader has run, so a program
    /// needs only as many registers of each level as are live at once (a
    /// 4,096-character `min(age, age, ...)` would otherwise hold a thousand
    /// person columns). Every kernel reads element `i` before writing element
    /// `i`, and an aggregate or broadcast writes a register of another level,
    /// so a destination may reuse one of its own sources.
    ///
    /// - Returns: The renumbered instructions, the level of each register, and the result's register.
    static func allocateRegisters(_ instructions: [ExpressionProgram.Instruction], levels: [RuleType.Level],
                                  result: Int) -> ([ExpressionProgram.Instruction], [RuleType.Level], Int) {
        var lastUse = [Int](repeating: -1, count: levels.count)
        for (i, instruction) in instructions.enumerated() {
            for s in instruction.registers.sources { lastUse[s] = i }
        }
        lastUse[result] = Int.max
        var physical = [Int](repeating: -1, count: levels.count)
        var physicalLevels: [RuleType.Level] = []
        var free: [RuleType.Level: [Int]] = [:]
        var out: [ExpressionProgram.Instruction] = []
        out.reserveCapacity(instructions.count)
        for (i, instruction) in instructions.enumerated() {
            let (d, sources) = instruction.registers
            for s in Set(sources).sorted() where lastUse[s] == i { free[levels[s], default: []].append(physical[s]) }
            if let reused = free[levels[d]]?.popLast() {
                physical[d] = reused
            } else {
                physical[d] = physicalLevels.count
                physicalLevels.append(levels[d])
            }
            out.append(instruction.renumbered { physical[$0] })
            // A register nobody reads (none is emitted today) is free at once.
            if lastUse[d] == -1 { free[levels[d], default: []].append(physical[d]) }
        }
        return (out, physicalLevels, physical[result])
    }
}
