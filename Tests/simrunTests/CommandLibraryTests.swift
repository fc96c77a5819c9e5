import Foundation
import Scenarios
import SimAnalysis
import SimKernel
import SimReport
import Testing

@testable import simrun

/// The commands that only parse, call and print (issue 14, part 1): `stats`, `household`,
/// `scenario explain` and `data import|describe|calibrate` call a request of SimAnalysis and a
/// renderer of SimReport, so calling them directly gives exactly what the command prints.
@Suite("The stats, household, explain and data requests are what the commands print", .serialized)
struct CommandLibraryTests {
    static func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    /// A fresh temporary directory.
    static func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("StatsRequest with strata, PSUs, groups and a seeded bootstrap renders stats' table, JSON and CSV byte for byte")
    func stats() throws {
        let file = Self.path("Tests/Fixtures/eusilc/eusilc.csv")
        var choices = IndicatorChoices()
        choices.se = "bootstrap"
        choices.replicates = 20
        choices.seed = 3
        choices.lines = [10000]
        choices.periodsPerYear = 1
        var request = StatsRequest(file: file, settings: try choices.settings(householdIncome: false))
        request.roles.income = "eqIncome"
        request.roles.weight = "rb050"
        request.roles.stratum = "db040"
        request.roles.psu = "db030"
        request.roles.by = ["rb090"]
        let result = try request.run()
        let arguments = ["stats", file, "--income", "eqIncome", "--weight", "rb050", "--strata", "db040", "--psu", "db030",
                         "--by", "rb090", "--se", "bootstrap", "--replicates", "20", "--seed", "3", "--line", "10000",
                         "--periods-per-year", "1"]
        for format in OutputFormat.allCases {
            let run = runSimrun(arguments + ["--format", format.rawValue])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == (try StatsReport(result).render(format)), "\(format)")
        }
        #expect(result.roles.stratum == "db040" && result.data.design.stratumCount > 1)
    }

    @Test("StatsRequest resolves roles as stats does: the column map's entries when no option is given, UsageError without an income")
    func statsRoles() throws {
        let dir = try Self.workspace()
        let map = dir.appendingPathComponent("map.yaml").path
        try "income: eqIncome\nweight: rb050\n".write(toFile: map, atomically: true, encoding: .utf8)
        let file = Self.path("Tests/Fixtures/eusilc/eusilc.csv")
        let request = StatsRequest(file: file, columnMapFile: map, settings: try IndicatorChoices().settings(householdIncome: false))
        let result = try request.run()
        #expect(result.roles.income == "eqIncome" && result.roles.weight == "rb050")
        let run = runSimrun(["stats", file, "--columns", map, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == (try StatsReport(result).render(.json)))
        // No income anywhere: the library's usage error is the command's exit 64 with the same words.
        let bare = StatsRequest(file: file, settings: try IndicatorChoices().settings(householdIncome: false))
        #expect(throws: UsageError.self) { try bare.run() }
        do { _ = try bare.run() } catch let error as UsageError {
            let cli = runSimrun(["stats", file, "--weight", "rb050"])
            #expect(cli.status == 64 && cli.stderr.contains(error.description), "\(cli.stderr)")
        }
    }

    @Test("HouseholdFileRequest renders household's table and JSON byte for byte, for a scenario and for a system")
    func household() throws {
        let file = Self.path("inputs/households/couple-two-children.yaml")
        let scenario = Self.path(exampleScenario), system = Self.path("inputs/systems/current_law.yaml")
        for (rules, option, name) in [(HouseholdFileRequest.RulesFile.scenario(scenario), "--scenario", scenario),
                                      (.system(system), "--system", system)] {
            let explanation = try HouseholdFileRequest(householdFile: file, rules: rules, seed: 5).run()
            for format in ExplainFormat.allCases {
                let run = runSimrun(["household", file, option, name, "--seed", "5", "--format", format.rawValue])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout == explanation.render(format), "\(option) \(format)")
            }
        }
    }

    @Test("SurveyHouseholdRequest finds the household by id and renders scenario explain's output; an unknown id is the same error")
    func surveyHousehold() throws {
        let scenarioFile = Self.path(exampleScenario)
        let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard)
        let population = try SurveyLoader().load(file: Self.path(exampleData), variables: ScenarioRun.variables(of: scenario))
        let id = population.householdID[population.householdCount / 2]
        var request = SurveyHouseholdRequest(scenarioFile: scenarioFile, householdID: id)
        request.seed = 7
        let explanation = try request.run()
        #expect(explanation.traces.map(\.role) == ["baseline", "reform"])
        for format in ExplainFormat.allCases {
            let run = runSimrun(["scenario", "explain", scenarioFile, "--household", String(id), "--seed", "7", "--format", format.rawValue])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == explanation.render(format), "\(format)")
        }
        let missing = try #require(population.householdID.values.max()) + 1
        request.householdID = missing
        #expect(throws: InputError.self) { try request.run() }
        do { _ = try request.run() } catch let error as InputError {
            #expect(error.kind == .badValue)
            let cli = runSimrun(["scenario", "explain", scenarioFile, "--household", String(missing)])
            #expect(cli.status == error.exitStatus && cli.stderr.contains(error.description), "\(cli.stderr)")
        }
    }

    @Test("DataDescriptionRequest renders data describe's table and JSON byte for byte, weighted and unweighted, and of a recipe")
    func describe() throws {
        let file = Self.path(smallData), recipe = Self.path("Tests/Fixtures/recipe/recipe.yaml")
        for (file, weight, unweighted, extra) in [(file, String?.none, false, [String]()), (file, nil, true, ["--unweighted"]),
                                                  (file, "hh_id", false, ["--weight", "hh_id"]), (recipe, nil, false, [])] {
            let description = try DataDescriptionRequest(file: file, weight: weight, unweighted: unweighted).run()
            for format in [OutputFormat.table, .json] {
                let run = runSimrun(["data", "describe", file, "--format", format.rawValue] + extra)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout == DataDescriptionRenderer.render(description, format), "\(extra) \(format)")
            }
        }
        #expect(DataDescriptionRenderer.table(try DataDescriptionRequest(file: file).run()).hasPrefix("simrun \(Simrun.version) · data describe\n"))
    }

    @Test("DataCalibrationRequest prints data calibrate's JSON and text and writes the same CSV, byte for byte")
    func calibrate() throws {
        let dir = try Self.workspace()
        let fixtures = Self.path("Tests/Fixtures/calibration")
        let persons = fixtures + "/persons.csv", margins = fixtures + "/margins.yaml"
        for (method, extra) in [(CalibrationMethod.linear, [String]()), (.raking, ["--method", "raking", "--trim", "0.5,3"])] {
            let mine = dir.appendingPathComponent("library-\(method).csv").path
            let theirs = dir.appendingPathComponent("command-\(method).csv").path
            let options = CalibrationOptions(method: method, bounds: .unbounded,
                                             trim: extra.isEmpty ? nil : CalibrationBounds(lower: 0.5, upper: 3), epsilon: 1e-7, maxIterations: 50)
            let report = try DataCalibrationRequest(file: persons, weight: "weight", marginsFile: margins, options: options, out: mine).run()
            let run = runSimrun(["data", "calibrate", persons, "--weight", "weight", "--margins", margins, "--out", theirs, "--format", "json"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            // The report names its --out; everything else is the same bytes.
            #expect(run.stdout == report.json.replacingOccurrences(of: mine, with: theirs) + "\n", "\(method)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: mine)) == Data(contentsOf: URL(fileURLWithPath: theirs)))
            let text = runSimrun(["data", "calibrate", persons, "--weight", "weight", "--margins", margins, "--out", theirs] + extra)
            #expect(text.status == 0 && text.stderr == report.text.replacingOccurrences(of: mine, with: theirs), "\(text.stderr)")
        }
    }

    @Test("DataImportRequest writes the same .simdata as data import, with the same note, text columns kept as categories")
    func dataImport() throws {
        let dir = try Self.workspace()
        let csv = dir.appendingPathComponent("persons.csv").path
        // The small survey plus a text column simrun does not know: retried as a category.
        let lines = try String(contentsOfFile: Self.path(smallData), encoding: .utf8).split(separator: "\n")
        let text = ([lines[0] + ",district"] + lines.dropFirst().enumerated().map { $1 + ($0 % 2 == 0 ? ",north" : ",south") })
            .joined(separator: "\n") + "\n"
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let mine = dir.appendingPathComponent("library.simdata").path
        let theirs = dir.appendingPathComponent("command.simdata").path
        let result = try DataImportRequest(csv: csv, out: mine).run()
        #expect(result.categories == ["district"])
        let run = runSimrun(["data", "import", csv, "--out", theirs])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "simrun: " + result.summary.replacingOccurrences(of: mine, with: theirs) + "\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: mine)) == Data(contentsOf: URL(fileURLWithPath: theirs)))
        let loaded = try SurveyLoader().load(file: theirs, variables: [])
        #expect(loaded.householdCount == result.population.householdCount && loaded.personCount == result.population.personCount)
        #expect(Array(loaded.weight.values) == Array(result.population.weight.values))
    }
}
