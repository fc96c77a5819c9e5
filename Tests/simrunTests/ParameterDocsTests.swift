import Foundation
import Testing

/// docs/scenarios.md documents every module's parameters with the table the code generates.
@Suite("Parameter documentation is generated from the code")
struct ParameterDocsTests {
    @Test("docs/scenarios.md's parameter tables are the code's (refresh: scripts/update-parameter-docs)")
    func tablesMatchTheCode() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/scenarios.md"), encoding: .utf8)
        let list = runSimrun(["scenario", "list"])
        #expect(list.status == 0)
        let modules = list.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let first = line.split(separator: " ").first, !line.hasPrefix(" ") else { return nil }
            return first.allSatisfy({ $0.isLowercase || $0 == "_" }) ? String(first) : nil
        }
        #expect(modules.count >= 10)
        for name in modules {
            let table = runSimrun(["scenario", "describe", name, "--format", "markdown"])
            #expect(table.status == 0, "\(table.stderr)")
            guard let heading = doc.range(of: "### `\(name)`") else {
                Issue.record("docs/scenarios.md has no section for \(name)")
                continue
            }
            let section = doc[heading.upperBound...].prefix { _ in true }
            let end = section.range(of: "\n### ")?.lowerBound ?? section.endIndex
            #expect(section[..<end].contains(table.stdout),
                    "the parameter table of \(name) in docs/scenarios.md differs from `simrun scenario describe \(name) --format markdown`; run scripts/update-parameter-docs")
        }
    }

    @Test("the markdown table has one row per parameter, escapes pipes, and marks required parameters")
    func markdownShape() {
        let out = runSimrun(["scenario", "describe", "universal_child_grant", "--format", "markdown"]).stdout
        let lines = out.split(separator: "\n")
        #expect(lines.first == "| parameter | type | unit | default | range | meaning |")
        #expect(lines.contains { $0.hasPrefix("| `amount_per_child` | a number | currency_per_month | *required* | 0 to 1e9 |") })
        #expect(lines.count >= 10)
    }
}
