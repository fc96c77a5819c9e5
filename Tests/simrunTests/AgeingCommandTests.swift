import Foundation
import Testing

/// `scenario run --age-survey` and `compare --projection microsim` (docs/costing.md, "Ageing the survey").
@Suite("Ageing the survey in scenario run and compare")
struct AgeingCommandTests {
    static let scenario = "inputs/scenarios/universal-child-grant.yaml"
    static let meansTested = "inputs/scenarios/means-tested-transfer.yaml"
    static let data = "inputs/data/example-persons.csv"

    /// A fresh directory holding `files` (name → content).
    static func workspace(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-ageing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, content) in files { try content.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// The example profile with its base-year (2025) population replaced by the example survey's own
    /// weighted persons per age group and sex, so that ageing to 2025 leaves every weight as it is.
    static func exactProfile() throws -> String {
        let csv = try String(contentsOf: packageRoot.appendingPathComponent(data), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows[0].map(String.init)
        let w = try #require(header.firstIndex(of: "weight")), a = try #require(header.firstIndex(of: "age")),
            s = try #require(header.firstIndex(of: "sex"))
        var cells = [[Double]](repeating: [Double](repeating: 0, count: 17), count: 2)
        for row in rows.dropFirst() {
            let age = Int(row[a])!
            cells[Int(row[s])! - 1][min(age / 5, 16)] += Double(row[w])!
        }
        var text = try String(contentsOf: packageRoot.appendingPathComponent("inputs/countries/example.yaml"), encoding: .utf8)
        for sex in 0..<2 {
            let start = try #require(text.range(of: "    2025: ["))
            let end = try #require(text[start.upperBound...].range(of: "]"))
            text.replaceSubrange(start.lowerBound..<end.upperBound,
                                 with: "    2025 : [" + cells[sex].map { String(format: "%.17g", $0) }.joined(separator: ", ") + "]")
        }
        return text.replacingOccurrences(of: "    2025 : [", with: "    2025: [")
    }

    /// Every number under `value`, by path.
    static func numbers(_ value: Any, _ path: String = "", into out: inout [String: Double]) {
        if let d = value as? [String: Any] { for (k, v) in d { numbers(v, path + "." + k, into: &out) } }
        else if let a = value as? [Any] { for (i, v) in a.enumerated() { numbers(v, path + "[\(i)]", into: &out) } }
        else if let n = value as? NSNumber, !(value is Bool) { out[path] = Double(n.stringValue) ?? n.doubleValue }
    }

    static func expectClose(_ a: [String: Double], _ b: [String: Double], tolerance: Double = 1e-9,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.keys.sorted() == b.keys.sorted(), sourceLocation: sourceLocation)
        for (k, x) in a {
            guard let y = b[k] else { continue }
            #expect(abs(x - y) <= tolerance * max(1, abs(x)), "\(k): \(x) vs \(y)", sourceLocation: sourceLocation)
        }
    }

    @Test("run --age-survey to 2030: the JSON's ageing object names the year, method, indices and diagnostics; the table says so")
    func agedRun() throws {
        let r = runSimrun(["scenario", "run", Self.scenario, "--year", "2030", "--age-survey", "--country", "example", "--format", "json", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let provenance = try #require(try parseJSONObject(r.stdout)["provenance"] as? [String: Any])
        let ageing = try #require(provenance["ageing"] as? [String: Any])
        let target = try number(ageing, "target_year"), survey = try number(ageing, "survey_year")
        #expect(target == 2030 && survey == 2025)
        #expect(ageing["country_file"] as? String == "inputs/countries/example.yaml")
        let uprating = try #require(ageing["uprating"] as? [[String: Any]])
        let earnings = try #require(uprating.first { $0["variable"] as? String == "earnings" })
        #expect(earnings["index"] as? String == "wages")
        // inputs/countries/example.yaml, wage_growth 2026-2030.
        let factor = try number(earnings, "factor")
        #expect(abs(factor - 1.098 * 1.096 * 1.094 * 1.092 * 1.090) < 1e-12)
        #expect(try number(ageing, "largest_relative_deviation") < 1e-6)
        #expect(try number(ageing, "iterations") >= 1)
        let low = try number(ageing, "weight_ratio_min"), high = try number(ageing, "weight_ratio_max")
        #expect(low <= 1 && high >= 1)

        let table = runSimrun(["scenario", "run", Self.scenario, "--year", "2030", "--age-survey", "--country", "example", "--quiet"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Ageing   : survey 2025 aged to 2030 with inputs/countries/example.yaml"))
        let plain = try parseJSONObject(runSimrun(["scenario", "run", Self.scenario, "--year", "2030", "--format", "json"]).stdout)
        #expect((plain["provenance"] as? [String: Any])?["ageing"] is NSNull)
    }

    @Test("run --age-survey to the survey year with a profile equal to the survey's own totals is the unaged run")
    func baseYearIsUnaged() throws {
        let dir = try Self.workspace(["exact.yaml": try Self.exactProfile()])
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = dir.appendingPathComponent("exact.yaml").path
        let aged = runSimrun(["scenario", "run", Self.meansTested, "--year", "2025", "--age-survey", "--country", profile, "--format", "json"])
        let plain = runSimrun(["scenario", "run", Self.meansTested, "--year", "2025", "--format", "json"])
        #expect(aged.status == 0 && plain.status == 0, "\(aged.stderr)")
        let a = try parseJSONObject(aged.stdout), p = try parseJSONObject(plain.stdout)
        let ageing = try #require((a["provenance"] as? [String: Any])?["ageing"] as? [String: Any])
        let low = try number(ageing, "weight_ratio_min"), high = try number(ageing, "weight_ratio_max")
        // Raking starts at deviations of rounding size (sums in another order), so ratios are 1 to about 1e-12.
        #expect(abs(low - 1) < 1e-9 && abs(high - 1) < 1e-9, "weight ratios \(low)-\(high)")
        for key in ["baseline", "reform", "change"] {
            var x: [String: Double] = [:], y: [String: Double] = [:]
            Self.numbers(try #require(a[key]), into: &x)
            Self.numbers(try #require(p[key]), into: &y)
            #expect(!x.isEmpty)
            Self.expectClose(x, y)
        }
    }

    @Test("compare --projection microsim for the survey year equals the plain (scaled) compare; the output names the method")
    func microsimSurveyYear() throws {
        let dir = try Self.workspace(["exact.yaml": try Self.exactProfile()])
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = dir.appendingPathComponent("exact.yaml").path
        func figures(_ method: String) throws -> ([[String: Double]], [String: Any]) {
            let r = runSimrun(["scenario", "compare", Self.scenario, Self.meansTested, "--country", profile, "--years", "2025-2025",
                               "--projection", method, "--format", "json", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try parseJSONObject(r.stdout)
            let options = try #require(doc["options"] as? [[String: Any]])
            return (try options.map { o in var out: [String: Double] = [:]; Self.numbers(try #require(o["figures"]), into: &out); return out },
                    try #require(doc["provenance"] as? [String: Any]))
        }
        let (micro, microProvenance) = try figures("microsim")
        let (scaled, scaledProvenance) = try figures("scaled")
        #expect(microProvenance["projection_method"] as? String == "microsim")
        #expect(scaledProvenance["projection_method"] as? String == "scaled")
        #expect((microProvenance["ageing"] as? [Any])?.count == 1 && (scaledProvenance["ageing"] as? [Any])?.count == 0)
        #expect(micro.count == 2)
        for (m, s) in zip(micro, scaled) {
            #expect(m.keys.contains { $0.contains("projection.2025.net_cost") })
            Self.expectClose(m, s)
        }
    }

    @Test("compare --projection microsim: a means-tested option's cost grows more slowly than scaled, a universal grant's alike")
    func microsimReacts() throws {
        func netCost(_ method: String) throws -> [Double] {
            let r = runSimrun(["scenario", "compare", Self.scenario, Self.meansTested, "--years", "2030-2030", "--projection", method, "--country", "example",
                               "--format", "json", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            let options = try #require(try parseJSONObject(r.stdout)["options"] as? [[String: Any]])
            return try options.map { try number(try #require($0["figures"] as? [String: Any]), "projection.2030.net_cost") }
        }
        let micro = try netCost("microsim"), scaled = try netCost("scaled")
        // The grant does not depend on income: both methods carry it by the children and the indexation.
        #expect(abs(micro[0] - scaled[0]) / scaled[0] < 0.01)
        // Incomes grow past the means test's fixed threshold: fewer eligible households than scaling assumes.
        #expect(micro[1] < 0.97 * scaled[1])
    }

    @Test("--margins adds a margin to the aged weights and is named in the provenance")
    func extraMargins() throws {
        // Urban and rural persons in 2030: 40% and 60% of the example profile's total for 2030.
        let text = try String(contentsOf: packageRoot.appendingPathComponent("inputs/countries/example.yaml"), encoding: .utf8)
        let total = text.split(separator: "\n").filter { $0.hasPrefix("    2030: [") }.flatMap { line in
            line.split(separator: "[")[1].dropLast().split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
        }.reduce(0, +)
        let dir = try Self.workspace(["m.yaml": "margins:\n  urban: {0: \(0.6 * total), 1: \(0.4 * total)}\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let margins = dir.appendingPathComponent("m.yaml").path
        let r = runSimrun(["scenario", "run", Self.scenario, "--year", "2030", "--age-survey", "--country", "example", "--margins", margins, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let ageing = try #require((try parseJSONObject(r.stdout)["provenance"] as? [String: Any])?["ageing"] as? [String: Any])
        #expect(ageing["margins_file"] as? String == margins)
        #expect(try number(ageing, "largest_relative_deviation") < 1e-6)
        let bad = try Self.workspace(["m.yaml": "margins:\n  urban: {1: \(total)}\n"])
        defer { try? FileManager.default.removeItem(at: bad) }
        let missing = runSimrun(["scenario", "run", Self.scenario, "--year", "2030", "--age-survey", "--country", "example", "--margins", bad.appendingPathComponent("m.yaml").path])
        #expect(missing.status == 65 && missing.stderr.contains("m.yaml:2") && missing.stderr.contains("'0'"), "\(missing.stderr)")
    }

    @Test("errors: a year outside the profile and a survey without sex are data errors (65); conflicting options are usage errors (64)")
    func errors() throws {
        let late = runSimrun(["scenario", "run", Self.scenario, "--year", "2041", "--age-survey", "--country", "example"])
        #expect(late.status == 65 && late.stderr.contains("example.yaml") && late.stderr.contains("2025") && late.stderr.contains("2040"), "\(late.stderr)")
        let csv = try String(contentsOf: packageRoot.appendingPathComponent(Self.data), encoding: .utf8)
        let lines = csv.split(separator: "\n").prefix(200)
        let sexColumn = lines[0].split(separator: ",").firstIndex(of: "sex")!
        let noSex = lines.map { line in
            var f = line.split(separator: ",", omittingEmptySubsequences: false)
            f.remove(at: sexColumn)
            return f.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let dir = try Self.workspace(["nosex.csv": noSex])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = runSimrun(["scenario", "run", Self.scenario, "--year", "2030", "--age-survey", "--country", "example", "--data", dir.appendingPathComponent("nosex.csv").path])
        #expect(r.status == 65 && r.stderr.contains("sex"), "\(r.stderr)")
        // The first 199 persons of the example leave some age group × sex cells empty: a data error, not a crash.
        let small = lines.joined(separator: "\n") + "\n"
        let smallDir = try Self.workspace(["small.csv": small])
        defer { try? FileManager.default.removeItem(at: smallDir) }
        let smallFile = smallDir.appendingPathComponent("small.csv").path
        for args in [["scenario", "run", Self.scenario, "--year", "2030", "--age-survey", "--country", "example", "--data", smallFile],
                     ["scenario", "compare", Self.scenario, Self.meansTested, "--years", "2026-2026", "--projection", "microsim",
                      "--country", "example", "--data", smallFile]] {
            let e = runSimrun(args)
            #expect(e.status == 65 && e.stderr.contains("cannot age the survey") && e.stderr.contains("example.yaml"), "\(args): \(e.stderr)")
        }

        for args in [["scenario", "run", Self.scenario, "--margins", "m.yaml"],
                     ["scenario", "run", Self.scenario, "--country", "example"],
                     ["scenario", "run", Self.scenario, "--age-survey", "--se", "linearized"],
                     ["scenario", "compare", Self.scenario, Self.meansTested, "--projection", "microsim"],
                     ["scenario", "compare", Self.scenario, Self.meansTested, "--years", "2026-2027", "--projection", "aged"]] {
            let r = runSimrun(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
        }
        let out = runSimrun(["scenario", "compare", Self.scenario, Self.meansTested, "--years", "2026-2045", "--projection", "microsim", "--country", "example"])
        #expect(out.status == 65 && out.stderr.contains("2040"), "\(out.stderr)")
    }

    /// `file` (a scenario under inputs/scenarios) copied with its baseline and data as absolute paths and `extra` appended.
    static func scenarioCopy(_ file: String, appending extra: String) throws -> String {
        let root = packageRoot.path
        return try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
            .replacingOccurrences(of: "baseline: current_law", with: "baseline: \(root)/inputs/systems/current_law.yaml")
            .replacingOccurrences(of: "data: ../data/", with: "data: \(root)/inputs/data/") + extra
    }

    @Test("a scenario's ageing: {uprate:} overrides the defaults; options that disagree cannot share a microsim projection")
    func scenarioUprating() throws {
        let dir = try Self.workspace([
            "grant.yaml": try Self.scenarioCopy(Self.scenario, appending: "ageing:\n  uprate: {earnings: none}\n"),
            "means.yaml": try Self.scenarioCopy(Self.meansTested, appending: "ageing:\n  uprate: {earnings: cpi}\n"),
            "bad.yaml": try Self.scenarioCopy(Self.meansTested, appending: "ageing:\n  uprate: {earnings: salary}\n"),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let grant = dir.appendingPathComponent("grant.yaml").path, means = dir.appendingPathComponent("means.yaml").path
        let r = runSimrun(["scenario", "run", grant, "--year", "2030", "--age-survey", "--country", "example", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let ageing = try #require((try parseJSONObject(r.stdout)["provenance"] as? [String: Any])?["ageing"] as? [String: Any])
        let earnings = try #require((ageing["uprating"] as? [[String: Any]])?.first { $0["variable"] as? String == "earnings" })
        #expect(earnings["index"] as? String == "none")
        #expect(try number(earnings, "factor") == 1)

        let clash = runSimrun(["scenario", "compare", grant, means, "--years", "2026-2027", "--projection", "microsim", "--country", "example"])
        #expect(clash.status == 65 && clash.stderr.contains("means.yaml") && clash.stderr.contains("ageing.uprate.earnings"), "\(clash.stderr)")
        let bad = runSimrun(["scenario", "run", dir.appendingPathComponent("bad.yaml").path])
        let lines = try String(contentsOf: dir.appendingPathComponent("bad.yaml"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex { $0.contains("salary") }) + 1
        #expect(bad.status == 65 && bad.stderr.contains("bad.yaml:\(line)") && bad.stderr.contains("cpi, wages, gdp or none"), "\(bad.stderr)")
    }

    @Test("compare --projection microsim prints the same bytes with 1 thread and with 3")
    func deterministic() throws {
        let args = ["scenario", "compare", Self.scenario, Self.meansTested, "--country", "example", "--years", "2026-2028",
                    "--projection", "microsim", "--format", "json", "--quiet"]
        let one = runSimrun(args + ["--threads", "1"]), three = runSimrun(args + ["--threads", "3"])
        #expect(one.status == 0 && three.status == 0)
        #expect(!one.stdout.isEmpty && one.stdout == three.stdout)
    }
}
