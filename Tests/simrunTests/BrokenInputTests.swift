import Foundation
import Testing

/// Checks that `simrun` rejects a defective input with exit status `status` (65), nothing
/// on standard output, and one message on standard error that starts with
/// `simrun: error: FILE:LINE (FIELD): ` and contains `mentions`.
///
/// - Parameters:
///   - arguments: The arguments after `simrun scenario run`.
///   - file: The file the message must name, as given on the command line.
///   - line: The 1-based line the message must name, or `nil` for none.
///   - field: The CSV column or YAML key path the message must name, or `nil` for none.
///   - mentions: Text the message must contain (what is wrong, what was expected).
///   - status: The exit status: 65 bad data, 66 an input that does not exist.
func expectBadInput(
    _ arguments: [String], file: String, line: Int?, field: String?, mentions: [String], status: Int32 = 65,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let result = runSimrun(["scenario", "run"] + arguments)
    #expect(result.status == status, "exit status; stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)", sourceLocation: sourceLocation)
    var location = file
    if let line { location += ":\(line)" }
    if let field { location += " (\(field))" }
    let prefix = "simrun: error: \(location): "
    #expect(result.stderr.hasPrefix(prefix), "expected stderr to start with '\(prefix)', got: \(result.stderr)",
            sourceLocation: sourceLocation)
    for text in mentions {
        #expect(result.stderr.contains(text), "'\(text)' not in stderr: \(result.stderr)", sourceLocation: sourceLocation)
    }
}

/// One broken survey file per defect (`Tests/Fixtures/broken/*.csv`), run with
/// the example scenario. Line 1 is the header; the fixtures' README lists
/// each defect and its line.
@Suite("simrun: a broken survey file exits 65, naming file, line and column")
struct BrokenSurveyTests {
    static func run(_ fixture: String, line: Int?, field: String?, mentions: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let file = "Tests/Fixtures/broken/\(fixture)"
        expectBadInput([exampleScenario, "--data", file], file: file, line: line, field: field, mentions: mentions,
                       sourceLocation: sourceLocation)
    }

    @Test("a missing required column is named on line 1 with the module that needs it")
    func missingColumn() {
        // missing-column.csv has no 'age' column; universal_child_grant reads age.
        Self.run("missing-column.csv", line: 1, field: nil,
                 mentions: ["missing required column", "'age'", "universal_child_grant", "--columns"])
    }

    @Test("a non-numeric value in a numeric column names line 4 and column earnings")
    func nonNumeric() {
        // Line 4: household 2's first member has earnings 'abc'.
        Self.run("non-numeric-value.csv", line: 4, field: "earnings",
                 mentions: ["'abc'", "is not a number", "expected a number"])
    }

    @Test("an empty value in a numeric column names line 5 and column earnings")
    func emptyValue() {
        // Line 5: household 2's second member has an empty earnings field.
        Self.run("empty-value.csv", line: 5, field: "earnings", mentions: ["empty value", "expected a number"])
    }

    @Test("a negative weight names line 4, the household's first row")
    func negativeWeight() {
        // Lines 4 and 5 (household 2) have weight -50; the first is reported.
        Self.run("negative-weight.csv", line: 4, field: "weight", mentions: ["-50", "out of range", "> 0"])
    }

    @Test("a zero weight names line 6")
    func zeroWeight() {
        // Line 6: household 3 (one member) has weight 0; weights must be > 0.
        Self.run("zero-weight.csv", line: 6, field: "weight", mentions: ["0 in column 'weight'", "out of range", "> 0"])
    }

    @Test("an age of 131 names line 3 and the valid range 0 to 130")
    func ageAbove130() {
        Self.run("age-above-130.csv", line: 3, field: "age", mentions: ["131", "from 0 to 130"])
    }

    @Test("an age of -1 names line 5 and the valid range 0 to 130")
    func negativeAge() {
        Self.run("age-negative.csv", line: 5, field: "age", mentions: ["-1", "from 0 to 130"])
    }

    @Test("a household whose members are not adjacent is named where it reappears, line 5")
    func householdNotAdjacent() {
        // Household 1 is on lines 2 and 5, household 2 on lines 3-4 between them.
        Self.run("household-not-adjacent.csv", line: 5, field: "hh_id",
                 mentions: ["household 1 appears again", "line 2", "adjacent"])
    }

    @Test("a weight that differs within a household names line 5 and the first member's line 4")
    func weightDiffers() {
        // Household 2: weight 50 on line 4, 55 on line 5.
        Self.run("weight-differs-in-household.csv", line: 5, field: "weight",
                 mentions: ["55", "50", "line 4", "same on every member"])
    }

    @Test("a duplicate person id names its second line 6 and its first line 4")
    func duplicatePersonID() {
        // Person id 3 is on line 4 (household 2) and line 6 (household 3).
        Self.run("duplicate-person-id.csv", line: 6, field: "person_id",
                 mentions: ["person id 3 appears twice", "lines 4 and 6", "unique"])
    }

    @Test("an empty file (0 bytes) is named and a header line is asked for")
    func emptyFile() {
        Self.run("empty.csv", line: nil, field: nil, mentions: ["empty", "header line"])
    }

    @Test("a file with only a header names line 2 and asks for data rows")
    func headerOnly() {
        Self.run("header-only.csv", line: 2, field: nil, mentions: ["no data rows"])
    }

    @Test("a row missing its last field names line 4 and both field counts")
    func tooFewFields() {
        // Line 4 has 12 fields (no 'disabled'); the header has 13.
        Self.run("too-few-fields.csv", line: 4, field: nil, mentions: ["12 fields", "header has 13"])
    }

    @Test("a row missing a middle field is reported as too few fields, not as a shifted value out of range")
    func tooFewFieldsInTheMiddle() {
        // Line 4 lacks its 'urban' value, so every later value sits one column to the left
        // (labour_status would read earnings' 300). The defect is the field count.
        Self.run("too-few-fields-middle.csv", line: 4, field: nil, mentions: ["12 fields", "header has 13"])
    }

    @Test("a quote inside an unquoted header name names line 1, the header field and byte (it was read as 'earnings')")
    func headerQuoteInside() {
        // Line 1, field 11 is ea"rn"ings; its first quote is byte 73 of the line.
        Self.run("header-quote-inside.csv", line: 1, field: "header field 11",
                 mentions: ["byte 73 of the line", "a quote (\") inside the unquoted column name 'ea\"rn\"ings'"])
    }

    @Test("an unclosed quote in the header names line 1 (it was a field count on line 2)")
    func headerUnclosedQuote() {
        // Line 1, field 11 opens a quote at byte 71 that the line never closes.
        Self.run("header-unclosed-quote.csv", line: 1, field: "header field 11",
                 mentions: ["byte 71 of the line", "a quoted field is not closed before the end of the line"])
    }
}

/// One broken scenario or system file per defect (`Tests/Fixtures/broken/*.yaml`),
/// run on the small survey of `Tests/Fixtures/cli/`.
@Suite("simrun: a broken scenario or system file exits 65, naming file, line and key")
struct BrokenScenarioTests {
    static func run(_ fixture: String, file: String? = nil, line: Int?, field: String?, mentions: [String], status: Int32 = 65,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let scenario = "Tests/Fixtures/broken/\(fixture)"
        expectBadInput([scenario, "--data", smallData], file: file ?? scenario, line: line, field: field,
                       mentions: mentions, status: status, sourceLocation: sourceLocation)
    }

    @Test("an unknown module is named on line 6 with the closest module suggested")
    func unknownModule() {
        Self.run("unknown-module.yaml", line: 6, field: "scenario",
                 mentions: ["unknown scenario module 'universal_child_grnt'", "did you mean 'universal_child_grant'?"])
    }

    @Test("an unknown parameter is named on line 8 with the closest key suggested")
    func unknownParameter() {
        Self.run("unknown-parameter.yaml", line: 8, field: "parameters.amount_per_chld",
                 mentions: ["unknown parameter 'amount_per_chld'", "did you mean 'amount_per_child'?"])
    }

    @Test("a missing required parameter is named, located at the module's scenario or parameters line")
    func missingParameter() throws {
        // missing-parameter.yaml: line 6 'scenario: universal_child_grant', line 7 'parameters:',
        // line 8 'max_age: 17'. amount_per_child has no default. The message should point at the
        // module (line 6) or its parameters (line 7), not at the file's first key (title, line 2).
        let file = "Tests/Fixtures/broken/missing-parameter.yaml"
        let result = runSimrun(["scenario", "run", file, "--data", smallData])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("simrun: error: \(file):"))
        #expect(result.stderr.contains("needs the parameter 'amount_per_child'"))
        #expect(result.stderr.contains("currency_per_month"))
        #expect(result.stderr.hasPrefix("simrun: error: \(file):6") || result.stderr.hasPrefix("simrun: error: \(file):7"),
                "the error should be located at line 6 or 7, got: \(result.stderr)")
    }

    @Test("a parameter written as a word ('thirty') is named on line 8 as not a number")
    func wronglyTyped() {
        Self.run("wrong-type-parameter.yaml", line: 8, field: "parameters.amount_per_child",
                 mentions: ["expected a number", "'thirty'"])
    }

    @Test("a negative amount is named on its dated line 11 with the valid range")
    func negativeAmount() {
        Self.run("negative-amount.yaml", line: 11, field: "parameters.amount_per_child.values.2025-01-01",
                 mentions: ["-30 is out of range for 'amount_per_child'", "expected 0 to"])
    }

    @Test("a contribution rate above 1 is named on line 13 with the range 0 to 1")
    func rateAboveOne() {
        Self.run("rate-above-one.yaml", line: 13, field: "components[0].parameters.rate.values.2025-01-01",
                 mentions: ["1.5 is out of range for 'rate'", "0 to 1", "share"])
    }

    @Test("a baseline file that does not exist is named on line 3 with the path looked for (exit 66)")
    func missingBaseline() {
        Self.run("missing-baseline.yaml", line: 3, field: "baseline",
                 mentions: ["not found", "inputs/systems/no_such_law.yaml"], status: 66)
    }

    @Test("an anchored value reused through an alias is refused at the anchor, line 9")
    func aliasValue() {
        Self.run("alias-value.yaml", line: 9, field: "parameters.min_age", mentions: ["anchor", "column 12"])
    }

    @Test("a tagged value ('!!str 30') is refused on line 8, not read as a number")
    func taggedNumber() {
        Self.run("tagged-number.yaml", line: 8, field: "parameters.amount_per_child", mentions: ["'!!str'", "not supported"])
    }

    @Test("a key written twice is named on its second line, 10, with the first")
    func duplicateKey() {
        Self.run("duplicate-key.yaml", line: 10, field: "parameters.amount_per_child", mentions: ["appears twice", "line 8"])
    }

    @Test("a baseline that is a CSV is quoted as a short excerpt of its first line, not echoed")
    func baselineIsCSV() throws {
        let scenario = "Tests/Fixtures/broken/baseline-is-csv.yaml"
        let result = runSimrun(["scenario", "run", scenario, "--data", smallData])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("simrun: error: inputs/data/example-persons.csv:1: expected a mapping"))
        #expect(result.stderr.contains("'hh_id,person_id"))
        #expect(result.stderr.count < 300, "stderr: \(result.stderr.prefix(500))")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test("example data ('data:') that does not exist names the scenario, line 4 and the key (exit 66)")
    func missingData() {
        let scenario = "Tests/Fixtures/broken/missing-data.yaml"
        expectBadInput([scenario], file: scenario, line: 4, field: "data",
                       mentions: ["no-such-survey.csv", "does not exist", "--data"], status: 66)
        let validate = runSimrun(["scenario", "validate", scenario])
        #expect(validate.status == 66)
        #expect(validate.stderr.hasPrefix("simrun: error: \(scenario):4 (data): "))
        // With --data the scenario's own data is not needed, so not checked.
        let given = runSimrun(["scenario", "run", scenario, "--data", smallData])
        #expect(given.status == 0, "stderr: \(given.stderr)")
    }

    @Test("a dated parameter in the wrong unit is named on its unit line 9 with both units")
    func unitMismatch() {
        Self.run("unit-mismatch.yaml", line: 9, field: "parameters.amount_per_child.unit",
                 mentions: ["currency_per_month", "currency_per_year"])
    }

    @Test("a unit mismatch in the baseline system file names that file, line 10")
    func unitMismatchInSystem() {
        Self.run("broken-baseline.yaml", file: "Tests/Fixtures/broken/system-unit-mismatch.yaml",
                 line: 10, field: "components[0].parameters.rate.unit", mentions: ["'rate' is in share", "percent"])
    }

    @Test("invalid YAML is named with the line libyaml stops at, 9")
    func invalidYAML() {
        // Line 9 ('    max_age: 17') is indented under the scalar on line 8.
        Self.run("invalid-yaml.yaml", line: 9, field: nil, mentions: ["not valid YAML"])
    }
}

/// Files given on the command line that are not what the option expects,
/// and numbers out of their range.
@Suite("simrun: wrong files and out-of-range lines are named, never echoed or used")
struct WrongFileTests {
    @Test("a survey CSV given as --country is quoted as a short excerpt")
    func countryIsCSV() {
        let result = runSimrun(["scenario", "compare", exampleScenario, "inputs/scenarios/social-pension.yaml",
                                "--country", exampleData])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("simrun: error: \(exampleData):1: expected a mapping"))
        #expect(result.stderr.count < 300, "stderr: \(result.stderr.prefix(500))")
    }

    @Test("--relative-line 1e308 is a bad command line (exit 64), not an infinite line", arguments: [
        ["scenario", "run", exampleScenario, "--data", smallData, "--relative-line", "1e308"],
        ["stats", "Tests/Fixtures/eusilc/eusilc.csv", "--income", "eqIncome", "--weight", "rb050", "--relative-line", "1e308"],
    ])
    func hugeRelativeLine(arguments: [String]) {
        let result = runSimrun(arguments)
        #expect(result.status == 64, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("at most 10"))
        #expect(result.stdout.isEmpty)
    }
}
