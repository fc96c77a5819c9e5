import Foundation
internal import Yams

/// A YAML document read into plain Swift values, every node remembering the
/// file and line it came from.
///
/// Scenario, system, column-map and country files are all read through this
/// type, so that every complaint about them names the file, the line and the
/// key ("universal-child-grant.yaml:12 (reform[0].parameters.amount): ...").
public struct YAMLNode: Sendable {
    /// One `key: value` pair of a mapping, in file order.
    public struct Entry: Sendable {
        public let key: String
        public let keyLine: Int
        public let value: YAMLNode
    }

    /// What the node holds.
    public enum Content: Sendable {
        /// A scalar's text; `plain` is false when it was quoted (so `"30"` is a string, `30` a number).
        case scalar(String, plain: Bool)
        case mapping([Entry])
        case sequence([YAMLNode])
    }

    public let content: Content
    /// The file, as the user named it.
    public let file: String
    /// 1-based line of the node's start.
    public let line: Int
    /// The dotted path of keys leading to this node, e.g. `reform[0].parameters.amount`.
    public let path: String

    /// Reads and parses a YAML file.
    ///
    /// - Throws: ``InputError`` if the file cannot be read, is not valid
    ///   YAML (with the line and column libyaml reports), or is empty.
    public static func load(file: String) throws -> YAMLNode {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputError(file: file, kind: .noInput, "cannot read the file (does it exist, and may simrun read it?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, "the file is not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses YAML text that came from `file`.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let mark = Self.mark(of: error)
            let column = mark.map { " (column \($0.column))" } ?? ""
            throw InputError(file: file, line: mark?.line, "not valid YAML\(column): \(Self.problem(of: error))")
        }
        guard let root else { throw InputError(file: file, "the file is empty; expected a YAML mapping") }
        return try YAMLNode(root, file: file, path: "")
    }

    private init(_ node: Node, file: String, path: String) throws {
        self.file = file
        self.path = path
        self.line = node.mark?.line ?? 1
        switch node {
        case .scalar(let s):
            content = .scalar(s.string, plain: s.style == .plain)
        case .mapping(let m):
            var entries: [Entry] = []
            var seen: Set<String> = []
            for (k, v) in m {
                guard case .scalar(let ks) = k else {
                    throw InputError(file: file, line: k.mark?.line, field: path.isEmpty ? nil : path, "a mapping key must be a plain word")
                }
                let key = ks.string
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if !seen.insert(key).inserted {
                    throw InputError(file: file, line: k.mark?.line, field: childPath, "the key '\(key)' appears twice")
                }
                entries.append(Entry(key: key, keyLine: k.mark?.line ?? line, value: try YAMLNode(v, file: file, path: childPath)))
            }
            content = .mapping(entries)
        case .sequence(let s):
            content = .sequence(try s.enumerated().map { try YAMLNode($0.element, file: file, path: "\(path)[\($0.offset)]") })
        case .alias:
            throw InputError(file: file, line: line, field: path, "YAML aliases are not supported; write the value out")
        }
    }

    private static func mark(of error: YamlError) -> Mark? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark
        default:
            return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            if let context { return "\(problem) (\(context.text))" }
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }

    // MARK: - Reading values

    /// An ``InputError`` located at this node.
    public func error(_ message: String) -> InputError {
        InputError(file: file, line: line, field: path.isEmpty ? nil : path, message)
    }

    /// A word describing the node's shape, for "expected X, found Y" messages.
    public var shapeName: String {
        switch content {
        case .scalar(let s, let plain): return plain ? "'\(s)'" : "the text \"\(s)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// The mapping's entries.
    /// - Throws: if the node is not a mapping.
    public func entries() throws -> [Entry] {
        guard case .mapping(let e) = content else { throw error("expected a mapping of keys to values, found \(shapeName)") }
        return e
    }

    /// The list's items.
    /// - Throws: if the node is not a list.
    public func items() throws -> [YAMLNode] {
        guard case .sequence(let s) = content else { throw error("expected a list, found \(shapeName)") }
        return s
    }

    /// The value under `key`, if the node is a mapping holding it.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let e) = content else { return nil }
        return e.first { $0.key == key }?.value
    }

    /// Whether the node is a mapping.
    public var isMapping: Bool { if case .mapping = content { return true } else { return false } }

    /// The scalar's text.
    /// - Throws: if the node is a mapping or a list.
    public func text() throws -> String {
        guard case .scalar(let s, _) = content else { throw error("expected a single value, found \(shapeName)") }
        return s
    }

    /// The scalar as a finite number.
    /// - Throws: if the node is not an unquoted finite number.
    public func number() throws -> Double {
        guard case .scalar(let s, let plain) = content, plain,
            let v = Double(s.replacingOccurrences(of: "_", with: "")), v.isFinite
        else { throw error("expected a number, found \(shapeName)") }
        return v
    }

    /// The scalar as a whole number.
    /// - Throws: if the node is not an unquoted whole number.
    public func integer() throws -> Int {
        let v = try number()
        guard v == v.rounded(), abs(v) < 9e15 else { throw error("expected a whole number, found \(shapeName)") }
        return Int(v)
    }

    /// The scalar as a boolean (`true`/`false`, `yes`/`no`).
    public func boolean() throws -> Bool {
        guard case .scalar(let s, true) = content else { throw error("expected true or false, found \(shapeName)") }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(shapeName)")
        }
    }
}
