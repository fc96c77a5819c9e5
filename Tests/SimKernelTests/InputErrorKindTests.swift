import Foundation
import Testing
@testable import SimKernel

/// Errors carry a kind besides their message, so tests and other front ends
/// tell them apart without matching text, and the kind decides the exit status.
@Suite("Input errors have kinds")
struct InputErrorKindTests {
    func write(_ text: String, _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func kind(_ body: () throws -> Void) -> InputError.Kind? {
        do { try body() } catch let error as InputError { return error.kind } catch { return nil }
        return nil
    }

    let request = [VariableRequest(.age, neededBy: "test")]

    @Test("a missing column, a repeated person id and a file that is not there are told apart")
    func dataKinds() throws {
        let noAge = try write("hh_id,person_id,weight\n1,1,1\n", "no-age.csv")
        #expect(kind { _ = try SurveyLoader().load(file: noAge, variables: request) } == .missingColumn)
        let twice = try write("hh_id,person_id,weight,age\n1,1,1,30\n1,1,1,31\n", "twice.csv")
        #expect(kind { _ = try SurveyLoader().load(file: twice, variables: request) } == .duplicate)
        let missing = "/nonexistent/simrun/persons.csv"
        #expect(kind { _ = try SurveyLoader().load(file: missing, variables: request) } == .noInput)
    }

    @Test("YAML: an alias is unsupported, a key twice is a duplicate, a country year out of the profile is out of range")
    func yamlKinds() throws {
        #expect(kind { _ = try YAMLNode.parse("a: &x 1\nb: *x\n", file: "t.yaml") } == .unsupported)
        #expect(kind { _ = try YAMLNode.parse("a: 1\na: 2\n", file: "t.yaml") } == .duplicate)
        #expect(kind { _ = try YAMLNode.load(file: "/nonexistent/simrun/s.yaml") } == .noInput)
    }

    @Test("the kind decides the exit status (sysexits)", arguments: InputError.Kind.allCases)
    func exitStatus(kind: InputError.Kind) {
        let status = InputError(file: "f", kind: kind, "m").exitStatus
        switch kind {
        case .noInput: #expect(status == 66)
        case .cannotCreate: #expect(status == 73)
        case .io: #expect(status == 74)
        default: #expect(status == 65)
        }
    }
}

/// Text that simrun prints (titles, names, currencies) cannot carry escape sequences to a terminal.
@Suite("Printed names are plain text")
struct DisplayTextTests {
    @Test("a title with an escape sequence, a line break or a bidi override is refused with an escaped excerpt",
          arguments: ["\"a\\u001B[2Jb\"", "\"two\\nlines\"", "\"x\\u202Ey\""])
    func refused(_ title: String) throws {
        let root = try YAMLNode.parse("title: \(title)\n", file: "t.yaml")
        do {
            _ = try root["title"]!.displayText()
            Issue.record("accepted \(title)")
        } catch let error as InputError {
            #expect(error.line == 1 && error.kind == .badValue)
            #expect(!error.message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0 == "\n" })
        }
    }

    @Test("an ordinary title with accents and symbols is kept as it is")
    func accepted() throws {
        let root = try YAMLNode.parse("title: \"Allocation universelle, 30 € par mois (0–17 ans)\"\n", file: "t.yaml")
        #expect(try root["title"]!.displayText() == "Allocation universelle, 30 € par mois (0–17 ans)")
    }
}

/// A message never repeats a large input.
@Suite("Messages quote inputs briefly")
struct MessageLengthTests {
    @Test("a header of 20,000 columns without a required one gives a short message naming the first 20")
    func wideHeader() throws {
        let names = (0..<20_000).map { "column_\($0)" }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-wide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("wide.csv")
        try (names.joined(separator: ",") + "\n" + names.map { _ in "1" }.joined(separator: ",") + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try SurveyLoader().load(file: file.path, variables: [VariableRequest(.age, neededBy: "test")])
            Issue.record("loaded a file without hh_id")
        } catch let error as InputError {
            #expect(error.kind == .missingColumn)
            #expect(error.description.utf8.count < 2_000, "\(error.description.utf8.count) bytes")
            #expect(error.message.contains("column_19, … and 19980 more"))
        }
    }
}

extension DisplayTextTests {
    @Test("a reference may span lines (a block scalar), but not hold an escape sequence")
    func reference() throws {
        let root = try YAMLNode.parse("reference: >\n  folded\n  block\nbad: \"a\\u001Bb\"\n", file: "t.yaml")
        #expect(try root["reference"]!.displayText(allowingLineBreaks: true) == "folded block")
        #expect(throws: InputError.self) { try root["bad"]!.displayText(allowingLineBreaks: true) }
    }
}
