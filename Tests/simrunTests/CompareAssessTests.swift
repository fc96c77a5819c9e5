import Foundation
import Testing

/// `scenario compare` and `assess` from the command line.
@Suite("simrun scenario compare and assess")
struct CompareAssessTests {
    let grant = "inputs/scenarios/universal-child-grant.yaml"
    let pension = "inputs/scenarios/social-pension.yaml"

    @Test("compare prints every option's figures, with USD, % of GDP and the projection years")
    func compareTable() throws {
        let run = runSimrun(["scenario", "compare", grant, pension, "--country", "example", "--years", "2026-2028"])
        #expect(run.status == 0, "\(run.stderr)")
        for label in ["Annual net cost", "USD/year", "% of GDP", "Beneficiaries of the option", "Coverage of the target group",
                      "Persons lifted out of poverty", "Change in Gini", "Poverty-gap reduction per 1% of GDP",
                      "Share of the change in benefits reaching", "Net cost 2026", "Net cost 2028"] {
            #expect(run.stdout.contains(label), "missing \(label)")
        }
    }

    @Test("compare JSON: the grant's net cost equals scenario run's cost change, and shares of GDP use the profile")
    func compareJSONAgreesWithRun() throws {
        let compare = runSimrun(["scenario", "compare", grant, pension, "--country", "example", "--format", "json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let object = try parseJSONObject(compare.stdout)
        let options = try #require(object["options"] as? [[String: Any]])
        #expect(options.count == 2)
        let figures = try #require(options[0]["figures"] as? [String: Any])
        let single = try parseJSONObject(runSimrun(["scenario", "run", grant, "--format", "json"]).stdout)
        let change = try #require(single["change"] as? [String: Any])
        // The child grant has no administrative cost in its scenario: net cost = change in benefit spending.
        let net = try number(figures, "net_cost_annual")
        #expect(abs(net - (try number(change, "cost_annual"))) <= 1e-6 * net)
        // inputs/countries/example.yaml: GDP 17,500,000,000 LCU, 2.5 LCU per USD.
        #expect(abs(try number(figures, "net_cost_share_gdp") - net / 17_500_000_000) < 1e-15)
        #expect(abs(try number(figures, "net_cost_usd") - net / 2.5) <= 1e-9 * net)
    }

    @Test("--rank-by orders the options, best first")
    func rankBy() throws {
        let cheap = runSimrun(["scenario", "compare", grant, pension, "--rank-by", "cost", "--format", "json"])
        #expect(cheap.status == 0, "\(cheap.stderr)")
        let options = try #require(try parseJSONObject(cheap.stdout)["options"] as? [[String: Any]])
        let costs = try options.map { try number(try #require($0["figures"] as? [String: Any]), "net_cost_annual") }
        #expect(costs == costs.sorted())
        let bad = runSimrun(["scenario", "compare", grant, pension, "--rank-by", "beauty"])
        #expect(bad.status == 64 && bad.stderr.contains("cost"))
    }

    @Test("compare needs two options, and years need a country profile")
    func compareUsageErrors() {
        #expect(runSimrun(["scenario", "compare", grant]).status == 64)
        let years = runSimrun(["scenario", "compare", grant, pension, "--years", "2026-2030"])
        #expect(years.status != 0)
        #expect(years.stderr.contains("country profile"))
    }

    @Test("--se gives 95% intervals around the changes in FGT and Gini, the same on any thread count")
    func compareIntervals() throws {
        let run = runSimrun(["scenario", "compare", grant, pension, "--se", "linearized", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let options = try #require(try parseJSONObject(run.stdout)["options"] as? [[String: Any]])
        for option in options {
            let figures = try #require(option["figures"] as? [String: Any])
            let intervals = try #require(option["ci95"] as? [String: Any])
            for key in ["fgt0_change", "fgt1_change", "fgt2_change", "gini_change"] {
                let ci = try #require(intervals[key] as? [Double], "no interval for \(key)")
                let value = try number(figures, key)
                #expect(ci.count == 2 && ci[0] < value && value < ci[1], "\(key): \(ci) around \(value)")
            }
        }
        let one = runSimrun(["scenario", "compare", grant, pension, "--se", "bootstrap", "--replicates", "50", "--threads", "1", "--format", "json"])
        let two = runSimrun(["scenario", "compare", grant, pension, "--se", "bootstrap", "--replicates", "50", "--threads", "2", "--format", "json"])
        #expect(one.status == 0 && one.stdout == two.stdout)
    }

    @Test("a contribution subsidy costs the state its subsidy; the joiners' contributions go to the fund, not the budget")
    func subsidyCost() throws {
        let subsidy = "inputs/scenarios/contribution-subsidy.yaml"
        let compare = try parseJSONObject(runSimrun(["scenario", "compare", grant, subsidy, "--format", "json"]).stdout)
        let options = try #require(compare["options"] as? [[String: Any]])
        let figures = try #require(options[1]["figures"] as? [String: Any])
        let run = try parseJSONObject(runSimrun(["scenario", "run", subsidy, "--format", "json"]).stdout)
        let change = try #require(run["change"] as? [String: Any])
        let components = try #require(change["components"] as? [String: Any])
        let component = try #require(components.values.compactMap { $0 as? [String: Any] }.first { $0["subsidy_annual"] != nil })
        let paid = try number(component, "subsidy_annual")
        #expect(paid > 0)
        #expect(abs(try number(figures, "net_cost_annual") - paid) <= 1e-6 * paid)
        #expect(try number(figures, "revenue_change_annual") == 0)
        // The subsidy is a state cost, not a benefit paid to households (docs/costing.md, "Cost and revenue").
        #expect(try number(change, "cost_annual") == 0)
        #expect(abs(try number(change, "state_cost_annual") - paid) <= 1e-6 * paid)
        #expect(abs(try number(figures, "state_cost_change_annual") - paid) <= 1e-6 * paid)
        // What reaches the fund is fund revenue, shown but not offsetting the net cost.
        let collected = try number(component, "contributions_annual")
        #expect(abs(try number(change, "fund_contributions_annual") - collected) <= 1e-6 * collected)
        #expect(abs(try number(figures, "fund_contributions_change_annual") - collected) <= 1e-6 * collected)
    }

    @Test("assess reports every floor group, covered and poor, today and per option")
    func assessTable() throws {
        let run = runSimrun(["assess", grant, pension, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try parseJSONObject(run.stdout)
        let groups = try #require(object["groups"] as? [[String: Any]])
        let names = groups.compactMap { $0["name"] as? String }
        #expect(Set(names) == ["children", "unemployed", "disability", "older", "maternity"])
        let children = try #require(groups.first { $0["name"] as? String == "children" })
        let options = try #require(children["options"] as? [[String: Any]])
        // The universal child grant reaches every child; nothing reaches them today.
        #expect(try number(try #require(children["baseline"] as? [String: Any]), "coverage") == 0)
        #expect(try number(options[0], "coverage") == 1)
        #expect(try number(options[0], "poverty") < (try number(try #require(children["baseline"] as? [String: Any]), "poverty")))
    }
}
