import SimReport
import Foundation
import Testing
import SimAnalysis
import SimKernel

/// Every quantity that appears in more than one command or format is the same
/// everywhere, and an option's figures do not depend on which options it is
/// compared with or in what order (issue 11, part 1).
///
/// All thirteen example scenarios run on the example data: `scenario run`
/// (JSON), `scenario compare` (JSON and CSV, forward, reversed and in pairs),
/// `assess` (JSON) and `report` (its CSV tables). Money and FGT/Gini changes
/// come from one computation (`SystemIndicators`), so they are compared for
/// equality; the report's CSV prints percentages as decimal strings shifted
/// by two places, so it is compared to 1e-12 relative.
@Suite("Every figure agrees across commands and formats", .serialized)
struct ConsistencyTests {
    static let scenarios: [String] = {
        let dir = packageRoot.appendingPathComponent("inputs/scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "inputs/scenarios/\($0)" }
    }()
    static let anchor = "inputs/scenarios/universal-child-grant.yaml"

    /// `compare --format json`: per scenario file, its figures (suppressed values are NSNull).
    static func compareFigures(_ files: [String], extra: [String] = []) throws -> [String: [String: Any]] {
        let run = runSimrun(["scenario", "compare"] + files + ["--country", "example", "--format", "json"] + extra)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try parseJSONObject(run.stdout)
        let options = try #require(object["options"] as? [[String: Any]])
        var out: [String: [String: Any]] = [:]
        for o in options {
            let file = try #require(o["scenario_file"] as? String)
            var entry = try #require(o["figures"] as? [String: Any])
            entry["@observations"] = o["observations"]
            entry["@target_group"] = o["target_group"]
            entry["@year"] = o["year"]
            out[file] = entry
        }
        return out
    }

    static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (let x as NSNumber, let y as NSNumber): return x == y
        case (let x as String, let y as String): return x == y
        case (is NSNull, is NSNull), (nil, nil): return true
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.keys.allSatisfy { same(x[$0], y[$0]) }
        default: return false
        }
    }

    @Test("there are thirteen example scenarios to check")
    func examplesExist() {
        #expect(Self.scenarios.count >= 13)
    }

    @Test("compare's money, poverty and inequality changes equal scenario run's, for every example scenario")
    func compareEqualsRun() throws {
        let all = try Self.compareFigures(Self.scenarios)
        for file in Self.scenarios {
            let run = runSimrun(["scenario", "run", file, "--format", "json"])
            #expect(run.status == 0, "\(file): \(run.stderr)")
            let change = try #require(try parseJSONObject(run.stdout)["change"] as? [String: Any])
            let figures = try #require(all[file])
            for (compareKey, runKey) in [("benefit_change_annual", "cost_annual"), ("state_cost_change_annual", "state_cost_annual"),
                                         ("revenue_change_annual", "revenue_annual"),
                                         ("fund_contributions_change_annual", "fund_contributions_annual"),
                                         ("fgt0_change", "fgt0"), ("fgt1_change", "fgt1"), ("fgt2_change", "fgt2"),
                                         ("gini_change", "gini")] {
                #expect(Self.same(figures[compareKey], change[runKey]), "\(file): compare \(compareKey) \(figures[compareKey] ?? "nil") vs run \(runKey) \(change[runKey] ?? "nil")")
            }
            // The net cost is the sum of its rows.
            let net = try number(figures, "net_cost_annual")
            let parts = try number(figures, "benefit_change_annual") + number(figures, "administrative_cost_annual")
                + number(figures, "state_cost_change_annual") - number(figures, "revenue_change_annual")
            #expect(abs(net - parts) <= 1e-9 * max(1, abs(net)), "\(file): net \(net) vs rows \(parts)")
        }
    }

    @Test("an option's figures are the same whatever it is compared with and in whatever order")
    func independentOfCompanions() throws {
        let forward = try Self.compareFigures(Self.scenarios)
        let backward = try Self.compareFigures(Array(Self.scenarios.reversed()))
        for file in Self.scenarios {
            #expect(Self.same(forward[file], backward[file]), "\(file): figures change with the order of the options")
            // Paired with one other option (a different one for the anchor itself).
            let partner = file == Self.anchor ? "inputs/scenarios/social-pension.yaml" : Self.anchor
            let pair = try Self.compareFigures([partner, file])
            for key in (forward[file] ?? [:]).keys where !key.hasPrefix("projection.") {
                #expect(Self.same(forward[file]?[key], pair[file]?[key]), "\(file): \(key) differs next to \(partner)")
            }
        }
    }

    @Test("the phase-in example is simulated in its own year by run, compare, assess and report alike")
    func ownYear() throws {
        let phaseIn = "inputs/scenarios/child-grant-phase-in.yaml"
        let figures = try #require(try Self.compareFigures([phaseIn, Self.anchor])[phaseIn])
        let run = runSimrun(["scenario", "run", phaseIn, "--format", "json"])
        let change = try #require(try parseJSONObject(run.stdout)["change"] as? [String: Any])
        // 2027: ages 0-6 only, about half the full grant's cost.
        let cost = try number(figures, "benefit_change_annual")
        #expect(cost == (try number(change, "cost_annual")))
        let full = try number(try #require(try Self.compareFigures([phaseIn, Self.anchor])[Self.anchor]), "benefit_change_annual")
        #expect(cost < 0.6 * full)
        #expect(figures["@year"] as? Int == 2027)
        // The target group is the grant's 0-17, and in 2027 only part of it is covered.
        #expect(figures["@target_group"] as? String == "ages 0-17")
        let coverage = try number(figures, "coverage_reform")
        #expect(coverage > 0.3 && coverage < 0.7)
        // assess: children's coverage under the phase-in is the same partial coverage, not 100%.
        let assess = try parseJSONObject(runSimrun(["assess", phaseIn, "--format", "json"]).stdout)
        let groups = try #require(assess["groups"] as? [[String: Any]])
        let children = try #require(groups.first { $0["name"] as? String == "children" })
        let options = try #require(children["options"] as? [[String: Any]])
        #expect(abs(try number(options[0], "coverage") - coverage) < 1e-15)
        // --year overrides it everywhere: in 2038 every child is covered.
        let later = try #require(try Self.compareFigures([phaseIn, Self.anchor], extra: ["--year", "2038"])[phaseIn])
        #expect(try number(later, "coverage_reform") == 1)
    }

    @Test("a package's target group is the union of its components' groups; the disability benefit targets persons with a disability")
    func targetGroups() throws {
        let package = "inputs/scenarios/package-child-grant-pension-tax.yaml"
        let disability = "inputs/scenarios/disability-benefit.yaml"
        let figures = try Self.compareFigures([package, disability])
        let packageGroup = try #require(figures[package]?["@target_group"] as? String)
        #expect(packageGroup.contains(" or "), "\(packageGroup)")
        #expect(!packageGroup.contains("0-130"))
        let disabilityGroup = try #require(figures[disability]?["@target_group"] as? String)
        #expect(disabilityGroup.hasPrefix("persons with a severe disability"), "\(disabilityGroup)")
        // The disability benefit's target group is far smaller than everyone of working age.
        let persons = try number(try #require(figures[disability]), "target_group_persons")
        let assess = try parseJSONObject(runSimrun(["assess", disability, "--format", "json"]).stdout)
        let groups = try #require(assess["groups"] as? [[String: Any]])
        let floorGroup = try #require(groups.first { $0["name"] as? String == "disability" })
        #expect(persons >= (try number(floorGroup, "persons")))
        #expect(persons < 200_000, "\(persons) persons: looks like everyone aged 18-64")
    }

    @Test("report's comparison table holds the same figures as compare, row for row")
    func reportEqualsCompare() throws {
        let options = [Self.anchor, "inputs/scenarios/social-pension.yaml", "inputs/scenarios/contribution-subsidy.yaml",
                       "inputs/scenarios/unemployment-insurance-extension.yaml"]
        let compare = runSimrun(["scenario", "compare"] + options + ["--country", "example", "--format", "csv"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let allRows = csvRows(compare.stdout)
        #expect(allRows[1][0] == "year" && allRows[2][0] == "target_group" && allRows[2][2] == "ages 0-17")
        let compareRows = allRows.dropFirst(3).filter { !$0[0].hasPrefix("projection.") }
        let dir = try makeScratchDirectory("consistency")
        let out = dir.appendingPathComponent("pack")
        let report = runSimrun(["report"] + options + ["--country", "example", "--out", out.path, "--flag-only",
                                                       "--date", "2026-12-04", "--quiet"])
        #expect(report.status == 0, "\(report.stderr)")
        let text = try String(contentsOf: out.appendingPathComponent("tables/comparison.csv"), encoding: .utf8)
        let reportRows = Array(csvRows(text).dropFirst())
        #expect(reportRows.count == compareRows.count)
        for (c, r) in zip(compareRows, reportRows) {
            let unit = c[1]
            let scale = unit.hasPrefix("fraction of") || unit == "difference of fractions" ? 100.0 : 1.0
            for i in options.indices {
                // compare CSV: figure, unit, one value per option, ...; report CSV: Figure, Unit, then value and disclosure per option.
                let x = Double(c[2 + i]), y = Double(r[2 + 2 * i])
                if let x, let y {
                    #expect(abs(x * scale - y) <= 1e-12 * max(1, abs(y)), "\(c[0]) option \(i + 1): compare \(x) vs report \(y)")
                } else {
                    #expect(x == nil && y == nil, "\(c[0]) option \(i + 1): \(c[2 + i]) vs \(r[2 + 2 * i])")
                }
            }
        }
    }

    @Test("report's xlsx and HTML hold the same comparison figures as its CSV")
    func reportFormatsAgree() throws {
        let options = [Self.anchor, "inputs/scenarios/social-pension.yaml"]
        let dir = try makeScratchDirectory("consistency-formats")
        let out = dir.appendingPathComponent("pack")
        let report = runSimrun(["report"] + options + ["--country", "example", "--out", out.path, "--flag-only",
                                                       "--date", "2026-12-04", "--quiet"])
        #expect(report.status == 0, "\(report.stderr)")
        let rows = Array(csvRows(try String(contentsOf: out.appendingPathComponent("tables/comparison.csv"), encoding: .utf8)).dropFirst())
        let entries = try zipEntries(at: out.appendingPathComponent("report.xlsx"))
        let sheet = try #require(entries.texts["xl/worksheets/sheet2.xml"])
        let stored = ElementCollector.elements(in: sheet).filter { $0.name == "v" }.compactMap { Double($0.text) }
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        for row in rows {
            for i in options.indices {
                guard let y = Double(row[2 + 2 * i]) else { continue }
                // xlsx keeps a percentage as a fraction with a % format, percentage points as points.
                let x = row[1].hasPrefix("%") ? y / 100 : y
                #expect(stored.contains { abs($0 - x) <= 1e-12 * max(1, abs(x)) }, "\(row[0]) (\(row[1])) option \(i + 1): \(x) not in the xlsx sheet")
                if row[1].hasSuffix("/year") || row[1] == "persons" {
                    let shown = ReportNumberFormatting.grouped(y)
                    #expect(html.contains(shown), "\(row[0]) option \(i + 1): \(shown) not in index.html")
                }
            }
        }
    }

    @Test("a figure resting on few observations is flagged in compare and suppressed in report; projected beneficiaries follow it")
    func disclosure() throws {
        let ui = "inputs/scenarios/unemployment-insurance-extension.yaml"
        let run = runSimrun(["scenario", "compare", Self.anchor, ui, "--country", "example", "--years", "2025-2027", "--format", "json"])
        let object = try parseJSONObject(run.stdout)
        let options = try #require(object["options"] as? [[String: Any]])
        let option = try #require(options.first { $0["scenario_file"] as? String == ui })
        let observations = try #require(option["observations"] as? [String: Any])
        let flagged = try #require(option["flagged_small_cells"] as? [String])
        // Every figure carries a count; the beneficiaries rest on a handful of unemployed persons.
        let beneficiaries = try number(observations, "beneficiaries")
        #expect(beneficiaries > 0 && beneficiaries < 30)
        #expect(flagged.contains("beneficiaries"))
        // Derived figures carry the count they rest on, so they are flagged too.
        #expect(flagged.contains("projection.2026.beneficiaries"))
        #expect(flagged.contains("share_poorest_40"))
        // Persons pushed into poverty carry their count too: the package's rest on a handful of persons.
        let package = "inputs/scenarios/package-child-grant-pension-tax.yaml"
        let withPackage = try parseJSONObject(runSimrun(["scenario", "compare", Self.anchor, package, "--format", "json"]).stdout)
        let p = try #require((withPackage["options"] as? [[String: Any]])?.first { $0["scenario_file"] as? String == package })
        let pushedCount = try number(try #require(p["observations"] as? [String: Any]), "pushed_in")
        #expect(pushedCount > 0 && pushedCount < 30)
        #expect((p["flagged_small_cells"] as? [String])?.contains("pushed_in") == true)
        // With suppression, none of them is published, in any year.
        let suppressed = try parseJSONObject(runSimrun(["scenario", "compare", Self.anchor, ui, "--country", "example", "--years", "2025-2027",
                                                        "--format", "json", "--suppress-small-cells"]).stdout)
        let s = try #require((suppressed["options"] as? [[String: Any]])?.first { $0["scenario_file"] as? String == ui })
        let figures = try #require(s["figures"] as? [String: Any])
        for key in ["beneficiaries", "projection.2025.beneficiaries", "projection.2027.beneficiaries", "share_poorest_40"] {
            #expect(figures[key] is NSNull, "\(key) published: \(figures[key] ?? "nil")")
        }
    }

    @Test("the projection's base year gives compare's net cost (population and prices of the survey year, no phase-in)")
    func projectionBaseYear() throws {
        let options = ["inputs/scenarios/income-tax-reform.yaml", "inputs/scenarios/package-child-grant-pension-tax.yaml",
                       "inputs/scenarios/contribution-subsidy.yaml"]
        let figures = try Self.compareFigures(options, extra: ["--years", "2025-2026"])
        for file in options {
            let f = try #require(figures[file])
            let net = try number(f, "net_cost_annual")
            let projected = try number(f, "projection.2025.net_cost")
            #expect(net != 0)
            #expect(abs(projected - net) <= 1e-9 * abs(net), "\(file): projection \(projected) vs compare \(net)")
        }
    }

    @Test("units: a share is a fraction in JSON and says so; the table shows it in per cent")
    func units() throws {
        let run = runSimrun(["scenario", "compare", Self.anchor, "inputs/scenarios/social-pension.yaml", "--country", "example", "--format", "json"])
        let object = try parseJSONObject(run.stdout)
        let units = try #require(object["units"] as? [String: String])
        #expect(units["net_cost_share_gdp"] == "fraction of GDP")
        #expect(units["fgt0_change"] == "difference of fractions")
        let option = try #require((object["options"] as? [[String: Any]])?.first)
        let share = try number(try #require(option["figures"] as? [String: Any]), "net_cost_share_gdp")
        #expect(share > 0 && share < 1)
        let table = runSimrun(["scenario", "compare", Self.anchor, "inputs/scenarios/social-pension.yaml", "--country", "example"]).stdout
        #expect(table.contains("% of GDP") && table.contains(String(format: "%.2f%%", share * 100)))
    }

    @Test("cost per person lifted out is undefined when the option costs nothing, and ranks last")
    func costPerPersonLifted() throws {
        let tax = "inputs/scenarios/income-tax-reform.yaml"
        let object = try parseJSONObject(runSimrun(["scenario", "compare", tax, Self.anchor, "--format", "json",
                                                    "--rank-by", "cost_per_person_lifted"]).stdout)
        let options = try #require(object["options"] as? [[String: Any]])
        let figures = try #require(options.last?["figures"] as? [String: Any])
        #expect(options.last?["scenario_file"] as? String == tax)
        let net = try number(figures, "net_cost_annual")
        if net <= 0 { #expect(figures["cost_per_person_lifted"] is NSNull) }
    }
}

/// Whole numbers grouped by thousands, as the report shows money and persons ("522,791,622").
enum ReportNumberFormatting {
    static func grouped(_ x: Double) -> String {
        var digits = String(format: "%.0f", x)
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        var out = ""
        for (k, c) in digits.reversed().enumerated() {
            if k > 0 && k % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative && digits != "0" ? "-" : "") + String(out.reversed())
    }
}

/// RFC 4180 rows of `text` (quoted fields, doubled quotes).
func csvRows(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { row.append(field); field = "" }
        else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
        else { field.append(c) }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// Regression tests for the figures issue 11 found disagreeing.
@Suite("Figures that used to disagree between commands")
struct FigureRegressionTests {
    let grant = "inputs/scenarios/universal-child-grant.yaml"
    let ui = "inputs/scenarios/unemployment-insurance-extension.yaml"

    @Test("unemployment insurance: fund contributions do not offset the state's net cost; the fund's balance is benefits minus contributions")
    func unemploymentInsurance() throws {
        let object = try parseJSONObject(runSimrun(["scenario", "compare", grant, ui, "--format", "json"]).stdout)
        let option = try #require((object["options"] as? [[String: Any]])?.first { $0["scenario_file"] as? String == ui })
        let figures = try #require(option["figures"] as? [String: Any])
        let benefits = try number(figures, "benefit_change_annual")
        let contributions = try number(figures, "fund_contributions_change_annual")
        #expect(benefits > 0 && contributions > 0)
        // The employees' contributions to the fund are no budget revenue (they were: net cost -414,981).
        #expect(try number(figures, "revenue_change_annual") == 0)
        #expect(try number(figures, "net_cost_annual") == benefits)
        // docs/scenarios.md: the scheme's net cost = change of the benefits − change of contributions_annual.
        let run = try parseJSONObject(runSimrun(["scenario", "run", ui, "--format", "json"]).stdout)
        let change = try #require(run["change"] as? [String: Any])
        let component = try #require((change["components"] as? [String: Any])?["unemployment_insurance"] as? [String: Any])
        #expect(abs((benefits - contributions) - (try number(component, "annual_amount") - number(component, "contributions_annual"))) < 1e-6)
    }

    @Test("% of GDP divides by the GDP of the simulated year, not the base year")
    func gdpOfTheYear() throws {
        let object = try parseJSONObject(runSimrun(["scenario", "compare", grant, ui, "--country", "example", "--year", "2030",
                                                    "--format", "json"]).stdout)
        let figures = try #require((object["options"] as? [[String: Any]])?.first?["figures"] as? [String: Any])
        let profile = try CountryProfile(file: packageRoot.appendingPathComponent("inputs/countries/example.yaml").path)
        let share = try number(figures, "net_cost_share_gdp")
        #expect(abs(share - (try number(figures, "net_cost_annual")) / profile.nominalGDP(in: 2030)) < 1e-15)
        #expect(profile.nominalGDP(in: 2030) > profile.gdp * 1.2)
    }

    @Test("a scenario year the country profile does not cover is an error, not a clamped GDP")
    func yearOutsideProfile() {
        let run = runSimrun(["scenario", "compare", grant, ui, "--country", "example", "--year", "2099"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("outside the country profile"), "\(run.stderr)")
    }

    @Test("report takes --year, and a date that is no calendar day is refused")
    func reportYearAndDate() throws {
        let dir = try makeScratchDirectory("report-year")
        let phaseIn = "inputs/scenarios/child-grant-phase-in.yaml"
        let out = dir.appendingPathComponent("pack")
        let run = runSimrun(["report", phaseIn, grant, "--year", "2038", "--out", out.path, "--flag-only", "--date", "2026-12-04", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = csvRows(try String(contentsOf: out.appendingPathComponent("tables/comparison.csv"), encoding: .utf8))
        let coverage = try #require(rows.first { $0[0] == "Coverage of the target group, reform" })
        #expect(coverage[2] == "100" && coverage[4] == "100", "\(coverage)")
        for bad in ["2026-13-45", "2025-02-29", "2026-04-31", "2026-00-10"] {
            let r = runSimrun(["report", grant, "--out", dir.appendingPathComponent("x").path, "--date", bad])
            #expect(r.status == 64, "\(bad): \(r.status)")
        }
    }

    @Test("the report shows each option beside its own baseline when the baselines differ, whatever their order")
    func reportBaselines() throws {
        let dir = try makeScratchDirectory("report-baselines")
        func povertyByAge(_ options: [String]) throws -> [[String]] {
            let out = dir.appendingPathComponent("pack-\(UUID().uuidString)")
            let run = runSimrun(["report"] + options + ["--out", out.path, "--flag-only", "--date", "2026-12-04", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            return csvRows(try String(contentsOf: out.appendingPathComponent("tables/poverty-by-age.csv"), encoding: .utf8))
        }
        let forward = try povertyByAge([grant, ui])
        let backward = try povertyByAge([ui, grant])
        #expect(forward[0].contains { $0.contains("its baseline") }, "\(forward[0])")
        // Columns: age group, then per option its baseline (+ disclosure) and the option (+ disclosure).
        for (f, b) in zip(forward.dropFirst(), backward.dropFirst()) {
            #expect(Array(f[1..<5]) == Array(b[5..<9]) && Array(f[5..<9]) == Array(b[1..<5]), "\(f) vs \(b)")
        }
        // Options on one baseline share one baseline column.
        let shared = try povertyByAge([grant, "inputs/scenarios/social-pension.yaml"])
        #expect(!shared[0].contains { $0.contains("its baseline") })
    }

    @Test("assess sets each option against its own baseline and says maternity is women of any age")
    func assessBaselines() throws {
        let object = try parseJSONObject(runSimrun(["assess", grant, ui, "--format", "json"]).stdout)
        let groups = try #require(object["groups"] as? [[String: Any]])
        let older = try #require(groups.first { $0["name"] as? String == "unemployed" })
        #expect(older["baseline"] is NSNull)  // the two baselines differ for the unemployed
        let options = try #require(older["options"] as? [[String: Any]])
        let baselines = try options.map { try number(try #require($0["baseline"] as? [String: Any]), "coverage") }
        #expect(baselines[0] != baselines[1])
        let help = runSimrun(["assess", "--help"]).stdout
        #expect(help.contains("women of any age"))
    }
}

/// Every JSON document carries the schema version first (docs/output.md, "Schema version").
@Suite("JSON schema version")
struct JSONSchemaVersionTests {
    @Test("run, compare, assess, stats, household, explain and data describe start with schema_version", arguments: [
        ["scenario", "run", "inputs/scenarios/universal-child-grant.yaml", "--format", "json"],
        ["scenario", "compare", "inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/social-pension.yaml", "--format", "json"],
        ["assess", "inputs/scenarios/universal-child-grant.yaml", "--format", "json"],
        ["stats", "inputs/data/example-persons.csv", "--income", "earnings", "--weight", "weight", "--line", "150", "--format", "json"],
        ["household", "inputs/households/couple-two-children.yaml", "--scenario", "inputs/scenarios/universal-child-grant.yaml", "--format", "json"],
        ["data", "describe", "inputs/data/example-persons.csv", "--format", "json"],
    ])
    func schemaVersionFirst(arguments: [String]) throws {
        let result = runSimrun(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        #expect(result.stdout.hasPrefix("{\n  \"schema_version\": \(JSONWriter.schemaVersion),\n"))
    }
}
