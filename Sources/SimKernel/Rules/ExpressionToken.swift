/// One token of a rule expression, with the offset of its first character
/// in the expression text (0-based, in characters).
struct ExpressionToken: Sendable, Equatable {
    /// What sort of token this is.
    enum Kind: Sendable, Equatable {
        /// A number literal (underscores between digits allowed: `1_000.5`).
        case number(Double)
        /// A name: a parameter, variable, component, function or keyword.
        case identifier(String)
        /// A quoted string (only allowed where a label is expected; none yet).
        case string(String)
        /// An operator or punctuation: `+ - * / < <= > >= == != ( ) [ ] , :`.
        case symbol(String)
        /// The end of the text.
        case end
    }

    /// What the token is.
    let kind: Kind
    /// Offset of its first character in the expression text.
    let offset: Int
    /// Its length in characters.
    let length: Int

    /// The token as the analyst wrote it, for messages.
    var display: String {
        switch kind {
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .identifier(let s): return "'\(InputExcerpt.text(s))'"
        case .string(let s): return "\"\(InputExcerpt.text(s))\""
        case .symbol(let s): return "'\(s)'"
        case .end: return "the end of the expression"
        }
    }
}
