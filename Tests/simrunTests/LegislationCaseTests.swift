import Foundation
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
        #expect((Int(last.split(separator: " ")[0]) ?? 0) >= 10)
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
        ("    - {age: 40, weight: 3}\n  expected: {personal_income_tax: 0}", "weight is set by the case runner"),
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
