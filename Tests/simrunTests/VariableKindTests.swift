import Foundation
import Testing

/// A place that takes a variable name refuses a variable of the wrong kind
/// (money, category code, flag, age, weight, identifier) with exit status 65
/// and a message naming the file, line, key and the kind expected, in
/// `scenario validate` as in `scenario run`, `assess` and `compare`. A
/// market income of `weight`, `age`, `hh_id` or `labour_status` used to
/// crash all three with SIGILL (exit 132) while `validate` called it fine.
/// Fixtures: `Tests/Fixtures/broken/` (its README lists each defect).
@Suite("simrun: a variable of the wrong kind exits 65, naming file, line, key and the kind expected")
struct VariableKindCLITests {
    /// One broken fixture: the scenario, the file the message names, its line and key, and text it must contain.
    struct Case: Sendable, CustomTestStringConvertible {
        let scenario: String
        let file: String
        let line: Int
        let field: String
        let mentions: [String]
        var testDescription: String { scenario }

        /// A fixture of `Tests/Fixtures/broken/`; the message names `file` there (default: the scenario).
        init(_ scenario: String, file: String? = nil, line: Int, field: String, mentions: [String]) {
            self.init(path: "Tests/Fixtures/broken/\(scenario)", file: "Tests/Fixtures/broken/\(file ?? scenario)",
                      line: line, field: field, mentions: mentions)
        }

        /// A scenario anywhere whose message names `file`.
        init(path: String, file: String, line: Int, field: String, mentions: [String]) {
            self.scenario = path
            self.file = file
            self.line = line
            self.field = field
            self.mentions = mentions
        }
    }

    static let cases: [Case] = [
        Case("market-income-weight.yaml", file: "system-market-income-weight.yaml", line: 6, field: "market_income[1]",
             mentions: ["'weight' is the sampling weight, not an amount of money per month", "market_income takes a money variable"]),
        Case("additional-base-age.yaml", line: 12, field: "components[0].parameters.additional_base[0]",
             mentions: ["'age' is an age in years, not an amount of money per month", "additional_base takes a money variable"]),
        Case("additional-base-weight.yaml", line: 11, field: "components[0].parameters.additional_base[0]",
             mentions: ["'weight' is the sampling weight, not an amount of money per month", "additional_base takes a money variable"]),
        Case("base-sex.yaml", line: 11, field: "components[0].parameters.base",
             mentions: ["'sex' is a category code, not an amount of money per month", "base takes a money variable"]),
        Case("take-up-group-earnings.yaml", line: 9, field: "parameters.take_up_group",
             mentions: ["'earnings' is an amount of money per month, not a category", "take_up_group takes a category variable"]),
        Case("join-group-age.yaml", line: 11, field: "parameters.join_group",
             mentions: ["'age' is an age in years, not a category", "join_group takes a category variable"]),
        Case("decile-income-labour-status.yaml", line: 9, field: "parameters.decile_income[1]",
             mentions: ["'labour_status' is a category code, not an amount of money per month", "decile_income takes a money variable"]),
        Case("score-weight-region.yaml", line: 13, field: "parameters.score_weights.region",
             mentions: ["'region' is a category code, not a measured quantity", "score_weights takes a characteristic"]),
    ]

    /// Expects exit 65, nothing on standard output, and `simrun: error: FILE:LINE (FIELD): ...` with `mentions`.
    static func expectRefused(_ result: (stdout: String, stderr: String, status: Int32), _ c: Case,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 65, "exit status; stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
        let prefix = "simrun: error: \(c.file):\(c.line) (\(c.field)): "
        #expect(result.stderr.hasPrefix(prefix), "expected '\(prefix)', got: \(result.stderr)", sourceLocation: sourceLocation)
        for text in c.mentions {
            #expect(result.stderr.contains(text), "'\(text)' not in: \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test("scenario run refuses the variable at its line and key", arguments: cases)
    func run(_ c: Case) {
        Self.expectRefused(runSimrun(["scenario", "run", c.scenario, "--data", smallData]), c)
    }

    @Test("scenario validate catches the same defect, without data", arguments: cases)
    func validate(_ c: Case) {
        Self.expectRefused(runSimrun(["scenario", "validate", c.scenario]), c)
    }

    @Test("a market income of weight, age, hh_id or labour_status is refused by run, assess and compare (it crashed them)",
          arguments: ["weight", "age", "hh_id", "labour_status"])
    func marketIncome(variable: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let system = dir.appendingPathComponent("system.yaml").path
        let scenario = dir.appendingPathComponent("scenario.yaml").path
        try "name: odd\n# market income\nmarket_income: [earnings, \(variable)]\n".write(toFile: system, atomically: true, encoding: .utf8)
        try "title: odd\nbaseline: \(system)\nyear: 2025\npoverty_line: 150\nscenario: universal_child_grant\nparameters: {amount_per_child: 30}\n"
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let located = Case(path: scenario, file: system, line: 3, field: "market_income[1]",
                           mentions: ["'\(variable)' is ", "not an amount of money per month", "market_income takes a money variable"])
        for command in [["scenario", "run", scenario, "--data", smallData],
                        ["scenario", "validate", scenario],
                        ["assess", scenario, "--data", smallData],
                        ["scenario", "compare", scenario, exampleScenario, "--data", smallData]] {
            Self.expectRefused(runSimrun(command), located)
        }
    }

    @Test("--by on money is refused as a command-line error (every amount would be a group of its own)")
    func byMoney() {
        let r = runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--by", "earnings"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("--by earnings: not a categorical column: 'earnings' is an amount of money per month"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}

/// Columns simrun does not know take the kind their place implies: a custom
/// take-up group is read as whole-number codes (checked row by row, through a
/// column map too), a custom money column as money; one column cannot be both.
@Suite("simrun: custom columns are read as the place that names them implies")
struct CustomColumnKindTests {
    /// `households.csv` with a column `name` holding `values` (one per person, in file order).
    static func data(in dir: URL, column name: String, values: [String]) throws -> String {
        let lines = try String(contentsOfFile: packageRoot.appendingPathComponent(smallData).path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        precondition(values.count == lines.count - 1, "one value per person")
        let out = ([lines[0] + ",\(name)"] + zip(lines.dropFirst(), values).map { "\($0),\($1)" }).joined(separator: "\n") + "\n"
        let file = dir.appendingPathComponent("persons.csv").path
        try out.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func scenario(in dir: URL, _ body: String) throws -> String {
        let file = dir.appendingPathComponent("scenario.yaml").path
        let baseline = packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path
        try ("title: custom\nbaseline: \(baseline)\nyear: 2025\npoverty_line: 150\n" + body)
            .write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-custom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let persons = try! String(contentsOfFile: packageRoot.appendingPathComponent(smallData).path, encoding: .utf8)
        .split(separator: "\n").count - 1

    static let groupScenario = "scenario: social_pension\nparameters:\n  amount: 75\n  take_up_group: village\n  take_up_by_group: {1: 0.5}\n"

    @Test("a custom take-up group column is read as whole-number codes: 2.5 is refused at its line and column")
    func customGroupIsACode() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var values = Array(repeating: "1", count: Self.persons)
        values[2] = "2.5"  // line 4
        let data = try Self.data(in: dir, column: "village", values: values)
        let scenario = try Self.scenario(in: dir, Self.groupScenario)
        let r = runSimrun(["scenario", "run", scenario, "--data", data])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("simrun: error: \(data):4 (village): "), "\(r.stderr)")
        #expect(r.stderr.contains("expected a whole number"), "\(r.stderr)")
        values[2] = "2"
        _ = try Self.data(in: dir, column: "village", values: values)
        let ok = runSimrun(["scenario", "run", scenario, "--data", data])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test("through a column map, the mapped file column is checked as the implied kind")
    func customGroupThroughColumnMap() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var values = Array(repeating: "0", count: Self.persons)
        values[0] = "x"  // line 2
        let data = try Self.data(in: dir, column: "vil_code", values: values)
        let map = dir.appendingPathComponent("map.yaml").path
        try "village: vil_code\n".write(toFile: map, atomically: true, encoding: .utf8)
        let scenario = try Self.scenario(in: dir, Self.groupScenario)
        let r = runSimrun(["scenario", "run", scenario, "--data", data, "--columns", map])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("simrun: error: \(data):2 (vil_code): "), "\(r.stderr)")
        #expect(r.stderr.contains("expected a whole number"), "\(r.stderr)")
    }

    @Test("a custom column taxed as money and used as a take-up group is refused when the scenario is read, naming both uses")
    func oneColumnTwoMeanings() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.data(in: dir, column: "remittances", values: Array(repeating: "1", count: Self.persons))
        let scenario = try Self.scenario(in: dir, """
            components:
              - module: income_tax
                name: personal_income_tax
                parameters:
                  brackets: [{threshold: 0, rate: 0.1}]
                  additional_base: [remittances]
              - module: social_pension
                parameters: {amount: 75, take_up_group: remittances, take_up_by_group: {1: 0.5}}

            """)
        for command in [["scenario", "run", scenario, "--data", data], ["scenario", "validate", scenario]] {
            let r = runSimrun(command)
            #expect(r.status == 65, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("simrun: error: \(scenario) (remittances): "), "\(r.stderr)")
            #expect(r.stderr.contains("variable 'remittances' is read as an amount of money per month by"), "\(r.stderr)")
            #expect(r.stderr.contains("and as a category code by module social_pension"), "\(r.stderr)")
            #expect(r.stderr.contains("a column has one meaning"), "\(r.stderr)")
        }
    }

    @Test("two options compared, one taxing a custom column as money and one grouping take-up by it, are refused before the data is read")
    func twoOptionsTwoMeanings() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Self.data(in: dir, column: "remittances", values: Array(repeating: "1", count: Self.persons))
        let tax = try Self.scenario(in: dir, """
            components:
              - module: income_tax
                name: personal_income_tax
                parameters:
                  brackets: [{threshold: 0, rate: 0.1}]
                  additional_base: [remittances]

            """)
        let taxFile = dir.appendingPathComponent("tax.yaml").path
        try FileManager.default.moveItem(atPath: tax, toPath: taxFile)
        let pension = try Self.scenario(in: dir, Self.groupScenario.replacingOccurrences(of: "village", with: "remittances"))
        for command in [["scenario", "compare", taxFile, pension, "--data", data], ["assess", taxFile, pension, "--data", data]] {
            let r = runSimrun(command)
            #expect(r.status == 65, "\(command[0]): \(r.stderr)")
            #expect(r.stderr.hasPrefix("simrun: error: \(data) (remittances): variable 'remittances' is read as "), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }
}
