import Foundation
import SimAnalysis
import Testing

/// `simrun solve` from the command line (docs/solve-and-sweep.md).
@Suite("simrun solve")
struct SolveCommandTests {
    let grant = "inputs/scenarios/universal-child-grant.yaml"

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// `figure` of option 1 in `scenario compare FILE grant --format json`.
    func compareFigure(_ file: String, _ figure: String, extra: [String] = []) throws -> Double {
        let run = runSimrun(["scenario", "compare", file, grant, "--format", "json"] + extra)
        #expect(run.status == 0, "\(run.stderr)")
        let options = try #require(try object(run.stdout)["options"] as? [[String: Any]])
        return try #require((options[0]["figures"] as? [String: Any])?[figure] as? Double)
    }

    @Test("the amount costing 1% of GDP, written to a scenario and run with compare, costs 1% of GDP to 1e-6")
    func onePercentOfGDP() throws {
        let scratch = try makeScratchDirectory("solve")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let solved = scratch.appendingPathComponent("solved.yaml").path
        let run = runSimrun(["solve", grant, "--parameter", "amount_per_child", "--target", "net_cost_share_gdp=1%",
                             "--country", "example", "--format", "json", "--write", solved])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("{\n  \"schema_version\": 1,\n  \"parameter\": \"amount_per_child\",\n"))
        let json = try object(run.stdout)
        #expect(json["parameter"] as? String == "amount_per_child")
        #expect(json["status"] as? String == "met")
        #expect(json["monotone"] as? Bool == true)
        let value = try #require(json["value"] as? Double)
        let figures = try #require(json["figures"] as? [String: Any])
        #expect(figures.keys.contains("fgt0_change") && figures.keys.contains("lifted_out"))
        #expect(try #require(json["iterations"] as? [[String: Any]]).count >= 3)
        // The cost is linear in the amount: cost at 30 a month × value / 30 = 1% of GDP (an independent check of the value).
        let atThirty = try compareFigure(grant, "net_cost_share_gdp", extra: ["--country", "example"])
        #expect(abs(atThirty * value / 30 - 0.01) <= 1e-6 * 0.01)
        // The written scenario run with compare gives the target to the documented tolerance, and the same bits as solve.
        let share = try compareFigure(solved, "net_cost_share_gdp", extra: ["--country", "example"])
        #expect(abs(share - 0.01) <= 1e-6 * 0.01)
        #expect(share == figures["net_cost_share_gdp"] as? Double)
        #expect(try String(contentsOfFile: solved, encoding: .utf8).contains("amount_per_child"))
    }

    @Test("a package made budget-neutral by its top income-tax rate: compare gives a net cost of 0 to the tolerance")
    func budgetNeutral() throws {
        let scratch = try makeScratchDirectory("solve-neutral")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let package = "inputs/scenarios/package-child-grant-pension-tax.yaml"
        let solved = scratch.appendingPathComponent("neutral.yaml").path
        let run = runSimrun(["solve", package, "--parameter", "personal_income_tax.brackets[1].rate", "--target", "budget-neutral",
                             "--format", "json", "--write", solved])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try object(run.stdout)
        let iterations = try #require(json["iterations"] as? [[String: Any]])
        // The tolerance is 1e-7 of the larger |net cost| at the ends of the rate's range (the first two evaluations).
        let scale = iterations.prefix(2).compactMap { $0["net_cost_annual"] as? Double }.map(abs).max() ?? 0
        let cost = try compareFigure(solved, "net_cost_annual")
        #expect(abs(cost) <= 1e-7 * scale)
        #expect(scale > 0)
    }

    @Test("a bracket threshold is solved for within its neighbours (it must lie between them), not stopped by 'thresholds must rise'")
    func threshold() throws {
        let scratch = try makeScratchDirectory("solve-threshold")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let package = "inputs/scenarios/package-child-grant-pension-tax.yaml"
        let path = "personal_income_tax.brackets[1].threshold"
        // The target: the net cost with the threshold at a value between its neighbours, beyond where a search
        // outwards from the current value by doublings would step over the next threshold.
        let document = try ScenarioDocument(file: package)
        let spec = try #require(try document.parameters().first { $0.path == path || "\($0.component).\($0.name)" == path })
        let low = try #require(spec.minimum), high = try #require(spec.maximum)
        let chosen = (spec.value + high) / 2 + (high - spec.value) / 4
        let variant = scratch.appendingPathComponent("variant.yaml").path
        try Data(try document.setting(path, to: chosen).yaml(for: variant).utf8).write(to: URL(fileURLWithPath: variant))
        let target = try compareFigure(variant, "net_cost_annual")
        let solved = scratch.appendingPathComponent("solved.yaml").path
        let run = runSimrun(["solve", package, "--parameter", path, "--target", "net_cost_annual=\(target)", "--format", "json", "--write", solved])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try object(run.stdout)
        let value = try #require(json["value"] as? Double)
        #expect(value >= low && value <= high)
        // Every value tried lies in the valid range.
        let tried = try #require(json["iterations"] as? [[String: Any]]).compactMap { $0["value"] as? Double }
        #expect(!tried.isEmpty && tried.allSatisfy { $0 >= low && $0 <= high }, "\(tried)")
        let cost = try compareFigure(solved, "net_cost_annual")
        #expect(abs(cost - target) <= 1e-7 * abs(target), "\(cost) vs \(target)")
    }

    @Test("an age limit is found among whole numbers; the jump across the target is shown")
    func wholeNumber() throws {
        let run = runSimrun(["solve", grant, "--parameter", "max_age", "--target", "fgt0_change=-2%", "--country", "example", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try object(run.stdout)
        let value = try #require(json["value"] as? Double)
        #expect(value == value.rounded())
        let iterations = try #require(json["iterations"] as? [[String: Any]])
        #expect(iterations.allSatisfy { ($0["value"] as? Double).map { $0 == $0.rounded() } ?? false })
        if json["status"] as? String == "step" {
            let step = try #require(json["step"] as? [String: [String: Double]])
            #expect(step["above"]!["value"]! - step["below"]!["value"]! == 1)
            let below = step["below"]!["fgt0_change"]!, above = step["above"]!["fgt0_change"]!
            #expect(min(below, above) <= -0.02 && -0.02 <= max(below, above))
        }
    }

    @Test("a target out of reach names the figure's range over the valid range (exit 65)")
    func unreachable() {
        let run = runSimrun(["solve", grant, "--parameter", "max_age", "--target", "net_cost_share_gdp=50%", "--country", "example"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("out of reach: net_cost_share_gdp ranges from"), "\(run.stderr)")
        #expect(run.stderr.contains("as max_age goes from 0 to 130"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("an unknown parameter (65) and an unknown figure or bad target (64) are named")
    func badNames() {
        let parameter = runSimrun(["solve", grant, "--parameter", "amount_per_kid", "--target", "lifted_out=1000"])
        #expect(parameter.status == 65)
        #expect(parameter.stderr.contains("did you mean 'amount_per_child'"), "\(parameter.stderr)")
        let figure = runSimrun(["solve", grant, "--parameter", "amount_per_child", "--target", "lifted_outt=1000"])
        #expect(figure.status == 64)
        #expect(figure.stderr.contains("did you mean 'lifted_out'"), "\(figure.stderr)")
        let gdp = runSimrun(["solve", grant, "--parameter", "amount_per_child", "--target", "net_cost_share_gdp=1%"])
        #expect(gdp.status == 64)
        #expect(gdp.stderr.contains("need a country profile"), "\(gdp.stderr)")
        let money = runSimrun(["solve", grant, "--parameter", "amount_per_child", "--target", "net_cost_annual=2%"])
        #expect(money.status == 64)
        let syntax = runSimrun(["solve", grant, "--parameter", "amount_per_child", "--target", "cost"])
        #expect(syntax.status == 64)
    }

    @Test("solve --help names the parameter, target and tolerance")
    func help() {
        let run = runSimrun(["solve", "--help"])
        #expect(run.status == 0)
        for text in ["--parameter", "--target", "budget-neutral", "1e-7", "--write"] { #expect(run.stdout.contains(text), "\(text)") }
    }
}
