import Foundation
import Scenarios
import SimKernel
import Testing

/// `simrun scenario run` with the statistics options (issue 3, §4): the
/// engine's profile of baseline, reform and change, its SEs, groups,
/// incidence and errors, and the promise that the output without the options
/// is unchanged.
@Suite("simrun scenario run: poverty and inequality options")
struct ScenarioRunStatsTests {
    static let example = ["scenario", "run", exampleScenario]

    /// Runs simrun and parses its JSON output.
    static func json(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let r = runSimrun(example + args + ["--format", "json"])
        #expect(r.status == 0, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        return try parseJSONObject(r.stdout, sourceLocation: sourceLocation)
    }

    /// `doc[system].indicators`.
    static func indicators(_ doc: [String: Any], _ system: String) throws -> [String: Any] {
        let object = try #require(doc[system] as? [String: Any], "no '\(system)'")
        return try #require(object["indicators"] as? [String: Any], "no '\(system).indicators'")
    }

    /// `{"value", "se", "ci95"}` of the poverty line `k`'s `key`.
    static func poverty(_ indicators: [String: Any], line k: Int, _ key: String) throws -> [String: Any] {
        let lines = try #require(indicators["poverty"] as? [[String: Any]])
        return try #require(lines[k][key] as? [String: Any], "no poverty[\(k)].\(key)")
    }

    /// The engine's comparison computed here through the SimKernel API, as
    /// `scenario run --se linearized` should compute it on the example data:
    /// per-capita welfare, the data's strata and PSUs, groupings by age band.
    static func directComparison(inference: Inference) throws -> WelfareComparison {
        let scenario = try ScenarioDefinition(file: packageRoot.appendingPathComponent(exampleScenario).path,
                                              catalog: ScenarioCatalog.standard)
        let requests = ScenarioRun.variables(of: scenario)
            + [VariableRequest(.stratum, neededBy: "test"), VariableRequest(.psu, neededBy: "test"), VariableRequest(.age, neededBy: "test")]
        let population = try SurveyLoader().load(file: packageRoot.appendingPathComponent(exampleData).path, variables: requests)
        let context = RunContext(seed: RunContext.seed(run: 1, replication: 0), replication: 0, year: scenario.year)
        let run = ScenarioRun(scenario: scenario, population: population, simulator: Simulator(), context: context)
        let design = try SurveyDesign(population: population)
        let ages = Grouping.ageBands(AgeBand.standard, ages: population.integers("age").array,
                                     householdStart: population.householdStart.array)
        let analysis = try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(scenario.povertyLine)]), design: design,
                                           groupings: [ages])
        return try analysis.compare(baseline: WelfareDistribution(perCapitaIncomeOf: run.outcomes.baseline, in: population),
                                    reform: WelfareDistribution(perCapitaIncomeOf: run.outcomes.reform, in: population),
                                    inference: inference)
    }

    @Test("--se linearized: every value and SE is what WelfareAnalysis.compare gives directly")
    func linearizedMatchesEngine() throws {
        let doc = try Self.json(["--se", "linearized", "--quiet"])
        let direct = try Self.directComparison(inference: .linearized)
        let checks: [(String, Indicator, (([String: Any]) throws -> [String: Any]))] = [
            ("gini", .gini, { try #require($0["gini"] as? [String: Any]) }),
            ("mean", .mean, { try #require($0["mean"] as? [String: Any]) }),
            ("theil", .generalizedEntropy(1), { try #require($0["theil"] as? [String: Any]) }),
            ("fgt0", .fgt(alpha: 0, line: 0), { try Self.poverty($0, line: 0, "fgt0") }),
            ("fgt1", .fgt(alpha: 1, line: 0), { try Self.poverty($0, line: 0, "fgt1") }),
            ("fgt2", .fgt(alpha: 2, line: 0), { try Self.poverty($0, line: 0, "fgt2") }),
            ("poverty_gap_money", .povertyGapMoney(line: 0), { try Self.poverty($0, line: 0, "poverty_gap_money") }),
        ]
        for (system, profile) in [("baseline", direct.baseline), ("reform", direct.reform), ("change", direct.change)] {
            let printed = try Self.indicators(doc, system)
            for (name, indicator, pick) in checks {
                let estimate = try #require(profile.overall[indicator])
                let object = try pick(printed)
                #expect(try number(object, "value") == estimate.value, "\(system).\(name)")
                let se = try #require(estimate.se, "\(system).\(name) has no linearised SE")
                #expect(try number(object, "se") == se, "\(system).\(name).se")
                let ci = try #require(object["ci95"] as? [NSNumber])
                #expect(ci.count == 2 && Double(ci[0].stringValue) == estimate.ci95?.lower, "\(system).\(name).ci95")
            }
        }
        // The scenario's line is the first line: fgt0 there is the run's own headcount.
        let baseline = try #require(doc["baseline"] as? [String: Any])
        let fgt0 = try number(Self.poverty(Self.indicators(doc, "baseline"), line: 0, "fgt0"), "value")
        #expect(abs(fgt0 - (try number(baseline, "fgt0"))) < 1e-12)
        // A linearised SE of a change reflects the pairing: far below the independent-samples SE.
        let change = try #require(direct.change.overall[.fgt(alpha: 0, line: 0)]?.se)
        let b = try #require(direct.baseline.overall[.fgt(alpha: 0, line: 0)]?.se)
        let r = try #require(direct.reform.overall[.fgt(alpha: 0, line: 0)]?.se)
        #expect(change < (b * b + r * r).squareRoot())
        // Groups by age band, with the same numbers as the engine's.
        let by = try #require((doc["change"] as? [String: Any])?["by"] as? [String: Any])
        let age = try #require(by["age"] as? [String: Any])
        #expect(Set(age.keys) == ["0-17", "18-64", "65+"])
        let children = try #require(age["0-17"] as? [String: Any])
        let groupFGT0 = try Self.poverty(children, line: 0, "fgt0")
        let expected = try #require(direct.change.groups(named: "age")?.tables[0][.fgt(alpha: 0, line: 0)])
        #expect(try number(groupFGT0, "value") == expected.value && number(groupFGT0, "se") == expected.se)
    }

    @Test("--se bootstrap: the change's SE uses paired replicates, and 1 or 2 threads print the same bytes")
    func bootstrapPairedAndThreadIndependent() throws {
        let args = Self.example + ["--se", "bootstrap", "--replicates", "200", "--bootstrap-seed", "11", "--by", "region",
                                   "--format", "json", "--quiet"]
        let one = runSimrun(args + ["--threads", "1"]), two = runSimrun(args + ["--threads", "2"])
        #expect(one.status == 0 && two.status == 0, "stderr: \(one.stderr) \(two.stderr)")
        #expect(one.stdout == two.stdout, "the bootstrap output depends on the number of threads")
        let doc = try parseJSONObject(one.stdout)
        let statistics = try #require(doc["statistics"] as? [String: Any])
        #expect(try number(statistics, "replicates") == 200 && number(statistics, "bootstrap_seed") == 11)
        // The simulation seed stays --seed's.
        #expect(try number(#require(doc["provenance"] as? [String: Any]), "seed") == 1)
        let b = try Self.indicators(doc, "baseline"), r = try Self.indicators(doc, "reform"), c = try Self.indicators(doc, "change")
        for key in ["fgt0", "fgt1", "fgt2", "watts"] {
            let seB = try number(Self.poverty(b, line: 0, key), "se"), seR = try number(Self.poverty(r, line: 0, key), "se")
            let seC = try number(Self.poverty(c, line: 0, key), "se")
            #expect(seC > 0 && seC < (seB * seB + seR * seR).squareRoot(), "\(key): SE of the change \(seC), of the systems \(seB), \(seR)")
        }
        for key in ["gini", "mean", "median"] {
            let seB = try number(#require(b[key] as? [String: Any]), "se"), seR = try number(#require(r[key] as? [String: Any]), "se")
            let seC = try number(#require(c[key] as? [String: Any]), "se")
            #expect(seC < (seB * seB + seR * seR).squareRoot(), "\(key)")
        }
        // The bootstrap gives every indicator an SE, quantiles too.
        let median = try #require(c["median"] as? [String: Any])
        #expect(median["se"] is NSNumber && (median["ci95"] as? [Any])?.count == 2)
        // Another bootstrap seed, other SEs; the same point estimates.
        let other = try Self.json(["--se", "bootstrap", "--replicates", "200", "--bootstrap-seed", "12", "--quiet"])
        let otherFGT0 = try Self.poverty(Self.indicators(other, "change"), line: 0, "fgt0")
        let fgt0 = try Self.poverty(c, line: 0, "fgt0")
        #expect(try number(otherFGT0, "value") == number(fgt0, "value"))
        #expect(try number(otherFGT0, "se") != number(fgt0, "se"))
    }

    @Test("--by region: groups in the JSON of every system, in the table and in the CSV")
    func byRegion() throws {
        let doc = try Self.json(["--by", "region", "--quiet"])
        for system in ["baseline", "reform", "change"] {
            let by = try #require((doc[system] as? [String: Any])?["by"] as? [String: Any], "\(system).by")
            let region = try #require(by["region"] as? [String: Any], "\(system).by.region")
            #expect(Set(region.keys) == Set((1...10).map(String.init)), "\(system)")
            let first = try #require(region["1"] as? [String: Any])
            #expect(first["population_share"] is [String: Any] && first["gini"] is [String: Any])
            #expect(first["poverty"] is [[String: Any]])
            #expect((first["gini"] as? [String: Any])?["se"] == nil, "no SEs without --se")
        }
        // FGT contributions of the regions add up to the national change.
        let change = try #require(((doc["change"] as? [String: Any])?["by"] as? [String: Any])?["region"] as? [String: Any])
        var sum = 0.0
        for (_, group) in change {
            sum += try number(Self.poverty(#require(group as? [String: Any]), line: 0, "fgt0_contribution"), "value")
        }
        #expect(abs(sum - (try number(Self.poverty(Self.indicators(doc, "change"), line: 0, "fgt0"), "value"))) < 1e-12)
        let incidence = try #require(doc["incidence"] as? [[String: Any]])
        let firstDecile = try number(incidence[0], "decile")
        #expect(incidence.count == 10 && firstDecile == 1)
        let total = try #require(doc["incidence_total"] as? [String: Any])
        #expect(try number(total, "share_of_gains") == 1 && number(total, "losing") == 0)

        let table = runSimrun(Self.example + ["--by", "region", "--quiet"])
        #expect(table.status == 0 && table.stderr.isEmpty)
        for heading in ["By region, baseline", "By region, reform", "By region, change", "By age, change",
                        "Incidence by decile of baseline welfare"] {
            #expect(table.stdout.contains("\n\(heading)"), "no '\(heading)'")
        }
        let csv = runSimrun(Self.example + ["--by", "region", "--format", "csv", "--quiet"])
        #expect(csv.status == 0)
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("by.region.10.gini,index,") })
        #expect(rows.contains { $0.hasPrefix("indicators.poverty.150.fgt0,share,") })
        #expect(rows.contains { $0.hasPrefix("incidence.total.mean_gain,currency/person/month,,,") })
    }

    @Test("without the options the output is as before; with them the run's own output is unchanged and extended")
    func defaultOutputUnchanged() throws {
        let options = ["--se", "linearized", "--by", "region", "--line", "100", "--quiet"]
        for format in ["table", "csv"] {
            let plain = runSimrun(Self.example + ["--format", format]), extended = runSimrun(Self.example + options + ["--format", format])
            #expect(plain.status == 0 && extended.status == 0)
            #expect(!plain.stdout.contains("indicators.") && !plain.stdout.contains("Poverty and inequality"), "\(format)")
            #expect(extended.stdout.hasPrefix(plain.stdout), "\(format): the run's own output changed")
            #expect(extended.stdout.count > plain.stdout.count)
        }
        let plain = runSimrun(Self.example + ["--format", "json"]), extended = runSimrun(Self.example + options + ["--format", "json"])
        #expect(plain.status == 0 && extended.status == 0)
        // Provenance and scenario: the same bytes.
        let head = try #require(plain.stdout.range(of: "\n  \"baseline\": {"))
        #expect(extended.stdout.hasPrefix(String(plain.stdout[..<head.upperBound])))
        let a = try parseJSONObject(plain.stdout), b = try parseJSONObject(extended.stdout)
        #expect(Set(a.keys) == ["schema_version", "provenance", "welfare", "scenario", "baseline", "reform", "change"])
        #expect(Set(b.keys) == Set(a.keys).union(["statistics", "incidence", "incidence_total"]))
        for system in ["baseline", "reform", "change"] {
            let before = try #require(a[system] as? [String: Any])
            var after = try #require(b[system] as? [String: Any])
            #expect(after.removeValue(forKey: "indicators") != nil && after.removeValue(forKey: "by") != nil)
            #expect(NSDictionary(dictionary: before).isEqual(to: after), "\(system): pre-existing keys changed")
            for (key, value) in before {
                if let x = value as? NSNumber { #expect((after[key] as? NSNumber)?.stringValue == x.stringValue, "\(system).\(key)") }
            }
        }
        #expect(!plain.stdout.contains("\"indicators\""))
        // The lines: the scenario's first, then --line.
        let lines = try #require((b["statistics"] as? [String: Any])?["lines"] as? [String])
        #expect(lines == ["150", "100"])
    }

    @Test("a stratum with a single PSU exits 65 naming it; --lonely-psu remove runs")
    func lonelyPSU() {
        for se in ["linearized", "bootstrap"] {
            let r = runSimrun(Self.example + ["--data", smallData, "--se", se, "--replicates", "20"])
            #expect(r.status == 65, "\(se): \(r.stderr)")
            #expect(r.stderr.contains("households.csv (stratum): stratum '1' has a single PSU"), "\(r.stderr)")
            #expect(r.stderr.contains("--lonely-psu remove"))
            #expect(r.stdout.isEmpty)
        }
        let removed = runSimrun(Self.example + ["--data", smallData, "--se", "linearized", "--lonely-psu", "remove", "--quiet"])
        #expect(removed.status == 0, "\(removed.stderr)")
        // Without --se the design is not read, so no lonely PSU.
        #expect(runSimrun(Self.example + ["--data", smallData, "--by", "region", "--quiet"]).status == 0)
    }

    @Test("bad option combinations exit 64", arguments: [
        (["--se", "linearized", "--replications", "3"], "--replications 3 cannot be combined"),
        (["--se", "jackknife"], "--se must be one of"),
        (["--by", "hh_id"], "not a categorical column"),
        (["--replicates", "1", "--se", "bootstrap"], "--replicates must be at least 2"),
        (["--equivalence", "parametric", "--elasticity", "2"], "elasticity"),
        (["--age-bands", "0-17,10-20"], "age bands must increase"),
    ])
    func badCombinations(args: [String], message: String) {
        let r = runSimrun(Self.example + args)
        #expect(r.status == 64, "\(args): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("--help lists the statistics options with --bootstrap-seed; --seed stays the simulation's")
    func help() {
        let r = runSimrun(["scenario", "run", "--help"])
        #expect(r.status == 0)
        for option in ["--se", "--by", "--line", "--relative-line", "--relative-to", "--fgt-alpha", "--quantiles",
                       "--quantile-definition", "--equivalence", "--child-max-age", "--age-bands", "--periods-per-year",
                       "--replicates", "--bootstrap-seed", "--bootstrap-ci", "--lonely-psu", "--seed", "--replications"] {
            #expect(r.stdout.contains("  \(option) "), "\(option)")
        }
        #expect(r.stdout.contains("(default: 1000)"))
    }
}
