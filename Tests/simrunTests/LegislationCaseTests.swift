import Foundation
import SimAnalysis
import SimReport
import Testing

/// `simrun test`: legislation cases as data.
@Suite("simrun test: legislation cases")
struct LegislationCaseTests {
    func write(_ text: String, _ name: String = "cases.yaml") throws -> URL {
        let dir = try makeScratchDirectory("cases")
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("every shipped case passes and the run ends with 'N passed, 0 failed'")
    func shippedCases() {
        let run = runSimrun(["test"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" passed, 0 failed"), "\(last)")
        // Every case of every file ran: as many as the files hold.
        let folder = packageRoot.appendingPathComponent("inputs/cases")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let written = files.filter { $0.hasSuffix(".yaml") }.map { name in
            ((try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "")
                .split(separator: "\n").filter { $0.hasPrefix("- name:") }.count
        }.reduce(0, +)
        #expect(written > 0)
        #expect(Int(last.split(separator: " ")[0]) == written, "\(last); the files hold \(written) cases")
    }

    @Test("a wrong expectation prints expected and computed values and exits 1")
    func failingCase() throws {
        let root = packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path
        let file = try write("""
            - name: the tax is not 80
              system: \(root)
              household:
                - {age: 40, labour_status: 1, earnings: 1000}
              expected: {personal_income_tax: 80, employee_contribution: 70}
            """)
        let run = runSimrun(["test", file.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAIL \(file.path):1 the tax is not 80"))
        #expect(run.stdout.contains("personal_income_tax: expected 80, computed 75"))
        #expect(!run.stdout.contains("employee_contribution: expected"))
        #expect(run.stdout.hasSuffix("0 passed, 1 failed\n"))
        // The command prints the library's run of the cases (LegislationCaseSuite), byte for byte.
        let suite = try LegislationCaseSuite(paths: [file.path, "inputs/cases"])
        #expect(suite.failures.count == 1 && suite.passed > 0)
        #expect(suite.report == runSimrun(["test", file.path, "inputs/cases"]).stdout)
    }

    @Test("a margin decides: 75.004 passes at 0.005 and fails at 0.001")
    func margins() throws {
        let root = packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path
        for (margin, status) in [("0.005", Int32(0)), ("0.001", 1)] {
            let file = try write("""
                - name: margin
                  system: \(root)
                  household:
                    - {age: 40, labour_status: 1, earnings: 1000}
                  expected: {personal_income_tax: 75.004}
                  absolute_error_margin: \(margin)
                """)
            #expect(runSimrun(["test", file.path]).status == status, "margin \(margin)")
        }
    }

    @Test("a malformed case names the file, line and key (exit 65)", arguments: [
        ("    - {age: 40, earnigns: 1000}\n  expected: {personal_income_tax: 0}", "did you mean 'earnings'?"),
        ("    - {age: 40, earnings: 1000}\n  expected: {income_tax: 0}", "(expected.income_tax): no component 'income_tax' in the system"),
        ("    - {age: 40, weight: 3}\n  expected: {personal_income_tax: 0}", "weight is set by simrun"),
        ("    - {age: 400}\n  expected: {personal_income_tax: 0}", "not valid data"),
    ])
    func malformed(body: String, message: String) throws {
        let root = packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path
        let file = try write("- name: bad\n  system: \(root)\n  household:\n\(body)\n")
        let run = runSimrun(["test", file.path])
        #expect(run.status == 65, "\(run.stdout)")
        #expect(run.stderr.contains(file.path) && run.stderr.contains(message), "\(run.stderr)")
    }
}

/// `parameters:` in a case, the case's year and the values of variables a member leaves out.
@Suite("simrun test: parameters given anew, year, variables left out")
struct LegislationCaseParameterTests {
    func write(_ text: String) throws -> String {
        let url = try makeScratchDirectory("case-parameters").appendingPathComponent("cases.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let system = packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path
    static let maternity = packageRoot.appendingPathComponent("inputs/scenarios/maternity-benefit.yaml").path

    @Test("a system's component takes the case's parameters: a schedule of 10% above 500 gives 50, not 75")
    func systemOverride() throws {
        let file = try write("""
            - name: a lower rate
              system: \(Self.system)
              parameters:
                personal_income_tax:
                  brackets:
                    unit: currency_per_month
                    values: {2020-01-01: [{threshold: 0, rate: 0}, {threshold: 500, rate: 0.1}]}
              household:
                - {age: 40, labour_status: 1, earnings: 1000}
              expected: {personal_income_tax: 50, employee_contribution: 70}
            """)
        let run = runSimrun(["test", file])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test("a scenario's parameters apply to the system named: the reform's grant of 240 a year is 20 a month")
    func scenarioOverride() throws {
        let file = try write("""
            - name: take-up 1 in the reform
              scenario: \(Self.maternity)
              parameters:
                reform:
                  maternity_benefit: {take_up_rate: 1, birth_grant: 240}
              household:
                - {age: 30, sex: 2, labour_status: 0, months_since_birth: 3}
              expected:
                baseline: {disposable_income: 0}
                reform: {maternity_benefit: 20, disposable_income: 20}
            """)
        let run = runSimrun(["test", file])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test("a bad override names the case file, its line and key (exit 65)", arguments: [
        ("parameters:\n    reform:\n      maternity_benefit: {take_up_rat: 1}", 5, "did you mean 'take_up_rate'?"),
        ("parameters:\n    reform:\n      maternity_benefits: {take_up_rate: 1}", 5, "no component 'maternity_benefits' in the reform system; did you mean 'maternity_benefit'?"),
        ("parameters:\n    baseline:\n      maternity_benefit: {take_up_rate: 1}", 5, "no component 'maternity_benefit' in the baseline system"),
        ("parameters:\n    reforms:\n      maternity_benefit: {take_up_rate: 1}", 4, "unknown key 'reforms'; did you mean 'reform'?"),
        ("parameters:\n    reform:\n      maternity_benefit: {take_up_rate: 1.5}", 5, "out of range for 'take_up_rate'"),
        ("parameters:\n    reform:\n      maternity_benefit: {maximum_amount: 50}", 5, "is below minimum_amount"),
        ("parameters:\n    reform:\n      maternity_benefit: {minimum_amount: {unit: share, values: {2025-01-01: 1}}}", 5, "'minimum_amount' is in currency_per_month"),
        ("parameters:\n    reform:\n      maternity_benefit: 1", 5, "expected a mapping"),
    ])
    func badOverride(parameters: String, line: Int, message: String) throws {
        let file = try write("""
            - name: bad parameters
              scenario: \(Self.maternity)
              \(parameters)
              household:
                - {age: 30, sex: 2}
              expected:
                reform: {maternity_benefit: 0}
            """)
        let run = runSimrun(["test", file])
        #expect(run.status == 65, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("\(file):\(line)"), "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("a system case runs in the case's year: a phase-in pays ages 0-6 in 2027, not 7")
    func systemYear() throws {
        let dir = try makeScratchDirectory("case-year")
        let system = dir.appendingPathComponent("phase-in.yaml")
        try """
            name: phase_in
            market_income: [earnings]
            components:
              - module: universal_child_grant
                parameters: {amount_per_child: 30, phase_in_start_year: 2025, phase_in_first_max_age: 4}
            """.write(to: system, atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("cases.yaml")
        try """
            - name: ages 0-6 in 2027
              system: phase-in.yaml
              year: 2027
              household:
                - {age: 30}
                - {age: 6}
                - {age: 7}
              expected: {universal_child_grant: 30}
            """.write(to: file, atomically: true, encoding: .utf8)
        let run = runSimrun(["test", file.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test("a message about a case quotes its name as a short excerpt, not a 200-character name whole")
    func longName() throws {
        let name = String(repeating: "a long name ", count: 17)
        let file = try write("""
            - name: \(name)
              system: \(Self.system)
              household:
                - {age: 400}
              expected: {personal_income_tax: 0}
            """)
        let run = runSimrun(["test", file])
        #expect(run.status == 65)
        #expect(run.stderr.contains("the household of case 'a long name"), "\(run.stderr)")
        #expect(!run.stderr.contains(name.trimmingCharacters(in: .whitespaces)), "\(run.stderr)")
    }

    @Test("a value the loader refuses is named at its member's line, and a value left out says so")
    func memberLine() throws {
        let file = try write("""
            - name: two members
              system: \(Self.system)
              household:
                - {age: 40, sex: 1}
                - {age: 30,
                   sex: 3}
              expected: {personal_income_tax: 0}
            - name: sex left out
              system: \(Self.system)
              household:
                - {age: 40, sex: 1}
                - {age: 30}
              expected: {personal_income_tax: 0}
            """)
        let run = runSimrun(["test", file])
        #expect(run.status == 65)
        #expect(run.stderr.contains("\(file):6 ([0].household[1].sex)"), "\(run.stderr)")
        var second = try String(contentsOfFile: file, encoding: .utf8)
        second = String(second[second.range(of: "- name: sex left out")!.lowerBound...])
        try second.write(toFile: file, atomically: true, encoding: .utf8)
        let left = runSimrun(["test", file])
        #expect(left.stderr.contains("\(file):5 ([0].household[1].sex)"), "\(left.stderr)")
        #expect(left.stderr.contains("the member does not give sex, so it is 0"), "\(left.stderr)")
    }

    @Test("a member who leaves out months_since_birth has had no recent birth (-1, not 0)")
    func monthsSinceBirthLeftOut() throws {
        let file = try write("""
            - name: a father gets no birth grant
              scenario: \(Self.maternity)
              parameters:
                reform:
                  maternity_benefit: {take_up_rate: 1}
              household:
                - {age: 30, sex: 2, labour_status: 0, months_since_birth: -1}
                - {age: 32, sex: 1, labour_status: 0}
              expected:
                reform: {maternity_benefit: 0}
            """)
        let run = runSimrun(["test", file])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }
}
