extension ExpressionChecker {
    /// Checks `a op b`; `divisor` is the right operand's syntax, for the division rule.
    func binary(_ op: String, _ a: CheckedNode, _ b: CheckedNode, divisor: ExpressionSyntax, at: Int) throws -> CheckedNode {
        let level = combined(a, b)
        func node(_ o: CheckedNode.BinaryOperation, _ kind: RuleType.Kind) -> CheckedNode {
            CheckedNode(operation: .binary(o, a, b), type: RuleType(kind, level), offset: at)
        }
        switch op {
        case "and", "or":
            guard a.type.kind == .boolean, b.type.kind == .boolean else {
                throw failure(at, .wrongType, "'\(op)' needs two booleans (conditions), found \(a.type.kindPhrase) and \(b.type.kindPhrase)")
            }
            return node(op == "and" ? .and : .or, .boolean)
        case "+", "-":
            let u = try sameUnit(a, b, "'\(op)'", at: at)
            return node(op == "+" ? .add : .subtract, .number(u))
        case "*":
            return node(.multiply, .number(try productUnit(a, b, at: at)))
        case "/":
            let u = try quotientUnit(a, b, at: at)
            guard isSafeDivisor(divisor) else {
                throw failure(at, .wrongType, "'/' divides by a value that can be zero; write div(a, b, default: 0) to say what the result is then "
                    + "(a divisor is safe only as a non-zero number, a parameter checked > 0, or count())")
            }
            return node(.divide, .number(u))
        case "<", "<=", ">", ">=":
            _ = try sameUnit(a, b, "'\(op)'", at: at)
            let o: CheckedNode.BinaryOperation = op == "<" ? .less : op == "<=" ? .lessOrEqual : op == ">" ? .greater : .greaterOrEqual
            return node(o, .boolean)
        case "==", "!=":
            try checkEquality(a, b, op, at: at)
            return node(op == "==" ? .equal : .notEqual, .boolean)
        default:
            throw failure(at, .badValue, "unknown operator '\(op)'")
        }
    }

    /// `==` and `!=`: numbers of one unit, booleans (or a boolean and a 0/1
    /// literal), category codes (or a code and a whole-number literal).
    private func checkEquality(_ a: CheckedNode, _ b: CheckedNode, _ op: String, at: Int) throws {
        switch (a.type.kind, b.type.kind) {
        case (.number, .number): _ = try sameUnit(a, b, "'\(op)'", at: at)
        case (.boolean, .boolean), (.category, .category): break
        case (.boolean, .number(nil)), (.number(nil), .boolean):
            let v = a.literal ?? b.literal
            guard v == 0 || v == 1 else { throw failure(at, .wrongType, "a boolean (0/1 flag) compares with 0 or 1 only, found \(v.map { "\($0)" } ?? "a computed number")") }
        case (.category, .number(nil)), (.number(nil), .category):
            guard let v = a.literal ?? b.literal, v == v.rounded() else {
                throw failure(at, .wrongType, "a category code compares with a whole-number literal or another code")
            }
        default:
            throw failure(at, .wrongType, "'\(op)' compares values of one sort, found \(a.type.kindPhrase) and \(b.type.kindPhrase)")
        }
    }

    /// The unit of `a * b`: at most one factor may carry a unit that is not a
    /// scale (money per month or year, years); `count * money` is money,
    /// `share * money` is money, `count * share` is a count.
    func productUnit(_ a: CheckedNode, _ b: CheckedNode, at: Int) throws -> RuleUnit? {
        guard a.type.isNumber, b.type.isNumber else {
            throw failure(at, .wrongType, "'*' needs numbers, found \(a.type.kindPhrase) and \(b.type.kindPhrase)")
        }
        switch (a.type.unit, b.type.unit) {
        case (nil, let u), (let u, nil): return u
        case (let u?, let v?):
            if !u.isScale && !v.isScale {
                throw failure(at, .wrongType, "'*' cannot multiply \(u.phrase) by \(v.phrase); one factor must be a count, a share or a pure number")
            }
            if !u.isScale { return u }
            if !v.isScale { return v }
            for unit in [RuleUnit.count, .share] where u == unit || v == unit { return unit }
            return .dimensionless
        }
    }

    /// The unit of `a / b`: the same unit on both sides gives a pure number;
    /// anything divided by a scale (a count, a share, a pure number) keeps
    /// its unit (`sum(consumption) / count()` is money); a scale divided by
    /// money or years has no unit the language knows and is refused.
    func quotientUnit(_ a: CheckedNode, _ b: CheckedNode, at: Int) throws -> RuleUnit? {
        guard a.type.isNumber, b.type.isNumber else {
            throw failure(at, .wrongType, "'/' needs numbers, found \(a.type.kindPhrase) and \(b.type.kindPhrase)")
        }
        switch (a.type.unit, b.type.unit) {
        case (nil, nil): return nil
        case (let u?, nil): return u
        case (nil, let v?):
            guard v.isScale else { throw failure(at, .wrongType, "'/' cannot divide a pure number by \(v.phrase) (no such unit)") }
            return .dimensionless
        case (let u?, let v?):
            if u == v { return .dimensionless }
            guard v.isScale else { throw failure(at, .wrongType, "'/' cannot divide \(u.phrase) by \(v.phrase); divide values of one unit, or by a count or share") }
            return u.isScale ? .dimensionless : u
        }
    }

    /// Whether a divisor can never be zero: a non-zero number literal
    /// (possibly negated or in parentheses), a parameter the reader checked
    /// > 0, or `count()` without a condition (every household has a member).
    func isSafeDivisor(_ s: ExpressionSyntax) -> Bool {
        switch s.kind {
        case .number(let v): return v != 0
        case .unary("-", let inner): return isSafeDivisor(inner)
        case .name(let n): return environment.parameters[n]?.isValidatedPositive == true
        case .call("count", let args): return args.isEmpty
        default: return false
        }
    }
}
