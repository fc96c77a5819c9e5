/// Splits a rule expression into tokens, refusing anything the language does
/// not know with the column of the offending character.
///
/// Names are ASCII (`[A-Za-z_][A-Za-z0-9_]*`), numbers are decimal with
/// optional `_` between digits and an optional fraction and exponent
/// (`1_000`, `0.25`, `1e6`); strings are double-quoted without escapes.
/// Text longer than ``ExpressionLexer/maximumLength`` characters is refused
/// before it is read.
struct ExpressionLexer {
    /// The longest expression accepted, in characters.
    static let maximumLength = 4_096

    /// The tokens of `text`, ending with ``ExpressionToken/Kind/end``.
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/unsupported`` past the
    ///   length limit, ``InputError/Kind/badValue`` for a character or number
    ///   the language does not know).
    static func tokens(of text: String, at location: RuleLocation) throws -> [ExpressionToken] {
        if text.utf8.count > maximumLength * 4 || text.count > maximumLength {
            throw location.error(.unsupported, "the expression is longer than \(maximumLength) characters; name parts of it as income_lists (or earlier components) and use the names")
        }
        let chars = Array(text)
        var tokens: [ExpressionToken] = []
        var i = 0
        func fail(_ at: Int, _ message: String) -> InputError {
            location.advanced(by: at).error(.badValue, message)
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            let start = i
            if c.isASCII && (c.isLetter || c == "_") {
                while i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                tokens.append(ExpressionToken(kind: .identifier(String(chars[start..<i])), offset: start, length: i - start))
                continue
            }
            if c.isASCII && (c.isNumber || c == ".") {
                var digits = ""
                var sawDigit = false
                func readDigits() throws {
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "_" {
                        if chars[i] == "_" {
                            guard i > start, chars[i - 1].isNumber, i + 1 < chars.count, chars[i + 1].isASCII, chars[i + 1].isNumber else {
                                throw fail(i, "'_' in a number must stand between two digits (1_000)")
                            }
                        } else {
                            digits.append(chars[i]); sawDigit = true
                        }
                        i += 1
                    }
                }
                try readDigits()
                if i < chars.count, chars[i] == "." { digits.append("."); i += 1; try readDigits() }
                if sawDigit, i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    digits.append("e"); i += 1
                    if i < chars.count, chars[i] == "+" || chars[i] == "-" { digits.append(chars[i]); i += 1 }
                    let before = digits.count
                    try readDigits()
                    if digits.count == before { throw fail(start, "a number's exponent needs digits (1e6)") }
                }
                guard sawDigit, let value = Double(digits), value.isFinite else {
                    throw fail(start, "'\(InputExcerpt.text(String(chars[start..<i])))' is not a number")
                }
                if i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i] == "_" {
                    throw fail(i, "a number must not run into a name; put an operator between them")
                }
                tokens.append(ExpressionToken(kind: .number(value), offset: start, length: i - start))
                continue
            }
            if c == "\"" {
                i += 1
                while i < chars.count, chars[i] != "\"" { i += 1 }
                guard i < chars.count else { throw fail(start, "a string has no closing '\"'") }
                tokens.append(ExpressionToken(kind: .string(String(chars[(start + 1)..<i])), offset: start, length: i + 1 - start))
                i += 1
                continue
            }
            let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
            if ["<=", ">=", "==", "!="].contains(two) {
                tokens.append(ExpressionToken(kind: .symbol(two), offset: start, length: 2))
                i += 2
                continue
            }
            if "+-*/<>()[],:".contains(c) {
                tokens.append(ExpressionToken(kind: .symbol(String(c)), offset: start, length: 1))
                i += 1
                continue
            }
            if c == "=" { throw fail(i, "'=' is not an operator; compare with '=='") }
            if c == "&" || c == "|" || c == "!" { throw fail(i, "write 'and', 'or', 'not' instead of '\(c)'") }
            throw fail(i, "unexpected character '\(InputExcerpt.text(String(c)))'")
        }
        tokens.append(ExpressionToken(kind: .end, offset: chars.count, length: 0))
        return tokens
    }
}
