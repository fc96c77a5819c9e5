import Foundation
import SimKernel

/// `simrun sweep merge DIR`: the shards of a folder, checked against its manifest and
/// joined into the one-machine result.
public enum SweepMerge {
    /// A shard that cannot be merged, and why.
    package struct Problem: Error, Sendable, Equatable {
        package enum Kind: String, Sendable { case missing, incomplete, stale }
        package let shard: Int
        package let kind: Kind
        package let reason: String
    }

    /// Reads `folder`'s manifest and shards and returns the merged result.
    ///
    /// - Throws: `InputError`: no manifest (66); a damaged manifest (65); one or more shards
    ///   missing, incomplete or stale (65: `InputError/Kind/inconsistent`), naming each and
    ///   giving the `sbatch --array=` line that reruns exactly those.
    public static func merge(folder: String) throws -> SweepResult {
        guard let manifest = try SweepManifest.read(in: folder) else {
            throw InputError(file: folder + "/" + SweepManifest.fileName, kind: .noInput,
                             "no sweep manifest: run the shards first (simrun sweep SWEEP.yaml --shard K/N --out \(folder), or --slurm \(folder) and sbatch)")
        }
        var problems: [Problem] = []
        var shards: [SweepShardFile] = []
        for k in 1...manifest.shards {
            let path = folder + "/" + SweepShard(index: k, count: manifest.shards).fileName
            switch check(path: path, shard: k, manifest: manifest) {
            case .success(let file): shards.append(file)
            case .failure(let problem): problems.append(problem)
            }
        }
        // Every good shard must carry the same provenance and columns as the first.
        if let first = shards.first {
            for s in shards.dropFirst() where s.result.provenance != first.result.provenance
                || s.result.parameters != first.result.parameters || s.result.figures != first.result.figures {
                problems.append(Problem(shard: s.shard, kind: .stale,
                                        reason: "its provenance or columns differ from shard \(first.shard)'s (run with other options)"))
            }
        }
        guard problems.isEmpty, let first = shards.first else {
            throw InputError(file: folder, kind: .inconsistent, report(problems.sorted { $0.shard < $1.shard }, manifest: manifest, folder: folder))
        }
        var result = first.result
        result.rows = shards.flatMap(\.result.rows)
        return result
    }

    /// One shard file read and checked.
    package static func check(path: String, shard k: Int, manifest: SweepManifest) -> Result<SweepShardFile, Problem> {
        guard FileManager.default.fileExists(atPath: path) else {
            return .failure(Problem(shard: k, kind: .missing, reason: "no \((path as NSString).lastPathComponent)"))
        }
        let name = (path as NSString).lastPathComponent
        guard let data = try? SweepShardFile.readBounded(path),
            let file = try? SweepManifest.decoder().decode(SweepShardFile.self, from: data), file.format == SweepShardFile.formatName
        else {
            return .failure(Problem(shard: k, kind: .incomplete, reason: "\(name) cannot be read as a shard simrun wrote (damaged or cut short)"))
        }
        var stale: [String] = []
        if file.sweepHash != manifest.sweepHash { stale.append("from another sweep (sweep hash \(file.sweepHash.prefix(12)), expected \(manifest.sweepHash.prefix(12)))") }
        if file.dataHash != manifest.dataHash { stale.append("from other data (data SHA-256 \(file.dataHash.prefix(12)), expected \(manifest.dataHash.prefix(12)))") }
        if file.simrunVersion != manifest.simrunVersion {
            stale.append("from simrun \(file.simrunVersion), expected \(manifest.simrunVersion)")
        } else if file.simrunBuild != manifest.simrunBuild {
            stale.append("from " + SweepManifest.buildDifference(file.simrunBuild, expected: manifest.simrunBuild))
        }
        if file.shard != k || file.shards != manifest.shards { stale.append("holds shard \(file.shard)/\(file.shards), expected \(k)/\(manifest.shards)") }
        if !stale.isEmpty { return .failure(Problem(shard: k, kind: .stale, reason: "\(name) is " + stale.joined(separator: "; "))) }
        let expected = SweepShard(index: k, count: manifest.shards).rows(of: manifest.rows)
        let held = file.result.rows.map(\.index)
        guard file.firstRow == expected.lowerBound + 1, file.lastRow == expected.upperBound, held.elementsEqual(expected),
            file.result.rows.allSatisfy({ $0.values.count == file.result.parameters.count && $0.figures.count == file.result.figures.count })
        else {
            return .failure(Problem(shard: k, kind: .incomplete,
                                    reason: "\(name) holds \(held.count) rows, expected rows \(expected.lowerBound + 1)-\(expected.upperBound) (\(expected.count))"))
        }
        return .success(file)
    }

    /// The most shards a merge error names one by one (the rest are counted; the rerun line has them all).
    package static let listed = 20

    /// The message for shards that cannot be merged: each named (the first ``listed``), then the
    /// commands that rerun exactly those.
    package static func report(_ problems: [Problem], manifest: SweepManifest, folder: String) -> String {
        var lines = ["cannot merge: \(problems.count) of \(manifest.shards) shards \(problems.count == 1 ? "is" : "are") missing, incomplete or stale"]
        // Each named, up to `listed`; the rerun line below names them all, in ranges.
        for p in problems.prefix(listed) { lines.append("  shard \(p.shard)/\(manifest.shards) \(p.kind.rawValue): \(p.reason)") }
        if problems.count > listed {
            let kinds = Dictionary(grouping: problems.dropFirst(listed), by: \.kind)
                .sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value.count) \($0.key.rawValue)" }
            lines.append("  ... and \(problems.count - listed) more (\(kinds.joined(separator: ", ")))")
        }
        let ids = SlurmArrayList.text(problems.map(\.shard))
        if let slurm = manifest.slurm {
            let limit = slurm.maxRunning.map { "%\($0)" } ?? ""
            lines.append("rerun exactly these with: sbatch --array=\(ids)\(limit) \(SlurmBatchScript.shellQuoted(slurm.script))")
        } else {
            lines.append("rerun exactly these (\(ids)) with: simrun sweep \(SlurmBatchScript.shellQuoted(manifest.sweepFile)) --shard K/\(manifest.shards) --out \(SlurmBatchScript.shellQuoted(folder)) and the options of the first run")
        }
        return lines.joined(separator: "\n")
    }
}
