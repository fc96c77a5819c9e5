import Foundation
import Testing

/// `--columns MAP.yaml`: a survey whose columns have other names (and another
/// order, and an extra text column) gives the same results as the same survey
/// in SPEC.md's names.
@Suite("simrun scenario run --columns")
struct ColumnMapTests {
    /// The same 12 persons as `households.csv`, with columns renamed (`hhid`, `pid`,
    /// `wgt_hh`, `ageyrs`, `lstat`, `earn`, `oth_inc`), reordered, and a quoted
    /// `note` column holding commas.
    static let renamedData = "Tests/Fixtures/cli/households-renamed.csv"
    static let columnMap = "Tests/Fixtures/cli/households-renamed.columns.yaml"

    @Test("a renamed, reordered survey with a column map gives the same CSV results as standard names")
    func sameResultsAsCSV() {
        let standard = runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--format", "csv"])
        let renamed = runSimrun(["scenario", "run", exampleScenario, "--data", Self.renamedData,
                                 "--columns", Self.columnMap, "--format", "csv"])
        #expect(standard.status == 0, "stderr: \(standard.stderr)")
        #expect(renamed.status == 0, "stderr: \(renamed.stderr)")
        #expect(!standard.stdout.isEmpty)
        #expect(renamed.stdout == standard.stdout)
    }

    @Test("the JSON figures are identical and provenance records the column map and its checksum")
    func sameResultsAsJSON() throws {
        let standard = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--format", "json"]).stdout)
        let renamed = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--data", Self.renamedData,
                                                     "--columns", Self.columnMap, "--format", "json"]).stdout)
        for system in ["baseline", "reform", "change"] {
            let a = try #require(standard[system] as? NSDictionary)
            let b = try #require(renamed[system] as? NSDictionary)
            #expect(a == b, "\(system) differs")
        }
        let provenance = try #require(renamed["provenance"] as? [String: Any])
        #expect(provenance["column_map_file"] as? String == Self.columnMap)
        let hash = try #require(provenance["column_map_sha256"] as? String)
        #expect(hash.count == 64)
        let standardProvenance = try #require(standard["provenance"] as? [String: Any])
        #expect(standardProvenance["column_map_file"] is NSNull)
        #expect(try number(provenance, "persons") == 12)
        #expect(try number(provenance, "households") == 4)
    }

    @Test("without the map the renamed survey is bad input naming the missing columns and --columns")
    func withoutMap() {
        let result = runSimrun(["scenario", "run", exampleScenario, "--data", Self.renamedData])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(Self.renamedData):1: missing required columns"))
        for column in ["'hh_id'", "'person_id'", "'weight'", "'age'", "'labour_status'", "'earnings'", "'other_income'"] {
            #expect(result.stderr.contains(column), "\(column) not named in: \(result.stderr)")
        }
        #expect(result.stderr.contains("--columns"))
    }

    @Test("a map naming a column the file lacks is bad input naming the map, the variable and the column")
    func mapNamesMissingColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let map = dir.appendingPathComponent("map.yaml")
        let text = try String(contentsOf: packageRoot.appendingPathComponent(Self.columnMap), encoding: .utf8)
            .replacingOccurrences(of: "age: ageyrs", with: "age: age_years")
        try text.write(to: map, atomically: true, encoding: .utf8)
        let result = runSimrun(["scenario", "run", exampleScenario, "--data", Self.renamedData, "--columns", map.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(Self.renamedData):1: missing required column"))
        #expect(result.stderr.contains("'age_years' (model variable 'age')"))
        #expect(result.stderr.contains(map.path))
    }

    @Test("a file that is not a column map (the survey CSV, a file with terminal escapes) is quoted as a short one-line excerpt")
    func notAMap() throws {
        let result = runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--columns", exampleData])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("simrun: error: \(exampleData):1: expected a mapping"))
        #expect(result.stderr.count < 300, "stderr: \(result.stderr.prefix(500))")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let map = dir.appendingPathComponent("escapes.yaml")
        let hostile = "weight: wgt\nhh_id: \"\\e[2J\\e]0;owned\\a" + String(repeating: "x", count: 5000) + "\"\n"
        try hostile.write(to: map, atomically: true, encoding: .utf8)
        let escaped = runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--columns", map.path])
        #expect(escaped.status == 65)
        #expect(escaped.stderr.contains("\(map.path):2 (hh_id): expected the name of a column"))
        #expect(escaped.stderr.contains("\\u{1B}[2J"))
        #expect(!escaped.stderr.contains("\u{1B}"))
        #expect(escaped.stderr.count < 300, "stderr: \(escaped.stderr.prefix(500))")
    }
}
