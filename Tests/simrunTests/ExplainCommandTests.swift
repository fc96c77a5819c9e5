import Foundation
import Scenarios
import SimKernel
import Testing
@testable import simrun

/// `simrun household` and `simrun scenario explain`: one household's trace,
/// as a table and as JSON, with the kernel's numbers.
@Suite("simrun household and simrun scenario explain")
struct ExplainCommandTests {
    /// A couple (a formal employee earning 700, an informal worker earning 150) and children of 4 and 1.
    static let family = """
        name: a couple with two young children
        household:
          - {age: 40, sex: 1, labour_status: 1, earnings: 700}
          - {age: 36, sex: 2, labour_status: 2, earnings: 150}
          - {age: 4, sex: 2}
          - {age: 1, sex: 1}
        """

    func write(_ text: String, _ name: String = "household.yaml") throws -> URL {
        let url = try makeScratchDirectory("explain").appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The 1-based line of `file` (under the package root) holding `text` after the line holding `after`.
    func line(of text: String, after: String, in file: String) throws -> Int {
        let lines = try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.contains(after) })
        return try #require(lines[start...].firstIndex { $0.contains(text) }) + 1
    }

    @Test("the table shows members as columns, each component's income, parameters with file and line, amounts and the poverty status")
    func householdTable() throws {
        let file = try write(Self.family)
        let run = runSimrun(["household", file.path, "--scenario", exampleScenario])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout
        #expect(out.contains("Household 'a couple with two young children' of \(file.path): 4 members"))
        #expect(out.contains("BASELINE: current_law") && out.contains("REFORM: "))
        // Hand-worked (docs/explain.md): contribution 7% of 700 = 49; tax 15% of (700 - 500) = 30;
        // grant 30 for each of the children of 4 and 1; baseline 850 - 49 - 30 = 771, reform 831.
        let rows = out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains("amount 49.00 0.00 0.00 0.00 49.00"))
        #expect(rows.contains("amount 30.00 0.00 0.00 0.00 30.00"))
        #expect(rows.contains("amount 0.00 0.00 30.00 30.00 60.00"))
        #expect(rows.contains("income after 621.00 150.00 30.00 30.00 831.00"))
        #expect(rows.contains("age 40 36 4 1"))
        #expect(rows.contains("disposable income 771.00") && rows.contains("disposable income 831.00"))
        #expect(rows.contains("per-capita income 207.75"))
        #expect(rows.contains("disposable income 60.00"))  // the change
        #expect(rows.contains("poor no -> no"))
        let amountLine = try line(of: "2025-01-01: 30", after: "amount_per_child:", in: exampleScenario)
        #expect(out.contains("amount_per_child = 30  [\(exampleScenario):\(amountLine) (in force from 2025-01-01)]"))
        #expect(out.contains("take_up_rate = 1  [default]"))
    }

    @Test("numbers read as written: no trailing dot, no minus zero (0.07 × 700 is 49.00000000000001)")
    func plainNumbers() {
        #expect(HouseholdExplanation.plain(0.07 * 700) == "49")
        #expect(HouseholdExplanation.plain(-1e-9) == "0")
        #expect(HouseholdExplanation.plain(1e-7) == "0")
        #expect(HouseholdExplanation.plain(0.5) == "0.5")
        #expect(HouseholdExplanation.plain(-2.25) == "-2.25")
        #expect(HouseholdExplanation.plain(30) == "30")
    }

    @Test("a rule that overflows is an error naming the scenario, the component and the household, never a printed infinity (exit 65)")
    func overflow() throws {
        let scenario = try write("""
            title: overflow
            baseline: \(packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path)
            year: 2025
            poverty_line: 150
            components:
              - name: grant
                declare: {kind: benefit, amount: 1e308 * 10}
            """, "overflow.yaml")
        let household = try write(Self.family)
        let run = runSimrun(["household", household.path, "--scenario", scenario.path])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(scenario.path) && run.stderr.contains("component 'grant'") && run.stderr.contains("household 1"), "\(run.stderr)")
    }

    @Test("JSON gives every member's amounts, the household's, the parameters' sources and disposable income")
    func householdJSON() throws {
        let file = try write(Self.family)
        let run = runSimrun(["household", file.path, "--scenario", exampleScenario, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let root = try parseJSONObject(run.stdout)
        let systems = try #require(root["systems"] as? [[String: Any]])
        #expect(systems.map { $0["role"] as? String } == ["baseline", "reform"])
        #expect(try number(systems[0], "disposable_income") == 771 && number(systems[1], "disposable_income") == 831)
        #expect(systems[1]["poor"] as? Bool == false)
        let components = try #require(systems[1]["components"] as? [[String: Any]])
        #expect(components.map { $0["name"] as? String } == ["employee_contribution", "personal_income_tax", "universal_child_grant"])
        let grant = components[2]
        #expect((grant["amounts"] as? [NSNumber])?.map(\.doubleValue) == [0, 0, 30, 30])
        #expect((grant["income_before"] as? [NSNumber])?.map(\.doubleValue) == [621, 150, 0, 0])
        #expect(try number(grant, "household_amount") == 60)
        #expect(grant["steps"] is NSNull)  // a built-in module does not explain itself
        let parameters = try #require(grant["parameters"] as? [[String: Any]])
        let amount = try #require(parameters.first { $0["key"] as? String == "amount_per_child" })
        let source = try #require(amount["source"] as? [String: Any])
        #expect(source["file"] as? String == exampleScenario)
        #expect(try number(source, "line") == Double(line(of: "2025-01-01: 30", after: "amount_per_child:", in: exampleScenario)))
        #expect(parameters.first { $0["key"] as? String == "take_up_rate" }?["source"] as? String == "default")
        let household = try #require(root["household"] as? [String: Any])
        #expect(try number(household, "id") == 1 && number(household, "members") == 4)
    }

    @Test("--system explains one system; a variable no member gives is 0")
    func systemAlone() throws {
        let file = try write("- {age: 40, labour_status: 1, earnings: 1000}\n")
        let run = runSimrun(["household", file.path, "--system", "inputs/systems/current_law.yaml", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let systems = try #require(try parseJSONObject(run.stdout)["systems"] as? [[String: Any]])
        #expect(systems.count == 1 && systems[0]["role"] as? String == "system")
        // 1000 - 7% contribution (70) - 15% of 500 (75).
        #expect(try number(systems[0], "disposable_income") == 855)
        #expect(systems[0]["poor"] is NSNull)
    }

    @Test("a member who does not give months_since_birth has none (-1), not a birth last month (0)")
    func noneValues() throws {
        let file = try write("- {age: 30, sex: 2, labour_status: 1, earnings: 600, months_since_birth: 2}\n- {age: 33, sex: 1}\n")
        let run = runSimrun(["household", file.path, "--scenario", "inputs/scenarios/maternity-benefit.yaml", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let systems = try #require(try parseJSONObject(run.stdout)["systems"] as? [[String: Any]])
        let components = try #require(systems[1]["components"] as? [[String: Any]])
        let variables = try #require(components.last?["variables"] as? [[String: Any]])
        let births = try #require(variables.first { $0["name"] as? String == "months_since_birth" })
        #expect((births["values"] as? [NSNumber])?.map(\.doubleValue) == [2, -1])
    }

    @Test("a declared rule's steps are printed with the expression's file, line and column")
    func declaredRuleSteps() throws {
        // Rural (no member urban), a child under 5, income so far 200 / 2 = 100 a head, below the line of 150:
        // eligible; the grant is 10% of the line, 15, paid to the head.
        let file = try write("- {age: 30, sex: 2, labour_status: 2, earnings: 200}\n- {age: 2, sex: 1}\n")
        let scenario = "inputs/scenarios/rural-under5-grant.yaml"
        let run = runSimrun(["household", file.path, "--scenario", scenario, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let systems = try #require(try parseJSONObject(run.stdout)["systems"] as? [[String: Any]])
        let grant = try #require((systems[1]["components"] as? [[String: Any]])?.first { $0["name"] as? String == "rural_under5_grant" })
        #expect((grant["amounts"] as? [NSNumber])?.map(\.doubleValue) == [15, 0])
        let steps = try #require(grant["steps"] as? [[String: Any]])
        let eligible = try #require(steps.first { $0["label"] as? String == "eligible" })
        #expect(eligible["condition"] as? Bool == true && eligible["values"] as? [Bool] == [true])
        let text = try String(contentsOf: packageRoot.appendingPathComponent(scenario), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(text.firstIndex { $0.contains("eligible: not any(urban)") })
        let column = try #require(text[row].range(of: "not any")).lowerBound.utf16Offset(in: text[row]) + 1
        let location = try #require(eligible["location"] as? [String: Any])
        #expect(location["file"] as? String == scenario)
        #expect(try number(location, "line") == Double(row + 1) && number(location, "column") == Double(column))
        let table = runSimrun(["household", file.path, "--scenario", scenario]).stdout
        #expect(table.contains("    eligible: \(text[row].split(separator: ":", maxSplits: 1)[1].dropFirst())  [\(scenario):\(row + 1):\(column)]"),
                "\(table)")
    }

    @Test("the table samples in docs/explain.md are the commands' output (to refresh: paste the output of the commands the page names)")
    func docsSamples() throws {
        let page = try String(contentsOf: packageRoot.appendingPathComponent("docs/explain.md"), encoding: .utf8)
        let samples = page.components(separatedBy: "```text\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        #expect(samples.count == 2)
        let outputs = [
            runSimrun(["household", "inputs/households/couple-two-children.yaml", "--scenario", exampleScenario]).stdout,
            runSimrun(["household", "inputs/households/rural-mother-and-child.yaml", "--scenario", "inputs/scenarios/rural-under5-grant.yaml"]).stdout,
        ]
        for (sample, output) in zip(samples, outputs) {
            for part in sample.components(separatedBy: "\n  ...\n") where !part.isEmpty {
                #expect(output.contains(part), "docs/explain.md shows a table the command no longer prints:\n\(part)")
            }
        }
    }

    @Test("a survey household's amounts are the kernel's, bit for bit, with the run's seed (take-up draws included)",
          arguments: [("inputs/scenarios/child-grant-targeted.yaml", UInt64(1)), ("inputs/scenarios/means-tested-transfer.yaml", 7),
                      ("inputs/scenarios/social-pension.yaml", 3)])
    func surveyHousehold(scenarioFile: String, seed: UInt64) throws {
        let scenario = try ScenarioDefinition(file: packageRoot.appendingPathComponent(scenarioFile).path, catalog: ScenarioCatalog.standard)
        let population = try SurveyLoader().load(file: packageRoot.appendingPathComponent(exampleData).path,
                                                 variables: ScenarioRun.variables(of: scenario))
        var simulator = Simulator()
        simulator.keepComponentColumns = true
        let outcomes = simulator.run([scenario.baseline, scenario.reform], on: population,
                                     context: RunContext(seed: seed, year: scenario.year))
        // Households the reform pays and households it does not.
        let paid = (0..<population.householdCount).filter { outcomes[1].disposableIncome[$0] != outcomes[0].disposableIncome[$0] }
        let unpaid = (0..<population.householdCount).filter { outcomes[1].disposableIncome[$0] == outcomes[0].disposableIncome[$0] }
        for h in Array(paid.prefix(3)) + Array(unpaid.prefix(2)) {
            let id = population.householdID[h]
            let run = runSimrun(["scenario", "explain", scenarioFile, "--household", String(id), "--seed", String(seed), "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let systems = try #require(try parseJSONObject(run.stdout)["systems"] as? [[String: Any]])
            for (s, outcome) in outcomes.enumerated() {
                #expect(try number(systems[s], "disposable_income").bitPattern == outcome.disposableIncome[h].bitPattern,
                        "\(scenarioFile) household \(id) \(systems[s]["role"] ?? "")")
                let components = try #require(systems[s]["components"] as? [[String: Any]])
                for (c, kernel) in outcome.components.enumerated() {
                    #expect(try number(components[c], "household_amount").bitPattern == kernel.amount[h].bitPattern,
                            "\(scenarioFile) household \(id) \(kernel.name)")
                }
            }
            let household = try #require(try parseJSONObject(run.stdout)["household"] as? [String: Any])
            #expect(try number(household, "id") == Double(id) && number(household, "members") == Double(population.persons(of: h).count))
            // The table shows the JSON's figures: each system's disposable income, then the change.
            let table = runSimrun(["scenario", "explain", scenarioFile, "--household", String(id), "--seed", String(seed)]).stdout
            let shown = table.split(separator: "\n").filter { $0.hasPrefix("disposable income") }.map { String($0.split(separator: " ").last!) }
            let b = try number(systems[0], "disposable_income"), r = try number(systems[1], "disposable_income")
            #expect(shown == [b, r, r - b].map(HouseholdExplanation.money), "\(table)")
        }
        #expect(!paid.isEmpty)
    }

    @Test("the table of a survey household names it, its data file and has one column per member")
    func surveyTable() throws {
        let population = try SurveyLoader().load(file: packageRoot.appendingPathComponent(exampleData).path, variables: [])
        let h = try #require((0..<population.householdCount).first { population.persons(of: $0).count == 5 })
        let id = population.householdID[h]
        let run = runSimrun(["scenario", "explain", exampleScenario, "--household", String(id)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Household \(id) of \(exampleData): 5 members"))
        #expect(run.stdout.contains("member 5  household") && !run.stdout.contains("member 6"))
    }

    @Test("an unknown household id names the id and the data file (exit 65)")
    func unknownID() {
        let run = runSimrun(["scenario", "explain", exampleScenario, "--household", "987654321"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("987654321") && run.stderr.contains(exampleData), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a bad household file names the file, line and key (exit 65, nothing on standard output)", arguments: [
        ("household:\n  - {age: 40, earnigns: 100}\n", 2, "did you mean 'earnings'?"),
        ("- {age: 40, earnings: 100}\n- {age: 400}\n", 2, "not valid data: 400 in column 'age' is out of range"),
        ("household:\n  - {age: 40}\n  - {age: 400}\n", 3, "(household[1].age)"),
        ("- {age: 40, weight: 2}\n", 1, "weight is set by simrun"),
        ("household:\n  - {age: 40, sex: 1}\n  - {age: 3}\n", 3, "(household[1].sex): the household of"),
        ("household:\n  - {age: 40, sex: 1}\n  - {age: 3}\n", 3, "the member does not give sex, so it is 0: give it"),
        ("- {age: 40, earnings: abc}\n", 1, "expected a number"),
        ("name: x\nmembers: []\n", 2, "unknown key 'members'"),
        ("[]\n", 1, "the household has no member"),
        (String(repeating: "- {age: 1}\n", count: 1001), 1, "the household lists 1001 members; at most 1000"),
    ])
    func badHousehold(text: String, line: Int, message: String) throws {
        let file = try write(text)
        let run = runSimrun(["household", file.path, "--scenario", exampleScenario])
        #expect(run.status == 65)
        #expect(run.stderr.contains("\(file.path):\(line)") && run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("the command line needs exactly one of --scenario and --system, and a whole-number --household (exit 64)", arguments: [
        ["household", "x.yaml"], ["household", "x.yaml", "--scenario", exampleScenario, "--system", "inputs/systems/current_law.yaml"],
        ["scenario", "explain", exampleScenario], ["scenario", "explain", exampleScenario, "--household", "abc"],
        ["household", "x.yaml", "--scenario", exampleScenario, "--format", "csv"],
    ])
    func badCommandLine(args: [String]) {
        let run = runSimrun(args)
        #expect(run.status == 64, "\(run.stderr)")
    }

    @Test("a missing household file is exit 66")
    func missingFile() {
        #expect(runSimrun(["household", "no-such-household.yaml", "--scenario", exampleScenario]).status == 66)
    }

    @Test("a rule's own steps are shown: label, expression, file:line:column, conditions as true/false, amounts per member")
    func ruleSteps() throws {
        let members = try HouseholdMembers.read(YAMLNode.parse("- {age: 40, earnings: 1000}\n- {age: 3}\n", file: "h.yaml"))
        let system = TaxBenefitSystem(name: "test", title: "test", source: nil, marketIncome: ["earnings"], components: [
            TaxBenefitSystem.Component(name: "half", moduleName: HalfOfIncome.name, module: HalfOfIncome(), parameters: [:]),
        ])
        let population = try members.population(variables: system.variables, describedAs: "the household")
        let explanation = try HouseholdExplanation(origin: .file("h.yaml", name: nil), rules: .system(system), year: nil,
                                               population: population, household: 0, seed: 1)
        let table = explanation.render(.table)
        let rows = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(rows.contains("has income: income > 0 [rules.yaml:4:17]"), "\(table)")
        #expect(rows.contains("= true false"))
        // An expression is printed whole, however long (the analyst's own text).
        #expect(rows.contains("amount: income / 2 + 0 * (income - income) + 0 * (income - income) + 0 * income [rules.yaml:5:17]"), "\(table)")
        #expect(rows.contains("= 500 0"))
        #expect(rows.contains("disposable income 1500.00"))
        let json = try parseJSONObject(explanation.render(.json))
        let component = try #require((json["systems"] as? [[String: Any]])?.first?["components"] as? [[String: Any]]).first
        let steps = try #require(component?["steps"] as? [[String: Any]])
        #expect(steps.count == 2)
        #expect(steps[0]["condition"] as? Bool == true && steps[0]["values"] as? [Bool] == [true, false])
        #expect(steps[0]["level"] as? String == "person" && steps[0]["expression"] as? String == "income > 0")
        let location = try #require(steps[0]["location"] as? [String: Any])
        #expect(try location["file"] as? String == "rules.yaml" && number(location, "line") == 4 && number(location, "column") == 17)
        #expect((steps[1]["values"] as? [NSNumber])?.map(\.doubleValue) == [500, 0])
    }
}

/// A benefit of half each member's running income, whose rule explains itself.
private struct HalfOfIncome: PolicyModule {
    static let name = "half_of_income"
    static let summary = "half of each member's income (a test of tracing)"
    static let parameters: [ParameterSpec] = []
    let kind = ComponentKind.benefit
    init() {}
    init(parameters: ResolvedParameters) throws {}
    var variables: [VariableRequest] { [] }
    func bind(to population: Population, context: RunContext) -> any HouseholdRule { Rule() }

    struct Rule: TracingRule {
        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for i in 0..<household.size { amounts[i] = household.income[i] / 2 }
        }

        func trace(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) -> [RuleTraceStep] {
            apply(batch: batch, amounts: amounts)
            let income = Array(batch.frame(batch.households.lowerBound).income)
            return [
                RuleTraceStep(label: "has income", expression: "income > 0", location: RuleLocation(file: "rules.yaml", line: 4, column: 17),
                              isCondition: true, level: .person, values: income.map { $0 > 0 ? 1 : 0 }),
                RuleTraceStep(label: "amount", expression: "income / 2 + 0 * (income - income) + 0 * (income - income) + 0 * income", location: RuleLocation(file: "rules.yaml", line: 5, column: 17),
                              level: .person, values: income.map { $0 / 2 }),
            ]
        }
    }
}
