import Foundation
import SimAnalysis
import SimKernel
import Testing

@testable import simrun

/// Splitting a sweep into shards, the shard files and merging them (docs/solve-and-sweep.md).
@Suite("Sweep shards and merge")
struct SweepShardTests {
    @Test("every row is in exactly one shard, in order, sizes differ by at most one", arguments: [
        (1, 1), (7, 1), (7, 3), (7, 7), (10, 4), (1000, 7), (24, 5),
    ])
    func partition(total: Int, shards: Int) {
        var covered: [Int] = []
        var sizes: [Int] = []
        for k in 1...shards {
            let rows = SweepShard(index: k, count: shards).rows(of: total)
            covered += rows
            sizes.append(rows.count)
        }
        #expect(covered == Array(0..<total))
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test("K/N is read strictly", arguments: ["0/3", "4/3", "1/0", "a/3", "1/3/4", "", "1-3", "/3", "2/"])
    func badShardText(text: String) {
        #expect(SweepShard(text) == nil)
    }

    @Test("2/3 is the second of three shards")
    func shardText() {
        #expect(SweepShard("2/3") == SweepShard(index: 2, count: 3))
        #expect(SweepShard(index: 2, count: 3).fileName == "shard-2-of-3.json")
    }

    @Test("task ids become Slurm's --array list", arguments: [
        ([3], "3"), ([1, 2, 3], "1-3"), ([2, 5, 6, 7, 9], "2,5-7,9"), ([7, 2, 2, 3], "2-3,7"),
    ])
    func arrayList(ids: [Int], text: String) {
        #expect(SlurmArrayList.text(ids) == text)
    }

    /// A result of `rows` synthetic rows with values that need full precision.
    static func result(rows: Range<Int>) -> SweepResult {
        let provenance = SweepResult.Provenance(
            simrunVersion: "0.1.0", sweepFile: "s.yaml", sweepHash: "abc", dataFile: "d.csv", dataHash: "def",
            households: 4, persons: 12, seed: 1, year: 2025, countryFile: nil, options: ["a.yaml"], replications: 1)
        return SweepResult(
            provenance: provenance, parameters: ["amount"],
            figures: [.init(key: "net_cost_annual", unit: "currency/year"), .init(key: "fgt0_change", unit: "difference of fractions")],
            rows: rows.map { i in
                SweepResult.Row(index: i, option: "a.yaml", replication: 1, values: [Double(i) * 0.1],
                                figures: [Double(i) / 3, i == 2 ? nil : -1e-7 * Double(i) / 7], flagged: i == 1 ? ["fgt0_change"] : [])
            })
    }

    /// Writes the shards of `result` into `folder` as the shard runs would.
    static func writeShards(_ result: SweepResult, shards: Int, in folder: String, slurm: SweepManifest.Slurm? = nil) throws {
        let manifest = SweepManifest(simrunVersion: "0.1.0", sweepFile: "s.yaml", sweepHash: "abc", dataFile: "d.csv",
                                     dataHash: "def", rows: result.rows.count, shards: shards, slurm: slurm)
        try manifest.write(in: folder)
        for k in 1...shards {
            let range = SweepShard(index: k, count: shards).rows(of: result.rows.count)
            var part = result
            part.rows = Array(result.rows[range])
            try SweepShardFile(simrunVersion: "0.1.0", simrunBuild: SimrunBuild.current, sweepHash: "abc", dataHash: "def", shard: k, shards: shards,
                               firstRow: range.lowerBound + 1, lastRow: range.upperBound, result: part).write(in: folder)
        }
    }

    @Test("merged shards render byte-identical CSV and JSON to the whole result")
    func mergeIsIdentical() throws {
        let folder = try makeScratchDirectory("sweep-merge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = Self.result(rows: 0..<10)
        try Self.writeShards(whole, shards: 3, in: folder.path)
        let merged = try SweepMerge.merge(folder: folder.path)
        #expect(merged == whole)
        #expect(merged.csv() == whole.csv())
        #expect(merged.json() == whole.json())
        // No temporary file is left beside the shards.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["manifest.json", "shard-1-of-3.json", "shard-2-of-3.json", "shard-3-of-3.json"])
    }

    @Test("missing, cut-short and stale shards are named, with the sbatch line rerunning exactly those")
    func mergeNamesBadShards() throws {
        let folder = try makeScratchDirectory("sweep-merge-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = Self.result(rows: 0..<20)
        try Self.writeShards(whole, shards: 5, in: folder.path,
                             slurm: .init(script: folder.path + "/sweep.sbatch", maxRunning: 2, time: nil, cpusPerTask: nil))
        let fm = FileManager.default
        try fm.removeItem(atPath: folder.path + "/shard-2-of-5.json")
        // Cut short: half a file.
        let third = folder.path + "/shard-3-of-5.json"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: third))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: third))
        // Stale: another sweep's shard 5.
        let fifth = folder.path + "/shard-5-of-5.json"
        let text = try String(contentsOfFile: fifth, encoding: .utf8).replacingOccurrences(of: "\"sweep_hash\" : \"abc\"", with: "\"sweep_hash\" : \"old\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: fifth))
        do {
            _ = try SweepMerge.merge(folder: folder.path)
            Issue.record("merge accepted missing shards")
        } catch let error as InputError {
            #expect(error.kind == .inconsistent)
            let message = error.description
            #expect(message.contains("3 of 5 shards are missing, incomplete or stale"), "\(message)")
            #expect(message.contains("shard 2/5 missing"))
            #expect(message.contains("shard 3/5 incomplete"))
            #expect(message.contains("shard 5/5 stale: shard-5-of-5.json is from another sweep"))
            #expect(!message.contains("shard 1/5") && !message.contains("shard 4/5"))
            #expect(message.contains("sbatch --array=2-3,5%2 \(folder.path)/sweep.sbatch"), "\(message)")
        }
    }

    @Test("a shard holding the wrong rows is incomplete")
    func wrongRows() throws {
        let folder = try makeScratchDirectory("sweep-merge-rows")
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = Self.result(rows: 0..<6)
        try Self.writeShards(whole, shards: 2, in: folder.path)
        var part = whole
        part.rows = Array(whole.rows[3..<5])
        try SweepShardFile(simrunVersion: "0.1.0", simrunBuild: SimrunBuild.current, sweepHash: "abc", dataHash: "def", shard: 2, shards: 2,
                           firstRow: 4, lastRow: 6, result: part).write(in: folder.path)
        #expect {
            try SweepMerge.merge(folder: folder.path)
        } throws: { error in
            "\(error)".contains("shard 2/2 incomplete: shard-2-of-2.json holds 2 rows, expected rows 4-6 (3)")
                && "\(error)".contains("--shard K/2")
        }
    }

    @Test("a manifest claiming more rows than a sweep may have, or more shards than rows, is refused before any shard is looked at")
    func impossibleManifest() throws {
        let folder = try makeScratchDirectory("sweep-merge-huge")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeShards(Self.result(rows: 0..<4), shards: 2, in: folder.path)
        let path = folder.path + "/manifest.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (from, to) in [("\"rows\" : 4", "\"rows\" : \(SweepSpec.maxRows + 1)"), ("\"rows\" : 4", "\"rows\" : 1"),
                           ("\"rows\" : 4", "\"rows\" : 9223372036854775807")] {
            try Data(text.replacingOccurrences(of: from, with: to).utf8).write(to: URL(fileURLWithPath: path))
            #expect {
                try SweepMerge.merge(folder: folder.path)
            } throws: { error in
                (error as? InputError)?.kind == .badValue && "\(error)".contains("not a sweep manifest")
            }
        }
    }

    @Test("many bad shards: the first 20 named, the rest counted; the rerun line names them all")
    func manyBadShards() throws {
        let folder = try makeScratchDirectory("sweep-merge-many")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeShards(Self.result(rows: 0..<60), shards: 60, in: folder.path,
                             slurm: .init(script: folder.path + "/sweep.sbatch", maxRunning: nil, time: nil, cpusPerTask: nil))
        for k in 2...51 { try FileManager.default.removeItem(atPath: folder.path + "/shard-\(k)-of-60.json") }
        do {
            _ = try SweepMerge.merge(folder: folder.path)
            Issue.record("merge accepted missing shards")
        } catch let error as InputError {
            let message = error.description
            #expect(message.contains("50 of 60 shards are missing"))
            #expect(message.components(separatedBy: "\n").filter { $0.hasPrefix("  shard ") }.count == SweepMerge.listed)
            #expect(message.contains("shard 21/60 missing") && !message.contains("shard 22/60"))
            #expect(message.contains("... and \(50 - SweepMerge.listed) more (\(50 - SweepMerge.listed) missing)"), "\(message)")
            #expect(message.contains("sbatch --array=2-51 "), "\(message)")
        }
    }

    @Test("a folder without a manifest is 'no input'")
    func noManifest() throws {
        let folder = try makeScratchDirectory("sweep-merge-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try SweepMerge.merge(folder: folder.path)
        } throws: { error in
            (error as? InputError)?.kind == .noInput
        }
    }
}
