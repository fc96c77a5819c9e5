import Foundation
import SimAnalysis
import SimKernel
import SimReport
import Scenarios
import Testing

@testable import simrun

/// The analysis as a library (issue 14, part 1): the commands only parse, call and print, so
/// what the library computes is exactly what every command prints, and one provenance record
/// feeds every format.
@Suite("The analysis library is what the commands print", .serialized)
struct AnalysisLibraryTests {
    static let two = ["inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/social-pension.yaml"]

    static func session(_ files: [String] = two) throws -> (AnalysisSession, [ScenarioDefinition]) {
        let scenarios = try files.map { try ScenarioDefinition(file: packageRoot.appendingPathComponent($0).path, catalog: ScenarioCatalog.standard) }
        let session = try AnalysisSession(data: nil, columns: nil, country: "example", scenarios: scenarios)
        return (session, scenarios)
    }

    @Test("AnalysisSession.analyse with 3 replications gives scenario compare's figures and Monte Carlo bands, bit for bit")
    func analyseIsCompare() throws {
        let (session, scenarios) = try Self.session()
        var statistics = OptionStatistics()
        statistics.replications = 3
        let result = try session.analyse(OptionsRequest(scenarios: scenarios, statistics: statistics))
        let run = runSimrun(["scenario", "compare"] + Self.two + ["--country", "example", "--replications", "3", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        // Read as printed (Double(String) is exact; Foundation's JSON parser can be off by an ulp).
        let (figures, bands) = Self.printedFigures(run.stdout)
        #expect(figures.count == 2 && bands.count == 2)
        var compared = 0
        for i in 0..<min(figures.count, 2) {
            for row in result.table.rows where row.disclosure[i] != .suppressed {
                let value = row.values[i]
                guard value.isFinite, let printed = figures[i][row.key] else { continue }
                #expect(printed.bitPattern == value.bitPattern, "\(row.key) of option \(i + 1): \(printed) vs \(value)")
                let band = try #require(row.bands[i], "no band for \(row.key)")
                #expect(bands[i][row.key] == [band.lower, band.upper], "band of \(row.key)")
                compared += 1
            }
        }
        #expect(compared > 20)
        // The pension's take-up is drawn, the grant's is not: with replications no one-draw note.
        #expect(result.stochastic.isEmpty && result.oneDrawNote == nil)
        let single = try session.analyse(OptionsRequest(scenarios: scenarios))
        #expect(single.stochastic == [single.labels[1]])
        #expect(single.oneDrawNote?.hasPrefix(single.labels[1] + " depends on random draws") == true)
    }

    /// Per option, `figures` and `bands_2_5_97_5` of `scenario compare --format json` as printed, read line by line.
    static func printedFigures(_ json: String) -> (figures: [[String: Double]], bands: [[String: [Double]]]) {
        var figures: [[String: Double]] = [], bands: [[String: [Double]]] = []
        var section = "", key: String? = nil
        for raw in json.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("\"figures\": {") { section = "figures"; figures.append([:]); continue }
            if line.hasPrefix("\"bands_2_5_97_5\": {") { section = "bands"; bands.append([:]); continue }
            if section == "figures" {
                if line.hasPrefix("}") { section = ""; continue }
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \",")) }
                if parts.count == 2, let x = Double(parts[1]) { figures[figures.count - 1][parts[0]] = x }
            } else if section == "bands" {
                if line.hasSuffix(": [") { key = String(line.dropLast(3)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")); continue }
                if line.hasPrefix("]") { key = nil; continue }
                if line.hasPrefix("}") { section = ""; continue }
                if let key, let x = Double(line.trimmingCharacters(in: CharacterSet(charactersIn: ","))) {
                    bands[bands.count - 1][key, default: []].append(x)
                }
            }
        }
        return (figures, bands)
    }

    @Test("one provenance: run, compare and assess JSON, the report's methods and the library's record give the same checksums and sizes")
    func oneProvenance() throws {
        let (session, scenarios) = try Self.session()
        let record = try Provenance(session: session, scenarios: scenarios)
        // Codable, versioned: a tool can keep it and read it back.
        let encoded = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(Provenance.self, from: encoded) == record)
        #expect(record.schemaVersion == Provenance.schemaVersion && record.simrunVersion == Simrun.version)
        #expect(record.dataSHA256 == (try FileDigest.sha256(of: session.dataFile)))

        func provenance(_ args: [String]) throws -> [String: Any] {
            let run = runSimrun(args + ["--format", "json"])
            #expect(run.status == 0, "\(args): \(run.stderr)")
            return try #require((try parseJSONObject(run.stdout))["provenance"] as? [String: Any])
        }
        let run = try provenance(["scenario", "run", Self.two[0]])
        let compare = try provenance(["scenario", "compare"] + Self.two + ["--country", "example"])
        let assess = try provenance(["assess"] + Self.two)
        for (name, p) in [("run", run), ("compare", compare), ("assess", assess)] {
            #expect(p["data_sha256"] as? String == record.dataSHA256, "\(name)")
            #expect(p["simrun_version"] as? String == record.simrunVersion, "\(name)")
        }
        #expect(run["scenario_sha256"] as? String == record.options[0].scenarioSHA256)
        #expect(run["households"] as? Double == Double(record.households) && run["persons"] as? Double == Double(record.persons))
        #expect(compare["households"] as? Double == Double(record.households))
        let perFile = try #require(compare["scenario_sha256"] as? [String: String])
        #expect(Set(perFile.values) == Set(record.options.map(\.scenarioSHA256)))
        #expect(compare["country_sha256"] as? String == record.country?.sha256)
        // The report's methods section: the same record, files by name only.
        let out = try makeScratchDirectory("provenance").appendingPathComponent("pack")
        let report = runSimrun(["report"] + Self.two + ["--country", "example", "--out", out.path, "--date", "2026-12-05", "--quiet"])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        for fact in record.facts {
            #expect(html.contains(MarkupEscaping.escape(fact.value)), "the report's methods lack \(fact.key): \(fact.value)")
        }
    }

    @Test("a bad statistics choice gets the library's message, the same from compare, report and scenario run (exit 64)")
    func oneMessage() throws {
        var statistics = OptionStatistics()
        statistics.se = "jackknife"
        let library = try #require(throws: UsageError.self) { try statistics.check() }
        let compare = runSimrun(["scenario", "compare"] + Self.two + ["--se", "jackknife"])
        #expect(compare.status == 64 && compare.stderr.contains(library.description), "\(compare.stderr)")
        var choices = IndicatorChoices()
        choices.fgtAlpha = "0,one"
        let indicator = try #require(throws: UsageError.self) { try choices.settings(householdIncome: true) }
        #expect(indicator.description == "--fgt-alpha takes comma-separated numbers (got '0,one')")
        let run = runSimrun(["scenario", "run", Self.two[0], "--fgt-alpha", "0,one"])
        #expect(run.status == 64 && run.stderr.contains(indicator.description), "\(run.stderr)")
        statistics = OptionStatistics()
        statistics.equivalence = "per-household"
        let scale = try #require(throws: UsageError.self) { try statistics.check() }
        let out = try makeScratchDirectory("bad-scale").appendingPathComponent("pack")
        let report = runSimrun(["report", Self.two[0], "--out", out.path, "--equivalence", "per-household"])
        #expect(report.status == 64 && report.stderr.contains(scale.description), "\(report.stderr)")
    }

    @Test("the comparison is a versioned Codable record: read back, it prints compare's JSON, CSV and table byte for byte; bad records are errors")
    func comparisonRecord() throws {
        let (session, scenarios) = try Self.session()
        var statistics = OptionStatistics()
        statistics.replications = 2
        let table = try session.analyse(OptionsRequest(scenarios: scenarios, statistics: statistics)).table
        let bytes = try ComparisonTable.recordEncoder().encode(table)
        let read = try ComparisonTable.recordDecoder().decode(ComparisonTable.self, from: bytes)
        #expect(try ComparisonTable.recordEncoder().encode(read) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{") && text.contains("\"schema_version\":\(ComparisonTable.recordVersion)"))
        for format in OutputFormat.allCases {
            let original = ComparisonRenderer(table: table, order: [0, 1], header: ["h"], provenance: .null).render(format)
            let again = ComparisonRenderer(table: read, order: [0, 1], header: ["h"], provenance: .null).render(format)
            #expect(original == again, "\(format)")
        }
        // Hostile records: another version, lists of the wrong length, not JSON: errors, never a crash.
        var object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        object["schema_version"] = 2
        #expect(throws: DecodingError.self) {
            try ComparisonTable.recordDecoder().decode(ComparisonTable.self, from: try JSONSerialization.data(withJSONObject: object))
        }
        object["schema_version"] = 1
        object["titles"] = ["only one"]
        #expect(throws: DecodingError.self) {
            try ComparisonTable.recordDecoder().decode(ComparisonTable.self, from: try JSONSerialization.data(withJSONObject: object))
        }
        #expect(throws: (any Error).self) { try ComparisonTable.recordDecoder().decode(ComparisonTable.self, from: Data("{".utf8)) }
    }

    @Test("scenario compare prints the library's rendering of the library's analysis, byte for byte in every format (ranked, projected, with Monte Carlo bands)")
    func compareIsLibrary() throws {
        let scenarios = try Self.two.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard) }
        let session = try AnalysisSession(data: nil, columns: nil, country: "example", scenarios: scenarios)
        var statistics = OptionStatistics()
        statistics.replications = 2
        let analysis = try session.analyse(OptionsRequest(scenarios: scenarios, years: 2026...2028, statistics: statistics))
        let renderer = ComparisonRenderer(session: session, analysis: analysis, rankBy: "poverty_reduction")
        for format in OutputFormat.allCases {
            let printed = runSimrun(["scenario", "compare"] + Self.two + ["--country", "example", "--years", "2026-2028", "--replications", "2",
                                     "--rank-by", "poverty_reduction", "--format", format.rawValue, "--quiet"])
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(renderer.render(format) == printed.stdout, "\(format)")
        }
    }

    @Test("a scenario without data gets one message from scenario run and scenario explain (exit 64)")
    func noDataMessage() throws {
        let source = try String(contentsOf: packageRoot.appendingPathComponent("inputs/scenarios/universal-child-grant.yaml"), encoding: .utf8)
        let system = packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path
        let text = source.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("data:") }
            .map { $0.hasPrefix("baseline:") ? "baseline: \(system)" : String($0) }.joined(separator: "\n")
        let file = try makeScratchDirectory("no-data").appendingPathComponent("grant.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let message = try #require(throws: UsageError.self) {
            try ScenarioDefinition(file: file.path, catalog: ScenarioCatalog.standard).requiredDataFile(given: nil)
        }
        for arguments in [["scenario", "run", file.path], ["scenario", "explain", file.path, "--household", "1"]] {
            let run = runSimrun(arguments)
            #expect(run.status == 64 && run.stderr.contains(message.description), "\(arguments): \(run.stderr)")
        }
    }

    @Test("simrun sweep prints the library's sweep (SweepRequest), byte for byte as CSV and JSON; a shard the library writes is the command's")
    func sweepIsLibrary() throws {
        let file = "Tests/Fixtures/sweep/small-grid.yaml"
        let sweep = try SweepRequest(sweepFile: file).prepare()
        let run = try sweep.run(shard: nil, out: nil)
        #expect(run.shardFile == nil && run.rows == 0..<sweep.spec.rowCount)
        for format in [OutputFormat.csv, .json] {
            let printed = runSimrun(["sweep", file, "--format", format.rawValue, "--quiet"])
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(run.result.render(format) == printed.stdout, "\(format)")
        }
        let folder = try makeScratchDirectory("sweep-library")
        let shard = try sweep.run(shard: SweepShard(index: 2, count: 2), out: folder.appendingPathComponent("library").path)
        let printed = runSimrun(["sweep", file, "--shard", "2/2", "--out", folder.appendingPathComponent("command").path, "--quiet"])
        #expect(printed.status == 0, "\(printed.stderr)")
        // The same shard but for the build that wrote it (the test process's, not simrun's executable).
        func withoutBuild(_ url: URL) throws -> [String] {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.contains("\"simrun_build\"") }.map(String.init)
        }
        let written = try withoutBuild(URL(fileURLWithPath: try #require(shard.shardFile)))
        let command = try withoutBuild(folder.appendingPathComponent("command/shard-2-of-2.json"))
        #expect(written.count > 20 && written == command)
    }

    @Test("scenario validate prints the library's validation (ScenarioValidation), byte for byte, with and without --data")
    func validateIsLibrary() throws {
        let file = "inputs/scenarios/universal-child-grant.yaml", data = "inputs/data/example-persons.csv"
        for given in [nil, data] {
            let validation = try ScenarioValidation(scenarioFile: file, year: 2026, dataFile: given, columnMapFile: nil)
            #expect((validation.data?.households ?? 0) > 0 || given == nil)
            let printed = runSimrun(["scenario", "validate", file, "--year", "2026"] + (given.map { ["--data", $0] } ?? []))
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(validation.report == printed.stdout)
        }
    }

    // MARK: - scenario run's and assess's records

    /// `data` re-encoded as JSON after `change` (records are written with sorted keys; a test edits them as objects).
    static func edited(_ data: Data, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// `scenario run`'s result as the library computes it for the command line `arguments` would give.
    static func runRecord(scenario file: String, year: Int? = nil, se: String? = nil, by: [String] = [], ageSurvey: Bool = false,
                          replications: Int = 1) throws -> ScenarioRunRecord {
        let scenario = try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard, year: year)
        var request = ScenarioRunRequest(scenario: scenario, dataFile: try #require(try scenario.dataFile(given: nil)))
        if let se {
            var choices = IndicatorChoices()
            choices.se = se
            request.indicators = choices
            request.by = by
        }
        if ageSurvey {
            let profile = try #require(try AnalysisSession.profile("example", scenarios: [scenario]))
            request.ageing = .init(profile: profile, year: try #require(year), margins: nil)
        }
        request.replications = replications
        return ScenarioRunRecord(try request.run())
    }

    @Test("scenario run's result is a versioned record: the library's record, read back, prints the command's table, JSON and CSV byte for byte (statistics; replications with an aged survey)")
    func scenarioRunRecord() throws {
        let grant = "inputs/scenarios/universal-child-grant.yaml", pension = "inputs/scenarios/social-pension.yaml"
        let cases: [(ScenarioRunRecord, [String])] = [
            (try Self.runRecord(scenario: grant, se: "linearized", by: ["urban"]), [grant, "--se", "linearized", "--by", "urban"]),
            (try Self.runRecord(scenario: pension, year: 2030, ageSurvey: true, replications: 3),
             [pension, "--year", "2030", "--age-survey", "--country", "example", "--replications", "3"]),
        ]
        for (record, arguments) in cases {
            let bytes = try ComparisonTable.recordEncoder().encode(record)
            let read = try ComparisonTable.recordDecoder().decode(ScenarioRunRecord.self, from: bytes)
            #expect(read == record)
            #expect(try ComparisonTable.recordEncoder().encode(read) == bytes)
            #expect(String(decoding: bytes, as: UTF8.self).contains("\"schema_version\":\(ScenarioRunRecord.recordVersion)"))
            for format in OutputFormat.allCases {
                let printed = runSimrun(["scenario", "run"] + arguments + ["--format", format.rawValue, "--quiet"])
                #expect(printed.status == 0, "\(printed.stderr)")
                #expect(RunReport(record: read).render(format) == printed.stdout, "\(arguments) \(format)")
            }
        }
        #expect(cases[0].0.statistics != nil && cases[0].0.bands == nil)
        #expect(cases[1].0.ageing?.targetYear == 2030 && cases[1].0.bands?.count == cases[1].0.rows.count)
    }

    @Test("a hostile scenario run record is refused, never rendered: another version, bands or provenance of the wrong size, statistics laid out unalike or naming a line that is not there")
    func hostileRunRecords() throws {
        let record = try Self.runRecord(scenario: "inputs/scenarios/universal-child-grant.yaml", se: "linearized", by: ["urban"])
        let bytes = try ComparisonTable.recordEncoder().encode(record)
        func refused(_ what: String, _ change: (inout [String: Any]) -> Void) throws {
            let data = try Self.edited(bytes, change)
            #expect(throws: DecodingError.self, "\(what)") { try ComparisonTable.recordDecoder().decode(ScenarioRunRecord.self, from: data) }
        }
        try refused("version") { $0["schema_version"] = 2 }
        try refused("bands") { $0["bands"] = [] as [Any] }
        try refused("provenance version") { o in
            var p = o["provenance"] as! [String: Any]; p["schemaVersion"] = 9; o["provenance"] = p
        }
        try refused("no option") { o in
            var p = o["provenance"] as! [String: Any]; p["options"] = [] as [Any]; o["provenance"] = p
        }
        func statistics(_ o: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
            var s = o["statistics"] as! [String: Any]
            var c = s["comparison"] as! [String: Any]
            change(&c)
            s["comparison"] = c
            o["statistics"] = s
        }
        try refused("a line index past the lines") { o in
            statistics(&o) { c in
                var b = c["baseline"] as! [String: Any]
                var options = b["options"] as! [String: Any]
                options["lines"] = [] as [Any]
                b["options"] = options
                c["baseline"] = b
            }
        }
        try refused("change laid out unlike baseline") { o in
            statistics(&o) { c in
                var change = c["change"] as! [String: Any]
                var overall = change["overall"] as! [String: Any]
                overall["indicators"] = Array((overall["indicators"] as! [Any]).dropLast())
                overall["estimates"] = Array((overall["estimates"] as! [Any]).dropLast())
                change["overall"] = overall
                c["change"] = change
            }
        }
        try refused("estimates without indicators") { o in
            statistics(&o) { c in
                var b = c["baseline"] as! [String: Any]
                var overall = b["overall"] as! [String: Any]
                overall["estimates"] = Array((overall["estimates"] as! [Any]).dropLast())
                b["overall"] = overall
                c["baseline"] = b
            }
        }
        try refused("nine deciles") { o in
            statistics(&o) { c in
                var i = c["incidence"] as! [String: Any]
                i["deciles"] = Array((i["deciles"] as! [Any]).dropLast())
                c["incidence"] = i
            }
        }
        try refused("decile 11") { o in
            statistics(&o) { c in
                let json = try! JSONSerialization.data(withJSONObject: c)
                let text = String(decoding: json, as: UTF8.self)
                    .replacingOccurrences(of: #""name":"decile_share","position":10"#, with: #""name":"decile_share","position":11"#)
                c = try! JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            }
        }
        #expect(throws: (any Error).self) { try ComparisonTable.recordDecoder().decode(ScenarioRunRecord.self, from: Data("[]".utf8)) }
    }

    @Test("assess's result is a versioned record: read back, it prints the command's table, JSON and CSV byte for byte; hostile records are refused")
    func assessmentRecord() throws {
        let files = Self.two
        let scenarios = try files.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard) }
        let analysis = try CoverageAnalysis(scenarios: scenarios, dataFile: try #require(try scenarios[0].dataFile(given: nil)),
                                            columnMap: ColumnMap(), olderAge: 65, seed: 1, plan: ParallelPlan())
        let record = AssessmentRecord(analysis, rule: DisclosureRule(minimumObservations: 30, suppress: false))
        let bytes = try ComparisonTable.recordEncoder().encode(record)
        let read = try ComparisonTable.recordDecoder().decode(AssessmentRecord.self, from: bytes)
        #expect(read == record && read.groups.count == 5)
        #expect(try ComparisonTable.recordEncoder().encode(read) == bytes)
        for format in OutputFormat.allCases {
            let printed = runSimrun(["assess"] + files + ["--format", format.rawValue, "--quiet"])
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(AssessmentRenderer(record: read).render(format) == printed.stdout, "\(format)")
        }
        func refused(_ what: String, _ change: (inout [String: Any]) -> Void) throws {
            let data = try Self.edited(bytes, change)
            #expect(throws: DecodingError.self, "\(what)") { try ComparisonTable.recordDecoder().decode(AssessmentRecord.self, from: data) }
        }
        try refused("version") { $0["schema_version"] = 0 }
        try refused("no option") { $0["options"] = [] as [Any] }
        try refused("a group with one figure for two options") { o in
            var groups = o["groups"] as! [[String: Any]]
            groups[0]["coverage_option"] = [0.5]
            o["groups"] = groups
        }
        try refused("negative observations") { o in
            var groups = o["groups"] as! [[String: Any]]
            groups[1]["observations"] = -3
            o["groups"] = groups
        }
        try refused("a disclosure threshold of 0") { o in
            var rule = o["rule"] as! [String: Any]
            rule["minimumObservations"] = 0
            o["rule"] = rule
        }
    }
}
