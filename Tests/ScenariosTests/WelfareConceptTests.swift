import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The scenario's `welfare:` key (docs/welfare.md): consumption plus net
/// transfers, deflators, area poverty lines, household-level files.
@Suite("Welfare concept")
struct WelfareConceptTests {
    /// A scenario on the household_survey baseline adding a transfer of 40 a
    /// month to rural households, with `welfare` (YAML lines indented by two spaces).
    static func scenario(_ welfare: String) throws -> ScenarioDefinition {
        let text = """
            title: welfare test
            baseline: household_survey
            year: 2025
            poverty_line: 100
            welfare:
            \(welfare)
            components:
              - name: rural_transfer
                declare:
                  kind: benefit
                  unit: household
                  parameters:
                    transfer: {unit: currency_per_month, value: 40}
                  eligible: not any(urban)
                  amount: transfer
            """
        let root = try YAMLNode.parse(text, file: TestHouseholds.path("inputs/scenarios/welfare-test.yaml"))
        return try ScenarioDefinition(root: root, catalog: ScenarioCatalog.standard)
    }

    /// Four households, one row each: weight, urban, persons, monthly consumption, price index.
    static let households: [(weight: Double, urban: Int, size: Int, consumption: Double, index: Double)] = [
        (10, 0, 2, 80, 0.8), (20, 1, 1, 90, 1.0), (5, 0, 4, 200, 1.25), (15, 1, 3, 480, 1.0),
    ]

    /// The households as a CSV file, one row per household (`expanded` false,
    /// with `hsize`) or one row per person (true).
    static func file(expanded: Bool) throws -> String {
        var text = "hh_id,person_id,weight,urban,hsize,other_income,consumption,price_index\n"
        var person = 0
        for (h, x) in households.enumerated() {
            for _ in 0..<(expanded ? x.size : 1) {
                person += 1
                text += "\(h + 1),\(person),\(x.weight),\(x.urban),\(x.size),0,\(x.consumption),\(x.index)\n"
            }
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("welfare-\(expanded)-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let areaWelfare = """
          concept: consumption
          variable: consumption
          mpc: 0.5
          household_size: hsize
          deflator: {variable: price_index}
          lines: {variable: urban, values: {0: 60, 1: 100}}
        """

    static func run(_ scenario: ScenarioDefinition, file: String) throws -> (ScenarioRun, Population) {
        let population = try SurveyLoader().load(file: file, variables: ScenarioRun.variables(of: scenario))
        let run = ScenarioRun(scenario: scenario, population: population)
        try run.requireFiniteResults(population: population)
        return (run, population)
    }

    @Test("FGT 0-2 with area lines, a deflator and mpc 0.5 equal a hand computation")
    func handComputation() throws {
        let scenario = try Self.scenario(Self.areaWelfare)
        let (run, _) = try Self.run(scenario, file: try Self.file(expanded: false))
        // Hand computation. Persons w × hsize: 20, 20, 20, 45 (105 in all).
        // Baseline welfare C / n / d: 80/2/0.8 = 50 (rural line 60: poor, gap 1/6),
        // 90 (urban line 100: poor, gap 0.1), 200/4/1.25 = 40 (rural: poor, gap 1/3), 160 (not poor).
        // Reform: rural households get 40, of which mpc 0.5 is consumed: (80+20)/2/0.8 = 62.5 (not poor),
        // (200+20)/4/1.25 = 44 (poor, gap 16/60); the urban households do not change.
        let W = 105.0
        let expected: [(Double, Double)] = [
            (run.baseline.fgt0, 60 / W), (run.baseline.fgt1, (20.0 / 6 + 2 + 20.0 / 3) / W),
            (run.baseline.fgt2, (20.0 / 36 + 0.2 + 20.0 / 9) / W),
            (run.reform.fgt0, 40 / W), (run.reform.fgt1, (2 + 20 * 16.0 / 60) / W),
            (run.reform.fgt2, (0.2 + 20 * (16.0 / 60) * (16.0 / 60)) / W),
            (run.baseline.weightedPersons, W),
        ]
        for (got, want) in expected { #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "got \(got), expected \(want)") }
        // The mean is of welfare on the reference line's scale (z / z_a: rural welfare × 100/60).
        let mean = (20 * 50 * 100.0 / 60 + 20 * 90 + 20 * 40 * 100.0 / 60 + 45 * 160) / W
        #expect(abs(run.baseline.meanIncome - mean) <= 1e-12 * mean)
        #expect(run.welfare != nil)
    }

    @Test("the poverty gap in money is in the households' own money: shortfalls to the area line before deflation")
    func moneyGap() throws {
        let (run, _) = try Self.run(try Self.scenario(Self.areaWelfare), file: try Self.file(expanded: false))
        let welfare = try #require(run.welfare)
        let p = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(100)]), design: SurveyDesign(units: 4)).profile(of: welfare.baseline)
        // By hand: household h needs z_a × n × d a month: 60 × 2 × 0.8 = 96 (has 80: short 16),
        // 100 × 1 × 1 = 100 (has 90: short 10), 60 × 4 × 1.25 = 300 (has 200: short 100), the fourth is not poor.
        // Weighted: 10 × 16 + 20 × 10 + 5 × 100 = 860 a month, 10,320 a year.
        #expect(abs(p.value(.povertyGapMoney(line: 0)) - 10_320) <= 1e-9)
    }

    @Test("one row per household with household_size gives the same poverty figures as one row per person")
    func householdRowsEqualPersonRows() throws {
        let perHousehold = try Self.run(try Self.scenario(Self.areaWelfare), file: try Self.file(expanded: false)).0
        let persons = try Self.scenario(Self.areaWelfare.replacingOccurrences(of: "  household_size: hsize\n", with: ""))
        #expect(persons.welfare.householdSize == nil)
        let perPerson = try Self.run(persons, file: try Self.file(expanded: true)).0
        for (a, b) in [(perHousehold.baseline, perPerson.baseline), (perHousehold.reform, perPerson.reform)] {
            for (x, y) in [(a.fgt0, b.fgt0), (a.fgt1, b.fgt1), (a.fgt2, b.fgt2), (a.gini, b.gini), (a.meanIncome, b.meanIncome),
                           (a.weightedPersons, b.weightedPersons)] {
                #expect(abs(x - y) <= 1e-12 * max(1, abs(y)), "\(x) vs \(y)")
            }
        }
    }

    @Test("the example consumption scenarios give the same poverty figures on household rows and person rows")
    func exampleFiles() throws {
        func load(_ name: String) throws -> ScenarioRun {
            let s = try ScenarioDefinition(file: TestHouseholds.path("inputs/scenarios/consumption/\(name).yaml"), catalog: ScenarioCatalog.standard)
            return try Self.run(s, file: try s.dataFile(given: nil)!).0
        }
        let a = try load("rural-household-transfer-consumption"), b = try load("rural-household-transfer-consumption-persons")
        for (x, y) in [(a.change.fgt0, b.change.fgt0), (a.baseline.fgt1, b.baseline.fgt1), (a.reform.fgt2, b.reform.fgt2),
                       (a.reform.gini, b.reform.gini), (a.baseline.weightedPersons, b.baseline.weightedPersons)] {
            #expect(abs(x - y) <= 1e-12 * max(1, abs(y)), "\(x) vs \(y)")
        }
        #expect(a.baseline.fgt0 > 0 && a.change.fgt0 < 0)
    }

    @Test("without welfare: the scenario's concept is the default and no welfare is computed apart")
    func defaultConcept() throws {
        let s = try ScenarioDefinition(file: TestHouseholds.path("inputs/scenarios/universal-child-grant.yaml"), catalog: ScenarioCatalog.standard)
        #expect(s.welfare.isDefault)
        #expect(ScenarioRun.variables(of: s).count == ScenarioRun.systemVariables(of: s).count)
    }

    @Test("a household whose area has no line is an error naming the data line, the code and the scenario key")
    func missingAreaLine() throws {
        let s = try Self.scenario(Self.areaWelfare.replacingOccurrences(of: "{0: 60, 1: 100}", with: "{0: 60}"))
        let file = try Self.file(expanded: false)
        let population = try SurveyLoader().load(file: file, variables: ScenarioRun.variables(of: s))
        let run = ScenarioRun(scenario: s, population: population)
        do {
            try run.requireFiniteResults(population: population)
            Issue.record("no error")
        } catch let e as InputError {
            #expect(e.line == 3 && e.field == "urban" && e.kind == .badValue)
            #expect(e.description.contains("no poverty line") && e.description.contains("welfare.lines.values"))
        }
    }

    @Test("an area code that differs between members of a household is an error naming the line")
    func codeDiffersBetweenMembers() throws {
        let s = try Self.scenario(Self.areaWelfare.replacingOccurrences(of: "  household_size: hsize\n", with: ""))
        var text = try String(contentsOfFile: try Self.file(expanded: true), encoding: .utf8)
        // The second member of household 1 (line 3) is urban, the first rural.
        var lines = text.split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",10.0,0,", with: ",10.0,1,")
        text = lines.joined(separator: "\n") + "\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("welfare-mixed-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let population = try SurveyLoader().load(file: url.path, variables: ScenarioRun.variables(of: s))
        let run = ScenarioRun(scenario: s, population: population)
        #expect(throws: InputError.self) { try run.requireFiniteResults(population: population) }
        do {
            try run.requireFiniteResults(population: population)
        } catch let e as InputError {
            #expect(e.line == 3 && e.field == "urban" && e.kind == .inconsistent)
            #expect(e.description.contains("needs the same code on every member"))
        }
    }

    @Test("bad welfare values are errors naming the line and key", arguments: [
        ("  concept: income", "concept: expected disposable_income or consumption", 6),
        ("  concept: consumption", "needs 'variable'", 6),
        ("  concept: consumption\n  variable: c\n  mpc: 1.5", "mpc: expected a marginal propensity to consume from 0 to 1", 8),
        ("  concept: consumption\n  variable: c\n  period: week", "period: expected month or year", 8),
        ("  concept: disposable_income\n  mpc: 0.5", "'mpc' belongs to 'concept: consumption'", 7),
        ("  per: household", "per: expected capita or adult_equivalent", 6),
        ("  per: adult_equivalent\n  household_size: hsize", "cannot count children", 7),
        ("  lines: {variable: urban, values: {0: 0, 1: 100}}", "poverty line of code 0: expected a number > 0", 6),
        ("  lines: {variable: urban, values: {rural: 90}}", "is not a code", 6),
        ("  lines: {variable: urban}", "lines needs 'values'", 6),
        ("  deflator: {values: {1: 1}}", "deflator needs 'variable'", 6),
        ("  welfare_concept: consumption", "unknown key 'welfare_concept'", 6),
    ])
    func badValues(_ welfare: String, _ message: String, _ line: Int) throws {
        do {
            _ = try Self.scenario(welfare)
            Issue.record("no error for \(welfare)")
        } catch let e as InputError {
            #expect(e.description.contains(message), "\(e.description)")
            #expect(e.line == line, "\(e.description)")
        }
    }
}

/// The example consumption scenarios against R (Tests/Reference/welfare_reference.R,
/// survey::svymean and laeken::gini on the definitions of docs/welfare.md).
@Suite("Welfare concept: R reference")
struct WelfareReferenceTests {
    static func reference() throws -> [String: [String: Double]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestHouseholds.path("Tests/Fixtures/welfare/reference.json")))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: [String: Double]]
        return try #require(object)
    }

    @Test("FGT 0-2, mean and Gini with area lines and a deflator equal R's to 1e-12 (refresh: Rscript Tests/Reference/welfare_reference.R)",
          arguments: [("rural-household-transfer-consumption", "per_capita"), ("rural-household-transfer-consumption-mpc", "mpc")])
    func againstR(_ scenario: String, _ key: String) throws {
        let reference = try Self.reference()
        let s = try ScenarioDefinition(file: TestHouseholds.path("inputs/scenarios/consumption/\(scenario).yaml"), catalog: ScenarioCatalog.standard)
        let run = try WelfareConceptTests.run(s, file: try s.dataFile(given: nil)!).0
        for (system, indicators) in [("baseline", run.baseline), ("reform", run.reform)] {
            let r = try #require(reference["\(key)_\(system)"])
            let got: [String: Double] = ["fgt0": indicators.fgt0, "fgt1": indicators.fgt1, "fgt2": indicators.fgt2,
                                         "mean": indicators.meanIncome, "gini": indicators.gini, "persons": indicators.weightedPersons]
            for (name, value) in got {
                let want = try #require(r[name])
                #expect(abs(value - want) <= 1e-12 * max(1, abs(want)), "\(scenario) \(system) \(name): \(value) vs R \(want)")
            }
        }
    }
}
