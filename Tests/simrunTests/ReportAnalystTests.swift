import SimReport
import Foundation
import Testing

@testable import simrun

/// The report and `scenario compare` as an analyst found them with four options on a survey
/// (issue 14, part 3): printing, names, money, statistics options, today's profile, welfare,
/// absent groups, the workbook and the terminal table.
@Suite("The report as an analyst reads it", .serialized)
struct ReportAnalystTests {
    static let four = ["inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/social-pension.yaml",
                       "inputs/scenarios/means-tested-transfer.yaml", "inputs/scenarios/package-child-grant-pension-tax.yaml"]
    /// The example scenarios' `label:` keys, in the order of ``four``.
    static let labels = ["Child grant 30", "Social pension 75", "PMT cash transfer", "Grant+pension, tax"]

    /// Writes a report of `options` and returns its folder.
    static func report(_ options: [String] = four, _ extra: [String] = []) throws -> URL {
        let out = try makeScratchDirectory("analyst").appendingPathComponent("pack")
        let run = runSimrun(["report"] + options + ["--country", "example", "--out", out.path, "--date", "2026-12-05", "--quiet"] + extra)
        #expect(run.status == 0, "\(run.stderr)")
        return out
    }

    static func text(_ dir: URL, _ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    // MARK: - Printing

    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let pdftotext: String? = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("printed to PDF by headless Chromium, the 17-column cost-by-year table loses no option's figures",
          .enabled(if: chromium != nil && pdftotext != nil,
                   "needs Chromium (apt-get install chromium) and pdftotext (apt-get install poppler-utils) to print the page and read the PDF"),
          .timeLimit(.minutes(3)))
    func printedReportKeepsEveryColumn() throws {
        let dir = try Self.report(Self.four, ["--years", "2025-2040"])
        let pdf = dir.deletingLastPathComponent().appendingPathComponent("report.pdf")
        func run(_ tool: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        try run(try #require(Self.chromium), ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-pdf-header-footer",
                                               "--user-data-dir=\(dir.deletingLastPathComponent().appendingPathComponent("profile").path)",
                                               "--print-to-pdf=\(pdf.path)", dir.appendingPathComponent("index.html").absoluteString])
        let txt = dir.deletingLastPathComponent().appendingPathComponent("report.txt")
        try run(try #require(Self.pdftotext), [pdf.path, txt.path])
        let printed = try String(contentsOf: txt, encoding: .utf8)
        // Every cell of every option's column of the table, as the page shows it, is in the printed text.
        let rows = csvRows(try Self.text(dir, "tables/cost-by-year.csv"))
        let header = rows[0]
        #expect(rows.count == 17)  // header + 16 years
        for (i, label) in Self.labels.enumerated() {
            let beneficiaries = try #require(header.firstIndex(of: "\(label): beneficiaries (persons)"), "no column of \(label)")
            let cost = try #require(header.firstIndex(of: "\(label): net cost (% of GDP)"))
            for row in rows.dropFirst() {
                let persons = ReportNumberFormat.count.display(try #require(Double(row[beneficiaries])))
                let share = ReportNumberFormat.percent(decimals: 2).display(try #require(Double(row[cost])) / 100)
                #expect(printed.contains(persons), "option \(i + 1) (\(label)), year \(row[0]): \(persons) beneficiaries not printed")
                #expect(printed.contains(share), "option \(i + 1) (\(label)), year \(row[0]): \(share) of GDP not printed")
            }
        }
    }

    @Test("a wide table is cut into print pieces that together hold every column once, each within the page")
    func printPieces() throws {
        var columns = [ReportColumn("Year")]
        var row: [ReportCell] = [.number(2026, .year)]
        for label in Self.labels {
            for part in ["net cost", "net cost", "net cost", "beneficiaries"] {
                columns.append(ReportColumn("\(label): \(part)", unit: "persons"))
                row.append(.number(3_677_352_090, .readableMoney))
            }
        }
        let table = ReportTable(id: "cost-by-year", title: "Cost", columns: columns, rows: [row])
        let pieces = ReportPrintLayout.pieces(of: table)
        #expect(pieces.count > 1)
        #expect(pieces.flatMap { $0 } == Array(1..<17))
        for piece in pieces {
            let width = ([0] + piece).map { ReportPrintLayout.width(of: table, column: $0) }.reduce(0, +)
            #expect(width <= ReportPrintLayout.pageWidth)
            // An option's four columns stay together.
            let owners = Set(piece.map { columns[$0].title.components(separatedBy: ":")[0] })
            #expect(piece.count == 4 * owners.count)
        }
        let html = HTMLReportRenderer().render(smallDocument(table: table))
        #expect(html.contains("class=\"print-only\"") && html.contains("(part 1 of \(pieces.count))"))
    }

    // MARK: - Names

    @Test("--title, the country's name and each scenario's label head the report; full titles in a legend; no file paths in the page")
    func namesAndLabels() throws {
        let dir = try Self.report(Self.four, ["--title", "Child benefits: four options for the dialogue", "--years", "2026-2030"])
        let html = try Self.text(dir, "index.html")
        #expect(html.contains("<h1>Child benefits: four options for the dialogue</h1>"))
        #expect(html.contains("Example (synthetic lower-middle-income country)"))
        for label in Self.labels {
            let escaped = MarkupEscaping.escape(label)
            #expect(html.contains("<th scope=\"col\" class=\"num\">\(escaped)"), "\(label) heads no column")
        }
        #expect(html.contains("Child grant 30 = Universal child grant, 30 a month for ages 0-17"))
        #expect(!html.contains("Option 1"))
        #expect(!html.contains("inputs/"), "the page names a folder of the analyst")
        let csv = csvRows(try Self.text(dir, "tables/comparison.csv"))[0]
        #expect(Self.labels.allSatisfy { csv.contains($0) })
        let sheet = try #require(try zipEntries(at: dir.appendingPathComponent("report.xlsx")).texts["xl/worksheets/sheet2.xml"])
        #expect(Self.labels.allSatisfy { sheet.contains(MarkupEscaping.escape($0)) })
        // compare heads its columns with the labels too.
        let compare = runSimrun(["scenario", "compare"] + Self.four)
        #expect(compare.status == 0)
        #expect(compare.stdout.contains("(1) Child grant 30") && compare.stdout.contains("(1) Child grant 30 = Universal child grant"))
    }

    @Test("a pack made from a data recipe names its files, not their folders")
    func recipeWithoutFolders() throws {
        // No country profile: the recipe's survey has no sex column for a projection.
        let dir = try makeScratchDirectory("recipe").appendingPathComponent("pack")
        let run = runSimrun(["report", "inputs/scenarios/consumption/rural-household-transfer-consumption-recipe.yaml",
                             "--out", dir.path, "--date", "2026-12-05", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try Self.text(dir, "index.html")
        #expect(html.contains("household-survey-recipe.yaml"))
        #expect(!html.contains("inputs/"), "the page names a folder of the analyst")
        let about = try #require(try zipEntries(at: dir.appendingPathComponent("report.xlsx")).texts["xl/worksheets/sheet1.xml"])
        #expect(!about.contains("inputs/"))
    }

    @Test("a label longer than 24 characters is refused, naming the file and line")
    func badLabel() throws {
        let dir = try makeScratchDirectory("label")
        let source = try String(contentsOf: packageRoot.appendingPathComponent(Self.four[0]), encoding: .utf8)
        let file = dir.appendingPathComponent("long-label.yaml")
        try source.replacingOccurrences(of: "label: \"Child grant 30\"", with: "label: \"A label far too long to head a column\"")
            .replacingOccurrences(of: "../data/", with: packageRoot.appendingPathComponent("inputs/data").path + "/")
            .replacingOccurrences(of: "baseline: current_law", with: "baseline: \(packageRoot.appendingPathComponent("inputs/systems/current_law.yaml").path)")
            .write(to: file, atomically: true, encoding: .utf8)
        let run = runSimrun(["scenario", "compare", file.path, Self.four[1], "--data", exampleData])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("long-label.yaml") && run.stderr.contains("label") && run.stderr.contains("24 characters"))
    }

    // MARK: - Money

    @Test("amounts read in thousand, million and billion", arguments: [
        (3_677_352_090.0, "3.68 billion"), (522_791_622, "523 million"), (999_999, "1.00 million"), (352_090, "352 thousand"),
        (52_300, "52,300"), (-1_224_425, "-1.22 million"), (1_234_567_890_123, "1,235 billion"),
    ])
    func readableMoney(value: Double, shown: String) {
        #expect(ReportNumberFormat.readableMoney.display(value) == shown)
        #expect(ReportNumberFormat.readableMoney.csvNumber(value) == ReportDecimal.shortest(value))
    }

    @Test("money is scaled on the page, with the full amount as its tooltip, and kept in full in CSV and xlsx")
    func moneyScaled() throws {
        let dir = try Self.report(Array(Self.four.prefix(2)))
        let rows = csvRows(try Self.text(dir, "tables/comparison.csv"))
        let net = try #require(rows.first { $0[0] == "Annual net cost to the state" && $0[1].hasSuffix("/year") && !$0[1].hasPrefix("USD") })
        let value = try #require(Double(net[2]))
        #expect(value > 1e8 && net[2].count >= 9, "CSV keeps the full amount: \(net[2])")
        let html = try Self.text(dir, "index.html")
        #expect(html.contains("title=\"\(ReportNumberFormat.grouped(value, decimals: 0))\">\(ReportNumberFormat.readable(value))<"))
        #expect(html.contains("the CSV file and the workbook hold them in full"))
        let sheet = try #require(try zipEntries(at: dir.appendingPathComponent("report.xlsx")).texts["xl/worksheets/sheet2.xml"])
        #expect(sheet.contains("<v>\(ReportDecimal.shortest(value))</v>"))
    }

    // MARK: - Statistics options

    @Test("compare and report take --equivalence and --relative-line with scenario run's meaning: the same changes")
    func equivalenceAndRelativeLines() throws {
        let run = try parseJSONObject(runSimrun(["scenario", "run", Self.four[0], "--equivalence", "oecd-modified", "--relative-line", "0.6",
                                                 "--format", "json"]).stdout)
        let change = try #require((run["change"] as? [String: Any])?["indicators"] as? [String: Any])
        let lines = try #require(change["poverty"] as? [[String: Any]])
        func value(_ object: [String: Any]?, _ key: String) throws -> Double {
            try #require((object?[key] as? [String: Any])?["value"] as? Double)
        }
        let compare = runSimrun(["scenario", "compare", Self.four[0], Self.four[1], "--equivalence", "oecd-modified",
                                 "--relative-line", "0.6", "--format", "json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let figures = try #require(((try parseJSONObject(compare.stdout))["options"] as? [[String: Any]])?.first?["figures"] as? [String: Any])
        // One computation (the statistics engine on the same distributions); 1e-15 covers JSON parsing only.
        func same(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= 1e-15 * abs(y) }
        #expect(same(try number(figures, "fgt0_change_oecd_modified"), try value(lines[0], "fgt0")))
        #expect(same(try number(figures, "gini_change_oecd_modified"), try value(change, "gini")))
        #expect(same(try number(figures, "fgt0_change_relative_0.6_oecd_modified"), try value(lines[1], "fgt0")))
        // The report shows them in its comparison table.
        let dir = try Self.report(Array(Self.four.prefix(2)), ["--equivalence", "oecd-modified", "--relative-line", "0.6"])
        let csv = try Self.text(dir, "tables/comparison.csv")
        #expect(csv.contains("Change in poverty headcount at 60% of median, oecd-modified scale"))
        // Bad values are refused as scenario run refuses them.
        for bad in [["--equivalence", "per-household"], ["--relative-line", "0"], ["--replications", "0"]] {
            #expect(runSimrun(["scenario", "compare", Self.four[0], Self.four[1]] + bad).status == 64, "compare \(bad)")
            let out = try makeScratchDirectory("bad").appendingPathComponent("pack")
            #expect(runSimrun(["report", Self.four[0], "--out", out.path] + bad).status == 64, "report \(bad)")
        }
    }

    @Test("--replications gives each figure's mean and Monte Carlo band; one draw of a stochastic option says so")
    func replications() throws {
        let single = runSimrun(["scenario", "compare", Self.four[0], Self.four[1]])
        #expect(single.stdout.contains("Social pension 75 depends on random draws"))
        #expect(!single.stdout.contains("Child grant 30 depends"))
        let run = runSimrun(["scenario", "compare", Self.four[0], Self.four[1], "--replications", "5", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let options = try #require((try parseJSONObject(run.stdout))["options"] as? [[String: Any]])
        // The pension's take-up is drawn: its band has width; the grant draws nothing: its band is its value.
        let pension = try #require(options[1]["bands_2_5_97_5"] as? [String: [Double]])
        let figures = try #require(options[1]["figures"] as? [String: Any])
        let band = try #require(pension["net_cost_annual"])
        let mean = try number(figures, "net_cost_annual")
        #expect(band[0] < band[1] && band[0] <= mean && mean <= band[1])
        // The mean is that of scenario run --replications 5 (same seeds).
        let replicated = try parseJSONObject(runSimrun(["scenario", "run", Self.four[1], "--replications", "5", "--format", "json"]).stdout)
        let cost = try number(try #require(replicated["change"] as? [String: Any]), "cost_annual")
        #expect(abs(cost - (try number(figures, "benefit_change_annual"))) <= 1e-6 * abs(cost))
        let grant = try #require(options[0]["bands_2_5_97_5"] as? [String: [Double]])
        let grantCost = try number(try #require(options[0]["figures"] as? [String: Any]), "net_cost_annual")
        let grantBand = try #require(grant["net_cost_annual"])
        #expect(grantBand[0] == grantBand[1] && abs(grantBand[0] - grantCost) <= 1e-9 * grantCost)
        // The report shows the bands, says what they are, and takes --se and --older-age.
        let dir = try Self.report(Array(Self.four.prefix(2)), ["--replications", "3", "--older-age", "70"])
        let html = try Self.text(dir, "index.html")
        #expect(html.contains("class=\"ci band\"") && html.contains("Monte Carlo band"))
        let header = csvRows(try Self.text(dir, "tables/comparison.csv"))[0]
        #expect(header.contains("Social pension 75: Monte Carlo 2.5%"))
        #expect(try Self.text(dir, "tables/coverage-gaps.csv").contains("ages 70 and over"))
        let intervals = try Self.report(Array(Self.four.prefix(2)), ["--se", "linearized"])
        #expect(try Self.text(intervals, "index.html").contains("95% confidence interval"))
        #expect(csvRows(try Self.text(intervals, "tables/comparison.csv"))[0].contains("Child grant 30: 95% CI lower"))
        // As in scenario run, draws and intervals do not mix.
        let both = runSimrun(["scenario", "compare", Self.four[0], Self.four[1], "--replications", "3", "--se", "linearized"])
        #expect(both.status == 64 && both.stderr.contains("one simulated draw"))
    }

    // MARK: - Today's profile, welfare, absent groups

    @Test("the baseline profile holds scenario run's baseline figures, overall, by age group and by area")
    func baselineProfile() throws {
        let dir = try Self.report(Array(Self.four.prefix(2)))
        let rows = csvRows(try Self.text(dir, "tables/baseline-profile.csv"))
        let run = try parseJSONObject(runSimrun(["scenario", "run", Self.four[0], "--by", "urban", "--format", "json"]).stdout)
        let baseline = try #require(run["baseline"] as? [String: Any])
        let by = try #require(baseline["by"] as? [String: Any])
        func check(_ label: String, _ table: [String: Any]?) throws {
            let row = try #require(rows.first { $0[0] == label }, "no row \(label)")
            let table = try #require(table)
            let poverty = try #require((table["poverty"] as? [[String: Any]])?.first)
            let expected = [try #require((table["population"] as? [String: Any])?["value"] as? Double),
                            try #require((poverty["fgt0"] as? [String: Any])?["value"] as? Double) * 100,
                            try #require((poverty["fgt1"] as? [String: Any])?["value"] as? Double),
                            try #require((table["gini"] as? [String: Any])?["value"] as? Double),
                            try #require((table["mean"] as? [String: Any])?["value"] as? Double)]
            let shown = [row[1], row[3], row[5], row[7], row[9]].map { Double($0) }
            for (x, y) in zip(shown, expected) {
                let x = try #require(x)
                #expect(abs(x - y) <= 1e-12 * max(1, abs(y)), "\(label): report \(x), scenario run \(y)")
            }
        }
        try check("Everyone", baseline["indicators"] as? [String: Any])
        try check("Area (urban) 0", (by["urban"] as? [String: Any])?["0"] as? [String: Any])
        try check("Area (urban) 1", (by["urban"] as? [String: Any])?["1"] as? [String: Any])
        try check("Age 65+", (by["age"] as? [String: Any])?["65+"] as? [String: Any])
        #expect(try Self.text(dir, "index.html").contains("Poverty and inequality today"))
    }

    @Test("on a consumption survey the report speaks of consumption deciles, not income")
    func welfareNamedAsInData() throws {
        let dir = try Self.report(["inputs/scenarios/consumption/rural-household-transfer-consumption-persons.yaml"])
        let html = try Self.text(dir, "index.html")
        #expect(html.contains("Mean gain by baseline consumption decile"))
        #expect(!html.contains("income decile"))
    }

    @Test("a group with nobody in the data says 'not in the data', not that it is a small cell")
    func absentGroup() throws {
        // The example survey without its households that have anyone aged 65 or more.
        let rows = csvRows(try String(contentsOf: packageRoot.appendingPathComponent(exampleData), encoding: .utf8))
        let age = try #require(rows[0].firstIndex(of: "age")), hh = try #require(rows[0].firstIndex(of: "hh_id"))
        let older = Set(rows.dropFirst().filter { Int($0[age]) ?? 0 >= 65 }.map { $0[hh] })
        let kept = [rows[0]] + rows.dropFirst().filter { !older.contains($0[hh]) }
        let dir = try makeScratchDirectory("absent")
        let data = dir.appendingPathComponent("no-older.csv")
        try kept.map { $0.joined(separator: ",") }.joined(separator: "\n").appending("\n").write(to: data, atomically: true, encoding: .utf8)
        let out = try Self.report([Self.four[0]], ["--data", data.path])
        for table in ["poverty-by-age", "baseline-profile", "coverage-gaps"] {
            let row = try #require(csvRows(try Self.text(out, "tables/\(table).csv")).first { $0[0].contains("65") || $0[0] == "older" },
                                   "\(table) has no row for the older group")
            #expect(row.contains("not in the data"), "\(table): \(row)")
            #expect(!row.contains("suppressed"), "\(table): \(row)")
        }
        // assess says the same.
        let assess = runSimrun(["assess", Self.four[0], "--data", data.path])
        #expect(assess.status == 0, "\(assess.stderr)")
        let olderRow = try #require(assess.stdout.split(separator: "\n").first { $0.hasPrefix("older") })
        #expect(olderRow.contains("not in the data") && !olderRow.contains("suppressed"))
    }

    // MARK: - The workbook

    @Test("xlsx: no disclosure columns, years are numbers, small cells marked by fill and explained once")
    func workbook() throws {
        let dir = try Self.report(Array(Self.four.prefix(2)), ["--years", "2026-2030", "--min-cell", "1000000"])
        let entries = try zipEntries(at: dir.appendingPathComponent("report.xlsx"))
        let sheets = entries.texts.filter { $0.key.hasPrefix("xl/worksheets/") }.map(\.value)
        for sheet in sheets {
            #expect(!sheet.contains("disclosure"))
            #expect(!sheet.contains("suppressed: Suppressed"))
        }
        // cost-by-year: after About, comparison and baseline-profile.
        let cost = try #require(entries.texts["xl/worksheets/sheet4.xml"])
        #expect(cost.contains("Net cost and beneficiaries by year"))
        let cells = ElementCollector.elements(in: cost)
        let a3 = try #require(cells.firstIndex { $0.name == "c" && $0.attributes["r"] == "A3" })
        #expect(cells[a3].attributes["t"] == nil && cells[a3 + 1].name == "v" && cells[a3 + 1].text == "2026")
        #expect(cost.contains("Grey cells (—) are suppressed"))
        let styles = try #require(entries.texts["xl/styles.xml"])
        #expect(styles.contains("FF\(XLSXStyles.suppressedFill)"))
        // The suppressed cells carry a style whose fill is the grey one (fill 3).
        let xfs = ElementCollector.elements(in: styles).filter { $0.name == "xf" }.dropFirst()  // cellStyleXfs' one first
        let grey = Set(xfs.enumerated().filter { $0.element.attributes["fillId"] == "3" }.map { String($0.offset) })
        let dashes = cells.filter { $0.name == "c" && $0.attributes["t"] == "inlineStr" && grey.contains($0.attributes["s"] ?? "") }
        #expect(!dashes.isEmpty)
        // The CSV keeps its machine-readable disclosure columns.
        #expect(try Self.text(dir, "tables/cost-by-year.csv").contains("disclosure"))
    }

    // MARK: - compare's terminal table

    @Test("compare's table fits in 120 columns with four options and intervals; labels head it, titles are below")
    func compareFits() throws {
        let run = runSimrun(["scenario", "compare"] + Self.four + ["--country", "example", "--years", "2026-2030", "--se", "linearized"])
        #expect(run.status == 0, "\(run.stderr)")
        let long = run.stdout.split(separator: "\n").filter { $0.count > 120 }
        #expect(long.isEmpty, "lines over 120 characters: \(long)")
        for (i, label) in Self.labels.enumerated() { #expect(run.stdout.contains("(\(i + 1)) \(label)")) }
        #expect(run.stdout.contains("Options:\n  (1) Child grant 30 = Universal child grant"))
    }

    @Test("the footnote on shares says who the poorest 40% are for these options, and why a share is n/a")
    func shareFootnote() throws {
        let run = runSimrun(["scenario", "compare", Self.four[0], "inputs/scenarios/income-tax-reform.yaml"])
        #expect(run.status == 0, "\(run.stderr)")
        // Footnotes wrap at 120 columns: read them as running text.
        let text = run.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("the 40% of persons with the lowest baseline per-capita household disposable income"))
        #expect(text.contains("n/a for (2): the option does not change benefits paid to households"))
        let file = "inputs/scenarios/consumption/rural-household-transfer-consumption.yaml"
        let consumption = runSimrun(["scenario", "compare", file, file])
        #expect(consumption.status == 0, "\(consumption.stderr)")
        let consumptionText = consumption.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(consumptionText.contains("with the lowest baseline household consumption"))
        #expect(!consumptionText.contains("lowest baseline per-capita household disposable income"))
    }
}
