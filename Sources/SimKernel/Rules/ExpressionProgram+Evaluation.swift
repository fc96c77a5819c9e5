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
    /// - Complexity: O(P × steps), one pass per step of the lowered program
    ///   (constants folded, inputs read in place); one allocation per call
    ///   (the registers; ``evaluate(householdOffsets:columns:into:registers:)``
    ///   takes them from the caller), none per person. Evaluate
    ///   household-aligned sub-batches of about a thousand households so that
    ///   the registers stay in cache.
    /// - Precondition: the shapes above (a programming error, not bad data).
    public func evaluate(householdOffsets: UnsafeBufferPointer<Int>, columns: [ExpressionColumn], into output: UnsafeMutableBufferPointer<Double>) {
        let h = householdOffsets.count - 1
        let p = h >= 0 ? householdOffsets[h] : 0
        let registers = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, registerCount(persons: p, households: max(h, 0))))
        defer { registers.deallocate() }
        evaluate(householdOffsets: householdOffsets, columns: columns, into: output, registers: registers)
    }

    /// ``evaluate(householdOffsets:columns:into:)`` with the registers taken
    /// from `registers` (at least ``registerCount(persons:households:)``
    /// values, their contents ignored and overwritten): no allocation.
    public func evaluate(householdOffsets: UnsafeBufferPointer<Int>, columns: [ExpressionColumn], into output: UnsafeMutableBufferPointer<Double>,
                         registers: UnsafeMutableBufferPointer<Double>) {
        let h = householdOffsets.count - 1
        precondition(h >= 0 && householdOffsets[0] == 0, "householdOffsets must start at 0 and hold H + 1 entries")
        for i in 0..<h { precondition(householdOffsets[i] < householdOffsets[i + 1], "every household needs at least one member") }
        let p = householdOffsets[h]
        precondition(columns.count == inputs.count, "one column per input (\(inputs.map(\.name)))")
        for (c, input) in zip(columns, inputs) {
            precondition(c.count == (input.level == .person ? p : h), "column '\(input.name)' has \(c.count) values")
        }
        precondition(output.count == (type.level == .person ? p : h), "the output needs one value per \(type.level == .person ? "person" : "household")")
        precondition(registers.count >= registerCount(persons: p, households: h), "too few registers")
        guard h > 0 else { return }
        let result = run(households: h, persons: p, offsets: householdOffsets.baseAddress!, registers: registers.baseAddress!,
                         output: output.baseAddress!) { columns[$0] }
        if case .reals(let x) = result, x == UnsafePointer(output.baseAddress!) { return }
        Self.map1(result, output.count, output.baseAddress!) { $0 }
    }

    /// The number of `Double`s of registers the program needs for a batch of
    /// `p` persons in `h` households.
    public func registerCount(persons p: Int, households h: Int) -> Int {
        var n = 0
        for level in registerLevels { n += level == .person ? p : level == .household ? h : 1 }
        return n
    }

    /// Runs the lowered steps over a batch of `h` > 0 households and `p` persons.
    ///
    /// - Parameters:
    ///   - offsets: H + 1 offsets (unchecked: the caller's, already valid).
    ///   - registers: ``registerCount(persons:households:)`` values of scratch.
    ///   - output: Room for the result (P or H values); a step may write it
    ///     even when the result is elsewhere.
    ///   - column: Input `slot`'s column (P or H values; not written).
    /// - Returns: Where the result is: a constant, an input column of
    ///   `Double` (read in place), or `output` (an input of `Int32` is
    ///   converted into it); never the registers.
    func run(households h: Int, persons p: Int, offsets: UnsafePointer<Int>, registers: UnsafeMutablePointer<Double>,
             output: UnsafeMutablePointer<Double>, column: (Int) -> ExpressionColumn) -> Value {
        steps(lowered.steps.count, households: h, persons: p, offsets: offsets, registers: registers, output: output,
              column: column) { _ in
            switch lowered.result {
            case .constant(let v): return .scalar(v)
            case .register: return .reals(UnsafePointer(output))
            case .input(let slot):
                let v: Value
                switch column(slot) {
                case .real(let b): return .reals(b.baseAddress!)
                case .integer(let b): v = .integers(b.baseAddress!)
                }
                Self.map1(v, type.level == .person ? p : h, output) { $0 }
                return .reals(UnsafePointer(output))
            }
        }
    }

    /// Runs the program as a condition on `amount`, as
    /// `run(households:persons:offsets:registers:output:column:)` followed by
    /// `u[j] = condition[j] != 0 ? amount[j] : +0` and `entitled[j] = u[j] > 0`,
    /// with the condition's last step (a comparison, `and`, `or`, or `x in [v]`)
    /// computed in that loop instead of into a column: one pass less, the same bits.
    ///
    /// - Returns: `false`, having run nothing, when the last step is of another sort.
    func runApplying(to amount: Value, into u: UnsafeMutablePointer<Double>, entitled: UnsafeMutablePointer<UInt8>,
                     households h: Int, persons p: Int, offsets: UnsafePointer<Int>, registers: UnsafeMutablePointer<Double>,
                     output: UnsafeMutablePointer<Double>, column: (Int) -> ExpressionColumn) -> Bool {
        guard lowered.result == .register(Self.outputRegister), let last = lowered.steps.last else { return false }
        let n = type.level == .person ? p : h
        if case let (i, j)? = lowered.intervals {
            // `x in [lo, hi] and y in [lo', hi']`: the last three steps in the loop.
            steps(lowered.steps.count - 3, households: h, persons: p, offsets: offsets, registers: registers, output: output,
                  column: column) { value in
                let (lo1, hi1, lo2, hi2) = (i.lo, i.hi, j.lo, j.hi)
                Self.applying(value(i.operand), value(j.operand), amount, n, u, entitled) { x, y in
                    BranchFree.flag(lo1 <= x) & BranchFree.flag(x <= hi1) & BranchFree.flag(lo2 <= y) & BranchFree.flag(y <= hi2)
                }
            }
            return true
        }
        switch last {
        case .binary: break
        case .membership(_, _, let values) where values.count == 1: break
        default: return false
        }
        steps(lowered.steps.count - 1, households: h, persons: p, offsets: offsets, registers: registers, output: output,
              column: column) { value in
            switch last {
            case .binary(let op, _, let a, let b):
                let x = value(a), y = value(b)
                switch op {
                case .and: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 != 0) & BranchFree.flag($1 != 0) }
                case .or: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 != 0) | BranchFree.flag($1 != 0) }
                case .less: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 < $1) }
                case .lessOrEqual: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 <= $1) }
                case .greater: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 > $1) }
                case .greaterOrEqual: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 >= $1) }
                case .equal: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 == $1) }
                case .notEqual: Self.applying(x, y, amount, n, u, entitled) { BranchFree.flag($0 != $1) }
                default:
                    // An arithmetic result used as a condition: true where not 0.
                    Self.run(last, rows: n, households: h, offsets: offsets, destination: output, value: value)
                    Self.applying(.reals(UnsafePointer(output)), .scalar(0), amount, n, u, entitled) { x, _ in BranchFree.flag(x != 0) }
                }
            case .membership(_, let a, let values):
                let v = values[0]
                Self.applying(value(a), .scalar(0), amount, n, u, entitled) { x, _ in BranchFree.flag(x == v) }
            default: preconditionFailure("checked above")
            }
        }
        return true
    }

    /// `u[j] = keep(x[j], y[j]) ? amount[j] : +0` (bits masked) and `entitled[j] = u[j] > 0`.
    @inline(__always)
    static func applying(_ a: Value, _ b: Value, _ amount: Value, _ n: Int, _ u: UnsafeMutablePointer<Double>,
                         _ entitled: UnsafeMutablePointer<UInt8>, _ keep: (Double, Double) -> UInt64) {
        reading(a) { x in
            reading(b) { y in
                switch amount {
                case .scalar(let c):
                    let positive = BranchFree.flag(c > 0)
                    for j in 0..<n {
                        let k = keep(x(j), y(j))
                        u[j] = BranchFree.kept(c, if: k)
                        entitled[j] = UInt8(truncatingIfNeeded: k & positive)
                    }
                case .reals(let v) where v == UnsafePointer(u):
                    for j in 0..<n {
                        let r = BranchFree.kept(u[j], if: keep(x(j), y(j)))
                        u[j] = r
                        entitled[j] = UInt8(BranchFree.flag(r > 0))
                    }
                default:
                    reading(amount) { v in
                        for j in 0..<n {
                            let r = BranchFree.kept(v(j), if: keep(x(j), y(j)))
                            u[j] = r
                            entitled[j] = UInt8(BranchFree.flag(r > 0))
                        }
                    }
                }
            }
        }
    }

    /// Runs the first `count` lowered steps, then `finish` with the operand reader.
    private func steps<R>(_ count: Int, households h: Int, persons p: Int, offsets: UnsafePointer<Int>,
                          registers: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>,
                          column nonEscaping: (Int) -> ExpressionColumn, finish: ((Operand) -> Value) -> R) -> R {
        // The operand reader captures `column` and is handed to `finish`; neither outlives this call.
        withoutActuallyEscaping(nonEscaping) { column in
            steps(count, households: h, persons: p, offsets: offsets, registers: registers, output: output, escaping: column, finish: finish)
        }
    }

    private func steps<R>(_ count: Int, households h: Int, persons p: Int, offsets: UnsafePointer<Int>,
                          registers: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>,
                          escaping column: @escaping (Int) -> ExpressionColumn, finish: ((Operand) -> Value) -> R) -> R {
        let registerCount = registerLevels.count
        func rows(_ level: RuleType.Level) -> Int { level == .person ? p : level == .household ? h : 1 }
        func inputValue(_ input: Int) -> Value {
            switch column(input) {
            case .real(let b): return .reals(b.baseAddress!)
            case .integer(let b): return .integers(b.baseAddress!)
            }
        }
        // view[r] is where register r's value is now: its own storage, or an input
        // column of Double read in place; storage[r] is its own storage.
        return withUnsafeTemporaryAllocation(of: UnsafePointer<Double>.self, capacity: max(registerCount, 1)) { view in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>.self, capacity: max(registerCount, 1)) { storage in
                var start = 0
                for r in 0..<registerCount {
                    storage[r] = registers + start
                    view[r] = UnsafePointer(storage[r])
                    start += rows(registerLevels[r])
                }
                func value(_ o: Operand) -> Value {
                    switch o {
                    case .constant(let v): return .scalar(v)
                    case .register(let r): return .reals(r < 0 ? UnsafePointer(output) : view[r])
                    case .input(let slot): return inputValue(slot)
                    }
                }
                for step in lowered.steps.prefix(count) {
                    let d = step.destination
                    if case .materialise(let r, let slot) = step, r >= 0, case .real(let b) = column(slot) {
                        view[r] = b.baseAddress!  // read in place
                        continue
                    }
                    let destination = d < 0 ? output : storage[d]
                    Self.run(step, rows: rows(d < 0 ? type.level : registerLevels[d]), households: h, offsets: offsets,
                             destination: destination, value: value)
                    if d >= 0 { view[d] = UnsafePointer(storage[d]) }
                }
                return finish(value)
            }
        }
    }

    /// Evaluates the program over columns held in arrays (a convenience for
    /// tests and small batches; see ``evaluate(householdOffsets:columns:into:)``).
    ///
    /// - Parameters:
    ///   - householdOffsets: H + 1 offsets of each household's first member.
    ///   - columns: Each input's values by name (P or H values as its level says).
    /// - Returns: One value per person or per household.
    public func evaluate(householdOffsets: [Int], columns: [String: [Double]]) -> [Double] {
        withArrayColumns(householdOffsets: householdOffsets, columns: columns) { evaluate(householdOffsets: $0, columns: $1, into: $2) }
    }

    /// ``evaluate(householdOffsets:columns:)`` by the instructions one by one (for tests).
    func evaluateReference(householdOffsets: [Int], columns: [String: [Double]]) -> [Double] {
        withArrayColumns(householdOffsets: householdOffsets, columns: columns) { evaluateReference(householdOffsets: $0, columns: $1, into: $2) }
    }

    private func withArrayColumns(householdOffsets: [Int], columns: [String: [Double]],
                                  _ body: (UnsafeBufferPointer<Int>, [ExpressionColumn], UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
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
                withColumns(0, []) { body(offsets, $0, o) }
            }
        }
        return out
    }
}
