import Foundation
import Testing

/// A data recipe's preparation (files, checksums, rows dropped and why) is in
/// the provenance of every command's JSON and table, and the results equal
/// those of the person CSV it reproduces.
@Suite("Recipe provenance in every output")
struct RecipeProvenanceTests {
    /// The fixture's recipe with earn_m's missing values dropped instead of set to 0.
    static func droppingRecipe() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-recipe-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fixture = packageRoot.appendingPathComponent("Tests/Fixtures/recipe")
        for name in ["households.csv", "persons.csv", "communes.csv"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let text = try String(contentsOf: fixture.appendingPathComponent("recipe.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "earn_m: zero", with: "earn_m: drop")
        try text.write(to: dir.appendingPathComponent("recipe.yaml"), atomically: true, encoding: .utf8)
        return dir.appendingPathComponent("recipe.yaml").path
    }

    static func preparation(_ json: [String: Any]) throws -> [String: Any] {
        let provenance = try #require(json["provenance"] as? [String: Any])
        return try #require(provenance["data_preparation"] as? [String: Any])
    }

    @Test("run, compare and assess name the recipe's files and drops in JSON and tables")
    func everyCommand() throws {
        let recipe = try Self.droppingRecipe()
        let scenario = "inputs/scenarios/universal-child-grant.yaml"
        var dropped: [Any]?
        for args in [["scenario", "run", scenario], ["scenario", "compare", scenario, "inputs/scenarios/income-tax-reform.yaml"],
                     ["assess", scenario]] {
            let json = runSimrun(args + ["--data", recipe, "--format", "json"])
            #expect(json.status == 0, "\(args): \(json.stderr)")
            let prep = try Self.preparation(try parseJSONObject(json.stdout))
            let drops = try #require(prep["dropped"] as? [[String: Any]])
            #expect(drops.first?["reason"] as? String == "missing earn_m (.): drop the row", "\(args)")
            #expect((drops.first?["persons"] as? Double ?? 0) > 0)
            #expect((prep["inputs"] as? [[String: Any]])?.map { $0["name"] as? String } == ["households", "persons", "communes"])
            if let dropped { #expect(NSArray(array: dropped).isEqual(to: drops), "\(args)") } else { dropped = drops }
            let table = runSimrun(args + ["--data", recipe])
            #expect(table.status == 0)
            #expect(table.stdout.contains("Dropped  : 0 households,") && table.stdout.contains(": missing earn_m (.): drop the row"), "\(args): \(table.stdout.prefix(600))")
        }
    }

    @Test("stats on a recipe names its preparation in JSON and table")
    func stats() throws {
        let recipe = try Self.droppingRecipe()
        let args = ["stats", recipe, "--income", "earnings", "--weight", "weight", "--household", "hh_id"]
        let json = runSimrun(args + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let drops = try #require(try Self.preparation(try parseJSONObject(json.stdout))["dropped"] as? [[String: Any]])
        #expect(drops.first?["reason"] as? String == "missing earn_m (.): drop the row")
        #expect(runSimrun(args).stdout.contains(": missing earn_m (.): drop the row"))
    }

    @Test("a CSV read as it is has data_preparation null")
    func plainFile() throws {
        let json = runSimrun(["scenario", "run", "inputs/scenarios/universal-child-grant.yaml", "--data", "inputs/data/example-persons.csv", "--format", "json"])
        #expect(json.status == 0)
        let provenance = try #require(try parseJSONObject(json.stdout)["provenance"] as? [String: Any])
        #expect(provenance["data_preparation"] is NSNull)
    }
}

/// The household-level consumption survey as delivered (its own names and
/// codes, annual consumption, households without a consumption record) runs
/// through its recipe with no other script, and gives the figures of the
/// prepared household file.
@Suite("A household survey as delivered, through its recipe")
struct HouseholdSurveyRecipeTests {
    @Test("the recipe's run equals the prepared CSV's run in every figure, and says it dropped the 3 households without consumption")
    func sameFigures() throws {
        let plain = try parseJSONObject(runSimrun(["scenario", "run", "inputs/scenarios/consumption/rural-household-transfer-consumption.yaml", "--format", "json"]).stdout)
        let viaRecipe = runSimrun(["scenario", "run", "inputs/scenarios/consumption/rural-household-transfer-consumption-recipe.yaml", "--format", "json"])
        #expect(viaRecipe.status == 0, "\(viaRecipe.stderr)")
        let recipe = try parseJSONObject(viaRecipe.stdout)
        for key in ["welfare", "baseline", "reform", "change"] {
            let a = try #require(plain[key] as? NSDictionary), b = try #require(recipe[key] as? NSDictionary)
            #expect(a.isEqual(b), "\(key)")
        }
        let prep = try RecipeProvenanceTests.preparation(recipe)
        let drops = try #require(prep["dropped"] as? [[String: Any]])
        #expect(drops.count == 1)
        #expect(drops.first?["reason"] as? String == "missing totexp (.): drop the row")
        #expect(drops.first?["households"] as? Double == 3)
    }
}

/// Every command that takes data runs on the two-file Stata example through
/// its recipe and prints what the CSV gives (provenance aside).
@Suite("Every command on the Stata example's recipe")
struct StataRecipeCommandTests {
    static let recipe = "inputs/data/example-recipe.yaml"
    static let csv = "inputs/data/example-persons.csv"

    /// The JSON without its provenance (file names and checksums differ by design).
    static func figures(_ args: [String], data: String) throws -> NSDictionary {
        let result = runSimrun(args + ["--data", data, "--format", "json"])
        #expect(result.status == 0, "\(args): \(result.stderr)")
        var json = try parseJSONObject(result.stdout)
        json["provenance"] = nil
        return json as NSDictionary
    }

    @Test("run, compare and assess print the CSV's figures")
    func sameFigures() throws {
        let grant = "inputs/scenarios/universal-child-grant.yaml", pension = "inputs/scenarios/social-pension.yaml"
        for args in [["scenario", "run", grant], ["scenario", "compare", grant, pension], ["assess", grant, pension]] {
            #expect(try Self.figures(args, data: Self.recipe).isEqual(try Self.figures(args, data: Self.csv)), "\(args)")
        }
    }

    @Test("report, explain, validate, describe and import accept the recipe")
    func accepted() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-stata-report-\(UUID().uuidString)").path
        let report = runSimrun(["report", "inputs/scenarios/universal-child-grant.yaml", "--data", Self.recipe, "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.contains("Data recipe") && html.contains("example-persons.dta"))
        let explain = runSimrun(["scenario", "explain", "inputs/scenarios/universal-child-grant.yaml", "--household", "7", "--data", Self.recipe])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout == runSimrun(["scenario", "explain", "inputs/scenarios/universal-child-grant.yaml", "--household", "7", "--data", Self.csv]).stdout
            .replacingOccurrences(of: Self.csv, with: Self.recipe))
        #expect(runSimrun(["scenario", "validate", "inputs/scenarios/universal-child-grant.yaml", "--data", Self.recipe]).status == 0)
        #expect(runSimrun(["data", "describe", Self.recipe]).status == 0)
        let cache = out + ".simdata"
        #expect(runSimrun(["data", "import", Self.recipe, "--out", cache]).status == 0)
        #expect(try Self.figures(["scenario", "run", "inputs/scenarios/universal-child-grant.yaml"], data: cache)
            .isEqual(try Self.figures(["scenario", "run", "inputs/scenarios/universal-child-grant.yaml"], data: Self.csv)))
    }
}
