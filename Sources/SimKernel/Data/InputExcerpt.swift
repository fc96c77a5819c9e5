/// A short, printable excerpt of text that came from an input file, for
/// quoting in error messages.
///
/// Messages quote what they found ("expected a number, found 'abc'") so that
/// the analyst can see the culprit, but input is hostile: a CSV or
/// `/etc/passwd` given where a YAML file was expected reads as one
/// multi-line scalar of megabytes, and a value may hold terminal escape
/// sequences. Every message that quotes input goes through this one helper,
/// which keeps the first line only, escapes control and bidirectional
/// formatting characters, and stops after ``limit`` characters with `…`.
///
/// ```swift
/// InputExcerpt.text("hh_id,age\n1,30\n2,41")  // "hh_id,age…"
/// InputExcerpt.text("a\u{1B}[2Jb")             // "a\u{1B}[2Jb" with the escape written out
/// ```
public enum InputExcerpt {
    /// The most characters of input any message quotes.
    public static let limit = 60

    /// The excerpt of `text`: its first line, at most ``limit`` characters
    /// (an escape counting as the characters it prints), control and
    /// bidirectional formatting characters written as `\t`, `\r` or
    /// `\u{1B}`, ending in `…` when anything was left out.
    ///
    /// - Complexity: O(``limit``): it never reads past the characters it keeps.
    public static func text<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        var count = 0
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        while index != scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" && scalars.index(after: index) != scalars.endIndex
                && scalars[scalars.index(after: index)] == "\n" {
                return out + "…"
            }
            let piece = printable(scalar)
            if count + piece.count > limit { return out + "…" }
            out += piece
            count += piece.count
            index = scalars.index(after: index)
        }
        return out
    }

    /// `text` quoted in single quotes as an excerpt: `'abc'`, `'hh_id,age…'`.
    public static func quoted<S: StringProtocol>(_ text: S) -> String {
        "'" + Self.text(text) + "'"
    }

    /// Whether `text` would be quoted whole (one line, short, nothing to escape).
    public static func isShort<S: StringProtocol>(_ text: S) -> Bool {
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            if count > limit || printable(scalar).count != 1 || scalar == "\n" { return false }
        }
        return true
    }

    /// Whether `text` holds a control or bidirectional formatting character (a line break
    /// counts unless `allowingLineBreaks`): text that must not reach a terminal, a table or a page as it is.
    public static func hasControlCharacters<S: StringProtocol>(_ text: S, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            if allowingLineBreaks && scalar == "\n" { return false }
            return printable(scalar).count != 1
        }
    }

    private static func printable(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0D: return "\\r"
        case 0x0A: return "\\n"
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
            return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default:
            return String(Character(scalar))
        }
    }
}
