import SimReport
import Foundation
import Testing

/// `simrun report`: the pack a national dialogue gets, from real options.
@Suite("simrun report")
struct ReportCommandTests {
    let options = ["inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/social-pension.yaml"]

    func report(_ extra: [String] = []) throws -> (URL, (stdout: String, stderr: String, status: Int32)) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-report-\(UUID().uuidString)")
        let run = runSimrun(["report"] + options + ["--out", dir.path, "--country", "example", "--years", "2026-2030",
                                                    "--date", "2026-01-15", "--quiet"] + extra)
        return (dir, run)
    }

    @Test("writes an offline HTML page, every table as CSV and an xlsx workbook with a sheet per table")
    func writesPack() throws {
        let (dir, run) = try report()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        for text in ["Options compared", "Net cost by year", "Poverty headcount by age group", "Mean gain by baseline income decile",
                     "Persons gaining and losing", "Coverage gaps", "<svg", "2026-01-15", Self.version] {
            #expect(html.contains(text), "index.html lacks \(text)")
        }
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script src"))
        let tables = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("tables").path).sorted()
        #expect(tables == ["baseline-profile.csv", "comparison.csv", "cost-by-year.csv", "coverage-gaps.csv", "gain-by-decile.csv", "poverty-by-age.csv"])
        let entries = try zipEntries(at: dir.appendingPathComponent("report.xlsx"))
        #expect(entries.order.contains("xl/workbook.xml"))
        #expect(entries.order.filter { $0.hasPrefix("xl/worksheets/sheet") }.count >= 5)
        let comparison = try String(contentsOf: dir.appendingPathComponent("tables/comparison.csv"), encoding: .utf8)
        #expect(comparison.contains("Annual net cost"))
    }

    static let version: String = {
        let r = runSimrun(["--version"])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    @Test("the same inputs and date give the same bytes")
    func reproducible() throws {
        let (a, ra) = try report()
        let (b, rb) = try report()
        #expect(ra.status == 0 && rb.status == 0)
        for name in ["index.html", "tables/comparison.csv", "tables/coverage-gaps.csv", "report.xlsx"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name)), "\(name) differs")
        }
    }

    @Test("cells on too few observations are suppressed everywhere and the suppression is stated")
    func suppression() throws {
        // With a threshold above the sample size every count-based cell is suppressed.
        let (dir, run) = try report(["--min-cell", "1000000"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("fewer than 1000000 unweighted observations"))
        let csv = try String(contentsOf: dir.appendingPathComponent("tables/coverage-gaps.csv"), encoding: .utf8)
        #expect(csv.contains("suppressed"))
        // Every table goes through the one rule: poverty by age group and the cost-by-year beneficiaries too.
        for table in ["poverty-by-age", "cost-by-year", "comparison"] {
            let text = try String(contentsOf: dir.appendingPathComponent("tables/\(table).csv"), encoding: .utf8)
            #expect(text.contains("suppressed"), "\(table).csv has no suppressed cell")
        }
        // The child grant's weighted beneficiaries (1,452,199) must appear nowhere.
        #expect(!html.contains("1,452,199"))
        #expect(!(try String(contentsOf: dir.appendingPathComponent("tables/comparison.csv"), encoding: .utf8)).contains("1452198"))
    }

    @Test("an existing folder that is not a report is left alone, with an error")
    func refusesForeignFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-notreport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "keep me".write(to: dir.appendingPathComponent("thesis.docx"), atomically: true, encoding: .utf8)
        let run = runSimrun(["report"] + options + ["--out", dir.path, "--quiet"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("thesis.docx"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("thesis.docx").path))
    }

    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("the real report renders in headless Chromium",
          .enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium); browser rendering not checked"),
          .timeLimit(.minutes(3)))
    func rendersInBrowser() throws {
        let (dir, run) = try report()
        #expect(run.status == 0)
        let png = dir.appendingPathComponent("page.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(dir.appendingPathComponent(".profile").path)",
                             "--screenshot=\(png.path)", "--window-size=1200,4000",
                             dir.appendingPathComponent("index.html").absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(data.count > 100_000, "a \(data.count)-byte screenshot of a page of tables and charts: blank?")
    }
}
