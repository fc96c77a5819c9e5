import Foundation
import Testing
@testable import SimKernel
import Scenarios

/// Data recipes (docs/data.md "Data recipes"). The fixture
/// (Tests/Fixtures/recipe, made by make-fixtures.py from the example data)
/// is a household file, a person file whose households interleave and a
/// lookup; recipe.yaml must reproduce expected-persons.csv value for value.
@Suite("Data recipes")
struct SurveyRecipeTests {
    static let folder = TestSupport.path("Tests/Fixtures/recipe")
    static let known = Variable.known.filter { !["hh_id", "person_id", "weight"].contains($0.name) }
        .map { VariableRequest($0, neededBy: "test") }

    /// A scratch folder with the fixture's CSVs and a recipe of `text` (relative paths resolve there).
    static func folder(recipe text: String, edit: (inout [String: String]) -> Void = { _ in }) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-recipe-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        for name in ["households.csv", "persons.csv", "communes.csv"] {
            files[name] = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        }
        edit(&files)
        for (name, content) in files { try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try text.write(toFile: dir + "/recipe.yaml", atomically: true, encoding: .utf8)
        return dir + "/recipe.yaml"
    }

    static let base = """
        files:
          households: {file: households.csv, level: household, key: hhid}
          persons: {file: persons.csv, level: person}
        missing:
          earn_m: zero
        variables:
          hh_id: hhid
          person_id: pid
          weight: wt
          earnings: earn_m
          age: age

        """

    @Test("the fixture's recipe gives the same population as the person CSV it was made from, value for value")
    func reproducesCSV() throws {
        let viaRecipe = try SurveyLoader().load(file: Self.folder + "/recipe.yaml", variables: Self.known)
        let viaCSV = try SurveyLoader().load(file: Self.folder + "/expected-persons.csv", variables: Self.known)
        #expect(Array(viaRecipe.householdStart.values) == Array(viaCSV.householdStart.values))
        #expect(Array(viaRecipe.householdID.values) == Array(viaCSV.householdID.values))
        #expect(Array(viaRecipe.weight.values) == Array(viaCSV.weight.values))
        for v in Variable.known where v.kind == .real && v.name != "weight" {
            #expect(Array(viaRecipe.reals(v.name).values) == Array(viaCSV.reals(v.name).values), "\(v.name)")
        }
        for v in Variable.known where v.kind == .integer {
            if v.level == .household {
                #expect(Array(viaRecipe.householdIntegers(v.name).values) == Array(viaCSV.householdIntegers(v.name).values), "\(v.name)")
            } else {
                #expect(Array(viaRecipe.integers(v.name).values) == Array(viaCSV.integers(v.name).values), "\(v.name)")
            }
        }
        let prep = try #require(viaRecipe.preparation)
        #expect(prep.inputs.map(\.name) == ["households", "persons", "communes"])
        #expect(prep.inputs.map(\.rows) == [300, 1302, 7])
        #expect(prep.drops.isEmpty)
        #expect(prep.households == 300 && prep.persons == 1302)
        #expect(viaCSV.preparation == nil)
    }

    @Test("a scenario run on the recipe gives the CSV's results bit for bit")
    func scenarioEqual() throws {
        let scenario = try ScenarioDefinition(file: TestSupport.exampleScenario, catalog: ScenarioCatalog.standard)
        let (_, a) = try TestSupport.run(scenario: scenario, data: Self.folder + "/recipe.yaml")
        let (_, b) = try TestSupport.run(scenario: scenario, data: Self.folder + "/expected-persons.csv")
        #expect(Array(a.outcomes.reform.disposableIncome.values) == Array(b.outcomes.reform.disposableIncome.values))
        #expect(Array(a.outcomes.baseline.disposableIncome.values) == Array(b.outcomes.baseline.disposableIncome.values))
    }

    @Test("a lookup joins by key: each household gets its commune's zone")
    func lookup() throws {
        let population = try SurveyLoader().load(file: Self.folder + "/recipe.yaml",
                                                 variables: [VariableRequest(Variable.named("zone"), neededBy: "test")])
        let zone = population.reals("zone")
        for h in 0..<population.householdCount {
            let commune = population.householdID[h] % 7 + 1
            for p in population.persons(of: h) { #expect(zone[p] == Double(10 + commune % 3)) }
        }
    }

    @Test("a missing value without a rule is an error naming the file, line and column")
    func missingIsError() throws {
        let recipe = try Self.folder(recipe: Self.base.replacingOccurrences(of: "missing:\n  earn_m: zero\n", with: ""))
        let error = try #require(throws: InputError.self) {
            _ = try SurveyLoader().load(file: recipe, variables: [VariableRequest(.earnings, neededBy: "test")])
        }
        #expect(error.file.hasSuffix("persons.csv"))
        #expect(error.field == "earn_m")
        let lines = try String(contentsOfFile: Self.folder + "/persons.csv", encoding: .utf8).split(separator: "\n")
        // The first in household order: a line of the person file with an empty earn_m.
        #expect(lines[error.line! - 1].split(separator: ",", omittingEmptySubsequences: false)[5].isEmpty)
        #expect(error.message.contains("a missing value (empty) in column 'earn_m' (model variable 'earnings')") && error.message.contains("missing:"), "\(error.message)")
        // Not requested: no error.
        _ = try SurveyLoader().load(file: recipe, variables: [VariableRequest(.age, neededBy: "test")])
    }

    @Test("missing values with the rule drop remove those persons, counted with the reason")
    func dropCounted() throws {
        let recipe = try Self.folder(recipe: Self.base.replacingOccurrences(of: "earn_m: zero", with: "earn_m: drop"))
        let population = try SurveyLoader().load(file: recipe, variables: [VariableRequest(.earnings, neededBy: "test")])
        let persons = try String(contentsOfFile: Self.folder + "/persons.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let empty = persons.filter { $0[5].isEmpty }
        var remaining: [Substring: Int] = [:]
        for p in persons where !p[5].isEmpty { remaining[p[0], default: 0] += 1 }
        let emptied = Set(persons.map { $0[0] }).subtracting(remaining.keys).count
        let prep = try #require(population.preparation)
        #expect(prep.drops.count == (emptied > 0 ? 2 : 1))
        #expect(prep.drops[0] == DataPreparation.Drop(reason: "missing earn_m (empty): drop the row".replacingOccurrences(of: "empty", with: "."),
                                                      households: 0, persons: empty.count))
        if emptied > 0 { #expect(prep.drops[1] == .init(reason: "households left without members by: missing earn_m (.): drop the row", households: emptied, persons: 0)) }
        #expect(population.personCount == persons.count - empty.count)
        #expect(population.householdCount == 300 - emptied)
        #expect(population.reals("earnings").values.allSatisfy { $0 > 0 || $0 == 0 })
    }

    @Test("filters drop whole households or persons, counted with their reason; expressions may aggregate over members")
    func filters() throws {
        let recipe = try Self.folder(recipe: Self.base + """
              household_earnings: "sum(earn_m)"
              annual: "earn_m * 12"
            filters:
              - households: "wt > 70"
                because: "a test of household filters"
              - persons: "age >= 18"
                because: "adults only"

            """)
        let population = try SurveyLoader().load(file: recipe, variables: [
            VariableRequest(.earnings, neededBy: "test"), VariableRequest(.age, neededBy: "test"),
            VariableRequest(Variable.named("household_earnings"), neededBy: "test"), VariableRequest(Variable.named("annual"), neededBy: "test"),
        ])
        let expected = try SurveyLoader().load(file: Self.folder + "/expected-persons.csv",
                                               variables: [VariableRequest(.age, neededBy: "test"), VariableRequest(.earnings, neededBy: "test")])
        var keptHouseholds = 0, droppedPersons = 0, adults = 0, minors = 0
        for h in 0..<expected.householdCount {
            if expected.weight[h] > 70 {
                keptHouseholds += 1
                for p in expected.persons(of: h) { if expected.integers("age")[p] >= 18 { adults += 1 } else { minors += 1 } }
            } else {
                droppedPersons += expected.persons(of: h).count
            }
        }
        let prep = try #require(population.preparation)
        #expect(prep.drops[0] == .init(reason: "a test of household filters", households: 300 - keptHouseholds, persons: droppedPersons))
        #expect(prep.drops[1] == .init(reason: "adults only", households: 0, persons: minors))
        #expect(population.personCount == adults)
        #expect(population.weight.values.allSatisfy { $0 > 70 })
        #expect(population.integers("age").values.allSatisfy { $0 >= 18 })
        // Aggregates are over the members kept when the variable is computed (after the filters).
        let earnings = population.reals("earnings"), total = population.reals("household_earnings"), annual = population.reals("annual")
        for h in 0..<population.householdCount {
            let sum = population.persons(of: h).reduce(0.0) { $0 + earnings[$1] }
            for p in population.persons(of: h) {
                #expect(abs(total[p] - sum) <= 1e-9 * max(1, sum))
                #expect(annual[p] == earnings[p] * 12)
            }
        }
    }

    @Test("key defects are errors with counts: repeated household keys, persons without a household, households without persons")
    func keys() throws {
        let repeated = try Self.folder(recipe: Self.base) { files in
            files["households.csv"]! += "1,67.78,1,1,1,rural,2\n2,67.78,1,1,1,rural,3\n"
        }
        let e1 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: repeated, variables: []) }
        #expect(e1.message.contains("not unique: 2 rows repeat an earlier key") && e1.line == 302, "\(e1.message)")
        let orphan = try Self.folder(recipe: Self.base) { files in
            files["persons.csv"]! += "9999,99999,30,1,1,100,0,0\n9998,99998,30,1,1,100,0,0\n"
        }
        let e2 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: orphan, variables: []) }
        #expect(e2.message.contains("2 persons have no household") && e2.file.hasSuffix("persons.csv") && e2.line == 1304, "\(e2.message)")
        let lonely = try Self.folder(recipe: Self.base) { files in
            files["households.csv"]! += "5000,1,1,1,1,rural,2\n"
        }
        let e3 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: lonely, variables: []) }
        #expect(e3.message.contains("1 household has no person") && e3.line == 302, "\(e3.message)")
    }

    @Test("a recode maps text to numbers; a value outside it is an error naming the value")
    func recode() throws {
        let good = try Self.folder(recipe: Self.base + "  urban: {column: area, recode: {urban: 1, rural: 0}}\n")
        let population = try SurveyLoader().load(file: good, variables: [VariableRequest(.urban, neededBy: "test")])
        let csv = try SurveyLoader().load(file: Self.folder + "/expected-persons.csv", variables: [VariableRequest(.urban, neededBy: "test")])
        #expect(Array(population.integers("urban").values) == Array(csv.integers("urban").values))
        let bad = try Self.folder(recipe: Self.base + "  urban: {column: area, recode: {urban: 1}}\n")
        let error = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: bad, variables: [VariableRequest(.urban, neededBy: "test")]) }
        #expect(error.message.contains("'rural' in column 'area' is not in the recode of 'urban'"), "\(error.message)")
    }

    @Test("expressions compare text columns (and value labels) with labels in quotes; an unknown label lists the labels")
    func labels() throws {
        let recipe = try Self.folder(recipe: Self.base + """
              urban: 'area == "urban"'
              rural_or_none: 'area in ["rural"]'

            """)
        let population = try SurveyLoader().load(file: recipe, variables: [VariableRequest(.urban, neededBy: "test"),
                                                                            VariableRequest(Variable.named("rural_or_none"), neededBy: "test")])
        let csv = try SurveyLoader().load(file: Self.folder + "/expected-persons.csv", variables: [VariableRequest(.urban, neededBy: "test")])
        #expect(Array(population.integers("urban").values) == Array(csv.integers("urban").values))
        #expect(zip(population.integers("urban").values, population.reals("rural_or_none").values).allSatisfy { Double(1 - $0) == $1 })
        let bad = try Self.folder(recipe: Self.base + "  urban: 'area == \"town\"'\n")
        let error = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: bad, variables: []) }
        #expect(error.message.contains("\"town\" is not a label of 'area'; its labels are \"rural\", \"urban\""), "\(error)")
        #expect(error.line == 12 && error.kind == .badValue)
    }

    @Test("a household-level survey (no person file) gives one row per household")
    func householdLevel() throws {
        let recipe = try Self.folder(recipe: """
            files:
              households: {file: households.csv, level: household, key: hhid}
            variables:
              weight: wt
              region: region

            """)
        let population = try SurveyLoader().load(file: recipe, variables: [VariableRequest(.region, neededBy: "test")])
        #expect(population.householdCount == 300 && population.personCount == 300)
        #expect(Array(population.householdID.values) == (1...300).map(Int64.init))
    }

    @Test("recipe errors name the recipe's line: unknown keys, unknown columns, expression errors at their column")
    func recipeErrors() throws {
        let unknownKey = try Self.folder(recipe: Self.base + "colour: blue\n")
        let e1 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: unknownKey, variables: []) }
        #expect(e1.message.contains("unknown key 'colour'") && e1.line == 12, "\(e1)")
        let unknownColumn = try Self.folder(recipe: Self.base + "  region: {column: regoin}\n")
        let e2 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: unknownColumn, variables: []) }
        #expect(e2.message.contains("no file of the recipe has a column 'regoin'"), "\(e2)")
        let badExpression = try Self.folder(recipe: Self.base + "  annual: \"earn_mm * 12\"\n")
        let e3 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: badExpression, variables: []) }
        #expect(e3.line == 12 && e3.message.contains("did you mean 'earn_m'"), "\(e3)")
        let unknownMissing = try Self.folder(recipe: Self.base.replacingOccurrences(of: "earn_m: zero", with: "earn_x: zero"))
        let e4 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: unknownMissing, variables: []) }
        #expect(e4.line == 5 && e4.message.contains("no file of the recipe has a column 'earn_x'"), "\(e4)")
    }

    @Test("a binary survey made from a recipe keeps its preparation and is refused once an input file changes")
    func cache() throws {
        let recipe = try Self.folder(recipe: Self.base.replacingOccurrences(of: "earn_m: zero", with: "earn_m: drop"))
        let population = try SurveyLoader().load(file: recipe, variables: [VariableRequest(.earnings, neededBy: "test"), VariableRequest(.age, neededBy: "test")])
        let out = recipe.replacingOccurrences(of: "recipe.yaml", with: "survey.simdata")
        let digest = try FileDigest.sha256(of: recipe)
        try SurveyCache.write(population, source: recipe, sourceSHA256: digest, columnMap: ColumnMap(), to: out)
        let loaded = try SurveyLoader().load(file: out, variables: [VariableRequest(.earnings, neededBy: "test")])
        #expect(loaded.preparation == population.preparation)
        #expect(Array(loaded.reals("earnings").values) == Array(population.reals("earnings").values))
        // A later modification time of the person file makes the cache stale.
        let persons = recipe.replacingOccurrences(of: "recipe.yaml", with: "persons.csv")
        var times = [timespec(tv_sec: time(nil) + 5, tv_nsec: 0), timespec(tv_sec: time(nil) + 5, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, persons, &times, 0) == 0)
        let error = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: out, variables: []) }
        #expect(error.message.contains("made by the recipe") && error.message.contains("persons.csv"), "\(error.message)")
    }
}
