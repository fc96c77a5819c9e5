import Foundation
import Testing
@testable import SimKernel

/// Reading YAML from parser events: anchors, aliases and tags are refused
/// where they stand, before anything is expanded or converted; size and
/// depth are capped; duplicate keys name both lines; messages quote input
/// only as a short excerpt.
@Suite("YAML reading")
struct YAMLNodeTests {
    static func error(_ yaml: String) -> InputError? {
        do {
            _ = try YAMLNode.parse(yaml, file: "f.yaml")
            return nil
        } catch {
            return error as? InputError
        }
    }

    /// The classic "billion laughs": nine levels of nine aliases each (9^9 = 387,420,489 leaves) in under 1 KB.
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("an alias bomb is refused at its first anchor, at once and without expanding it")
    func aliasBomb() throws {
        let clock = ContinuousClock()
        var caught: InputError?
        let elapsed = clock.measure { caught = Self.error(Self.aliasBomb) }
        let e = try #require(caught)
        #expect(e.kind == .unsupported)
        #expect(e.line == 1)
        #expect(e.field == "a0")
        #expect(e.message.contains("anchor"))
        #expect(e.message.contains("column 5"))
        #expect(elapsed < .seconds(1))
    }

    @Test("an anchored value reused through an alias is refused at the anchor (not read as the value)")
    func anchorAndAliasAsValue() throws {
        let e = try #require(Self.error("min_age: &m 5\nmax_age: *m\n"))
        #expect(e.kind == .unsupported)
        #expect(e.line == 1)
        #expect(e.field == "min_age")
    }

    @Test("an alias alone is refused as an alias, with its line, column and key")
    func aliasAlone() throws {
        let e = try #require(Self.error("a: 1\nb:\n  c: [1, *x]\n"))
        #expect(e.kind == .unsupported)
        #expect(e.line == 3)
        #expect(e.field == "b.c[1]")
        #expect(e.message.contains("alias"))
        #expect(e.message.contains("column 10"))
    }

    @Test("an explicit tag is refused whatever it says", arguments: [
        ("a: !!str 30\n", "!!str"), ("a: !!int 0.5\n", "!!int"), ("a: ! 30\n", "'!'"),
        ("a: !!map {b: 1}\n", "!!map"), ("a: !custom [1]\n", "!custom"),
    ])
    func tags(yaml: String, shown: String) throws {
        let e = try #require(Self.error(yaml))
        #expect(e.kind == .unsupported)
        #expect(e.line == 1)
        #expect(e.field == "a")
        #expect(e.message.contains(shown))
    }

    @Test("a quoted number stays text and a plain one is a number")
    func quotedAndPlain() throws {
        let node = try YAMLNode.parse("a: \"30\"\nb: 30\n", file: "f.yaml")
        #expect(throws: InputError.self) { try node["a"]!.number() }
        #expect(try node["b"]!.number() == 30)
    }

    @Test("a key written twice names its line, the first line and the key (kind duplicate)")
    func duplicateKey() throws {
        let e = try #require(Self.error("top:\n  a: 1\n  b: 2\n  a: 3\n"))
        #expect(e.kind == .duplicate)
        #expect(e.line == 4)
        #expect(e.field == "top.a")
        #expect(e.message.contains("line 2"))
    }

    @Test("nesting is read to 64 levels and refused past it")
    func depth() throws {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        _ = try YAMLNode.parse(nested(YAMLNode.maxDepth), file: "f.yaml")
        let e = try #require(Self.error(nested(YAMLNode.maxDepth + 1)))
        #expect(e.kind == .unsupported)
        #expect(e.message.contains("nested"))
        // Far deeper than any stack would survive in a recursive reader: refused, not a crash.
        #expect(Self.error(nested(200_000))?.kind == .unsupported)
    }

    @Test("a text over 4 MiB is refused before it is parsed")
    func size() throws {
        let big = "a: \"" + String(repeating: "x", count: YAMLNode.maxDocumentBytes) + "\"\n"
        let e = try #require(Self.error(big))
        #expect(e.kind == .unsupported)
        #expect(e.message.contains("4 MiB"))
    }

    @Test("a file over 4 MiB is refused after reading one byte past the cap")
    func bigFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-big-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: 0x20, count: YAMLNode.maxDocumentBytes + 100).write(to: url)
        let e = try #require(throws: InputError.self) { try YAMLNode.load(file: url.path) }
        #expect(e.kind == .unsupported)
        #expect(e.message.contains("4 MiB"))
    }

    @Test("a device or a FIFO is refused without reading (a FIFO with no writer would block)")
    func notRegular() throws {
        var paths = ["/dev/zero"].filter { FileManager.default.fileExists(atPath: $0) }
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-fifo-\(UUID().uuidString)").path
        if mkfifo(fifo, 0o600) == 0 { paths.append(fifo) }
        defer { unlink(fifo) }
        #expect(!paths.isEmpty)
        for path in paths {
            let e = try #require(throws: InputError.self, "\(path)") { try YAMLNode.load(file: path) }
            #expect(e.kind == .noInput)
            #expect(e.message.contains("not a regular file"))
        }
    }

    @Test("a missing file and a folder are 'no input'")
    func noInput() throws {
        for path in ["/nonexistent/x.yaml", NSTemporaryDirectory()] {
            do {
                _ = try YAMLNode.load(file: path)
                Issue.record("\(path) was read")
            } catch let e as InputError {
                #expect(e.kind == .noInput)
                #expect(e.exitStatus == 66)
            }
        }
    }

    @Test("a second document is refused at its start")
    func secondDocument() throws {
        let e = try #require(Self.error("a: 1\n---\nb: 2\n"))
        #expect(e.kind == .unsupported)
        #expect(e.line == 2)
    }

    @Test("a key that is long, multi-line or holds control characters is refused with an excerpt", arguments: [
        "? " + String(repeating: "k", count: 500) + "\n: 1\n", "? |\n  two\n  lines\n: 1\n", "\"a\\u001Bb\": 1\n",
    ])
    func badKeys(yaml: String) throws {
        let e = try #require(Self.error(yaml))
        #expect(e.kind == .unsupported)
        #expect(e.description.count < 300)
        #expect(!e.description.contains("\n"))
        #expect(!e.description.contains("\u{1B}"))
    }

    @Test("text that is not YAML names the line and column libyaml found")
    func notYAML() throws {
        let e = try #require(Self.error("a: 1\nb: [1, 2\nc: 3\n"))
        #expect(e.kind == .badValue)
        #expect(e.line != nil)
        #expect(e.message.contains("not valid YAML"))
    }

    @Test("invalid UTF-8 names its line")
    func invalidUTF8() throws {
        do {
            _ = try YAMLNode.parse(bytes: Array("a: 1\nb: x".utf8) + [0xFF] + Array("\n".utf8), file: "f.yaml")
            Issue.record("invalid UTF-8 was read")
        } catch let e as InputError {
            #expect(e.line == 2)
            #expect(e.message.contains("UTF-8"))
        }
    }

    @Test("an empty file is reported as empty")
    func empty() throws {
        let e = try #require(Self.error(""))
        #expect(e.message.contains("empty"))
    }

    @Test("a whole file read as one scalar is quoted as a short excerpt of its first line")
    func wholeFileScalar() throws {
        let csv = "hh_id,person_id,weight\n" + (1...50_000).map { "\($0),1,100.5" }.joined(separator: "\n")
        let node = try YAMLNode.parse(csv, file: "data.csv")
        let e = try #require(throws: InputError.self) { try node.entries() }
        #expect(e.kind == .wrongType)
        #expect(e.description.count < 200)
        #expect(e.description.contains("hh_id,person_id"))
    }
}

/// The excerpt every message quoting input uses.
@Suite("Input excerpts")
struct InputExcerptTests {
    @Test("short text is kept whole")
    func short() {
        #expect(InputExcerpt.text("earnings") == "earnings")
        #expect(InputExcerpt.quoted("earnings") == "'earnings'")
    }

    @Test("only the first line is kept")
    func firstLine() {
        #expect(InputExcerpt.text("a,b\n1,2\n") == "a,b…")
        #expect(InputExcerpt.text("a,b\r\n1,2\r\n") == "a,b…")
    }

    @Test("long text stops at the limit with an ellipsis")
    func long() {
        let text = InputExcerpt.text(String(repeating: "x", count: 10_000))
        #expect(text == String(repeating: "x", count: InputExcerpt.limit) + "…")
    }

    @Test("control and bidirectional characters are written out, never passed to the terminal")
    func controls() {
        #expect(InputExcerpt.text("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(InputExcerpt.text("a\tb") == "a\\tb")
        #expect(InputExcerpt.text("x\u{202E}y") == "x\\u{202E}y")
        #expect(InputExcerpt.text("\0") == "\\u{0}")
    }
}
