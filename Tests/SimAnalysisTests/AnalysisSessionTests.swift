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
