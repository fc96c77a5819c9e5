import Foundation
import Testing

/// `simrun data import` and runs on the binary survey file it writes.
@Suite("simrun data import: the binary survey file")
struct DataImportTests {
    /// A fresh temporary directory holding a copy of the example data.
    func workspace() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent(exampleData),
                                         to: dir.appendingPathComponent("persons.csv"))
        return dir
    }

    /// The JSON results without the provenance block (which names the input file).
    func results(_ json: String) throws -> String {
        let object = try parseJSONObject(json)
        let keep = ["baseline", "reform", "change"].map { key in
            (try? JSONSerialization.data(withJSONObject: object[key] as Any, options: [.sortedKeys])) ?? Data()
        }
        return keep.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }

    @Test("a run on the imported file gives exactly the CSV run's results")
    func sameResults() throws {
        let dir = try workspace()
        let csv = dir.appendingPathComponent("persons.csv").path
        let simdata = dir.appendingPathComponent("survey.simdata").path
        let imported = runSimrun(["data", "import", csv, "--out", simdata])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.isEmpty)
        let fromCSV = runSimrun(["scenario", "run", exampleScenario, "--data", csv, "--format", "json"])
        let fromCache = runSimrun(["scenario", "run", exampleScenario, "--data", simdata, "--format", "json"])
        #expect(fromCSV.status == 0 && fromCache.status == 0, "\(fromCache.stderr)")
        #expect(try results(fromCSV.stdout) == results(fromCache.stdout))
    }

    @Test("a binary file whose CSV has changed since the import is refused, naming both")
    func staleCacheRefused() throws {
        let dir = try workspace()
        let csv = dir.appendingPathComponent("persons.csv")
        let simdata = dir.appendingPathComponent("survey.simdata").path
        #expect(runSimrun(["data", "import", csv.path, "--out", simdata]).status == 0)
        let handle = try FileHandle(forWritingTo: csv)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("99999,999999,10,1,1,1,1,30,1,0,0.00,0.00,0\n".utf8))
        try handle.close()
        let run = runSimrun(["scenario", "run", exampleScenario, "--data", simdata])
        #expect(run.status == 65)
        #expect(run.stderr.contains("survey.simdata") && run.stderr.contains("has changed since"))
        #expect(run.stdout.isEmpty)
    }

    @Test("a damaged binary file is refused with exit 65, never producing numbers")
    func damagedRefused() throws {
        let dir = try workspace()
        let simdata = dir.appendingPathComponent("survey.simdata")
        #expect(runSimrun(["data", "import", dir.appendingPathComponent("persons.csv").path, "--out", simdata.path]).status == 0)
        var bytes = try Data(contentsOf: simdata)
        bytes[200] ^= 0xFF  // inside the first data column
        try bytes.write(to: simdata)
        let run = runSimrun(["scenario", "run", exampleScenario, "--data", simdata.path])
        #expect(run.status == 65)
        #expect(run.stderr.contains("damaged"))
        #expect(run.stdout.isEmpty)
        // Truncated.
        try bytes.prefix(1000).write(to: simdata)
        let truncated = runSimrun(["scenario", "run", exampleScenario, "--data", simdata.path])
        #expect(truncated.status == 65 && truncated.stderr.contains("damaged"))
    }

    @Test("importing a broken CSV writes nothing and names the line")
    func brokenCSVWritesNothing() throws {
        let dir = try workspace()
        let out = dir.appendingPathComponent("broken.simdata").path
        let run = runSimrun(["data", "import", "Tests/Fixtures/broken/duplicate-person-id.csv", "--out", out])
        #expect(run.status == 65)
        #expect(run.stderr.contains("duplicate-person-id.csv:"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("text columns are kept as categories and the column map is applied once")
    func categoriesAndMap() throws {
        let dir = try workspace()
        let out = dir.appendingPathComponent("renamed.simdata").path
        let run = runSimrun(["data", "import", "Tests/Fixtures/cli/households-renamed.csv",
                             "--columns", "Tests/Fixtures/cli/households-renamed.columns.yaml", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let withMap = runSimrun(["scenario", "run", exampleScenario, "--data", out,
                                 "--columns", "Tests/Fixtures/cli/households-renamed.columns.yaml"])
        #expect(withMap.status == 65 && withMap.stderr.contains("column map applies when importing"))
        let plain = runSimrun(["scenario", "run", exampleScenario, "--data", smallData, "--format", "json"])
        let cached = runSimrun(["scenario", "run", exampleScenario, "--data", out, "--format", "json"])
        #expect(try results(plain.stdout) == results(cached.stdout))
    }

    @Test("a numeric column with a number too large for a double is an error, not a category")
    func overflowIsNotText() throws {
        let dir = try workspace()
        let csv = dir.appendingPathComponent("overflow.csv")
        try "hh_id,person_id,weight,age,labour_status,earnings,other_income,income2\n1,1,10,30,1,100,0,100.5\n1,2,10,5,0,0,0,1e400\n2,3,5,40,2,50,0,7\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("overflow.simdata").path
        let run = runSimrun(["data", "import", csv.path, "--out", out])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("overflow.csv:3") && run.stderr.contains("too large"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
