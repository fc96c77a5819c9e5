import SimKernel

/// A YAML document as a plain, editable tree: what ``ScenarioDocument``
/// changes and writes back out.
///
/// Read from a checked `YAMLNode` (so it has passed every limit of the
/// reader), it keeps mapping order and whether each scalar was quoted, so
/// that `30` stays a number and `"30"` a string when written again.
/// Comments are not kept.
public indirect enum EditableYAML: Sendable, Equatable {
    /// A scalar's text; `plain` is false when it was quoted.
    case scalar(String, plain: Bool)
    case mapping([(key: String, value: EditableYAML)])
    case sequence([EditableYAML])

    /// The tree of a node read by simrun's YAML reader.
    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let text, let plain): self = .scalar(text, plain: plain)
        case .mapping(let entries): self = .mapping(entries.map { ($0.key, EditableYAML($0.value)) })
        case .sequence(let items): self = .sequence(items.map(EditableYAML.init))
        }
    }

    /// A number as a plain scalar: whole numbers without a fraction, others as
    /// the shortest decimal that reads back as exactly `x`.
    public static func number(_ x: Double) -> EditableYAML {
        .scalar(x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)", plain: true)
    }

    public static func == (a: EditableYAML, b: EditableYAML) -> Bool {
        switch (a, b) {
        case let (.scalar(x, p), .scalar(y, q)): return x == y && p == q
        case let (.sequence(x), .sequence(y)): return x == y
        case let (.mapping(x), .mapping(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value under `key` of a mapping, or `nil`.
    public subscript(key: String) -> EditableYAML? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A mapping with `key` set to `value` (replaced in place, or appended).
    public func setting(_ key: String, to value: EditableYAML) -> EditableYAML {
        guard case .mapping(var entries) = self else { return self }
        if let i = entries.firstIndex(where: { $0.key == key }) { entries[i].value = value } else { entries.append((key, value)) }
        return .mapping(entries)
    }

    /// A mapping without `key`.
    public func removing(_ key: String) -> EditableYAML {
        guard case .mapping(let entries) = self else { return self }
        return .mapping(entries.filter { $0.key != key })
    }

    /// The document as YAML text in block style, two spaces per level, ending in a newline.
    public func text() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .scalar:
            out += pad + inline() + "\n"
        case .mapping(let entries):
            if entries.isEmpty { out += pad + "{}\n"; return }
            for (key, value) in entries {
                out += pad + Self.key(key) + ":"
                value.writeValue(into: &out, indent: indent)
            }
        case .sequence(let items):
            if items.isEmpty { out += pad + "[]\n"; return }
            for item in items {
                switch item {
                case .mapping(let entries) where !entries.isEmpty:
                    // "- first: x" then the other keys aligned under it.
                    var block = ""
                    item.write(into: &block, indent: indent + 2)
                    out += pad + "- " + block.dropFirst(indent + 2)
                case .sequence(let inner) where !inner.isEmpty:
                    out += pad + "-\n"
                    item.write(into: &out, indent: indent + 2)
                default:
                    out += pad + "- " + item.inline() + "\n"
                }
            }
        }
    }

    /// Writes the value after "key:".
    private func writeValue(into out: inout String, indent: Int) {
        switch self {
        case .scalar: out += " " + inline() + "\n"
        case .mapping(let e) where e.isEmpty: out += " {}\n"
        case .sequence(let s) where s.isEmpty: out += " []\n"
        case .mapping:
            out += "\n"
            write(into: &out, indent: indent + 2)
        case .sequence:
            out += "\n"
            write(into: &out, indent: indent + 2)
        }
    }

    /// A scalar (or empty collection) on one line.
    private func inline() -> String {
        switch self {
        case .scalar(let text, let plain):
            return plain && Self.isSafePlain(text) ? text : Self.quoted(text)
        case .mapping: return "{}"
        case .sequence: return "[]"
        }
    }

    private static func key(_ key: String) -> String { isSafePlain(key) && !key.isEmpty ? key : quoted(key) }

    /// Whether `text` can be written unquoted and read back as the same plain scalar in block
    /// context (the only context ``text()`` writes). Deliberately narrow: printable ASCII only
    /// (so no combining mark can hide `" #"` or `": "`, and nothing libyaml reads as a line break),
    /// checked per Unicode scalar; no indicator first, no document marker, no `": "`, `" #"`, no
    /// trailing space or colon. Anything else is written double-quoted, which reads back the same.
    public static func isSafePlain(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        guard scalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else { return false }
        if "?:,[]{}#&*!|>'\"%@` ".unicodeScalars.contains(first) { return false }
        if first == "-" && (scalars.count == 1 || scalars[1] == " ") { return false }
        if text.hasPrefix("---") || text.hasPrefix("...") { return false }
        if last == " " || last == ":" { return false }
        for i in scalars.indices.dropLast() {
            if scalars[i] == ":" && scalars[i + 1] == " " { return false }
            if scalars[i] == " " && scalars[i + 1] == "#" { return false }
        }
        return true
    }

    /// A double-quoted YAML scalar: every character libyaml would refuse, fold or read as a
    /// line break is escaped (C0 and C1 controls, DEL, NEL, the line and paragraph separators,
    /// the byte-order mark and the non-characters U+FFFE and U+FFFF).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x85: out += "\\N"
            case 0x2028: out += "\\L"
            case 0x2029: out += "\\P"
            case 0x00..<0x20, 0x7F...0x9F: out += "\\x" + String(u.value, radix: 16).leftPadded(to: 2)
            case 0xFEFF, 0xFFFE, 0xFFFF: out += "\\u" + String(u.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
