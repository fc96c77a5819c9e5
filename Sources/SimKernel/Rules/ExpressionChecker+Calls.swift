extension ExpressionChecker {
    /// Checks a call of a scalar function or a household aggregate.
    mutating func call(_ name: String, _ args: [ExpressionSyntax.Argument], at: Int, context: RuleType.Level) throws -> CheckedNode {
        guard let function = ExpressionFunction(rawValue: name) else {
            var message = "unknown function '\(InputExcerpt.text(name))'"
            if let near = closestMatch(to: name, in: ExpressionFunction.names) { message += "; did you mean '\(near)'?" }
            throw failure(at, .unknownKey, message)
        }
        let positional = args.filter { $0.label == nil }
        let fallbackSyntax = args.first { $0.label == "default" }?.value
        if let bad = args.first(where: { $0.label != nil && $0.label != "default" }) {
            throw failure(bad.offset, .badValue, "'\(InputExcerpt.text(bad.label!))' is not an argument label; only 'default:' is (\(function.usage))")
        }
        if let labelled = args.firstIndex(where: { $0.label != nil }), labelled != args.count - 1 {
            throw failure(args[labelled + 1].offset, .badValue, "'default:' comes last, after the other arguments (\(function.usage))")
        }
        func arity(_ ok: Bool) throws {
            guard ok else { throw failure(at, .badValue, "'\(name)' takes \(function.usage), found \(positional.count) argument(s)") }
        }
        func noDefault() throws {
            if fallbackSyntax != nil { throw failure(at, .badValue, "'\(name)' takes no 'default:' (\(function.usage))") }
        }
        switch function {
        case .sum, .count, .any, .all, .mean:
            return try aggregate(function, positional.map(\.value), fallback: fallbackSyntax, at: at)
        case .min, .max:
            if positional.count == 1 {
                return try aggregate(function, positional.map(\.value), fallback: fallbackSyntax, at: at)
            }
            if positional.count == 2 {
                var probe = self
                if (try? probe.check(positional[1].value, context: .person))?.type.kind == .boolean {
                    return try aggregate(function, positional.map(\.value), fallback: fallbackSyntax, at: at)
                }
            }
            try arity(positional.count >= 2); try noDefault()
            var acc = try check(positional[0].value, context: context)
            for arg in positional.dropFirst() {
                let b = try check(arg.value, context: context)
                let u = try sameUnit(acc, b, "'\(name)'", at: at)
                acc = CheckedNode(operation: .binary(function == .min ? .minimum : .maximum, acc, b),
                                  type: RuleType(.number(u), combined(acc, b)), offset: at)
            }
            return acc
        case .abs, .round, .floor, .ceil, .monthly, .yearly:
            try arity(positional.count == 1); try noDefault()
            let a = try check(positional[0].value, context: context)
            guard a.type.isNumber else { throw failure(at, .wrongType, "'\(name)' needs a number, found \(a.type.kindPhrase)") }
            let op: CheckedNode.UnaryOperation
            var type = a.type
            switch function {
            case .abs: op = .absolute
            case .round: op = .round
            case .floor: op = .floor
            case .ceil: op = .ceil
            case .monthly, .yearly:
                let from: RuleUnit = function == .monthly ? .currencyPerYear : .currencyPerMonth
                guard a.type.unit == from else { throw failure(at, .wrongType, "'\(name)' converts \(from.phrase), found \(a.type.kindPhrase)") }
                op = .scale(function == .monthly ? 1.0 / 12.0 : 12.0)
                type.kind = .number(function == .monthly ? .currencyPerMonth : .currencyPerYear)
            default: preconditionFailure("handled above")
            }
            return CheckedNode(operation: .unary(op, a), type: type, offset: at)
        case .clamp:
            try arity(positional.count == 3); try noDefault()
            let x = try check(positional[0].value, context: context)
            let lo = try check(positional[1].value, context: context)
            let hi = try check(positional[2].value, context: context)
            let u = try sameUnit(try node(x, lo), hi, "'clamp'", at: at)
            if let l = lo.literal ?? constantValue(lo), let h = hi.literal ?? constantValue(hi), l > h {
                throw failure(at, .outOfRange, "clamp's low bound (\(l)) is above its high bound (\(h))")
            }
            return CheckedNode(operation: .clamp(x, lo, hi), type: RuleType(.number(u), max(combined(x, lo), hi.type.level)), offset: at)
        case .if:
            try arity(positional.count == 3); try noDefault()
            let c = try check(positional[0].value, context: context)
            guard c.type.kind == .boolean else {
                throw failure(positional[0].value.offset, .wrongType, "if's condition must be a boolean (a comparison, a flag), found \(c.type.kindPhrase)")
            }
            let a = try check(positional[1].value, context: context)
            let b = try check(positional[2].value, context: context)
            let kind = try agreeing(a, b, at: at)
            return CheckedNode(operation: .select(c, a, b), type: RuleType(kind, max(c.type.level, combined(a, b))), offset: at)
        case .div:
            try arity(positional.count == 2)
            guard let fallbackSyntax else { throw failure(at, .badValue, "div needs 'default:', the result where the divisor is 0 (\(function.usage))") }
            let a = try check(positional[0].value, context: context)
            let b = try check(positional[1].value, context: context)
            let u = try quotientUnit(a, b, at: at)
            let d = try check(fallbackSyntax, context: context)
            let quotient = CheckedNode(operation: .constant(0), type: RuleType(.number(u), combined(a, b)), offset: at)
            let unit = try sameUnit(quotient, d, "div's default", at: fallbackSyntax.offset)
            return CheckedNode(operation: .divideOrDefault(a, b, fallback: d), type: RuleType(.number(unit), max(combined(a, b), d.type.level)), offset: at)
        }
    }

    /// A number node of `a`'s and `b`'s common unit (for three-way unit checks).
    private func node(_ a: CheckedNode, _ b: CheckedNode) throws -> CheckedNode {
        CheckedNode(operation: .constant(0), type: RuleType(.number(try sameUnit(a, b, "'clamp'", at: a.offset)), combined(a, b)), offset: a.offset)
    }

    /// The value of a parameter or literal node.
    private func constantValue(_ n: CheckedNode) -> Double? {
        if case .constant(let v) = n.operation { return v }
        return nil
    }

    /// The kind both branches of an `if` share.
    private func agreeing(_ a: CheckedNode, _ b: CheckedNode, at: Int) throws -> RuleType.Kind {
        switch (a.type.kind, b.type.kind) {
        case (.number, .number): return .number(try sameUnit(a, b, "if's branches", at: at))
        case (.boolean, .boolean): return .boolean
        case (.category, .category): return .category
        default: throw failure(at, .wrongType, "if's branches must be of one sort, found \(a.type.kindPhrase) and \(b.type.kindPhrase)")
        }
    }

    /// Checks a household aggregate: its value and condition are person
    /// expressions; the result is a household value.
    private mutating func aggregate(_ function: ExpressionFunction, _ args: [ExpressionSyntax], fallback: ExpressionSyntax?, at: Int) throws -> CheckedNode {
        let kind = CheckedNode.Aggregate(rawValue: function.rawValue)!
        let takesValue = [.sum, .mean, .min, .max].contains(kind)
        let maxArgs = takesValue ? 2 : 1
        let minArgs = takesValue ? 1 : (kind == .count ? 0 : 1)
        guard args.count >= minArgs, args.count <= maxArgs else {
            throw failure(at, .badValue, "'\(function.rawValue)' takes \(function.usage), found \(args.count) argument(s)")
        }
        var value: CheckedNode?
        var condition: CheckedNode?
        if takesValue {
            let v = try check(args[0], context: .person)
            guard v.type.isNumber else { throw failure(args[0].offset, .wrongType, "'\(function.rawValue)' adds up numbers, found \(v.type.kindPhrase)") }
            value = v
        }
        if args.count > (takesValue ? 1 : 0) {
            let c = try check(args[args.count - 1], context: .person)
            guard c.type.kind == .boolean else {
                throw failure(args[args.count - 1].offset, .wrongType, "'\(function.rawValue)' takes a condition (a boolean) there, found \(c.type.kindPhrase)")
            }
            condition = c
        }
        var fallbackNode: CheckedNode?
        let mayBeEmpty = condition != nil && [.mean, .min, .max].contains(kind)
        if mayBeEmpty {
            guard let fallback else {
                throw failure(at, .wrongType, "'\(function.rawValue)' with a condition can select no member; add 'default:', the result then (\(function.usage))")
            }
            let f = try check(fallback, context: .household)
            _ = try sameUnit(value!, f, "'\(function.rawValue)' default", at: fallback.offset)
            fallbackNode = f
        } else if let fallback {
            throw failure(fallback.offset, .badValue, "'\(function.rawValue)' takes 'default:' only with a condition of mean, min or max")
        }
        let type: RuleType.Kind
        switch kind {
        case .count: type = .number(.count)
        case .any, .all: type = .boolean
        default: type = value!.type.kind
        }
        return CheckedNode(operation: .aggregate(kind, value: value, condition: condition, fallback: fallbackNode),
                           type: RuleType(type, .household), offset: at)
    }
}
