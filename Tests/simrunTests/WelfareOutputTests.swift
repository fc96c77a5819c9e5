import Foundation
import Testing

/// Outputs on household-level surveys and declared welfare concepts
/// (docs/welfare.md): `stats --household-size`, and `scenario run` naming
/// the welfare it measured.
@Suite("simrun: welfare concepts and household-level files")
struct WelfareOutputTests {
    static let consumptionScenario = "inputs/scenarios/consumption/rural-household-transfer-consumption.yaml"

    /// Four households (weight, persons, per-capita consumption): one row each, or one row per person.
    static func files() throws -> (households: String, persons: String) {
        let rows: [(w: Double, size: Int, y: Double, urban: Int)] = [(10, 3, 50, 0), (20, 1, 120, 1), (5, 4, 80, 0), (15, 2, 200, 1)]
        var households = "hid,weight,hsize,pcexp,urban,total\n", persons = "hid,weight,pcexp,urban\n"
        for (h, r) in rows.enumerated() {
            households += "\(h + 1),\(r.w),\(r.size),\(r.y),\(r.urban),\(r.y * Double(r.size))\n"
            for _ in 0..<r.size { persons += "\(h + 1),\(r.w),\(r.y),\(r.urban)\n" }
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("welfare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let a = dir.appendingPathComponent("households.csv"), b = dir.appendingPathComponent("persons.csv")
        try households.write(to: a, atomically: true, encoding: .utf8)
        try persons.write(to: b, atomically: true, encoding: .utf8)
        return (a.path, b.path)
    }

    /// `key → value` of a stats CSV (`by,group,line,indicator,position,value,...`).
    static func values(_ csv: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6, let v = Double(f[5]) else { continue }
            out[f[0...4].joined(separator: "|")] = v
        }
        return out
    }

    @Test("stats --household-size weights each household row by weight × size, as the file expanded to persons")
    func householdSize() throws {
        let (households, persons) = try Self.files()
        let a = runSimrun(["stats", households, "--income", "pcexp", "--household-size", "hsize", "--line", "100", "--by", "urban", "--format", "csv"])
        let b = runSimrun(["stats", persons, "--income", "pcexp", "--line", "100", "--by", "urban", "--format", "csv"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let x = Self.values(a.stdout), y = Self.values(b.stdout)
        #expect(x.count > 20 && Set(x.keys) == Set(y.keys))
        for (key, v) in y { #expect(abs(x[key]! - v) <= 1e-12 * max(1, abs(v)), "\(key): \(x[key]!) vs \(v)") }
        // By hand: persons 30, 20, 20, 30 (100); poor at 100: 30 at 50 (gap 0.5) and 20 at 80 (gap 0.2).
        #expect(x["|||population|"] == 100)
        #expect(abs(x["||100|fgt0|"]! - 0.5) <= 1e-15)
        #expect(abs(x["||100|fgt1|"]! - 0.19) <= 1e-15)
        #expect(abs(x["||100|fgt2|"]! - 0.083) <= 1e-15)
    }

    @Test("stats --household-total divides a household total by the size: the same as the per-capita column")
    func householdTotal() throws {
        let (households, _) = try Self.files()
        let a = runSimrun(["stats", households, "--income", "pcexp", "--household-size", "hsize", "--line", "100", "--format", "csv"])
        let b = runSimrun(["stats", households, "--income", "total", "--household-size", "hsize", "--household-total", "--line", "100", "--format", "csv"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let x = Self.values(a.stdout), y = Self.values(b.stdout)
        #expect(x.count > 20 && Set(x.keys) == Set(y.keys))
        for (key, v) in x { #expect(abs(y[key]! - v) <= 1e-12 * max(1, abs(v)), "\(key): \(y[key]!) vs \(v)") }
        let oecd = runSimrun(["stats", households, "--income", "total", "--household-size", "hsize", "--household-total", "--equivalence", "oecd-modified"])
        #expect(oecd.status == 64 && oecd.stderr.contains("a household row has no ages"))
    }

    @Test("stats --household-size with --household is a command-line error")
    func householdSizeWithHousehold() throws {
        let (households, _) = try Self.files()
        let r = runSimrun(["stats", households, "--income", "pcexp", "--household-size", "hsize", "--household", "hid"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--household-size is for a file with one row per household"))
    }

    @Test("a consumption scenario's outputs name consumption, never disposable income, and JSON has the welfare object")
    func consumptionOutputs() throws {
        let table = runSimrun(["scenario", "run", Self.consumptionScenario])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("welfare: household consumption (variable consumption, per year ÷ 12)"))
        #expect(table.stdout.contains("poverty line by urban: 0 → 90.00, 1 → 120.00 per person per month"))
        #expect(!table.stdout.contains("disposable income"))
        let json = runSimrun(["scenario", "run", Self.consumptionScenario, "--format", "json"])
        let doc = try parseJSONObject(json.stdout)
        let welfare = try #require(doc["welfare"] as? [String: Any])
        #expect(welfare["concept"] as? String == "consumption")
        #expect(welfare["variable"] as? String == "consumption")
        #expect(welfare["per"] as? String == "capita")
        #expect(welfare["household_size"] as? String == "hsize")
        #expect((welfare["deflator"] as? [String: Any])?["variable"] as? String == "price_index")
        let lines = try #require(welfare["lines"] as? [String: Any])
        #expect(lines["variable"] as? String == "urban" && (lines["values"] as? [String: Any])?["0"] as? Double == 90)
        #expect(!json.stdout.contains("disposable income"))
        let csv = runSimrun(["scenario", "run", Self.consumptionScenario, "--format", "csv"])
        #expect(csv.stdout.contains("fgt0,fraction of persons; per-capita household consumption,"))
        #expect(!csv.stdout.contains("disposable income"))
        // Persons come from hsize: the beneficiaries are the rural households' members, not their rows.
        let reform = try #require(doc["reform"] as? [String: Any])
        let transfer = try #require((reform["components"] as? [String: Any])?["rural_household_transfer"] as? [String: Any])
        let beneficiaries = try number(reform, "beneficiaries"), households = try number(transfer, "households")
        #expect(beneficiaries > 2 * households)
    }

    @Test("without welfare: the JSON welfare object says disposable_income and the provenance text is as before")
    func defaultWelfare() throws {
        let json = runSimrun(["scenario", "run", exampleScenario, "--format", "json"])
        let doc = try parseJSONObject(json.stdout)
        let welfare = try #require(doc["welfare"] as? [String: Any])
        #expect(welfare["concept"] as? String == "disposable_income" && welfare["per"] as? String == "capita")
        #expect(welfare["lines"] is NSNull && welfare["deflator"] is NSNull && welfare["mpc"] is NSNull)
        let provenance = try #require(doc["provenance"] as? [String: Any])
        #expect(provenance["welfare"] as? String == "per-capita household disposable income, currency per person per month")
    }

    @Test("--equivalence on a scenario that declares its welfare is a command-line error")
    func equivalenceWithConcept() {
        let r = runSimrun(["scenario", "run", Self.consumptionScenario, "--equivalence", "square-root"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("drop --equivalence"))
    }

    @Test("household_size on a file with several rows per household is a data error naming the household")
    func householdSizeNeedsOneRow() {
        let r = runSimrun(["scenario", "run", Self.consumptionScenario, "--data", "inputs/data/example-persons-consumption.csv"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("household 1 has 6 rows") && r.stderr.contains("drop household_size"))
    }

    @Test("a rule on persons over a household-level file names the variable, the component and that a person file is needed")
    func personVariableOnHouseholdFile() throws {
        let baseline = packageRoot.appendingPathComponent("inputs/systems/household_survey.yaml").path
        let text = """
            title: child grant on a household file
            baseline: \(baseline)
            year: 2025
            poverty_line: 120
            welfare: {concept: consumption, variable: consumption, period: year, household_size: hsize}
            components:
              - name: child_grant
                declare:
                  kind: benefit
                  unit: person
                  parameters:
                    amount: {unit: currency_per_month, value: 30}
                  eligible: age < 18
                  amount: amount
            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("child-grant-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let r = runSimrun(["scenario", "run", url.path, "--data", "inputs/data/example-households-consumption.csv"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("'age', needed by module declared (component child_grant)"))
        #expect(r.stderr.contains("a rule on persons needs a person-level file"))
    }

    @Test("household consumption that differs between members is a data error naming the line and column")
    func consumptionDiffersBetweenMembers() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("inputs/data/example-persons-consumption.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        fields[try #require(header.firstIndex(of: "consumption"))] = "1.00"
        lines[2] = fields.joined(separator: ",")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mixed-\(UUID().uuidString).csv")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let r = runSimrun(["scenario", "run", "inputs/scenarios/consumption/rural-household-transfer-consumption-persons.yaml", "--data", url.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains(":3 (consumption): consumption is 1.0 here but"))
    }
}
