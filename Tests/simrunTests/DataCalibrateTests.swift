import Foundation
import Testing

/// `simrun data calibrate`: the command around SimKernel's `Calibration`, on
/// `Tests/Fixtures/calibration/` (R's golden weights are checked in
/// StatisticsTests/CalibrationReferenceTests.swift; here the file handling,
/// diagnostics and errors).
@Suite("simrun data calibrate")
struct DataCalibrateTests {
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/calibration")
    static let margins = fixtures.appendingPathComponent("margins.yaml").path
    static let persons = fixtures.appendingPathComponent("persons.csv").path

    /// A fresh directory holding `files` (name → content).
    func workspace(_ files: [String: String] = [:]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, content) in files { try content.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// The margins file with `line` (e.g. `    10: 4886.5`) replaced by `replacement` (lines joined by newlines).
    func margins(replacing line: String, with replacement: String) throws -> String {
        let text = try String(contentsOfFile: Self.margins, encoding: .utf8)
        #expect(text.contains(line + "\n"), "the fixture has the line \(line)")
        return text.replacingOccurrences(of: line + "\n", with: replacement.isEmpty ? "" : replacement + "\n")
    }

    /// The 1-based line of `text` in the margins fixture.
    func lineOf(_ text: String) throws -> Int {
        let lines = try String(contentsOfFile: Self.margins, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.hasPrefix(text) }) + 1
    }

    func calibrate(_ extra: [String], data: String = persons, marginsFile: String = margins, out: URL) -> (stdout: String, stderr: String, status: Int32) {
        runSimrun(["data", "calibrate", data, "--weight", "weight", "--margins", marginsFile, "--out", out.path] + extra)
    }

    @Test("writes every input column plus the new one, numbers that read back exactly, and says what it did")
    func writesData() throws {
        let dir = try workspace()
        let out = dir.appendingPathComponent("out.csv")
        let run = calibrate(["--method", "raking", "--household", "hh_id", "--name", "w2"], out: out)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let input = try String(contentsOfFile: Self.persons, encoding: .utf8).split(separator: "\n")
        let output = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(output.count == input.count)
        #expect(output[0] == input[0] + ",w2")
        let golden = try String(contentsOf: Self.fixtures.appendingPathComponent("golden.csv"), encoding: .utf8).split(separator: "\n")
        let column = try #require(golden[0].split(separator: ",").firstIndex(of: "raking_hh"))
        for (k, line) in output.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.dropLast().joined(separator: ",") == input[k], "line \(k + 1) keeps the input's fields")
            let ours = try #require(Double(String(fields.last!)))
            #expect("\(ours)" == String(fields.last!) || ours == ours.rounded(), "shortest round-trip text")
            let r = try #require(Double(String(golden[k].split(separator: ",")[column])))
            #expect(abs(ours - r) / r < 1e-9)
        }
        for words in ["in ", "iterations", "largest remaining deviation", "median", "99%", "150 households", "wrote"] {
            #expect(run.stderr.contains(words), "diagnostics say \(words): \(run.stderr)")
        }
    }

    @Test("--format json: iterations, largest deviations, ratio quantiles and every margin on standard output")
    func jsonDiagnostics() throws {
        let dir = try workspace()
        let run = calibrate(["--method", "logit", "--bounds", "0.8,1.25", "--format", "json"], out: dir.appendingPathComponent("o.csv"))
        #expect(run.status == 0, "\(run.stderr)")
        let object = try parseJSONObject(run.stdout)
        #expect(try number(object, "iterations") >= 2)
        let q = try #require(object["ratio_quantiles"] as? [String: Any])
        let minimum = try number(q, "min"), median = try number(q, "median"), maximum = try number(q, "max")
        let ordered: Bool = [0.8, minimum, median, maximum, 1.25] == [0.8, minimum, median, maximum, 1.25].sorted()
        #expect(ordered, "\(minimum) \(median) \(maximum)")
        let largest = try #require(object["largest_relative_deviation"] as? [String: Any])
        #expect(try number(largest, "relative_deviation") < 1e-7)
        let cells: Int = (object["margins"] as? [Any])?.count ?? 0
        #expect(cells == 15, "10 regions, 2 sexes, 2 urban categories and age")
    }

    @Test("bounds too tight for the totals: exit 65, no output, the largest deviation and the margins file named")
    func infeasibleBounds() throws {
        let dir = try workspace()
        let out = dir.appendingPathComponent("o.csv")
        let run = calibrate(["--method", "raking", "--bounds", "0.99,1.01"], out: out)
        #expect(run.status == 65)
        #expect(run.stderr.contains("margins.yaml") && run.stderr.contains("did not converge in 50 iterations")
                && run.stderr.contains("largest remaining deviation"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("a category with no observations is an error naming its line in the margins file")
    func emptyCategory() throws {
        let dir = try workspace(["m.yaml": try margins(replacing: "    10: 4886.5", with: "    10: 4000\n    11: 886.5")])
        let run = calibrate([], marginsFile: dir.appendingPathComponent("m.yaml").path, out: dir.appendingPathComponent("o.csv"))
        #expect(run.status == 65)
        #expect(run.stderr.contains("m.yaml:\(try lineOf("    10:") + 1) (margins.region.11)") && run.stderr.contains("no observations"), "\(run.stderr)")
    }

    @Test("a category in the data missing from the margins is an error naming the category, its rows and the margin's line")
    func unlistedCategory() throws {
        let dir = try workspace(["m.yaml": try margins(replacing: "    10: 4886.5", with: "")])
        let region = try lineOf("  region:")
        let fixed = try String(contentsOf: dir.appendingPathComponent("m.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    1: 15411.5", with: "    1: 20298")   // keep the grand totals equal
        try fixed.write(to: dir.appendingPathComponent("m.yaml"), atomically: true, encoding: .utf8)
        let run = calibrate([], marginsFile: dir.appendingPathComponent("m.yaml").path, out: dir.appendingPathComponent("o.csv"))
        #expect(run.status == 65)
        #expect(run.stderr.contains("m.yaml:\(region) (margins.region)") && run.stderr.contains("'10' is in the data (22 rows")
                && run.stderr.contains("has no total"), "\(run.stderr)")
    }

    @Test("categorical margins with different grand totals contradict each other")
    func contradictoryTotals() throws {
        let dir = try workspace(["m.yaml": try margins(replacing: "    female: 71205.5", with: "    female: 71305.5")])
        let run = calibrate([], marginsFile: dir.appendingPathComponent("m.yaml").path, out: dir.appendingPathComponent("o.csv"))
        #expect(run.status == 65)
        #expect(run.stderr.contains("m.yaml:\(try lineOf("  sex:")) (margins.sex)") && run.stderr.contains("grand totals must be equal"), "\(run.stderr)")
    }

    @Test("a total that is not a number, an unknown column and an unknown key name the margins file's line")
    func badMarginsFile() throws {
        let cases: [(String, String, String, String)] = [
            ("    male: 80271.5", "    male: lots", "(margins.sex.male)", "expected a number"),
            ("  age: 4370594.5", "  agee: 4370594.5", "(margins.agee)", "did you mean 'age'"),
            ("  age: 4370594.5", "  age: 4370594.5\ntotals: 3", "(totals)", "unknown key"),
            ("  age: 4370594.5", "  sex: 3\n  age: 4370594.5", "(margins.sex)", "appears twice"),
        ]
        for (line, replacement, field, words) in cases {
            let dir = try workspace(["m.yaml": try margins(replacing: line, with: replacement)])
            let run = calibrate([], marginsFile: dir.appendingPathComponent("m.yaml").path, out: dir.appendingPathComponent("o.csv"))
            #expect(run.status == 65, "\(replacement): \(run.stderr)")
            #expect(run.stderr.contains("m.yaml:") && run.stderr.contains(field) && run.stderr.contains(words), "\(replacement): \(run.stderr)")
        }
    }

    @Test("a weight of 0, a missing weight or a missing margin value names the data file's line and column")
    func badData() throws {
        let text = try String(contentsOfFile: Self.persons, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        func with(_ line: Int, _ column: String, _ value: String) -> String {
            var copy = lines
            var fields = copy[line - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[header.firstIndex(of: column)!] = value
            copy[line - 1] = fields.joined(separator: ",")
            return copy.joined(separator: "\n") + "\n"
        }
        let cases = [(with(5, "weight", "0"), "persons.csv:5 (weight)", "not positive"),
                     (with(7, "weight", ""), "persons.csv:7 (weight)", "an empty field in line 7"),
                     (with(9, "sex", ""), "persons.csv:9 (sex)", "an empty field in line 9"),
                     (with(11, "hh_id", ""), "persons.csv:11 (hh_id)", "an empty field")]
        for (data, location, words) in cases {
            let dir = try workspace(["persons.csv": data])
            let run = calibrate(["--household", "hh_id"], data: dir.appendingPathComponent("persons.csv").path, out: dir.appendingPathComponent("o.csv"))
            #expect(run.status == 65, "\(location): \(run.stderr)")
            #expect(run.stderr.contains(location) && run.stderr.contains(words), "\(run.stderr)")
        }
    }

    @Test("household members with different weights are refused with --household")
    func householdWeightsDiffer() throws {
        var lines = try String(contentsOfFile: Self.persons, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",67.78,", with: ",67.79,")
        let dir = try workspace(["persons.csv": lines.joined(separator: "\n") + "\n"])
        let run = calibrate(["--household", "hh_id"], data: dir.appendingPathComponent("persons.csv").path, out: dir.appendingPathComponent("o.csv"))
        #expect(run.status == 65)
        #expect(run.stderr.contains("persons.csv:3 (weight)") && run.stderr.contains("same household"), "\(run.stderr)")
        #expect(calibrate([], data: dir.appendingPathComponent("persons.csv").path, out: dir.appendingPathComponent("o.csv")).status == 0)
    }

    @Test("bad options are a bad command line (64): logit without bounds, bounds not around 1, --out naming the input")
    func badOptions() throws {
        let dir = try workspace()
        let out = dir.appendingPathComponent("o.csv")
        for extra in [["--method", "logit"], ["--bounds", "1.1,2"], ["--bounds", "0.5"], ["--trim", "2,1"], ["--method", "probit"]] {
            let run = calibrate(extra, out: out)
            #expect(run.status == 64, "\(extra): \(run.stderr)")
        }
        #expect(runSimrun(["data", "calibrate", Self.persons, "--weight", "weight", "--margins", Self.margins, "--out", Self.persons]).status == 64)
        let taken = calibrate(["--name", "age"], out: out)
        #expect(taken.status == 65 && taken.stderr.contains("already has a column"), "\(taken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("a JSON margins file, a quoted numeric category and a text margin with a numeric total")
    func marginsForms() throws {
        let json = """
            {"margins": {"sex": {"male": 80271.5, "female": 71205.5}, "urban": {"0": 93883, "1": 57594}, "age": 4370594.5}}
            """
        let dir = try workspace(["m.json": json, "bad.yaml": "margins:\n  sex: 5\n"])
        let ok = calibrate(["--method", "raking", "--format", "json"], marginsFile: dir.appendingPathComponent("m.json").path,
                           out: dir.appendingPathComponent("o.csv"))
        #expect(ok.status == 0, "\(ok.stderr)")
        let bad = calibrate([], marginsFile: dir.appendingPathComponent("bad.yaml").path, out: dir.appendingPathComponent("o.csv"))
        #expect(bad.status == 65 && bad.stderr.contains("bad.yaml:2 (margins.sex)") && bad.stderr.contains("holds text"), "\(bad.stderr)")
    }
}
