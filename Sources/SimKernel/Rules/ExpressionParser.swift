/// Parses a rule expression into an ``ExpressionSyntax`` tree, with CEL's
/// operator precedence (lowest first): `or`; `and`; comparisons and `in`
/// (`< <= > >= == != in`, not chained); `+ -`; `* /`; unary `-` and `not`;
/// calls, names, literals and parentheses.
///
/// Input is hostile: the text is limited to ``ExpressionLexer/maximumLength``
/// characters and the tree to ``maximumDepth`` levels (parentheses, operators
/// and calls all count), so that no expression can exhaust the stack of the
/// checker, the compiler or this parser.
struct ExpressionParser {
    /// The deepest tree accepted.
    static let maximumDepth = 256

    private let tokens: [ExpressionToken]
    private let location: RuleLocation
    private var index = 0

    /// The tree of `text`, which starts at `location`.
    ///
    /// - Throws: ``InputError`` with the column of the offending token:
    ///   ``InputError/Kind/badValue`` for a syntax error,
    ///   ``InputError/Kind/unsupported`` past the length or depth limit.
    static func parse(_ text: String, at location: RuleLocation) throws -> ExpressionSyntax {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(of: text, at: location), location: location)
        if case .end = parser.tokens[0].kind {
            throw location.error(.badValue, "the expression is empty; write a number, a name or a formula")
        }
        let tree = try parser.parseOr(depth: 0)
        let next = parser.tokens[parser.index]
        guard case .end = next.kind else {
            throw parser.failure(at: next, "unexpected \(next.display) after a complete expression; is an operator missing?")
        }
        return tree
    }

    private init(tokens: [ExpressionToken], location: RuleLocation) {
        self.tokens = tokens
        self.location = location
    }

    private func failure(at token: ExpressionToken, _ message: String, kind: InputError.Kind = .badValue) -> InputError {
        location.advanced(by: token.offset).error(kind, message)
    }

    private var current: ExpressionToken { tokens[index] }

    private func isSymbol(_ s: String) -> Bool {
        if case .symbol(s) = current.kind { return true }
        return false
    }

    private func isKeyword(_ s: String) -> Bool {
        if case .identifier(s) = current.kind { return true }
        return false
    }

    private mutating func expect(_ s: String, _ context: String) throws {
        guard isSymbol(s) else { throw failure(at: current, "expected '\(s)' \(context), found \(current.display)") }
        index += 1
    }

    /// Builds a node, refusing it when the tree grows past ``maximumDepth``.
    private func node(_ kind: ExpressionSyntax.Kind, at token: ExpressionToken) throws -> ExpressionSyntax {
        let n = ExpressionSyntax(kind, at: token.offset)
        if n.depth > Self.maximumDepth {
            throw failure(at: token, "the expression is nested more than \(Self.maximumDepth) levels deep; name parts of it as income_lists (or earlier components) and use the names", kind: .unsupported)
        }
        return n
    }

    private func checkDepth(_ depth: Int) throws {
        if depth > Self.maximumDepth {
            throw failure(at: current, "the expression is nested more than \(Self.maximumDepth) levels deep; name parts of it as income_lists (or earlier components) and use the names", kind: .unsupported)
        }
    }

    private mutating func parseOr(depth: Int) throws -> ExpressionSyntax {
        try checkDepth(depth)
        var lhs = try parseAnd(depth: depth)
        while isKeyword("or") {
            let op = current; index += 1
            lhs = try node(.binary("or", lhs, try parseAnd(depth: depth)), at: op)
        }
        return lhs
    }

    private mutating func parseAnd(depth: Int) throws -> ExpressionSyntax {
        var lhs = try parseComparison(depth: depth)
        while isKeyword("and") {
            let op = current; index += 1
            lhs = try node(.binary("and", lhs, try parseComparison(depth: depth)), at: op)
        }
        return lhs
    }

    private static let comparisons: Set<String> = ["<", "<=", ">", ">=", "==", "!="]

    private mutating func parseComparison(depth: Int) throws -> ExpressionSyntax {
        let lhs = try parseSum(depth: depth)
        let op = current
        if case .symbol(let s) = op.kind, Self.comparisons.contains(s) {
            index += 1
            let rhs = try parseSum(depth: depth)
            if case .symbol(let t) = current.kind, Self.comparisons.contains(t) {
                throw failure(at: current, "comparisons do not chain; write 'a < b and b < c'")
            }
            return try node(.binary(s, lhs, rhs), at: op)
        }
        if isKeyword("in") {
            index += 1
            let open = current
            try expect("[", "after 'in' (x in [1, 2])")
            var items: [ExpressionSyntax] = []
            if !isSymbol("]") {
                repeat {
                    if !items.isEmpty { index += 1 }
                    items.append(try parseSum(depth: depth + 1))
                } while isSymbol(",")
            }
            try expect("]", "to close the list opened at column \(location.column + open.offset)")
            if items.isEmpty { throw failure(at: open, "the list after 'in' is empty; list at least one value") }
            return try node(.membership(lhs, items), at: op)
        }
        return lhs
    }

    private mutating func parseSum(depth: Int) throws -> ExpressionSyntax {
        var lhs = try parseProduct(depth: depth)
        while isSymbol("+") || isSymbol("-") {
            let op = current; index += 1
            guard case .symbol(let s) = op.kind else { break }
            lhs = try node(.binary(s, lhs, try parseProduct(depth: depth)), at: op)
        }
        return lhs
    }

    private mutating func parseProduct(depth: Int) throws -> ExpressionSyntax {
        var lhs = try parseUnary(depth: depth)
        while isSymbol("*") || isSymbol("/") {
            let op = current; index += 1
            guard case .symbol(let s) = op.kind else { break }
            lhs = try node(.binary(s, lhs, try parseUnary(depth: depth)), at: op)
        }
        return lhs
    }

    private mutating func parseUnary(depth: Int) throws -> ExpressionSyntax {
        let op = current
        if isSymbol("-") || isKeyword("not") {
            try checkDepth(depth + 1)
            index += 1
            let operand = try parseUnary(depth: depth + 1)
            return try node(.unary(isKeywordToken(op, "not") ? "not" : "-", operand), at: op)
        }
        return try parsePrimary(depth: depth)
    }

    private func isKeywordToken(_ token: ExpressionToken, _ s: String) -> Bool {
        if case .identifier(s) = token.kind { return true }
        return false
    }

    private static let reserved: Set<String> = ["and", "or", "not", "in"]

    private mutating func parsePrimary(depth: Int) throws -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .number(let v):
            index += 1
            return try node(.number(v), at: token)
        case .string(let s):
            index += 1
            return try node(.string(s), at: token)
        case .identifier(let name):
            if Self.reserved.contains(name) {
                throw failure(at: token, "expected a value, found the keyword '\(name)'")
            }
            index += 1
            if name == "true" || name == "false" { return try node(.boolean(name == "true"), at: token) }
            guard isSymbol("(") else { return try node(.name(name), at: token) }
            index += 1
            try checkDepth(depth + 1)
            var args: [ExpressionSyntax.Argument] = []
            if !isSymbol(")") {
                repeat {
                    if !args.isEmpty { index += 1 }
                    var label: String?
                    let argumentStart = current.offset
                    if case .identifier(let l) = current.kind, case .symbol(":") = tokens[index + 1].kind {
                        label = l
                        index += 2
                    }
                    args.append(.init(label: label, value: try parseOr(depth: depth + 1), offset: argumentStart))
                } while isSymbol(",")
            }
            try expect(")", "to close the call of '\(InputExcerpt.text(name))' at column \(location.column + token.offset)")
            return try node(.call(name, args), at: token)
        case .symbol("("):
            index += 1
            try checkDepth(depth + 1)
            let inner = try parseOr(depth: depth + 1)
            try expect(")", "to close the '(' at column \(location.column + token.offset)")
            return inner
        default:
            throw failure(at: token, "expected a number, a name, a call or '(', found \(token.display)")
        }
    }
}
