import Foundation
import SimAnalysis
import Testing

/// `simrun sweep`, `--shard`, `--slurm` and `sweep merge` from the command line (docs/solve-and-sweep.md).
@Suite("simrun sweep")
struct SweepCommandTests {
    let grid = "Tests/Fixtures/sweep/small-grid.yaml"
    let grant = "inputs/scenarios/universal-child-grant.yaml"

    func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test("one row per variant, in file order, identical with 1 and 2 threads (CSV and JSON)")
    func threads() throws {
        let one = runSimrun(["sweep", grid, "--country", "example", "--threads", "1"])
        let two = runSimrun(["sweep", grid, "--country", "example", "--threads", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        let lines = one.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("row,option,replication,amount_per_child,max_age,net_cost_annual,"))
        // amount slowest, max_age fastest (the file's order).
        let keys = lines.dropFirst().map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
        let option = "../../../inputs/scenarios/universal-child-grant.yaml"
        #expect(keys == ["1,\(option),1,20,16", "2,\(option),1,20,17", "3,\(option),1,30,16", "4,\(option),1,30,17"])
        let jsonOne = runSimrun(["sweep", grid, "--country", "example", "--threads", "1", "--format", "json"])
        let jsonTwo = runSimrun(["sweep", grid, "--country", "example", "--threads", "2", "--format", "json"])
        #expect(jsonOne.status == 0 && jsonOne.stdout == jsonTwo.stdout)
        #expect(jsonOne.stdout.hasPrefix("{\n  \"schema_version\": 1,\n  \"provenance\": {"))
    }

    @Test("a variant's figures are scenario compare's for the option with those values")
    func matchesCompare() throws {
        let sweep = runSimrun(["sweep", grid, "--country", "example", "--format", "json"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        // Row 4 is amount 30, max_age 17: the example scenario as it is.
        let compare = runSimrun(["scenario", "compare", grant, grant, "--country", "example", "--format", "json"])
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(sweep.stdout.utf8)) as? [String: Any])?["rows"] as? [[String: Any]])
        let options = try #require((try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])?["options"] as? [[String: Any]])
        let sweepFigures = try #require(rows[3]["figures"] as? [String: Any])
        let compareFigures = try #require(options[0]["figures"] as? [String: Any])
        #expect(Set(sweepFigures.keys) == Set(compareFigures.keys))
        for (key, value) in compareFigures {
            #expect("\(sweepFigures[key]!)" == "\(value)", "\(key)")
        }
        #expect((rows[3]["parameters"] as? [String: Double]) == ["amount_per_child": 30, "max_age": 17])
    }

    @Test("three shards merged are byte-identical to the one-machine output, CSV and JSON")
    func shardsMerge() throws {
        let scratch = try makeScratchDirectory("sweep-shards")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dir = scratch.appendingPathComponent("shards").path
        for k in 1...3 {
            let run = runSimrun(["sweep", grid, "--country", "example", "--shard", "\(k)/3", "--out", dir, "--threads", k == 2 ? "2" : "1"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["manifest.json", "shard-1-of-3.json", "shard-2-of-3.json", "shard-3-of-3.json"])
        for format in ["csv", "json"] {
            let single = scratch.appendingPathComponent("single.\(format)"), merged = scratch.appendingPathComponent("merged.\(format)")
            #expect(runSimrun(["sweep", grid, "--country", "example", "--format", format, "--out", single.path]).status == 0)
            let merge = runSimrun(["sweep", "merge", dir, "--format", format, "--out", merged.path])
            #expect(merge.status == 0, "\(merge.stderr)")
            #expect(try Data(contentsOf: single) == Data(contentsOf: merged))
            #expect(!text(single).isEmpty)
        }
    }

    @Test("the sbatch script's tasks, run as Slurm would run them, merge to the one-machine output; a missing task is named with its rerun line")
    func slurmScript() throws {
        let scratch = try makeScratchDirectory("sweep-slurm")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dir = scratch.appendingPathComponent("job").path
        let write = runSimrun(["sweep", grid, "--country", "example", "--slurm", dir, "--shards", "2", "--max-running", "1",
                               "--time", "00:10:00", "--cpus-per-task", "1"])
        #expect(write.status == 0, "\(write.stderr)")
        #expect(write.stdout.isEmpty)
        let script = text(URL(fileURLWithPath: dir + "/sweep.sbatch"))
        #expect(script.contains("#SBATCH --array=1-2%1\n") && script.contains("#SBATCH --time=00:10:00\n") && script.contains("#SBATCH --cpus-per-task=1\n"))
        #expect(FileManager.default.fileExists(atPath: dir + "/manifest.json"))
        // Before any task ran: both shards missing, and the line that reruns them.
        let early = runSimrun(["sweep", "merge", dir])
        #expect(early.status == 65)
        #expect(early.stderr.contains("shard 1/2 missing") && early.stderr.contains("shard 2/2 missing"), "\(early.stderr)")
        #expect(early.stderr.contains("sbatch --array=1-2%1 \(dir)/sweep.sbatch"), "\(early.stderr)")
        // Task 2 as Slurm runs it: bash, SLURM_ARRAY_TASK_ID set.
        func task(_ id: Int) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [dir + "/sweep.sbatch"]
            process.environment = ["SLURM_ARRAY_TASK_ID": "\(id)", "PATH": "/usr/bin:/bin"]
            process.currentDirectoryURL = scratch
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try task(2) == 0)
        let partial = runSimrun(["sweep", "merge", dir])
        #expect(partial.status == 65)
        #expect(partial.stderr.contains("shard 1/2 missing") && !partial.stderr.contains("shard 2/2"))
        #expect(partial.stderr.contains("sbatch --array=1%1 "), "\(partial.stderr)")
        #expect(try task(1) == 0)
        let merged = runSimrun(["sweep", "merge", dir])
        let single = runSimrun(["sweep", grid, "--country", "example"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == single.stdout)
    }

    @Test("a shard of another run is refused before it computes; a stale shard is named at merge")
    func staleShards() throws {
        let scratch = try makeScratchDirectory("sweep-stale")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dir = scratch.appendingPathComponent("shards").path
        #expect(runSimrun(["sweep", grid, "--country", "example", "--shard", "1/2", "--out", dir]).status == 0)
        let other = runSimrun(["sweep", grid, "--country", "example", "--shard", "2/2", "--out", dir, "--seed", "7"])
        #expect(other.status == 65)
        #expect(other.stderr.contains("holds shards of another run") && other.stderr.contains("another sweep"), "\(other.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/shard-2-of-2.json"))
        // A shard copied from another sweep's folder is stale at merge.
        let elsewhere = scratch.appendingPathComponent("other").path
        #expect(runSimrun(["sweep", grid, "--country", "example", "--shard", "2/2", "--out", elsewhere, "--seed", "7"]).status == 0)
        try FileManager.default.copyItem(atPath: elsewhere + "/shard-2-of-2.json", toPath: dir + "/shard-2-of-2.json")
        let merge = runSimrun(["sweep", "merge", dir])
        #expect(merge.status == 65)
        #expect(merge.stderr.contains("shard 2/2 stale: shard-2-of-2.json is from another sweep"), "\(merge.stderr)")
        #expect(merge.stderr.contains("--shard K/2"), "\(merge.stderr)")
    }

    @Test("with a data recipe, a changed member file makes the shard computed before it stale (the data hash covers every file the recipe reads)")
    func recipeMemberChanged() throws {
        let scratch = try makeScratchDirectory("sweep-recipe")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Tests/Fixtures/recipe"), to: data)
        let recipe = data.appendingPathComponent("recipe.yaml").path
        let dir = scratch.appendingPathComponent("shards").path
        let first = runSimrun(["sweep", grid, "--country", "example", "--data", recipe, "--shard", "1/2", "--out", dir])
        #expect(first.status == 0, "\(first.stderr)")
        // A member file changes (not the recipe): commune 1 moves to another zone.
        let communes = data.appendingPathComponent("communes.csv")
        let before = try String(contentsOf: communes, encoding: .utf8)
        let changed = before.replacingOccurrences(of: "\n1,11\n", with: "\n1,12\n")
        #expect(changed != before)
        try Data(changed.utf8).write(to: communes)
        // The next shard into the same folder is refused before it computes ...
        let second = runSimrun(["sweep", grid, "--country", "example", "--data", recipe, "--shard", "2/2", "--out", dir])
        #expect(second.status == 65)
        #expect(second.stderr.contains("other data"), "\(second.stderr)")
        // ... and, computed elsewhere and copied in, is named stale by merge.
        let elsewhere = scratch.appendingPathComponent("other").path
        #expect(runSimrun(["sweep", grid, "--country", "example", "--data", recipe, "--shard", "2/2", "--out", elsewhere]).status == 0)
        try FileManager.default.copyItem(atPath: elsewhere + "/shard-2-of-2.json", toPath: dir + "/shard-2-of-2.json")
        let merge = runSimrun(["sweep", "merge", dir])
        #expect(merge.status == 65)
        #expect(merge.stderr.contains("shard 2/2 stale: shard-2-of-2.json is from other data"), "\(merge.stderr)")
        #expect(!merge.stderr.contains("shard 1/2"), "\(merge.stderr)")
    }

    @Test("shards record simrun's build; a shard or a folder from another build is named stale, saying the executable was rebuilt")
    func otherBuild() throws {
        let scratch = try makeScratchDirectory("sweep-build")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dir = scratch.appendingPathComponent("shards").path
        #expect(runSimrun(["sweep", grid, "--country", "example", "--shard", "1/2", "--out", dir]).status == 0)
        #expect(runSimrun(["sweep", grid, "--country", "example", "--shard", "2/2", "--out", dir]).status == 0)
        // The build recorded is the executable's linker build ID (readelf -n shows the same note).
        let manifest = try parseJSONObject(try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8))
        let build = try #require(manifest["simrun_build"] as? String)
        let executable = try #require(simrunExecutable).path
        #expect(build == "gnu-build-id:" + (try #require(SimrunBuild.gnuBuildID(executable: executable))), "\(build)")
        #expect(runSimrun(["sweep", "merge", dir]).status == 0)
        // Shard 2 as another build of the same version wrote it.
        let second = dir + "/shard-2-of-2.json"
        let text = try String(contentsOfFile: second, encoding: .utf8)
        let other = text.replacingOccurrences(of: build, with: "gnu-build-id:0123456789abcdef")
        #expect(other != text)
        try Data(other.utf8).write(to: URL(fileURLWithPath: second))
        let merge = runSimrun(["sweep", "merge", dir])
        #expect(merge.status == 65)
        #expect(merge.stderr.contains("shard 2/2 stale: shard-2-of-2.json is from another build of simrun (gnu-build-id:0123456789abcdef, expected \(build.prefix(32))): the executable was rebuilt or replaced since"), "\(merge.stderr)")
        #expect(!merge.stderr.contains("shard 1/2"), "\(merge.stderr)")
        // A folder whose manifest another build wrote takes no shard of this one.
        let manifestText = try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8)
        try Data(manifestText.replacingOccurrences(of: build, with: "gnu-build-id:0123456789abcdef").utf8)
            .write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        try FileManager.default.removeItem(atPath: second)
        let refused = runSimrun(["sweep", grid, "--country", "example", "--shard", "2/2", "--out", dir])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("holds shards of another run") && refused.stderr.contains("another build of simrun"), "\(refused.stderr)")
    }

    @Test("replications: each variant once per replication, replication 1 with the run's seed")
    func replications() throws {
        let run = runSimrun(["sweep", "Tests/Fixtures/sweep/replications.yaml", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["rows"] as? [[String: Any]])
        // 2 options × 2 amounts × 2 replications.
        #expect(rows.count == 8)
        #expect(rows.map { $0["replication"] as? Int } == [1, 2, 1, 2, 1, 2, 1, 2])
        // Take-up is drawn: the two replications of a variant differ in beneficiaries.
        let beneficiaries = rows.map { ($0["figures"] as? [String: Any])?["beneficiaries"] as? Double }
        #expect(beneficiaries[0] != beneficiaries[1])
        // Replication 1 of amount 75 is the social pension example as it is (seed 1).
        let compare = runSimrun(["scenario", "compare", "inputs/scenarios/social-pension.yaml", grant, "--format", "json"])
        let options = try #require((try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])?["options"] as? [[String: Any]])
        #expect(((options[0]["figures"] as? [String: Any])?["beneficiaries"] as? Double) == beneficiaries[2])
    }

    @Test("a parameter no option has, and a value outside its range, are named at their line in the sweep file")
    func badSweeps() {
        let unknown = runSimrun(["sweep", "Tests/Fixtures/sweep/unknown-parameter.yaml"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("unknown-parameter.yaml:4") && unknown.stderr.contains("did you mean 'max_age'"), "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
        let range = runSimrun(["sweep", "Tests/Fixtures/sweep/out-of-range.yaml"])
        #expect(range.status == 65)
        #expect(range.stderr.contains("out-of-range.yaml:5") && range.stderr.contains("140 is outside the valid range of max_age (0 to 130"), "\(range.stderr)")
    }

    @Test("bad command lines exit 64", arguments: [
        ["--shard", "3/2", "--out", "/tmp/x"], ["--shard", "1/2"], ["--slurm", "/tmp/x", "--time", "1h"], ["--shards", "2"],
        ["--slurm", "/tmp/x", "--max-running", "0"], ["--slurm", "/tmp/x", "--out", "f"], ["--shard", "1/9", "--out", "/tmp/never"],
    ])
    func badCommandLines(extra: [String]) {
        let run = runSimrun(["sweep", "Tests/Fixtures/sweep/small-grid.yaml"] + extra)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never"))
    }

    @Test("sweep --help and sweep merge --help describe shards, Slurm and merging")
    func help() {
        let run = runSimrun(["sweep", "run", "--help"])
        #expect(run.status == 0)
        for text in ["--shard", "--slurm", "--max-running", "--cpus-per-task", "--time", "replications"] { #expect(run.stdout.contains(text), "\(text)") }
        let merge = runSimrun(["sweep", "merge", "--help"])
        #expect(merge.status == 0 && merge.stdout.contains("sbatch --array="))
        #expect(runSimrun(["--help"]).stdout.contains("sweep"))
    }

    @Test("an output that cannot be created is refused before any variant runs, and leaves nothing behind (exit 73)")
    func unwritableOutputs() throws {
        let scratch = try makeScratchDirectory("sweep-out")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let missing = runSimrun(["sweep", grid, "--out", scratch.path + "/no/such/folder/x.csv"])
        #expect(missing.status == 73)
        #expect(missing.stderr.contains("its folder") && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let spaced = scratch.path + "/job 1"
        let slurm = runSimrun(["sweep", grid, "--slurm", spaced])
        #expect(slurm.status == 73)
        #expect(slurm.stderr.contains("choose a plain path"))
        #expect(!FileManager.default.fileExists(atPath: spaced))
    }
}
