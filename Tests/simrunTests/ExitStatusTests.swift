import Foundation
import Testing

/// Runs `simrun` with `environment` added, through `/bin/sh -c script` (the
/// script ends with `exec "$0" "$@"` to become simrun with its arguments), so
/// a test can set resource limits or signal dispositions first.
func runSimrunThroughShell(_ script: String, _ args: [String], environment: [String: String] = [:],
                           prefix: [String] = []) -> (stdout: String, stderr: String, status: Int32) {
    guard let executable = simrunExecutable else { return ("", "no simrun executable", 127) }
    let process = Process()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-sh-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    guard let out = try? FileHandle(forWritingTo: outURL), let err = try? FileHandle(forWritingTo: errURL) else {
        return ("", "cannot make output files", 127)
    }
    // With a prefix (e.g. setpriv ...), the prefix runs /bin/sh.
    let command = prefix + ["/bin/sh", "-c", script + "; exec \"$0\" \"$@\"", executable.path] + args
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.currentDirectoryURL = packageRoot
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return ("", "cannot run: \(error)", 127) }
    process.waitUntilExit()
    try? out.close()
    try? err.close()
    let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
    let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
    return (stdout, stderr, process.terminationStatus)
}

/// The `sysexits.h` statuses, one test per status, and their documentation in every `--help`.
@Suite("simrun exit statuses")
struct ExitStatusTests {
    /// A fresh temporary directory.
    static func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-exit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("every command's --help ends with the same exit-status paragraph, naming 64, 65, 66, 73 and 74",
          arguments: [[], ["scenario"], ["scenario", "run"], ["scenario", "compare"], ["scenario", "validate"],
                      ["scenario", "list"], ["scenario", "describe"], ["assess"], ["report"], ["data"],
                      ["data", "import"], ["stats"], ["household"], ["scenario", "explain"]])
    func helpNamesExitStatuses(command: [String]) {
        let result = runSimrun(command + ["--help"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["Exit status: 0 success; 64 bad command line", "65 bad input data", "66 a named input file",
                       "73 an output that cannot be created", "74 an I/O error"] {
            #expect(text.contains(phrase), "simrun \(command.joined(separator: " ")) --help lacks '\(phrase)'")
        }
    }

    @Test("an empty --out is a bad command line (64), for data import and report")
    func emptyOut() {
        let imported = runSimrun(["data", "import", exampleData, "--out", ""])
        #expect(imported.status == 64 && imported.stderr.contains("--out"), "\(imported.stderr)")
        let report = runSimrun(["report", exampleScenario, "--out", ""])
        #expect(report.status == 64 && report.stderr.contains("--out"), "\(report.stderr)")
    }

    @Test("--out naming the input CSV under another spelling is a bad command line (64), and the CSV is kept")
    func outIsInput() throws {
        let dir = try Self.workspace()
        let csv = dir.appendingPathComponent("persons.csv")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent(exampleData), to: csv)
        let before = try Data(contentsOf: csv)
        let run = runSimrun(["data", "import", csv.path, "--out", dir.path + "/./persons.csv"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(try Data(contentsOf: csv) == before)
    }

    @Test("bad data is 65")
    func badData() {
        let run = runSimrun(["scenario", "run", exampleScenario, "--data", "Tests/Fixtures/broken/duplicate-person-id.csv"])
        #expect(run.status == 65, "\(run.stderr)")
    }

    @Test("a named input file that does not exist is 66: data, scenario, column map, country profile, import source")
    func noInput() {
        let cases: [[String]] = [
            ["scenario", "run", exampleScenario, "--data", "no-such-folder/persons.csv"],
            ["scenario", "run", "no-such-scenario.yaml"],
            ["scenario", "run", exampleScenario, "--columns", "no-such-map.yaml"],
            ["scenario", "compare", exampleScenario, exampleScenario, "--country", "no-such-profile.yaml"],
            ["data", "import", "no-such.csv", "--out", FileManager.default.temporaryDirectory.appendingPathComponent("x-\(UUID().uuidString).simdata").path],
            ["stats", "no-such.csv", "--income", "earnings"],
        ]
        for args in cases {
            let run = runSimrun(args)
            #expect(run.status == 66, "\(args.joined(separator: " ")): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("no-such"), "\(run.stderr)")
        }
    }

    @Test("a FIFO or a device given as data is refused at once (66), never waited on")
    func dataNotARegularFile() throws {
        let dir = try Self.workspace()
        let fifo = dir.appendingPathComponent("persons.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let cases: [[String]] = [
            ["scenario", "run", exampleScenario, "--data", fifo],
            ["data", "import", fifo, "--out", dir.appendingPathComponent("x.simdata").path],
            ["scenario", "run", exampleScenario, "--data", "/dev/zero"],
        ]
        for args in cases {
            // timeout(1) exits 124 if simrun hangs.
            let run = runSimrunThroughShell("true", args, prefix: ["/usr/bin/timeout", "20"])
            #expect(run.status == 66, "\(args.joined(separator: " ")): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("not a regular file"), "\(run.stderr)")
        }
    }

    @Test("data import into a folder that does not exist is 73, not 65")
    func missingFolder() throws {
        let dir = try Self.workspace()
        let out = dir.appendingPathComponent("missing/survey.simdata").path
        let run = runSimrun(["data", "import", exampleData, "--out", out])
        #expect(run.status == 73, "\(run.stderr)")
        #expect(run.stderr.contains("missing"), "\(run.stderr)")
    }

    @Test("data import into a folder it may not write is 73 (run as an ordinary user)")
    func unwritableFolder() throws {
        let dir = try Self.workspace()
        var prefix: [String] = []
        if geteuid() == 0 {  // root may write anywhere: run as nobody
            prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        chmod(dir.path, 0o555)
        defer { chmod(dir.path, 0o755) }
        let out = dir.appendingPathComponent("survey.simdata").path
        let run = runSimrunThroughShell("true", ["data", "import", exampleData, "--out", out],
                                        environment: ["HOME": dir.path, "SIMRUN_NO_DIGEST_CACHE": "1"], prefix: prefix)
        #expect(run.status == 73, "\(run.stderr)")
        #expect(run.stderr.contains("Permission denied"), "\(run.stderr)")
    }

    @Test("a killed import's temporary file is removed by the next import beside it; others' files are not")
    func staleTemporaryRemoved() throws {
        let dir = try Self.workspace()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = ".survey.simdata.\(dead.processIdentifier).12345.partial"
        let live = ".survey.simdata.\(getpid()).777.partial"  // an import still running
        let other = ".survey.simdata.\(dead.processIdentifier).notanumber.partial"
        for name in [stale, live, other] { try "x".write(to: dir.appendingPathComponent(name), atomically: false, encoding: .utf8) }
        let run = runSimrun(["data", "import", exampleData, "--out", dir.appendingPathComponent("survey.simdata").path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [live, other, "survey.simdata"].sorted())
    }

    @Test("data import over a symbolic link, a FIFO or a folder refuses (73) and leaves it as it was")
    func refusesNonRegular() throws {
        let dir = try Self.workspace()
        let fm = FileManager.default
        let target = dir.appendingPathComponent("target.txt")
        try "keep me".write(to: target, atomically: false, encoding: .utf8)
        let link = dir.appendingPathComponent("link.simdata")
        try fm.createSymbolicLink(at: link, withDestinationURL: target)
        let fifo = dir.appendingPathComponent("fifo.simdata")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let folder = dir.appendingPathComponent("folder.simdata")
        try fm.createDirectory(at: folder, withIntermediateDirectories: false)
        for (path, mode, what) in [(link, S_IFLNK, "symbolic link"), (fifo, S_IFIFO, "FIFO"), (folder, S_IFDIR, "directory")] {
            let run = runSimrun(["data", "import", exampleData, "--out", path.path])
            #expect(run.status == 73, "\(what): \(run.stderr)")
            #expect(run.stderr.contains(what), "\(run.stderr)")
            var info = stat()
            #expect(lstat(path.path, &info) == 0 && info.st_mode & S_IFMT == mode, "\(what) was replaced")
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
        // Nothing but what the test made: no temporary file left.
        #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted()
            == ["fifo.simdata", "folder.simdata", "link.simdata", "target.txt"])
    }

    @Test("data import replaces an existing regular file atomically")
    func replacesRegularFile() throws {
        let dir = try Self.workspace()
        let out = dir.appendingPathComponent("survey.simdata")
        try "old".write(to: out, atomically: false, encoding: .utf8)
        let run = runSimrun(["data", "import", exampleData, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Data(contentsOf: out).prefix(8) == Data("SIMDATA1".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["survey.simdata"])
    }

    @Test("data import interrupted by SIGINT or SIGTERM leaves no temporary file and the old --out as it was",
          arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func importInterrupted(signal: Int32, status: Int32) throws {
        let executable = try #require(simrunExecutable)
        let dir = try Self.workspace()
        let out = dir.appendingPathComponent("survey.simdata")
        try "old".write(to: out, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["data", "import", exampleData, "--out", out.path, "--quiet"]
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(["SIMRUN_TEST_PAUSE_BEFORE_RENAME": "30"]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning,
              !((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).contains(where: { $0.hasSuffix(".partial") }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.2)  // the pause follows the temporary file's creation
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == status, "\(process.terminationStatus)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["survey.simdata"])
        #expect(try String(contentsOf: out, encoding: .utf8) == "old")
    }

    @Test("a write that fails part-way (file size limit) is an I/O error (74) and leaves no file")
    func ioError() throws {
        let dir = try Self.workspace()
        let out = dir.appendingPathComponent("survey.simdata").path
        // SIGXFSZ ignored: the write returns EFBIG instead of killing the process.
        let run = runSimrunThroughShell("ulimit -f 64; trap '' XFSZ", ["data", "import", exampleData, "--out", out])
        #expect(run.status == 74, "\(run.stderr)")
        #expect(run.stderr.contains("survey.simdata") && run.stderr.contains("writing the file failed"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("results that cannot be written to standard output (a full disk) are an I/O error (74), not a crash",
          arguments: [["scenario", "run", exampleScenario], ["scenario", "list"], ["scenario", "validate", exampleScenario],
                      ["assess", exampleScenario], ["scenario", "compare", exampleScenario, exampleScenario]])
    func standardOutputFull(command: [String]) {
        let run = runSimrunThroughShell("exec >/dev/full", command)
        #expect(run.status == 74, "\(command.joined(separator: " ")): \(run.status) \(run.stderr.prefix(300))")
        #expect(run.stderr.contains("standard output: cannot write the results"), "\(run.stderr.prefix(300))")
    }

    @Test("a report whose files cannot be written whole (file size limit) is an I/O error (74), leaving nothing")
    func reportIOError() throws {
        let dir = try Self.workspace()
        let out = dir.appendingPathComponent("report").path
        let run = runSimrunThroughShell("ulimit -f 8; trap '' XFSZ", ["report", exampleScenario, "--out", out, "--quiet"])
        #expect(run.status == 74, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("a report into a folder that is not a report is 73, as documented")
    func reportCannotCreate() throws {
        let dir = try Self.workspace()
        try "mine".write(to: dir.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
        let run = runSimrun(["report", exampleScenario, "--out", dir.path, "--quiet"])
        #expect(run.status == 73, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["notes.txt"])
    }
}
