import Foundation
import Testing

/// `simrun serve` as a user starts it: the address with the token on standard output, nothing else there;
/// a warning for a non-loopback `--host`; bad options refused with exit status 64.
@Suite("simrun serve: the command")
struct ServeCommandTests {
    /// Starts `simrun serve args` and returns its first line of standard output and its standard error so far.
    static func start(_ args: [String]) throws -> (line: String, stderr: String) {
        let executable = try #require(simrunExecutable)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"] + args
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var line = Data()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        Thread.sleep(forTimeInterval: 0.3)
        process.terminate()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (String(decoding: line, as: UTF8.self), stderr)
    }

    @Test("serve prints only the loopback address with a 128-bit token on standard output")
    func address() throws {
        let (line, stderr) = try Self.start([ServeHTTPTests.childGrant, "--port", "0"])
        #expect(line.range(of: #"^http://127\.0\.0\.1:[0-9]{2,5}/\?token=[0-9a-f]{32}\n$"#, options: .regularExpression) != nil, "\(line)")
        #expect(!stderr.contains("warning"), "\(stderr)")
    }

    @Test("a --host other than loopback is served with a warning")
    func otherHost() throws {
        let (line, stderr) = try Self.start([ServeHTTPTests.childGrant, "--port", "0", "--host", "0.0.0.0"])
        #expect(line.hasPrefix("http://0.0.0.0:"), "\(line)")
        #expect(stderr.contains("warning: listening on 0.0.0.0"), "\(stderr)")
    }

    @Test("bad options are refused with exit status 64, a missing scenario with 66")
    func badOptions() {
        for args in [["--port", "70000"], ["--port", "-1"], ["--min-cell", "0"], ["--host", "a b"]] {
            let result = runSimrun(["serve"] + args)
            #expect(result.status == 64, "\(args): \(result.stderr)")
        }
        let missing = runSimrun(["serve", "no-such-scenario.yaml", "--port", "0"])
        #expect(missing.status == 66, "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)
    }
}
