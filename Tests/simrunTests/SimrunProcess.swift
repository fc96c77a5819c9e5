import Foundation
import Testing

/// Running the built `simrun` executable as a subprocess, the way a user or a
/// script runs it: arguments in; standard output, standard error and exit
/// status out.

/// The package root: three levels above this file (`Tests/simrunTests/SimrunProcess.swift`).
let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // simrunTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root

/// The example scenario shipped with simrun, relative to the package root.
let exampleScenario = "inputs/scenarios/universal-child-grant.yaml"
/// The example data the example scenario names, relative to the package root.
let exampleData = "inputs/data/example-persons.csv"
/// A 4-household, 12-person survey in SPEC.md's columns (see `Tests/Fixtures/cli/`).
let smallData = "Tests/Fixtures/cli/households.csv"

/// The `simrun` executable built with these tests.
///
/// `swift test` builds it into the same directory as the test bundle. On Linux
/// the bundle is an executable (`simrunPackageTests.xctest`) and
/// `Bundle.main.bundleURL` is its directory; on macOS the `.xctest` bundle sits
/// beside the executable. As a last resort, `.build*/debug/simrun` under the
/// package root (any scratch path).
let simrunExecutable: URL? = {
    let fm = FileManager.default
    var directories: [URL] = [Bundle.main.bundleURL]
    if let first = CommandLine.arguments.first {
        directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
    }
    for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
        directories.append(bundle.bundleURL.deletingLastPathComponent())
    }
    let scratch = ((try? fm.contentsOfDirectory(atPath: packageRoot.path)) ?? [])
        .filter { $0.hasPrefix(".build") }
        .sorted()
    for name in scratch {
        directories.append(packageRoot.appendingPathComponent(name).appendingPathComponent("debug"))
    }
    for directory in directories {
        let candidate = directory.appendingPathComponent("simrun")
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
            fm.isExecutableFile(atPath: candidate.path)
        {
            return candidate
        }
    }
    return nil
}()

/// Runs `simrun args...` in `cwd` and waits for it.
///
/// Output goes through temporary files rather than pipes, so a large output
/// on one stream can never block the process while the other is read.
///
/// - Returns: Standard output, standard error (UTF-8) and the exit status;
///   status 127 with an explanation on standard error if the executable or
///   the temporary files cannot be found or made.
func runSimrun(_ args: [String], cwd: URL = packageRoot) -> (stdout: String, stderr: String, status: Int32) {
    guard let executable = simrunExecutable else {
        return ("", "runSimrun: no simrun executable next to the test bundle or under .build*/debug", 127)
    }
    let fm = FileManager.default
    let scratch = fm.temporaryDirectory.appendingPathComponent("simrun-cli-\(UUID().uuidString)")
    do {
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
    } catch {
        return ("", "runSimrun: cannot create \(scratch.path): \(error)", 127)
    }
    defer { try? fm.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = fm.createFile(atPath: outURL.path, contents: nil)
    _ = fm.createFile(atPath: errURL.path, contents: nil)
    do {
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.currentDirectoryURL = cwd
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return (stdout, stderr, process.terminationStatus)
    } catch {
        return ("", "runSimrun: cannot run \(executable.path): \(error)", 127)
    }
}

/// The JSON object printed by `simrun scenario run ... --format json`.
func parseJSONObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any], "the output is not a JSON object", sourceLocation: sourceLocation)
}

/// The number under `key` of a JSON object, exactly as printed.
///
/// JSONSerialization (swift-corelibs-foundation) returns some numbers as
/// NSDecimalNumber, whose `doubleValue` can be off by an ulp or two
/// (0.4654777465137386 reads back as 0.4654777465137384); its `stringValue`
/// keeps the printed digits, and `Double(_:)` reads those correctly rounded.
func number(_ object: [String: Any], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Double {
    let value = try #require(object[key] as? NSNumber, "no number under '\(key)'", sourceLocation: sourceLocation)
    return Double(value.stringValue) ?? value.doubleValue
}
