import Foundation

/// A small JSON writer with keys in a fixed order and numbers at full
/// precision, so that output is stable (diffable) and exact.
public enum JSONWriter {
    public indirect enum Value: Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case array([Value])
        case object([(String, Value)])
    }

    /// The version of the shape of simrun's JSON documents (docs/output.md, "Schema version"):
    /// raised when a key is renamed or removed or its meaning changes, not when one is added.
    public static let schemaVersion = 1

    /// A whole JSON document: an object gets `"schema_version"` (``schemaVersion``) as its first key.
    public static func document(_ value: Value) -> String {
        guard case .object(let fields) = value else { return render(value) }
        return render(.object([("schema_version", .number(Double(schemaVersion)))] + fields))
    }

    public static func render(_ value: Value, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .number(let x): return number(x)
        case .string(let s): return quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + render($0, indent: indent + 1) }.joined(separator: ",\n") + "\n\(close)]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            return "{\n" + fields.map { pad + quote($0.0) + ": " + render($0.1, indent: indent + 1) }.joined(separator: ",\n") + "\n\(close)}"
        }
    }

    /// The shortest decimal that reads back as exactly `x` (Swift's `description`);
    /// integers without a fraction; `null` for NaN and infinities (JSON has none).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
