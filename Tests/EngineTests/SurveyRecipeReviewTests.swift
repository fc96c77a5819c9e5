import Foundation
import Testing
@testable import SimKernel

/// Defects a review of data recipes found, each fixed at its root; every test
/// failed before its fix.
@Suite("Data recipes: review fixes")
struct SurveyRecipeReviewTests {
    /// A folder with the files given (name to content) and `recipe.yaml`; returns the recipe's path.
    static func folder(_ files: [String: String], recipe: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-review-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try recipe.write(toFile: dir + "/recipe.yaml", atomically: true, encoding: .utf8)
        return dir + "/recipe.yaml"
    }

    static let hh = "hhid,wt,area,commune\n1,10,urban,1\n2,20,rural,2\n3,30,urban,9\n"
    static let persons = "hhid,pid,age,lstat,earn,oth\n1,1,30,1,100,0\n1,2,5,0,,0\n2,3,40,2,200,0\n3,4,70,0,0,50\n3,5,8,0,0,0\n"
    static let communes = "commune,zone\n1,11\n2,12\n"
    static let files = """
        files:
          households: {file: hh.csv, level: household, key: hhid}
          persons: {file: p.csv, level: person}

        """

    static func load(_ recipe: String, _ names: [String]) throws -> Population {
        try SurveyLoader().load(file: recipe, variables: names.map { VariableRequest(Variable.named($0), neededBy: "test") })
    }

    static func error(_ recipe: String, _ names: [String] = []) throws -> InputError {
        try #require(throws: InputError.self) { _ = try load(recipe, names) }
    }

    @Test("the recipe's own hh_id must be one value per household and tell households apart")
    func householdID() throws {
        let merging = try Self.folder(["hh.csv": "prov,hh,wt\nA,1,10\nB,1,10\n", "p.csv": "prov,hh,pid\nA,1,1\nB,1,2\n"], recipe: """
            files:
              households: {file: hh.csv, level: household, key: [prov, hh]}
              persons: {file: p.csv, level: person, prefix: p_}
            variables:
              weight: wt
              hh_id: hh

            """)
        let e = try Self.error(merging)
        #expect(e.kind == .duplicate && e.message.contains("hh_id 1 is given to two households"), "\(e)")
        let splitting = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  hh_id: pid\n")
        let e2 = try Self.error(splitting)
        #expect(e2.message.contains("hh_id is 2 for this person but 1 for the first member"), "\(e2)")
    }

    @Test("a text column is compared with its labels only; a number or another column is an error")
    func textColumns() throws {
        let numeric = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  u: 'area == 1'\n")
        #expect(try Self.error(numeric).message.contains("'area' is a text column: compare it with one of its labels"))
        let list = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  u: 'area in [0, 1]'\n")
        #expect(try Self.error(list).message.contains("'area' is a text column: list its labels in quotes"))
        let labels = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  u: 'area in [\"rural\"]'\n")
        let population = try Self.load(labels, ["u"])
        let column = population.reals("u")
        let u = Array(column.values)
        #expect(u == [0, 0, 1, 0, 0], "\(u)")
    }

    @Test("a text column's missing values cannot be given a number")
    func textMissingNumber() throws {
        let r = try Self.folder(["hh.csv": "hhid,wt,area\n1,10,\n2,20,rural\n", "p.csv": "hhid,pid\n1,1\n2,2\n"],
                                recipe: Self.files + "missing:\n  area: 0\nvariables:\n  weight: wt\n")
        let e = try Self.error(r)
        #expect(e.line == 5 && e.message.contains("'area' is a text column"), "\(e)")
    }

    @Test("a label several values share stands for all of them")
    func sharedLabels() throws {
        var env = RuleEnvironment()
        env.variables["act"] = Variable("act", kind: .integer, measure: .code, unit: "code", summary: "activity")
        env.categoryLabels["act"] = ["employed": [1], "other": [8, 9]]
        let at = RuleLocation(file: "t.yaml", line: 1, column: 1)
        let other = try RuleExpression("act == \"other\"", at: at, environment: env, level: .person, expecting: .boolean)
        #expect(other.program.evaluate(householdOffsets: [0, 3], columns: ["act": [1, 8, 9]]) == [0, 1, 1])
        let not = try RuleExpression("act != \"other\"", at: at, environment: env, level: .person, expecting: .boolean)
        #expect(not.program.evaluate(householdOffsets: [0, 3], columns: ["act": [1, 8, 9]]) == [1, 0, 0])
        let inList = try RuleExpression("act in [\"other\"]", at: at, environment: env, level: .person, expecting: .boolean)
        #expect(inList.program.evaluate(householdOffsets: [0, 3], columns: ["act": [1, 8, 9]]) == [0, 1, 1])
    }

    @Test("recode applies to a file's column, not to a variable of the recipe")
    func recodeDerived() throws {
        let r = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons],
                                recipe: Self.files + "variables:\n  weight: wt\n  l: lstat\n  b: {column: l, recode: {\"0\": 100}}\n")
        #expect(try Self.error(r).message.contains("'recode:' applies to a file's column"))
    }

    @Test("a copied lookup column without a row for a key names the joined file's row and the lookup")
    func lookupUnmatched() throws {
        let r = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons, "c.csv": Self.communes], recipe: """
            files:
              households: {file: hh.csv, level: household, key: hhid}
              persons: {file: p.csv, level: person}
              communes: {file: c.csv, level: lookup, key: commune, to: households}
            variables:
              weight: zone

            """)
        let e = try Self.error(r)
        #expect(e.file.hasSuffix("hh.csv") && e.line == 4 && e.message.contains("the lookup") && e.message.contains("has no row for this key"), "\(e)")
    }

    @Test("a computed value out of range names the recipe's line and the person; a copied one its own column")
    func rangeMessages() throws {
        let computed = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  age: \"age - 50\"\n")
        let e = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: computed, variables: [VariableRequest(.age, neededBy: "test")]) }
        #expect(e.file.hasSuffix("recipe.yaml") && e.line == 6 && e.message.contains("computed for the person on") && e.message.contains("p.csv line 2"), "\(e)")
        let copied = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  labour_status: commune\n")
        let e2 = try #require(throws: InputError.self) { _ = try SurveyLoader().load(file: copied, variables: [VariableRequest(.labourStatus, neededBy: "test")]) }
        #expect(e2.field == "commune" && e2.file.hasSuffix("hh.csv") && e2.line == 4 && e2.message.contains("column 'commune' (model variable 'labour_status')"), "\(e2)")
    }

    @Test("an expression over several lines is refused: its errors could not be placed")
    func multiLine() throws {
        let r = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  u: \"if(wt > 1,\n    1, 0)\"\n")
        #expect(try Self.error(r).message.contains("write the expression on one line"))
    }

    @Test("households without a person: an error naming the option, or dropped and counted with without_persons: drop")
    func withoutPersons() throws {
        let extra = Self.hh + "7,1,rural,1\n"
        let strict = try Self.folder(["hh.csv": extra, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n")
        #expect(try Self.error(strict).message.contains("say 'without_persons: drop'"))
        let dropping = try Self.folder(["hh.csv": extra, "p.csv": Self.persons], recipe: Self.files.replacingOccurrences(of: "key: hhid}", with: "key: hhid, without_persons: drop}") + "variables:\n  weight: wt\n")
        let population = try Self.load(dropping, [])
        #expect(population.householdCount == 3)
        #expect(population.preparation?.drops == [.init(reason: "households without a person in \(dropping.replacingOccurrences(of: "recipe.yaml", with: "p.csv"))", households: 1, persons: 0)])
    }

    @Test("a person filter that empties a household drops it at once (counted), so later expressions never see an empty household")
    func emptied() throws {
        let r = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + """
            filters:
              - persons: "age > 35"
                because: "older"
              - households: "count() >= 1"
                because: "non-empty"
            variables:
              weight: wt
              n: "count()"

            """)
        let population = try Self.load(r, ["n"])
        #expect(population.householdCount == 2 && population.personCount == 2)
        #expect(population.preparation?.drops.map(\.reason) == ["older", "households left without members by: older", "non-empty"])
        #expect(population.preparation?.drops[1].households == 1)
    }

    @Test("later variables, and copies with missing values, say why they cannot be used")
    func unavailableNames() throws {
        let later = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  a: \"b + 1\"\n  b: \"1\"\n")
        #expect(try Self.error(later).message.contains("'b' cannot be read here: it is made under 'variables:' at line 7"))
        let missing = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  e: earn\n  f: \"e + 1\"\n")
        #expect(try Self.error(missing).message.contains("'e' cannot be read here: it has missing values"))
    }

    @Test("a person file's link column named like a household column that is not the key is a clash, not silently the household's")
    func linkColumnClash() throws {
        let r = try Self.folder(["hh.csv": "hhid,hh,wt\n1,7,10\n2,8,20\n", "p.csv": "hh,pid\n1,1\n2,2\n"], recipe: """
            files:
              households: {file: hh.csv, level: household, key: hhid}
              persons: {file: p.csv, level: person, household: hh}
            variables:
              weight: wt
              x: hh

            """)
        let e = try Self.error(r)
        #expect(e.kind == .duplicate && e.message.contains("column 'hh' is in both") && e.message.contains("prefix"), "\(e)")
        // With a prefix the two are told apart: the link is p_hh, the household's column hh.
        let told = try Self.folder(["hh.csv": "hhid,hh,wt\n1,7,10\n2,8,20\n", "p.csv": "hh,pid\n1,1\n2,2\n"], recipe: """
            files:
              households: {file: hh.csv, level: household, key: hhid}
              persons: {file: p.csv, level: person, household: hh, prefix: p_}
            variables:
              weight: wt
              x: hh
              y: p_hh

            """)
        let population = try Self.load(told, ["x", "y"])
        let x = population.reals("x"), y = population.reals("y")
        #expect(Array(x.values) == [7, 8] && Array(y.values) == [1, 2])
    }

    @Test("keys past 2^53 stay exact (read as text)")
    func longKeys() throws {
        let r = try Self.folder(["hh.csv": "hhid,wt\n12345678901234567,1\n12345678901234568,2\n", "p.csv": "hhid,pid\n12345678901234567,1\n12345678901234568,2\n"],
                                recipe: Self.files + "variables:\n  weight: wt\n")
        let population = try Self.load(r, [])
        #expect(population.householdCount == 2 && Array(population.weight.values) == [1, 2])
    }

    @Test("an expression that gives a non-finite value is an error at its line")
    func nonFinite() throws {
        let r = try Self.folder(["hh.csv": Self.hh, "p.csv": Self.persons], recipe: Self.files + "variables:\n  weight: wt\n  x: \"age * 1e308 * 10\"\n")
        let e = try Self.error(r)
        #expect(e.line == 6 && e.message.contains("not a finite number") && e.message.contains("p.csv line 2;"), "\(e)")
    }
}
