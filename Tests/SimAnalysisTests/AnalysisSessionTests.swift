import Foundation
import Scenarios
import SimAnalysis
import SimKernel
import Testing

/// Paths inside the repository, whatever the working directory.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static var scenarios: [String] {
        let folder = path("inputs/scenarios")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { "\(folder)/\($0)" }
    }
    static let exampleData = path("inputs/data/example-persons.csv")
    static let country = path("inputs/countries/example.yaml")
}

/// The figures of a table, bit for bit (NaN equal to NaN).
func bits(_ table: ComparisonTable) -> [String: [UInt64]] {
    Dictionary(uniqueKeysWithValues: table.rows.map { ($0.key, $0.values.map(\.bitPattern)) })
}

@Suite("Analysis session")
struct AnalysisSessionTests {
    @Test("a session's comparison equals a fresh OptionComparison's, bit for bit, with baselines reused on the second call")
    func sessionMatchesFreshComparison() throws {
        GSL.prepare()
        let scenarios = try Repo.scenarios.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard) }
        let profile = try CountryProfile(file: Repo.country)
        let session = try AnalysisSession(dataFile: Repo.exampleData, columnMap: ColumnMap(), profile: profile, scenarios: scenarios)
        // The reference: what `compare` computed before sessions existed (no baseline cache).
        let population = try SurveyLoader().load(
            file: Repo.exampleData, variables: OptionComparison.variables(of: scenarios, costing: true, available: try SurveyLoader().availableVariables(in: Repo.exampleData)))
        let fresh = try OptionComparison(scenarios: scenarios, population: population, profile: profile, years: 2026...2028,
                                         simulator: Simulator(), context: RunContext(seed: 1))
        let reference = bits(ComparisonTable(comparison: fresh, files: Repo.scenarios, rule: session.rule))
        let first = try session.compare(scenarios, labels: Repo.scenarios, years: 2026...2028)
        #expect(bits(first) == reference)
        let hitsBefore = session.baselines.hits
        let second = try session.compare(scenarios, labels: Repo.scenarios, years: 2026...2028)
        #expect(session.baselines.hits >= hitsBefore + scenarios.count, "every baseline of the second call comes from the cache")
        #expect(bits(second) == reference)
    }

    @Test("with keys, an option seen before is not simulated again: only the changed option runs, figures the same bits")
    func unchangedOptionsReused() throws {
        GSL.prepare()
        let files = ["inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/social-pension.yaml",
                     "inputs/scenarios/means-tested-transfer.yaml"].map(Repo.path)
        let scenarios = try files.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard) }
        let profile = try CountryProfile(file: Repo.country)
        let session = try AnalysisSession(dataFile: Repo.exampleData, columnMap: ColumnMap(), profile: profile, scenarios: scenarios)
        let fresh = { (s: [ScenarioDefinition]) in
            bits(ComparisonTable(comparison: try session.parts().comparison(s, years: 2026...2028), files: files, rule: session.rule))
        }
        func table(_ s: [ScenarioDefinition], _ keys: [String]) throws -> [String: [UInt64]] {
            bits(ComparisonTable(comparison: try session.comparison(s, years: 2026...2028, keys: keys), files: files, rule: session.rule))
        }
        #expect(try table(scenarios, ["a", "b", "c"]) == (try fresh(scenarios)))
        #expect(session.optionHits == 0)
        #expect(try table(scenarios, ["a", "b", "c"]) == (try fresh(scenarios)))
        #expect(session.optionHits == 3, "every option taken from the session")
        // The room changes the third option: only it runs again.
        let document = try ScenarioDocument(file: files[2])
        let path = try #require(try document.parameters(year: nil).first { !$0.wholeNumber && $0.value > 0 })
        let changed = try document.setting(path.path, to: path.value * 1.5, year: nil).definition(year: nil)
        let edited = [scenarios[0], scenarios[1], changed]
        #expect(try table(edited, ["a", "b", "c2"]) == (try fresh(edited)))
        #expect(session.optionHits == 5, "the two unchanged options reused, the changed one simulated")
        // Other years: nothing reused.
        _ = try session.comparison(scenarios, years: 2026...2027, keys: ["a", "b", "c"])
        #expect(session.optionHits == 5)
    }

    @Test("an option added later that needs a variable not loaded makes the session load it")
    func reloadsForNewVariables() throws {
        let grant = try ScenarioDefinition(file: Repo.path("inputs/scenarios/universal-child-grant.yaml"), catalog: ScenarioCatalog.standard)
        let disability = try ScenarioDefinition(file: Repo.path("inputs/scenarios/disability-benefit.yaml"), catalog: ScenarioCatalog.standard)
        let session = try AnalysisSession(data: Repo.exampleData, columns: nil, country: nil, scenarios: [grant])
        let table = try session.compare([grant, disability], labels: ["grant", "disability"])
        let alone = try AnalysisSession(data: Repo.exampleData, columns: nil, country: nil, scenarios: [grant, disability])
        #expect(bits(table) == bits(try alone.compare([grant, disability], labels: ["grant", "disability"])))
    }

    @Test("projection years without a country profile are an input error")
    func yearsNeedProfile() throws {
        let grant = try ScenarioDefinition(file: Repo.path("inputs/scenarios/universal-child-grant.yaml"), catalog: ScenarioCatalog.standard)
        let session = try AnalysisSession(data: Repo.exampleData, columns: nil, country: nil, scenarios: [grant])
        #expect(throws: InputError.self) { try session.compare([grant], labels: ["g"], years: 2026...2027) }
    }
}

@Suite("Baseline cache")
struct BaselineCacheTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("systems"), withIntermediateDirectories: true)
        return folder
    }

    @Test("a system file edited during a session is a different baseline: figures as a fresh session's")
    func editedSystemFile() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let system = folder.appendingPathComponent("systems/current_law.yaml").path
        let scenario = folder.appendingPathComponent("scenarios/grant.yaml").path
        let law = try String(contentsOfFile: Repo.path("inputs/systems/current_law.yaml"), encoding: .utf8)
        try law.write(toFile: system, atomically: true, encoding: .utf8)
        let grant = try String(contentsOfFile: Repo.path("inputs/scenarios/universal-child-grant.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "data: ../data/example-persons.csv", with: "data: \(Repo.exampleData)")
        try grant.write(toFile: scenario, atomically: true, encoding: .utf8)
        let before = try ScenarioDefinition(file: scenario, catalog: ScenarioCatalog.standard)
        let session = try AnalysisSession(data: nil, columns: nil, country: nil, scenarios: [before])
        // The income tax rate of current law rises from 15% to 20% after `before` was read and
        // before its baseline is simulated: that baseline belongs to the old file, not the new one.
        let edited = law.replacingOccurrences(of: "rate: 0.15", with: "rate: 0.2")
        #expect(edited != law)
        try edited.write(toFile: system, atomically: true, encoding: .utf8)
        _ = try session.compare([before], labels: ["a"])
        let after = try ScenarioDefinition(file: scenario, catalog: ScenarioCatalog.standard)
        let table = try session.compare([after], labels: ["a"])
        let fresh = try AnalysisSession(data: nil, columns: nil, country: nil, scenarios: [after]).compare([after], labels: ["a"])
        #expect(bits(table) == bits(fresh))
    }

    @Test("at most `capacity` baselines are kept; the oldest goes first")
    func capacity() throws {
        let file = Repo.path("inputs/scenarios/universal-child-grant.yaml")
        let years = Array(2025...2034)
        let scenarios = try years.map { try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard, year: $0) }
        let session = try AnalysisSession(data: Repo.exampleData, columns: nil, country: nil, scenarios: scenarios)
        for s in scenarios { _ = try session.compare([s], labels: ["a"]) }
        #expect(session.baselines.hits == 0)
        _ = try session.compare([scenarios.last!], labels: ["a"])
        #expect(session.baselines.hits == 1, "the latest year's baseline is kept")
        _ = try session.compare([scenarios.first!], labels: ["a"])
        #expect(session.baselines.hits == 1, "the first year's was evicted (capacity \(session.baselines.capacity) < \(years.count))")
    }

    @Test("without standard errors a defect in a design column does not stop a comparison")
    func designOnlyWhenAsked() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = try String(contentsOfFile: Repo.exampleData, encoding: .utf8).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let psu = try #require(header.firstIndex(of: "psu"))
        var cells = lines[1].components(separatedBy: ",")
        cells[psu] = ""
        lines[1] = cells.joined(separator: ",")
        let data = folder.appendingPathComponent("broken-psu.csv").path
        try lines.joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let grant = try ScenarioDefinition(file: Repo.path("inputs/scenarios/universal-child-grant.yaml"), catalog: ScenarioCatalog.standard)
        _ = try AnalysisSession(data: data, columns: nil, country: nil, scenarios: [grant]).compare([grant], labels: ["a"])
        #expect(throws: InputError.self) {
            try AnalysisSession(data: data, columns: nil, country: nil, scenarios: [grant], designVariables: true)
        }
    }
}
