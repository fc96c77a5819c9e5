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
        let count = registerLevels.count
        func rows(_ level: RuleType.Level) -> Int { level == .person ? p : level == .household ? h : 1 }
        func inputValue(_ input: Int) -> Value {
            switch column(input) {
            case .real(let b): return .reals(b.baseAddress!)
            case .integer(let b): return .integers(b.baseAddress!)
            }
        }
        return withUnsafeTemporaryAllocation(of: UnsafePointer<Double>.self, capacity: max(count, 1)) { view in
            // Register r's own storage is at own(r); view[r] is where its value is now
            // (the storage, or an input column of Double read in place).
            var start = 0
            for r in 0..<count {
                view[r] = UnsafePointer(registers + start)
                start += rows(registerLevels[r])
            }
            func own(_ r: Int) -> UnsafeMutablePointer<Double> { UnsafeMutablePointer(mutating: view[r]) }
            // Each register's own storage, before any view moved.
            return withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>.self, capacity: max(count, 1)) { storage in
                for r in 0..<count { storage[r] = own(r) }
                func value(_ o: Operand) -> Value {
                    switch o {
                    case .constant(let v): return .scalar(v)
                    case .register(let r): return .reals(r < 0 ? UnsafePointer(output) : view[r])
                    case .input(let slot): return inputValue(slot)
                    }
                }
                for step in lowered.steps {
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
                switch lowered.result {
                case .constant(let v): return .scalar(v)
                case .register: return .reals(UnsafePointer(output))
                case .input(let slot):
                    let v = inputValue(slot)
                    if case .integers = v {
                        Self.map1(v, rows(type.level), output) { $0 }
                        return .reals(UnsafePointer(output))
                    }
                    return v
                }
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
