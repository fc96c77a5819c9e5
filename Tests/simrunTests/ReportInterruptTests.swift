import SimReport
import Foundation
import Testing

@testable import simrun

/// An interrupted or killed `report` leaves nothing behind: no staging
/// folder, no earlier report moved aside, and an earlier report is back in
/// place or replaced whole.
@Suite("report: interruptions and leftovers")
struct ReportInterruptTests {
    static let fileManager = FileManager.default

    /// Everything in `directory`, hidden entries included, sorted.
    static func listing(_ directory: URL) -> [String] {
        ((try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    /// A process id that certainly does not run: a finished child's.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("SIGINT or SIGTERM during a report removes the staging folder, keeps an earlier report and exits 130 or 143",
          arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func interrupted(signal: Int32, status: Int32) throws {
        let executable = try #require(simrunExecutable)
        let scratch = try makeScratchDirectory("interrupt")
        defer { try? Self.fileManager.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("report")
        #expect(runSimrun(["report", exampleScenario, "--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("index.html"))

        let process = Process()
        process.executableURL = executable
        process.arguments = ["report", exampleScenario, "--out", out.path, "--quiet", "--date", "1999-01-01"]
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["SIMRUN_TEST_PAUSE_BEFORE_RENAME": "30"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the staging folder is complete (the workbook is written last), then interrupt.
        let deadline = Date().addingTimeInterval(60)
        var staged = false
        while Date() < deadline, process.isRunning, !staged {
            staged = Self.listing(scratch).contains { name in
                name.hasPrefix(".report.simrun-staging-")
                    && Self.fileManager.fileExists(atPath: scratch.appendingPathComponent(name).appendingPathComponent("report.xlsx").path)
            }
            if !staged { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(staged, "no staging folder appeared")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == status,
                "\(process.terminationReason) \(process.terminationStatus)")
        #expect(Self.listing(scratch) == ["report"])
        #expect(try Data(contentsOf: out.appendingPathComponent("index.html")) == before)
    }

    @Test("the next report removes a dead run's staging folder and moved-aside report, and nothing else")
    func leftoversRemoved() throws {
        let scratch = try makeScratchDirectory("leftovers")
        defer { try? Self.fileManager.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("report")
        try ReportWriter.write(ReportDocument.sample(), to: out)
        let dead = try Self.deadPID()
        func make(_ name: String, files: [String]) throws {
            let dir = scratch.appendingPathComponent(name)
            try Self.fileManager.createDirectory(at: dir.appendingPathComponent("tables"), withIntermediateDirectories: true)
            for file in files { try Data("x".utf8).write(to: dir.appendingPathComponent(file)) }
        }
        let deadStaging = ".report.simrun-staging-p\(dead)-\(UUID().uuidString)"
        let deadPrevious = ".report.simrun-previous-p\(dead)-\(UUID().uuidString)"
        let liveStaging = ".report.simrun-staging-p\(getpid())-\(UUID().uuidString)"  // a run still going
        let stranger = ".report.simrun-staging-p\(dead)-\(UUID().uuidString)"  // holds a user's file
        let otherReport = ".other.simrun-staging-p\(dead)-\(UUID().uuidString)"  // another report's
        let notOurs = ".report.simrun-staging-p\(dead)-not-a-uuid"
        try make(deadStaging, files: ["index.html", "tables/a.csv"])
        try make(deadPrevious, files: ["index.html", "report.xlsx"])
        try make(liveStaging, files: ["index.html"])
        try make(stranger, files: ["index.html", "thesis.docx"])
        try make(otherReport, files: ["index.html"])
        try make(notOurs, files: ["index.html"])

        try ReportWriter.write(ReportDocument.sample(), to: out)
        #expect(Self.listing(scratch) == [liveStaging, notOurs, otherReport, stranger, "report"].sorted())
    }

    @Test("a dead run's moved-aside report is put back when the report itself is missing, then replaced by the new one")
    func previousRestored() throws {
        let scratch = try makeScratchDirectory("restore")
        defer { try? Self.fileManager.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("report")
        try ReportWriter.write(ReportDocument.sample(), to: out)
        let previous = scratch.appendingPathComponent(".report.simrun-previous-p\(try Self.deadPID())-\(UUID().uuidString)")
        try Self.fileManager.moveItem(at: out, to: previous)
        try ReportWriter.write(smallDocument(table: ReportTable(id: "new-table", title: "New", columns: [ReportColumn("x")],
                                                                rows: [[.text("1")]])), to: out)
        #expect(Self.listing(scratch) == ["report"])
        #expect(Self.listing(out.appendingPathComponent("tables")) == ["new-table.csv"])
    }

    @Test("replacing a read-only earlier report leaves no moved-aside folder")
    func readOnlyEarlierReport() throws {
        let scratch = try makeScratchDirectory("read-only")
        defer {
            _ = try? runShell("chmod -R u+w '\(scratch.path)'")
            try? Self.fileManager.removeItem(at: scratch)
        }
        // Root ignores permissions: run simrun as an ordinary user then.
        var prefix: [String] = []
        if geteuid() == 0 {
            prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            chown(scratch.path, 65534, 65534)
        }
        let out = scratch.appendingPathComponent("report").path
        let env = ["HOME": scratch.path, "SIMRUN_NO_DIGEST_CACHE": "1"]
        let first = runSimrunThroughShell("true", ["report", exampleScenario, "--out", out, "--quiet"], environment: env, prefix: prefix)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try runShell("chmod -R a-w '\(out)'") == 0)
        let second = runSimrunThroughShell("true", ["report", exampleScenario, "--out", out, "--quiet", "--date", "1999-01-01"],
                                           environment: env, prefix: prefix)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Self.listing(scratch) == ["report"])
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(html.contains("1999-01-01"))
    }

    /// Runs `/bin/sh -c command` and returns its exit status.
    func runShell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
