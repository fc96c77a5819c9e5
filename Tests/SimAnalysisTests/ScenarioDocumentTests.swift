import Foundation
import Scenarios
import SimAnalysis
import SimKernel
import Testing

@Suite("Scenario documents")
struct ScenarioDocumentTests {
    static let grant = Repo.path("inputs/scenarios/universal-child-grant.yaml")

    @Test("a declared parameter named phase_in is listed with its own value, not the component's phase-in share")
    func declaredParameterNamedPhaseIn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-phase-in-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("phased.yaml").path
        let text = """
            title: phased
            baseline: \(Repo.path("inputs/systems/current_law.yaml"))
            year: 2025
            poverty_line: 150
            components:
              - name: phased_grant
                declare:
                  kind: benefit
                  parameters:
                    phase_in: {unit: currency_per_month, value: 20}
                  phase_in: {unit: share, values: {2025-01-01: 0.5}}
                  amount: phase_in
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let parameters = try ScenarioDocument(file: file).parameters()
        let phaseIn = try #require(parameters.first { $0.name == "phase_in" })
        #expect(phaseIn.value == 20)
        #expect(phaseIn.unit == "currency_per_month")
        #expect(parameters.count == 1)
    }

    @Test("every shipped scenario survives tree -> YAML text -> tree unchanged", arguments: Repo.scenarios)
    func roundTrip(file: String) throws {
        let doc = try ScenarioDocument(file: file)
        let again = EditableYAML(try YAMLNode.parse(doc.tree.text(), file: file))
        #expect(again == writtenForm(doc.tree))
    }

    /// What `text()` keeps of a tree: every scalar's text; its plain style when that is safe
    /// (otherwise it is written quoted, which reads back as the same text).
    func writtenForm(_ tree: EditableYAML) -> EditableYAML {
        switch tree {
        case .scalar(let text, let plain): return .scalar(text, plain: plain && EditableYAML.isSafePlain(text))
        case .sequence(let items): return .sequence(items.map(writtenForm))
        case .mapping(let entries): return .mapping(entries.map { ($0.key, writtenForm($0.value)) })
        }
    }

    /// Texts that once came back different: indicators, comments hidden by a combining mark,
    /// document markers, characters libyaml refuses or reads as line breaks (review of the writer).
    static let hostile = ["", " lead", "trail ", "- x", "-", "? x", "a: b", "a #b", "a #\u{301}b", "- \u{301}x", "a: \u{301}b",
                          "--- x", "...", "---", "~", "null", "true", "30", "-5", "1e3", "tab\there", "line\nbreak",
                          "a\u{80}b", "a\u{85}b", "a\u{2028}b", "a\u{2029}b", "\u{FEFF}bom", "a\u{FFFE}b", "quote\"s", "back\\slash",
                          "Việt Nam", "{x}", "[1, 2]", "@at", "%p", "`tick", "a:", "key with spaces", "#c", "&a", "*b", "!t", "|", ">"]

    /// Keys simrun's reader accepts at all (one line, no control or format characters): only these can come from a file.
    static func readableKey(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { !($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains($0.value)) }
    }

    @Test("hostile text as values, list items and keys reads back exactly", arguments: hostile)
    func hostileScalars(text: String) throws {
        for plain in [true, false] {
            let tree = EditableYAML.mapping([
                ("value", .scalar(text, plain: plain)),
                ("list", .sequence([.scalar(text, plain: plain), .mapping([("k", .scalar(text, plain: plain))])])),
            ] + (Self.readableKey(text) ? [(text, .scalar("v", plain: true))] : []))
            let back = EditableYAML(try YAMLNode.parse(tree.text(), file: "hostile.yaml"))
            #expect(back == writtenForm(tree), "\(text.debugDescription) plain=\(plain): \(tree.text())")
        }
    }

    @Test("the child grant's parameters: amounts and ages with their units, ranges and values in force")
    func grantParameters() throws {
        let parameters = try ScenarioDocument(file: Self.grant).parameters()
        let amount = try #require(parameters.first { $0.path == "amount_per_child" })
        #expect(amount.value == 30)
        #expect(amount.unit == "currency_per_month")
        #expect(amount.component == "universal_child_grant")
        let maxAge = try #require(parameters.first { $0.path == "max_age" })
        #expect(maxAge.value == 17)
        #expect(maxAge.wholeNumber)
    }

    @Test("a changed amount reads back as the scenario with that amount, and runs as the file saved with it")
    func settingMatchesSavedFile() throws {
        let doc = try ScenarioDocument(file: Self.grant).setting("amount_per_child", to: 42.5)
        #expect(try doc.parameters().first { $0.path == "amount_per_child" }?.value == 42.5)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = folder.appendingPathComponent("grant-42.yaml").path
        try doc.yaml(for: saved).write(toFile: saved, atomically: true, encoding: .utf8)
        let fromFile = try ScenarioDefinition(file: saved, catalog: ScenarioCatalog.standard)
        let edited = try doc.definition()
        let session = try AnalysisSession(data: Repo.exampleData, columns: nil, country: nil, scenarios: [edited])
        #expect(bits(try session.compare([edited], labels: ["a"])) == bits(try session.compare([fromFile], labels: ["a"])))
        let original = try ScenarioDefinition(file: Self.grant, catalog: ScenarioCatalog.standard)
        let base = try session.compare([original], labels: ["a"]).row("benefit_change_annual")!.values[0]
        let more = try session.compare([edited], labels: ["a"]).row("benefit_change_annual")!.values[0]
        // Every child's grant rises by the same factor: the cost scales with it.
        #expect(abs(more / base - 42.5 / 30) < 1e-12)
    }

    @Test("a dated value is set from 1 January of the year on; earlier and later entries keep theirs")
    func datedValues() throws {
        let doc = try ScenarioDocument(file: Self.grant).setting("amount_per_child", to: 50, year: 2027)
        #expect(try doc.definition(year: 2025).reform.components.first { $0.name == "universal_child_grant" }?.parameters["amount_per_child"] == .number(30))
        #expect(try doc.definition(year: 2027).reform.components.first { $0.name == "universal_child_grant" }?.parameters["amount_per_child"] == .number(50))
        #expect(try doc.definition(year: 2030).reform.components.first { $0.name == "universal_child_grant" }?.parameters["amount_per_child"] == .number(50))
    }

    @Test("a bracket's rate and a declared rule's parameter are addressed by path")
    func bracketsAndDeclared() throws {
        let tax = try ScenarioDocument(file: Repo.path("inputs/scenarios/income-tax-reform.yaml"))
        let paths = try tax.parameters().map(\.path)
        #expect(paths.contains("brackets[2].rate"))
        let changed = try tax.setting("brackets[2].rate", to: 0.3)
        let brackets = try changed.definition().reform.components.first { $0.name == "personal_income_tax" }?.parameters["brackets"]
        #expect(brackets == .schedule([Bracket(threshold: 0, rate: 0), Bracket(threshold: 500, rate: 0.15), Bracket(threshold: 1500, rate: 0.3)]))

        let declared = try ScenarioDocument(file: Repo.path("inputs/scenarios/universal-child-grant-declared.yaml"))
        let amount = try #require(declared.parameters().first { $0.name == "amount_per_child" })
        #expect(amount.value == 30)
        let session = try AnalysisSession(data: Repo.exampleData, columns: nil, country: nil,
                                          scenarios: [try declared.definition()])
        let a = try session.compare([try declared.setting(amount.path, to: 40).definition()], labels: ["a"])
        let b = try session.compare([try ScenarioDocument(file: Self.grant).setting("amount_per_child", to: 40).definition()], labels: ["b"])
        #expect(bits(a) == bits(b), "declared and built-in grants agree at 40 as they do at 30")
    }

    @Test("an unknown path, a value out of range and a fraction for a whole number are errors naming the parameter")
    func errors() throws {
        let doc = try ScenarioDocument(file: Self.grant)
        do {
            _ = try doc.setting("amount_per_chld", to: 40)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.contains("amount_per_chld"))
            #expect(error.description.contains("did you mean 'amount_per_child'"))
        }
        #expect(throws: InputError.self) { try doc.setting("amount_per_child", to: -5) }
        #expect(throws: InputError.self) { try doc.setting("max_age", to: 12.5) }
        #expect(throws: InputError.self) { try doc.setting("amount_per_child", to: .nan) }
    }
}

@Suite("Scenario document parameters written or defaulted")
struct WrittenParameterTests {
    @Test("parameters the file writes are marked written; module defaults are not; setting one writes it")
    func written() throws {
        let doc = try ScenarioDocument(file: Repo.path("inputs/scenarios/universal-child-grant.yaml"))
        let parameters = try doc.parameters()
        #expect(parameters.first { $0.path == "amount_per_child" }?.written == true)
        let defaulted = try #require(parameters.first { !$0.written })
        let changed = try doc.setting(defaulted.path, to: defaulted.value)
        #expect(try changed.parameters().first { $0.path == defaulted.path }?.written == true)
    }
}
