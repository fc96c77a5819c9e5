/// Resolves the names of a parsed expression against a ``RuleEnvironment``
/// and checks its types, units and levels, producing a ``CheckedNode`` tree.
///
/// Every defect is an ``InputError`` at the expression's file and line with
/// the column of the offending token: ``InputError/Kind/unknownKey`` for an
/// unknown name (with "did you mean"), ``InputError/Kind/wrongType`` for a
/// type, unit, level or unsafe-division error, ``InputError/Kind/badValue``
/// for a malformed call.
struct ExpressionChecker {
    let environment: RuleEnvironment
    let location: RuleLocation
    /// The inputs the expression reads, in slot order.
    private(set) var inputs: [ExpressionProgram.Input] = []

    init(environment: RuleEnvironment, location: RuleLocation) {
        self.environment = environment
        self.location = location
    }

    func failure(_ offset: Int, _ kind: InputError.Kind, _ message: String) -> InputError {
        location.advanced(by: offset).error(kind, message)
    }

    /// Checks `syntax` evaluated at `context` (``RuleType/Level/person`` or
    /// ``RuleType/Level/household``): a person value is refused in a household
    /// context outside an aggregate.
    mutating func check(_ syntax: ExpressionSyntax, context: RuleType.Level) throws -> CheckedNode {
        let at = syntax.offset
        switch syntax.kind {
        case .number(let v):
            return CheckedNode(operation: .constant(v), type: RuleType(.number(nil), .constant), offset: at)
        case .boolean(let b):
            return CheckedNode(operation: .constant(b ? 1 : 0), type: RuleType(.boolean, .constant), offset: at)
        case .string(let s):
            throw failure(at, .wrongType, "a string (\"\(InputExcerpt.text(s))\") is not a value here; category codes are whole numbers (region == 3)")
        case .name(let name):
            return try resolve(name, at: at, context: context)
        case .unary(let op, let operand):
            let a = try check(operand, context: context)
            if op == "not" {
                guard a.type.kind == .boolean else {
                    throw failure(at, .wrongType, "'not' needs a boolean, found \(a.type.kindPhrase); 'not' binds tighter than comparisons: write not (a < b)")
                }
                return CheckedNode(operation: .unary(.not, a), type: a.type, offset: at)
            }
            guard a.type.isNumber else { throw failure(at, .wrongType, "'-' needs a number, found \(a.type.kindPhrase)") }
            if let v = a.literal { return CheckedNode(operation: .constant(-v), type: a.type, offset: at) }
            return CheckedNode(operation: .unary(.negate, a), type: a.type, offset: at)
        case .binary(let op, let lhs, let rhs):
            if op == "==" || op == "!=", let (name, text, textAt, nameFirst) = Self.labelComparison(lhs, rhs) {
                let variable = try check(ExpressionSyntax(.name(name), at: nameFirst ? lhs.offset : rhs.offset), context: context)
                let codes = try labelCodes(name, text, at: textAt)
                if codes.count == 1 {
                    let code = CheckedNode(operation: .constant(codes[0]), type: RuleType(.category, .constant), offset: textAt)
                    return try binary(op, nameFirst ? variable : code, nameFirst ? code : variable, divisor: rhs, at: at)
                }
                // A label several values share: any of them.
                let any = CheckedNode(operation: .membership(variable, codes), type: RuleType(.boolean, variable.type.level), offset: at)
                return op == "==" ? any : CheckedNode(operation: .unary(.not, any), type: any.type, offset: at)
            }
            if ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                for side in [lhs, rhs] {
                    if case .name(let n) = side.kind, environment.labelsOnly.contains(n) {
                        throw failure(side.offset, .wrongType, "'\(InputExcerpt.text(n))' is a text column: compare it with one of its labels in quotes ('\(InputExcerpt.text(n)) == \"...\"'), not with a number or another column (its codes are only the texts' places in sorted order)")
                    }
                }
            }
            let a = try check(lhs, context: context)
            let b = try check(rhs, context: context)
            return try binary(op, a, b, divisor: rhs, at: at)
        case .membership(let lhs, let items):
            let a = try check(lhs, context: context)
            var values: [Double] = []
            for item in items {
                if case .string(let text) = item.kind, case .name(let name) = lhs.kind, environment.categoryLabels[name] != nil {
                    values.append(contentsOf: try labelCodes(name, text, at: item.offset))
                    continue
                }
                if case .name(let name) = lhs.kind, environment.labelsOnly.contains(name) {
                    throw failure(item.offset, .wrongType, "'\(InputExcerpt.text(name))' is a text column: list its labels in quotes (\(InputExcerpt.text(name)) in [\"...\", \"...\"]), not numbers")
                }
                let c = try check(item, context: context)
                guard let v = c.literal else {
                    throw failure(item.offset, .wrongType, "the list after 'in' holds number literals only (x in [1, 2])")
                }
                if a.type.kind == .category && v != v.rounded() {
                    throw failure(item.offset, .wrongType, "a category code is a whole number, found \(v)")
                }
                values.append(v)
            }
            switch a.type.kind {
            case .category, .number: break
            case .boolean: throw failure(at, .wrongType, "'in' needs a number or a category code, found a boolean (true/false)")
            }
            return CheckedNode(operation: .membership(a, values), type: RuleType(.boolean, a.type.level), offset: at)
        case .call(let name, let args):
            return try call(name, args, at: at, context: context)
        }
    }

    /// `name == "label"` or `"label" == name` with a labelled variable: (name, label, the label's offset, whether the name is first).
    private static func labelComparison(_ lhs: ExpressionSyntax, _ rhs: ExpressionSyntax) -> (String, String, Int, Bool)? {
        switch (lhs.kind, rhs.kind) {
        case (.name(let n), .string(let s)): return (n, s, rhs.offset, true)
        case (.string(let s), .name(let n)): return (n, s, lhs.offset, false)
        default: return nil
        }
    }

    /// The codes of `label` of the category variable `name` (one, or several values sharing the label).
    private func labelCodes(_ name: String, _ label: String, at: Int) throws -> [Double] {
        guard let labels = environment.categoryLabels[name] else {
            throw failure(at, .wrongType, "'\(InputExcerpt.text(name))' has no value labels, so it cannot be compared with the text \"\(InputExcerpt.text(label))\"; compare it with a number")
        }
        guard let code = labels[label] else {
            let known = labels.keys.sorted().prefix(20).map { "\"\(InputExcerpt.text($0))\"" }.joined(separator: ", ")
            throw failure(at, .badValue, "\"\(InputExcerpt.text(label))\" is not a label of '\(InputExcerpt.text(name))'; its labels are \(known)\(labels.count > 20 ? ", ..." : "")")
        }
        return code
    }

    private mutating func resolve(_ name: String, at: Int, context: RuleType.Level) throws -> CheckedNode {
        if let p = environment.parameters[name] {
            return CheckedNode(operation: .constant(p.value), type: RuleType(.number(p.unit), .constant), offset: at)
        }
        if let c = environment.components[name] {
            try requireLevel(c.level, of: "'\(name)'", at: at, context: context)
            return CheckedNode(operation: .input(slot(name, level: c.level)), type: RuleType(.number(c.unit), c.level), offset: at)
        }
        if let v = environment.variables[name] {
            let level: RuleType.Level = v.level == .household ? .household : .person
            let kind: RuleType.Kind
            switch v.measure {
            case .flag: kind = .boolean
            case .code: kind = .category
            case .identifier:
                throw failure(at, .wrongType, "'\(name)' is an identifier; a rule cannot compute with identifiers")
            default: kind = .number(RuleUnit(measure: v.measure))
            }
            try requireLevel(level, of: "'\(name)'", at: at, context: context)
            return CheckedNode(operation: .input(slot(name, level: level)), type: RuleType(kind, level), offset: at)
        }
        if let reason = environment.unavailable[name] {
            throw failure(at, .inconsistent, "'\(name)' cannot be read here: \(reason)")
        }
        var message = "unknown name '\(InputExcerpt.text(name))'"
        if ExpressionFunction(rawValue: name) != nil {
            message += "; '\(name)' is a function: call it as \(ExpressionFunction(rawValue: name)!.usage)"
        } else if let near = closestMatch(to: name, in: environment.allNames) {
            message += "; did you mean '\(near)'?"
        } else {
            message += "; expected a parameter, a data variable or an earlier component"
        }
        throw failure(at, .unknownKey, message)
    }

    private func requireLevel(_ level: RuleType.Level, of what: String, at: Int, context: RuleType.Level) throws {
        if level > context {
            throw failure(at, .wrongType, "\(what) is \(level.phrase) but this rule computes one value per household; "
                + "use an aggregate over members such as sum(x), count(condition), any(condition)")
        }
    }

    private mutating func slot(_ name: String, level: RuleType.Level) -> Int {
        if let i = inputs.firstIndex(where: { $0.name == name }) { return i }
        inputs.append(ExpressionProgram.Input(name: name, level: level))
        return inputs.count - 1
    }

    /// The level two operands combine to (the finer of the two).
    func combined(_ a: CheckedNode, _ b: CheckedNode) -> RuleType.Level { max(a.type.level, b.type.level) }

    /// The common unit of numbers `a` and `b` (a bare literal takes the other's), or an error naming `what`.
    func sameUnit(_ a: CheckedNode, _ b: CheckedNode, _ what: String, at: Int) throws -> RuleUnit? {
        guard a.type.isNumber, b.type.isNumber else {
            throw failure(at, .wrongType, "\(what) needs numbers, found \(a.type.kindPhrase) and \(b.type.kindPhrase)")
        }
        switch (a.type.unit, b.type.unit) {
        case (nil, let u), (let u, nil): return u
        case (let u?, let v?) where u == v: return u
        case (let u?, let v?):
            var hint = ""
            if Set([u, v]) == [.currencyPerMonth, .currencyPerYear] { hint = "; convert with monthly(x) or yearly(x)" }
            if Set([u, v]) == [.currencyPerMonth, .count] || Set([u, v]) == [.currencyPerYear, .count] {
                // `150 * count() - sum(earnings)`: the bare 150 took count()'s unit.
                hint = "; a bare number times a count is a count: for money per member, make the number a parameter in money "
                    + "(line: {unit: currency_per_month, value: 150}) and write line * count()"
            }
            throw failure(at, .wrongType, "\(what) needs the same unit on both sides, found \(u.phrase) and \(v.phrase)\(hint)")
        }
    }
}
