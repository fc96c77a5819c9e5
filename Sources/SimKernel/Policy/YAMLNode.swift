import Foundation

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
    /// 1-based column of the node's start (a quoted scalar starts at its quote).
    public let column: Int
    /// The dotted path of keys leading to this node, e.g. `reform[0].parameters.amount`.
    public let path: String

    /// The largest YAML file simrun reads: 4 MiB (4,194,304 bytes). simrun's
    /// scenario, system, country and column-map files are a few kilobytes;
    /// the cap bounds the time and memory any file can cost.
    public static let maxDocumentBytes = 4 * 1024 * 1024

    /// The deepest nesting of lists and mappings simrun reads: 64 (its own files need about six).
    public static let maxDepth = 64

    /// Whether a scalar's text was written over more than one line (a multi-line
    /// plain or quoted scalar, or a block `>`/`|`), which YAML folds: its
    /// characters are then not at ``line`` and ``column`` + offset in the file.
    public let spansLines: Bool

    /// A node read by ``YAMLEventReader``.
    init(content: Content, file: String, line: Int, column: Int = 1, path: String, spansLines: Bool = false) {
        self.content = content
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.spansLines = spansLines
    }

    /// Reads and parses a YAML file.
    ///
    /// Only a regular file is read: it is opened without blocking and
    /// checked before any read, so a FIFO, socket or device named as a
    /// baseline or a column map is refused instead of hanging or streaming
    /// for ever. At most ``maxDocumentBytes`` + 1 bytes are read, so a huge
    /// file is refused without being read whole.
    ///
    /// - Throws: ``InputError``: ``InputError/Kind/noInput`` if the file
    ///   does not exist, cannot be opened or is not a regular file,
    ///   ``InputError/Kind/io`` if reading fails, and whatever
    ///   ``parse(_:file:)`` throws.
    public static func load(file: String) throws -> YAMLNode {
        try loadWithDigest(file: file).node
    }

    /// Reads and parses a YAML file as ``load(file:)``, with the SHA-256 (lowercase hex) of the very
    /// bytes parsed: what a cache keyed on the file's content needs (a later read could see an edited file).
    public static func loadWithDigest(file: String) throws -> (node: YAMLNode, sha256: String) {
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : "cannot open the file: \(String(cString: strerror(errno)))"
            throw InputError(file: file, kind: .noInput, reason)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw InputError(file: file, kind: .io, "cannot read the file: \(String(cString: strerror(errno)))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw InputError(file: file, kind: .noInput, "this is a folder; expected a YAML file")
        default: throw InputError(file: file, kind: .noInput, "this is not a regular file (a pipe, socket or device); expected a YAML file")
        }
        let data: Data
        do {
            data = try handle.read(upToCount: maxDocumentBytes + 1) ?? Data()
        } catch {
            throw InputError(file: file, kind: .io, "cannot read the file: \(error.localizedDescription)")
        }
        let digest = data.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
        return (try parse(bytes: data, file: file), digest)
    }

    /// Parses YAML text that came from `file`.
    ///
    /// Builds the tree from libyaml's parser events (`YAMLEventReader`
    /// says why), so nothing is expanded or converted behind simrun's back.
    ///
    /// - Throws: ``InputError`` with the line (and column in the message):
    ///   ``InputError/Kind/unsupported`` for a text over ``maxDocumentBytes``,
    ///   an anchor, alias or tag, a second document, nesting deeper than
    ///   ``maxDepth`` or a key that is not a short one-line name;
    ///   ``InputError/Kind/duplicate`` for a key written twice;
    ///   ``InputError/Kind/badValue`` for text that is not YAML (or not
    ///   UTF-8); ``InputError/Kind/missingKey`` for an empty file.
    public static func parse(_ text: String, file: String) throws -> YAMLNode {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Parses bytes that came from `file`, which must be UTF-8 (see ``parse(_:file:)``;
    /// invalid UTF-8 is an ``InputError`` naming its line). Fuzzers feed raw bytes here.
    public static func parse<Bytes: Collection<UInt8>>(bytes: Bytes, file: String) throws -> YAMLNode {
        guard bytes.count <= maxDocumentBytes else {
            throw InputError(file: file, kind: .unsupported,
                             "the file is larger than \(maxDocumentBytes / 1024 / 1024) MiB, the most simrun reads as YAML (is it the right file?)")
        }
        let contiguous = Array(bytes)
        return try contiguous.withUnsafeBufferPointer { try YAMLEventReader.read($0, file: file) }
    }

    // MARK: - Reading values

    /// An ``InputError`` located at this node.
    ///
    /// - Parameters:
    ///   - kind: What sort of defect it is (default ``InputError/Kind/badValue``).
    ///   - message: What is wrong; quote input only through ``InputExcerpt``.
    public func error(kind: InputError.Kind = .badValue, _ message: String) -> InputError {
        InputError(file: file, line: line, field: path.isEmpty ? nil : path, kind: kind, message)
    }

    /// A word describing the node's shape, for "expected X, found Y" messages
    /// (a scalar as a short excerpt: ``InputExcerpt``).
    public var shapeName: String {
        switch content {
        case .scalar(let s, let plain): return plain ? InputExcerpt.quoted(s) : "the text \"\(InputExcerpt.text(s))\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// The mapping's entries.
    /// - Throws: if the node is not a mapping.
    public func entries() throws -> [Entry] {
        guard case .mapping(let e) = content else { throw error(kind: .wrongType, "expected a mapping of keys to values, found \(shapeName)") }
        return e
    }

    /// The list's items.
    /// - Throws: if the node is not a list.
    public func items() throws -> [YAMLNode] {
        guard case .sequence(let s) = content else { throw error(kind: .wrongType, "expected a list, found \(shapeName)") }
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
        guard case .scalar(let s, _) = content else { throw error(kind: .wrongType, "expected a single value, found \(shapeName)") }
        return s
    }

    /// The scalar as a finite number.
    /// - Throws: if the node is not an unquoted finite number.
    public func number() throws -> Double {
        guard case .scalar(let s, let plain) = content, plain,
            let v = Double(s.replacingOccurrences(of: "_", with: "")), v.isFinite
        else { throw error(kind: .wrongType, "expected a number, found \(shapeName)") }
        return v
    }

    /// The scalar as a whole number.
    /// - Throws: if the node is not an unquoted whole number.
    public func integer() throws -> Int {
        let v = try number()
        guard v == v.rounded(), abs(v) < 9e15 else { throw error(kind: .wrongType, "expected a whole number, found \(shapeName)") }
        return Int(v)
    }

    /// The scalar as a boolean (`true`/`false`, `yes`/`no`).
    public func boolean() throws -> Bool {
        guard case .scalar(let s, true) = content else { throw error(kind: .wrongType, "expected true or false, found \(shapeName)") }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(kind: .wrongType, "expected true or false, found \(shapeName)")
        }
    }
}
