extension ExpressionProgram {
    /// Evaluates the program over a batch of households.
    ///
    /// ```swift
    /// // two households: persons 0-1 and person 2
    /// offsets.withUnsafeBufferPointer { o in
    ///     ages.withUnsafeBufferPointer { a in
    ///         program.evaluate(householdOffsets: o, columns: [.integer(a)], into: out)
    ///     }
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - householdOffsets: H + 1 offsets: household `h`'s members are the
    ///     person rows `householdOffsets[h] ..< householdOffsets[h + 1]`; the
    ///     first is 0 and every household has at least one member.
    ///   - columns: One column per entry of ``inputs``, in that order: P
    ///     values for a person input, H for a household input.
    ///   - output: P values for a person program, H for a household program
    ///     (``type``'s level); booleans are written as 1 and 0.
    /// - Complexity: O(P × instructions), one pass per instruction; a few
    ///   allocations per call (the registers, a column of ones per
    ///   aggregate without a condition), none per person. Evaluate
    ///   household-aligned sub-batches of about a thousand households so that
    ///   the registers stay in cache.
    /// - Precondition: the shapes above (a programming error, not bad data).
    public func evaluate(householdOffsets: UnsafeBufferPointer<Int>, columns: [ExpressionColumn], into output: UnsafeMutableBufferPointer<Double>) {
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
                Self.apply(op, reg(a), reg(d))
            case .binary(let op, let d, let a, let b):
                Self.apply(op, reg(a), reg(b), reg(d))
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
                Self.aggregate(kind, value.map(reg), condition.map(reg), fallback.map(reg), householdOffsets, reg(d))
            }
        }
        let result = reg(self.result)  // compiled at type.level, so one value per output row
        for i in 0..<output.count { output[i] = result[i] }
    }

    /// Evaluates the program over columns held in arrays (a convenience for
    /// tests and small batches; see ``evaluate(householdOffsets:columns:into:)``).
    ///
    /// - Parameters:
    ///   - householdOffsets: H + 1 offsets of each household's first member.
    ///   - columns: Each input's values by name (P or H values as its level says).
    /// - Returns: One value per person or per household.
    public func evaluate(householdOffsets: [Int], columns: [String: [Double]]) -> [Double] {
        let needed = inputs.map { input -> [Double] in
            guard let c = columns[input.name] else { preconditionFailure("no column for input '\(input.name)'") }
            return c
        }
        let n = type.level == .person ? (householdOffsets.last ?? 0) : householdOffsets.count - 1
        var out = [Double](repeating: 0, count: max(n, 0))
        func withColumns(_ i: Int, _ acc: [ExpressionColumn], _ body: ([ExpressionColumn]) -> Void) {
            if i == needed.count { return body(acc) }
            needed[i].withUnsafeBufferPointer { withColumns(i + 1, acc + [.real($0)], body) }
        }
        householdOffsets.withUnsafeBufferPointer { offsets in
            out.withUnsafeMutableBufferPointer { o in
                withColumns(0, []) { evaluate(householdOffsets: offsets, columns: $0, into: o) }
            }
        }
        return out
    }
}
