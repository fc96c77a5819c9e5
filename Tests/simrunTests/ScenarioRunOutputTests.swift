import Foundation
import Testing
@testable import SimKernel

/// `simrun scenario run` on the shipped example: the table, JSON and CSV
/// outputs, their provenance, and the promise that the bytes on standard
/// output depend only on the inputs (not on time, threads or chunk size).
@Suite("simrun scenario run: output")
struct ScenarioRunOutputTests {
    /// The SHA-256 of a file under the package root, with the project's own hasher.
    static func sha256(_ relative: String) throws -> String {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent(relative))
        return data.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
    }

    /// Households and persons of a CSV in SPEC.md's layout, counted independently
    /// of the loader: data lines, and changes of the first field (households are adjacent).
    static func count(_ relative: String) throws -> (households: Int, persons: Int) {
        let text = try String(contentsOf: packageRoot.appendingPathComponent(relative), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst()
        var households = 0
        var previous: Substring?
        for row in rows {
            let id = row.prefix { $0 != "," }
            if id != previous { households += 1 }
            previous = id
        }
        return (households, rows.count)
    }

    static let indicators = ["cost_annual", "beneficiaries", "fgt0", "fgt1", "fgt2", "gini"]

    @Test("the table names the data file and the scenario and has a row per indicator")
    func table() {
        let result = runSimrun(["scenario", "run", exampleScenario])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let out = result.stdout
        #expect(out.contains("Data     : \(exampleData)"))
        #expect(out.contains("Scenario : \(exampleScenario)"))
        #expect(out.contains("Universal child grant, 30 a month for ages 0-17"))
        #expect(out.contains("Baseline : inputs/systems/current_law.yaml"))
        let lines = out.split(separator: "\n").map(String.init)
        for label in ["Annual cost of benefits", "Beneficiaries", "Poverty headcount FGT(0)", "Poverty gap FGT(1)",
                      "Poverty severity FGT(2)", "Gini coefficient"] {
            #expect(lines.contains { $0.hasPrefix(label) }, "no row '\(label)' in:\n\(out)")
        }
        #expect(lines.contains { $0.hasPrefix("Indicator") && $0.contains("Baseline") && $0.contains("Reform") && $0.contains("Change") })
    }

    @Test("JSON output has baseline, reform, change and provenance, each with every indicator")
    func jsonShape() throws {
        let result = runSimrun(["scenario", "run", exampleScenario, "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let doc = try parseJSONObject(result.stdout)
        for system in ["baseline", "reform", "change"] {
            let object = try #require(doc[system] as? [String: Any], "no object '\(system)'")
            for key in Self.indicators {
                _ = try number(object, key)
            }
        }
        let provenance = try #require(doc["provenance"] as? [String: Any])
        #expect(provenance["simrun_version"] is String)
        #expect(provenance["scenario_sha256"] is String)
        _ = try number(provenance, "households")
        _ = try number(provenance, "persons")
    }

    @Test("the change is reform minus baseline, indicator by indicator")
    func changeIsDifference() throws {
        let doc = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--format", "json"]).stdout)
        let baseline = try #require(doc["baseline"] as? [String: Any])
        let reform = try #require(doc["reform"] as? [String: Any])
        let change = try #require(doc["change"] as? [String: Any])
        for key in Self.indicators {
            // The change is computed as one subtraction of the two printed values, and
            // numbers are printed so that they read back exactly: equality is exact.
            #expect(try number(change, key) == number(reform, key) - number(baseline, key), "\(key)")
        }
        // The baseline has no child grant; the reform pays it.
        #expect(try number(baseline, "cost_annual") == 0)
        #expect(try number(reform, "cost_annual") > 0)
        #expect(try number(change, "fgt0") < 0)
    }

    @Test("provenance records the SHA-256 of the data and scenario files and the survey's size")
    func provenance() throws {
        let doc = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--format", "json"]).stdout)
        let provenance = try #require(doc["provenance"] as? [String: Any])
        let dataHash = try #require(provenance["data_sha256"] as? String)
        #expect(dataHash.count == 64)
        #expect(dataHash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(dataHash == (try Self.sha256(exampleData)))
        #expect(provenance["data_file"] as? String == exampleData)
        #expect(provenance["scenario_sha256"] as? String == (try Self.sha256(exampleScenario)))
        #expect(provenance["baseline_sha256"] as? String == (try Self.sha256("inputs/systems/current_law.yaml")))
        let counted = try Self.count(exampleData)
        #expect(try number(provenance, "households") == Double(counted.households))
        #expect(try number(provenance, "persons") == Double(counted.persons))
        #expect(provenance["simrun_version"] as? String == (runSimrun(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("on a 4-household survey the grant costs 12 × 30 × the weighted children, counted by hand")
    func smallSurveyCostByHand() throws {
        let result = runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let doc = try parseJSONObject(result.stdout)
        let reform = try #require(doc["reform"] as? [String: Any])
        // Children aged 0..17 in Tests/Fixtures/cli/households.csv: household 1 (weight 120.5)
        // ages 0 and 17 (not 18); household 3 (weight 95) ages 4 and 2; household 4 (weight 60.75)
        // age 15. Weighted children = 2 × 120.5 + 2 × 95 + 60.75 = 491.75;
        // annual cost = 12 × 30 × 491.75 = 177,030. Exact in binary floating point.
        #expect(try number(reform, "beneficiaries") == 491.75)
        #expect(try number(reform, "cost_annual") == 177_030)
        let provenance = try #require(doc["provenance"] as? [String: Any])
        #expect(try number(provenance, "households") == 4)
        #expect(try number(provenance, "persons") == 12)
    }

    @Test("on the three handmade households the JSON carries the hand-computed indicators")
    func threeHouseholdsByHand() throws {
        // Tests/Fixtures/handmade/three-households.yaml names its data; the hand computation is in
        // Tests/ScenariosTests/ThreeHouseholdsTests.swift: per-capita incomes 50, 200, 231 (baseline)
        // and 65, 200, 243 (reform), person weights 2, 2, 5, z = 150.
        let result = runSimrun(["scenario", "run", "Tests/Fixtures/handmade/three-households.yaml", "--format", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let doc = try parseJSONObject(result.stdout)
        let baseline = try #require(doc["baseline"] as? [String: Any])
        let reform = try #require(doc["reform"] as? [String: Any])
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
        #expect(try number(reform, "cost_annual") == 1080)
        #expect(try number(reform, "beneficiaries") == 3)
        #expect(close(try number(baseline, "fgt0"), 2.0 / 9))
        #expect(close(try number(baseline, "fgt1"), 4.0 / 27))
        #expect(close(try number(baseline, "fgt2"), 8.0 / 81))
        #expect(close(try number(reform, "fgt1"), 17.0 / 135))
        #expect(close(try number(reform, "fgt2"), 289.0 / 4050))
        #expect(close(try number(baseline, "gini"), 2720.0 / 14895))
        #expect(close(try number(reform, "gini"), 2750.0 / 15705))
    }

    @Test("CSV output has the header indicator,unit,baseline,reform,change and one row per indicator")
    func csv() throws {
        let result = runSimrun(["scenario", "run", exampleScenario, "--format", "csv"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "indicator,unit,baseline,reform,change")
        #expect(lines.last == "", "the output should end with a line break")
        let rows = lines.dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for row in rows { #expect(row.count == 5, "row \(row) does not have 5 fields") }
        let byKey = Dictionary(rows.map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byKey.count == rows.count, "an indicator appears twice")
        // The CSV's numbers are the JSON's, digit for digit.
        let doc = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--format", "json"]).stdout)
        for key in Self.indicators {
            let row = try #require(byKey[key], "no row \(key)")
            for (column, system) in [(2, "baseline"), (3, "reform"), (4, "change")] {
                let object = try #require(doc[system] as? [String: Any])
                #expect(Double(row[column]) == (try number(object, key)), "\(key) \(system)")
            }
        }
    }

    @Test("two runs print byte-identical output (no timestamps)", arguments: ["table", "json", "csv"])
    func repeatable(format: String) {
        let first = runSimrun(["scenario", "run", exampleScenario, "--format", format])
        let second = runSimrun(["scenario", "run", exampleScenario, "--format", format])
        #expect(first.status == 0 && second.status == 0)
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }

    @Test("the thread count and the chunk size do not change a byte of the JSON",
          arguments: [["--threads", "2"], ["--chunk-size", "7"], ["--threads", "2", "--chunk-size", "1"],
                      ["--threads", "2", "--chunk-size", "7"]])
    func threadsAndChunksChangeNothing(options: [String]) {
        let reference = runSimrun(["scenario", "run", exampleScenario, "--format", "json", "--threads", "1"])
        let other = runSimrun(["scenario", "run", exampleScenario, "--format", "json"] + options)
        #expect(reference.status == 0 && other.status == 0, "stderr: \(other.stderr)")
        #expect(!reference.stdout.isEmpty)
        #expect(reference.stdout == other.stdout)
    }

    @Test("--timings writes the timings to standard error and leaves standard output unchanged")
    func timings() {
        let plain = runSimrun(["scenario", "run", exampleScenario, "--format", "json"])
        let timed = runSimrun(["scenario", "run", exampleScenario, "--format", "json", "--timings"])
        #expect(timed.status == 0)
        #expect(timed.stdout == plain.stdout)
        #expect(timed.stderr.contains("timings"))
        #expect(timed.stderr.contains("load"))
        #expect(!plain.stderr.contains("timings"))
        #expect(!timed.stdout.contains("timings"))
    }

    @Test("--quiet leaves standard error empty on success")
    func quiet() {
        let result = runSimrun(["scenario", "run", exampleScenario, "--quiet"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
        #expect(!result.stdout.isEmpty)
    }

    @Test("--year picks the parameters in force on 1 January of that year and is recorded")
    func year() throws {
        let doc = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--format", "json", "--year", "2030"]).stdout)
        let provenance = try #require(doc["provenance"] as? [String: Any])
        #expect(try number(provenance, "year") == 2030)
        // The example's parameters take effect in 2025 and do not change after: same figures as 2025.
        let base = try parseJSONObject(runSimrun(["scenario", "run", exampleScenario, "--format", "json"]).stdout)
        let reform = try #require(doc["reform"] as? [String: Any])
        let baseReform = try #require(base["reform"] as? [String: Any])
        #expect(try number(reform, "cost_annual") == number(baseReform, "cost_annual"))
    }

    @Test("a year before the grant's first date is bad input: exit 65 naming the parameter")
    func yearBeforeFirstValue() {
        let result = runSimrun(["scenario", "run", exampleScenario, "--year", "2024"])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(exampleScenario):"))
        #expect(result.stderr.contains("amount_per_child"))
        #expect(result.stderr.contains("2025-01-01"))
    }
}
