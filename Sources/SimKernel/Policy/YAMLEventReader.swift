import Foundation
internal import CYaml

/// Builds a ``YAMLNode`` tree straight from libyaml's parser events,
/// refusing what simrun does not support before anything is built.
///
/// Why events and not a YAML library's node tree: a composer (Yams'
/// `compose`, PyYAML's `compose`) resolves anchors and aliases while it
/// builds, so a 1 KB "billion laughs" file expands to gigabytes before any
/// check of ours could run, and it resolves tags (`!!str 30` became the
/// number 30; `!!int 0.5` passed). Reading the events of libyaml's parser
/// (the C library Yams vendors as `CYaml`) sees an anchor, an alias or a tag
/// as it is met and stops there; the parser itself never expands anything,
/// keeps its own state on heap stacks (no recursion) and is bounded by the
/// input, which ``YAMLNode/maxDocumentBytes`` caps. Our own recursion is
/// bounded by ``YAMLNode/maxDepth``.
///
/// `CYaml` is the C target of the Yams package, on which SimKernel depends;
/// SwiftPM makes a dependency's C modules importable by its dependents, so
/// no second copy of libyaml (or a system `libyaml-dev`) is needed. Should a
/// Yams release rename the target, the build fails loudly at this import.
/// Yams' own Swift API has no event interface (its `Parser` keeps events
/// private), which is why the C API is used directly.
///
/// Refused, each with file, line, column and why (``InputError/Kind/unsupported``):
/// anchors (`&a`), aliases (`*a`), tags (`!!str`, `!x`), a second document,
/// nesting deeper than ``YAMLNode/maxDepth``, a mapping key that is not a
/// short one-line name. A key written twice is ``InputError/Kind/duplicate``
/// with both lines; text that is not YAML (libyaml's own diagnosis) is
/// ``InputError/Kind/badValue``.
final class YAMLEventReader {
    /// One parser event, copied out of libyaml's structure.
    private struct Event {
        enum Kind {
            case streamStart, streamEnd, documentStart, documentEnd
            case alias, scalar(String, plain: Bool), sequenceStart, sequenceEnd, mappingStart, mappingEnd
        }
        let kind: Kind
        let hasAnchor: Bool
        /// The explicit tag written on the node (`!!str`, `!`), if any.
        let tag: String?
        let line: Int
        let column: Int
        /// 1-based line where the event ends (a scalar's last character, or after a block scalar).
        var endLine: Int = 0
    }

    private var parser = yaml_parser_t()
    private let file: String
    private let bytes: UnsafeBufferPointer<UInt8>

    /// Reads the single document in `bytes` (UTF-8), which must stay valid while this runs.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> YAMLNode {
        let reader = try YAMLEventReader(bytes, file: file)
        return try reader.document()
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
        self.file = file
        self.bytes = bytes
        // On failure libyaml frees what it allocated and leaves null pointers, so deinit's delete is safe.
        guard yaml_parser_initialize(&parser) == 1 else {
            throw InputError(file: file, kind: .io, "out of memory while starting the YAML parser")
        }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    }

    deinit { yaml_parser_delete(&parser) }

    private func document() throws -> YAMLNode {
        guard case .streamStart = try next().kind else { throw notYAML("the YAML stream does not start") }
        let start = try next()
        if case .streamEnd = start.kind {
            throw InputError(file: file, kind: .missingKey, "the file is empty; expected a YAML mapping")
        }
        let root = try node(from: try next(), path: "", depth: 1)
        guard case .documentEnd = try next().kind else { throw notYAML("the document does not end") }
        let after = try next()
        if case .documentStart = after.kind {
            throw refusal(after, path: nil, "a second YAML document starts here ('---'); simrun reads one document per file")
        }
        guard case .streamEnd = after.kind else { throw notYAML("unexpected content after the document") }
        return root
    }

    /// Refuses an alias, or a node carrying an anchor or a tag.
    private func checkUndecorated(_ event: Event, path: String) throws {
        if case .alias = event.kind {
            throw refusal(event, path: path, "a YAML alias ('*name') is not supported: simrun refuses anchors and aliases so that no file can expand to more than it shows; write the value out")
        }
        if event.hasAnchor {
            throw refusal(event, path: path, "a YAML anchor ('&name') is not supported: simrun refuses anchors and aliases so that no file can expand to more than it shows; remove it and write values out")
        }
        if let tag = event.tag {
            let written = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : Substring(tag)
            throw refusal(event, path: path, "the YAML tag \(InputExcerpt.quoted(written)) is not supported: simrun reads a value by how it is written (quoted text or a plain number), never by a tag; remove the tag")
        }
    }

    /// The node that starts with `event`, reading its events to its end.
    private func node(from event: Event, path: String, depth: Int) throws -> YAMLNode {
        try checkUndecorated(event, path: path)
        switch event.kind {
        case .scalar(let text, let plain):
            return YAMLNode(content: .scalar(text, plain: plain), file: file, line: event.line, column: event.column, path: path,
                            spansLines: event.endLine > event.line)
        case .sequenceStart:
            try checkDepth(event, depth)
            var items: [YAMLNode] = []
            while true {
                let e = try next()
                if case .sequenceEnd = e.kind { break }
                items.append(try node(from: e, path: "\(path)[\(items.count)]", depth: depth + 1))
            }
            return YAMLNode(content: .sequence(items), file: file, line: event.line, column: event.column, path: path)
        case .mappingStart:
            try checkDepth(event, depth)
            var entries: [YAMLNode.Entry] = []
            var firstLine: [String: Int] = [:]
            while true {
                let k = try next()
                if case .mappingEnd = k.kind { break }
                let key = try self.key(k, in: path)
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let first = firstLine[key] {
                    throw InputError(file: file, line: k.line, field: childPath, kind: .duplicate,
                                     "the key '\(key)' appears twice (first on line \(first)); keep one")
                }
                firstLine[key] = k.line
                let value = try node(from: try next(), path: childPath, depth: depth + 1)
                entries.append(YAMLNode.Entry(key: key, keyLine: k.line, value: value))
            }
            return YAMLNode(content: .mapping(entries), file: file, line: event.line, column: event.column, path: path)
        default:
            throw notYAML("unexpected parser event")
        }
    }

    /// The text of a mapping key: a scalar that is a short one-line name (so that messages can quote it whole).
    private func key(_ event: Event, in path: String) throws -> String {
        try checkUndecorated(event, path: path)
        let field = path.isEmpty ? nil : path
        guard case .scalar(let text, _) = event.kind else {
            throw InputError(file: file, line: event.line, field: field, kind: .unsupported,
                             "a mapping key must be a plain word, not a list or a mapping (column \(event.column))")
        }
        guard InputExcerpt.isShort(text) else {
            throw InputError(file: file, line: event.line, field: field, kind: .unsupported,
                             "a mapping key must be a name of at most \(InputExcerpt.limit) characters on one line, without control characters (column \(event.column)); found \(InputExcerpt.quoted(text))")
        }
        return text
    }

    /// Refuses a list or mapping deeper than ``YAMLNode/maxDepth``.
    private func checkDepth(_ event: Event, _ depth: Int) throws {
        guard depth <= YAMLNode.maxDepth else {
            throw refusal(event, path: nil, "lists and mappings are nested more than \(YAMLNode.maxDepth) deep; simrun's files need only a few levels")
        }
    }

    // MARK: - Events and errors

    private func next() throws -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw parserError() }
        defer { yaml_event_delete(&event) }
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        func text(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(decoding: UnsafeBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
        }
        switch event.type {
        case YAML_STREAM_START_EVENT: return Event(kind: .streamStart, hasAnchor: false, tag: nil, line: line, column: column)
        case YAML_STREAM_END_EVENT: return Event(kind: .streamEnd, hasAnchor: false, tag: nil, line: line, column: column)
        case YAML_DOCUMENT_START_EVENT: return Event(kind: .documentStart, hasAnchor: false, tag: nil, line: line, column: column)
        case YAML_DOCUMENT_END_EVENT: return Event(kind: .documentEnd, hasAnchor: false, tag: nil, line: line, column: column)
        case YAML_ALIAS_EVENT: return Event(kind: .alias, hasAnchor: false, tag: nil, line: line, column: column)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self) } ?? ""
            // libyaml's end mark is just past the scalar: on its last line, at column 0 of
            // the next line only after a block scalar (which always spans lines).
            let endLine = Int(event.end_mark.line) + 1
            return Event(kind: .scalar(value, plain: s.style == YAML_PLAIN_SCALAR_STYLE), hasAnchor: s.anchor != nil,
                         tag: text(s.tag), line: line, column: column, endLine: endLine)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return Event(kind: .sequenceStart, hasAnchor: s.anchor != nil, tag: text(s.tag), line: line, column: column)
        case YAML_SEQUENCE_END_EVENT: return Event(kind: .sequenceEnd, hasAnchor: false, tag: nil, line: line, column: column)
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            return Event(kind: .mappingStart, hasAnchor: m.anchor != nil, tag: text(m.tag), line: line, column: column)
        case YAML_MAPPING_END_EVENT: return Event(kind: .mappingEnd, hasAnchor: false, tag: nil, line: line, column: column)
        default: throw notYAML("unknown parser event")
        }
    }

    private func refusal(_ event: Event, path: String?, _ why: String) -> InputError {
        InputError(file: file, line: event.line, field: path?.isEmpty == false ? path : nil, kind: .unsupported,
                   "column \(event.column): \(why)")
    }

    private func notYAML(_ problem: String) -> InputError {
        InputError(file: file, line: Int(parser.mark.line) + 1, "not valid YAML (column \(Int(parser.mark.column) + 1)): \(problem)")
    }

    /// libyaml's diagnosis as an ``InputError``. Its texts are fixed phrases of the library, never input.
    private func parserError() -> InputError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_READER_ERROR:
            // Reader errors carry a byte offset, not a mark: count the lines before it.
            let offset = min(parser.problem_offset, bytes.count)
            var line = 1
            var lineStart = 0
            for i in 0..<offset where bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            let byte = parser.problem_value >= 0 ? String(format: " (byte 0x%02X)", parser.problem_value) : ""
            return InputError(file: file, line: line,
                              "not valid UTF-8 YAML text (byte \(offset - lineStart + 1) of the line): \(problem)\(byte)")
        case YAML_MEMORY_ERROR:
            return InputError(file: file, kind: .io, "out of memory while reading the YAML")
        default:
            let mark = parser.problem_mark
            if problem.hasPrefix("Maximum nesting level") {
                // libyaml's own limit (1,000), met while it scans ahead of a very deep flow collection.
                return InputError(file: file, line: Int(mark.line) + 1, kind: .unsupported,
                                  "column \(Int(mark.column) + 1): lists and mappings are nested more than \(YAMLNode.maxDepth) deep; simrun's files need only a few levels")
            }
            var message = "not valid YAML (column \(Int(mark.column) + 1)): \(problem)"
            if let context = parser.context.map({ String(cString: $0) }) {
                message += " (\(context) at line \(Int(parser.context_mark.line) + 1))"
            }
            return InputError(file: file, line: Int(mark.line) + 1, message)
        }
    }
}
