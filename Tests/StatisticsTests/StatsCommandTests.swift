import Foundation
import Testing

/// `simrun stats` run as a user runs it: the built executable, stdout,
/// stderr and the exit status. (The tests find `.build*/debug/simrun`, which
/// `swift test` builds with every product.)
@Suite("simrun stats on the command line")
struct StatsCommandTests {
    static let executable: URL? = {
        let fm = FileManager.default
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("simrun")]
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("simrun"))
        }
        let root = StatisticsFixtures.root
        for name in ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter({ $0.hasPrefix(".build") }).sorted() {
            candidates.append(root.appendingPathComponent(name).appendingPathComponent("debug/simrun"))
        }
        return candidates.first { fm.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `simrun args...` in the package root; output through files so neither pipe can block.
    static func run(_ args: [String]) throws -> (out: String, err: String, status: Int32) {
        let process = Process()
        guard let executable else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "build simrun first (swift build)"]) }
        process.executableURL = executable
        process.arguments = args
        process.currentDirectoryURL = StatisticsFixtures.root
        let dir = FileManager.default.temporaryDirectory
        let out = dir.appendingPathComponent("stats-out-\(UUID().uuidString)"), err = dir.appendingPathComponent("stats-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return (try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8), process.terminationStatus)
    }

    static let eusilc = ["stats", "Tests/Fixtures/eusilc/eusilc.csv", "--income", "eqIncome", "--weight", "rb050", "--periods-per-year", "1"]

    @Test("JSON: each indicator under its own name with value, se and ci95; groups under by; laeken's numbers")
    func json() throws {
        let r = try Self.run(Self.eusilc + ["--strata", "db040", "--psu", "db030", "--by", "rb090", "--line", "10000",
                                            "--relative-line", "0.6", "--se", "linearized", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let indicators = try #require(root["indicators"] as? [String: Any])
        for key in ["gini", "mld", "theil", "ge2", "atkinson_0.5", "atkinson_1", "atkinson_2", "s80_s20", "palma", "arpt", "arpr",
                    "rmpg", "mean", "median", "quantiles", "decile_shares", "decile_means", "quintile_shares", "poverty"] {
            #expect(indicators[key] != nil, "missing \(key)")
        }
        let gini = try #require(indicators["gini"] as? [String: Any])
        #expect(abs((gini["value"] as! Double) - 0.2648961921132289) < 1e-12)
        #expect(gini["se"] is Double && (gini["ci95"] as? [Double])?.count == 2)
        #expect((indicators["arpr"] as? [String: Any])?["se"] is NSNull)  // a relative line has no linearised SE
        let poverty = try #require(indicators["poverty"] as? [[String: Any]])
        #expect(poverty.map { $0["line"] as? String } == ["10000", "0.6_median"])
        let fgt0 = try #require(poverty[0]["fgt0"] as? [String: Any])
        #expect(abs((fgt0["se"] as! Double) / 0.004502107693326679 - 1) < 1e-6)  // survey's svymean
        let by = try #require((root["by"] as? [String: Any])?["rb090"] as? [String: Any])
        #expect(Set(by.keys) == ["female", "male"])
        #expect(((by["female"] as? [String: Any])?["population_share"] as? [String: Any])?["value"] is Double)
        #expect(r.err.contains("warning: 3 of 14827 units have welfare <= 0"))
    }

    @Test("CSV: one row per estimate with its group and line; table: a header and the indicators")
    func csvAndTable() throws {
        let csv = try Self.run(Self.eusilc + ["--by", "db040", "--format", "csv", "--quiet"])
        #expect(csv.status == 0 && csv.err.isEmpty)
        let lines = csv.out.split(separator: "\n")
        #expect(lines[0] == "by,group,line,indicator,position,value,se,ci95_lower,ci95_upper")
        #expect(lines.contains { $0.hasPrefix(",,,gini,,0.26489619211322") })
        #expect(lines.contains { $0.hasPrefix("db040,Vienna,0.6_median,fgt0,,0.17234683211956") })
        let table = try Self.run(Self.eusilc + ["--quiet"])
        #expect(table.status == 0)
        #expect(table.out.contains("Headcount FGT(0) = ARPR") && table.out.contains("0.1444"))
    }

    @Test("--help names every option with its unit and default")
    func help() throws {
        let r = try Self.run(["stats", "--help"])
        #expect(r.status == 0)
        for option in ["--income", "--weight", "--household", "--strata", "--psu", "--by", "--age", "--line", "--relative-line",
                       "--equivalence", "--se", "--replicates", "--seed", "--format", "--columns", "--periods-per-year",
                       "--quantile-definition", "--lonely-psu"] {
            #expect(r.out.contains(option), "\(option)")
        }
        #expect(r.out.contains("(default: 1000)") && r.out.contains("(default: 13)") && r.out.contains("Default: 0.6"))
    }

    @Test("bad options exit 64, bad input 65, naming the file, line and column")
    func errors() throws {
        let badOption = try Self.run(Self.eusilc + ["--se", "jackknife"])
        #expect(badOption.status == 64 && badOption.err.contains("--se must be one of"))
        let noHousehold = try Self.run(Self.eusilc + ["--equivalence", "oecd-modified"])
        #expect(noHousehold.status == 64 && noHousehold.err.contains("give --household"))
        let missing = try Self.run(["stats", "Tests/Fixtures/eusilc/eusilc.csv", "--income", "income", "--weight", "rb050"])
        #expect(missing.status == 65 && missing.err.contains("eusilc.csv:1") && missing.err.contains("'income'"))
        let lonely = try Self.run(["stats", "Tests/Fixtures/statistics/lonely-psu.csv", "--income", "income", "--strata", "stratum",
                                   "--psu", "psu", "--se", "linearized"])
        #expect(lonely.status == 65 && lonely.err.contains("stratum 'C' has a single PSU") && lonely.out.isEmpty)
        let household = try Self.run(["stats", "Tests/Fixtures/statistics/lonely-psu.csv", "--income", "income",
                                      "--household", "stratum", "--strata", "psu"])
        #expect(household.status == 65 && household.err.contains("lonely-psu.csv:4 (weight): weight is 12.0 here but 10.0 on line 2"))
    }

    @Test("a column map names the roles: income, weight, stratum and PSU from the map, --by through it")
    func columnMap() throws {
        let r = try Self.run(["stats", "Tests/Fixtures/eusilc/eusilc.csv", "--columns", "Tests/Fixtures/statistics/eusilc-columns.yaml",
                              "--by", "sex", "--periods-per-year", "1", "--se", "linearized", "--format", "csv", "--quiet"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains(",,,mean,,19890.80693129545") && r.out.contains(",141.164079555"))  // survey's stratified SE
        #expect(r.out.contains("rb090,female,"))
        let bands = try Self.run(Self.eusilc + ["--age", "age", "--age-bands", "0-17,10-20"])
        #expect(bands.status == 64 && bands.err.contains("age bands must increase"))
    }

    @Test("the same seed gives the same bootstrap output on 1 and 2 threads")
    func bootstrapThreads() throws {
        let args = Self.eusilc + ["--strata", "db040", "--psu", "db030", "--by", "rb090", "--se", "bootstrap", "--replicates", "50",
                                  "--seed", "7", "--format", "json", "--quiet"]
        let one = try Self.run(args + ["--threads", "1"]), two = try Self.run(args + ["--threads", "2"])
        #expect(one.status == 0 && one.out == two.out)
    }
}
