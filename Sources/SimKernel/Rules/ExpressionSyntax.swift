/// A parsed rule expression before names and types are checked: a tree of
/// literals, names, operators and calls, each with the offset of its token
/// in the expression text and the depth of its subtree.
struct ExpressionSyntax: Sendable {
    /// One argument of a call, optionally labelled (`default: 0`).
    struct Argument: Sendable {
        /// The label before `:`, if any.
        let label: String?
        /// The argument's value.
        let value: ExpressionSyntax
        /// Offset of the argument's first token (its label, if any).
        let offset: Int
    }

    /// What the node is.
    indirect enum Kind: Sendable {
        /// A number literal.
        case number(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// A quoted string.
        case string(String)
        /// A name: a parameter, variable or component.
        case name(String)
        /// `-x` or `not x`.
        case unary(String, ExpressionSyntax)
        /// `a op b` for `+ - * / < <= > >= == != and or`.
        case binary(String, ExpressionSyntax, ExpressionSyntax)
        /// `x in [a, b, ...]`.
        case membership(ExpressionSyntax, [ExpressionSyntax])
        /// `f(a, b, label: c)`.
        case call(String, [Argument])
    }

    /// What the node is.
    let kind: Kind
    /// Offset (0-based, in characters) of the node's token: the operator of
    /// a binary node, the name of a call.
    let offset: Int
    /// Nesting depth of the subtree (a leaf is 1).
    let depth: Int

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
        switch kind {
        case .number, .boolean, .string, .name: depth = 1
        case .unary(_, let a): depth = a.depth + 1
        case .binary(_, let a, let b): depth = max(a.depth, b.depth) + 1
        case .membership(let a, let list): depth = max(a.depth, list.map(\.depth).max() ?? 0) + 1
        case .call(_, let args): depth = (args.map(\.value.depth).max() ?? 0) + 1
        }
    }
}
