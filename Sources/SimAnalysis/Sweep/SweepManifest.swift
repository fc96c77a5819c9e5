import Foundation
import SimKernel

/// What a folder of shards belongs to (`DIR/manifest.json`): the sweep, the data, the
/// simrun version and the split, written by `sweep --slurm DIR` or by the first
/// `sweep --shard K/N --out DIR`, and checked by every shard and by `sweep merge`.
package struct SweepManifest: Codable, Sendable, Equatable {
    /// The settings `--slurm` wrote the batch script with (absent for shards run by hand).
    package struct Slurm: Codable, Sendable, Equatable {
        package var script: String
        package var maxRunning: Int?
        package var time: String?
        package var cpusPerTask: Int?

        /// The memberwise initializer, visible to the package's other targets.
        package init(script: String, maxRunning: Int?, time: String?, cpusPerTask: Int?) {
            self.script = script
            self.maxRunning = maxRunning
            self.time = time
            self.cpusPerTask = cpusPerTask
        }
    }

    /// One shard's rows (1-based, inclusive): "the variants it holds".
    package struct ShardRows: Codable, Sendable, Equatable {
        package var shard: Int
        package var firstRow: Int
        package var lastRow: Int

        /// The memberwise initializer, visible to the package's other targets.
        package init(shard: Int, firstRow: Int, lastRow: Int) {
            self.shard = shard
            self.firstRow = firstRow
            self.lastRow = lastRow
        }
    }

    package static let fileName = "manifest.json"
    package static let formatName = "simrun-sweep-manifest-1"

    package var format = Self.formatName
    package var simrunVersion: String
    /// The executable's identity (``SimrunBuild/current``): a rebuilt simrun of the same version
    /// is another build. `nil` in a manifest written before builds were recorded (then any build differs).
    package var simrunBuild: String?
    package var sweepFile: String
    /// SHA-256 over the sweep file, every option's scenario and the run's settings (``hash(of:)``).
    package var sweepHash: String
    package var dataFile: String
    package var dataHash: String
    /// Rows of the whole sweep (variants × replications).
    package var rows: Int
    package var shards: Int
    package var shardRows: [ShardRows]
    package var slurm: Slurm?

    package init(simrunVersion: String, simrunBuild: String? = SimrunBuild.current, sweepFile: String, sweepHash: String,
                 dataFile: String, dataHash: String, rows: Int, shards: Int, slurm: Slurm? = nil) {
        self.simrunVersion = simrunVersion
        self.simrunBuild = simrunBuild
        self.sweepFile = sweepFile
        self.sweepHash = sweepHash
        self.dataFile = dataFile
        self.dataHash = dataHash
        self.rows = rows
        self.shards = shards
        self.slurm = slurm
        shardRows = (1...shards).map { k in
            let r = SweepShard(index: k, count: shards).rows(of: rows)
            return ShardRows(shard: k, firstRow: r.lowerBound + 1, lastRow: r.upperBound)
        }
    }

    /// The SHA-256 (hex) of `parts`, each on a line: the sweep hash of the texts that decide a
    /// sweep's numbers (the sweep file's and each option's digest, seed, year, country, column map).
    package static func hash(of parts: [String]) -> String {
        let text = Array(parts.joined(separator: "\n").utf8)
        return text.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
    }

    /// The sweep hash: SHA-256 over what decides the numbers besides the data and simrun's
    /// version — the sweep file, each option file and its baseline system, the country profile,
    /// the column map, the year, the seed and the disclosure rule.
    /// - Throws: `InputError` if one of those files cannot be read.
    package static func sweepHash(spec: SweepSpec, scenarios: [ScenarioDefinition], profile: CountryProfile?, columnMap: String?,
                                  year: Int?, seed: UInt64, minimumCell: Int, suppress: Bool) throws -> String {
        var parts = ["simrun-sweep-1", "sweep \(spec.sha256)"]
        for (label, scenario) in zip(spec.optionLabels, scenarios) {
            parts.append("option \(label) \(try FileDigest.sha256(of: scenario.file))")
            if let source = scenario.baseline.source { parts.append("baseline \(try FileDigest.sha256(of: source))") }
        }
        parts.append("country \(try profile.map { try FileDigest.sha256(of: $0.file) } ?? "-")")
        parts.append("columns \(try columnMap.map { try FileDigest.sha256(of: $0) } ?? "-")")
        parts.append("year \(year.map(String.init) ?? "-") seed \(seed) min-cell \(minimumCell) suppress \(suppress)")
        return hash(of: parts)
    }

    /// How `other` differs from this manifest in what decides the numbers and the split
    /// (sweep, data, version, number of shards); empty when they are the same sweep.
    package func differences(from other: SweepManifest) -> [String] {
        var out: [String] = []
        if other.sweepHash != sweepHash { out.append("another sweep (sweep hash \(other.sweepHash.prefix(12)), expected \(sweepHash.prefix(12)))") }
        if other.dataHash != dataHash { out.append("other data (data SHA-256 \(other.dataHash.prefix(12)), expected \(dataHash.prefix(12)))") }
        if other.simrunVersion != simrunVersion {
            out.append("simrun \(other.simrunVersion), expected \(simrunVersion)")
        } else if other.simrunBuild != simrunBuild {
            out.append(Self.buildDifference(other.simrunBuild, expected: simrunBuild))
        }
        if other.shards != shards || other.rows != rows { out.append("a split into \(other.shards) shards of \(other.rows) rows, expected \(shards) of \(rows)") }
        return out
    }

    /// "another build of simrun (…, expected …)": what a shard or manifest from another executable is.
    package static func buildDifference(_ found: String?, expected: String?) -> String {
        func show(_ build: String?) -> String { build.map { String($0.prefix(32)) } ?? "not recorded" }
        return "another build of simrun (\(show(found)), expected \(show(expected))): the executable was rebuilt or replaced since; "
            + "run every shard with one executable"
    }

    /// The identity of the survey a sweep reads, for the manifest's and the result's `data_sha256`:
    /// the file's SHA-256; for a data recipe (`SurveyRecipe`), the SHA-256 of the recipe's and every
    /// file's SHA-256 it reads, in the recipe's order (`SurveyRecipe/digest(recipeSHA256:inputs:)`,
    /// the preparation's `digest`), so that a changed member file makes the shards before it stale.
    /// - Throws: `InputError` if the file, the recipe or a file it names cannot be read.
    package static func dataHash(of dataFile: String) throws -> String {
        guard SurveyRecipe.isRecipe(dataFile) else { return try FileDigest.sha256(of: dataFile) }
        let recipe = try SurveyRecipe(file: dataFile)
        return SurveyRecipe.digest(recipeSHA256: recipe.sha256, inputs: try recipe.files.map { try FileDigest.sha256(of: $0.path) })
    }

    // MARK: - Files

    package static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }

    package static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// Writes the manifest to `folder/manifest.json` atomically.
    package func write(in folder: String) throws {
        let data = try Self.encoder().encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: folder + "/" + Self.fileName)
    }

    /// Reads `folder/manifest.json`, or `nil` when there is none.
    /// - Throws: `InputError` (65) if it exists but is not a manifest simrun wrote.
    package static func read(in folder: String) throws -> SweepManifest? {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try SweepShardFile.readBounded(path)
        guard let manifest = try? decoder().decode(SweepManifest.self, from: data), manifest.format == formatName,
            manifest.shards >= 1, manifest.rows >= 1, manifest.shards <= SweepShard.maxCount,
            manifest.rows <= SweepSpec.maxRows, manifest.shards <= manifest.rows
        else {
            throw InputError(file: path, kind: .badValue, "not a sweep manifest written by simrun \(formatName); remove it (and the shards beside it) and run the sweep again")
        }
        return manifest
    }
}

/// One shard's file, `DIR/shard-K-of-N.json`: its manifest and its rows.
package struct SweepShardFile: Codable, Sendable, Equatable {
    package static let formatName = "simrun-sweep-shard-1"
    /// The largest shard file read: 1 GiB.
    package static let maxBytes = 1 << 30

    package var format = Self.formatName
    package var simrunVersion: String
    /// ``SweepManifest/simrunBuild``.
    package var simrunBuild: String?
    package var sweepHash: String
    package var dataHash: String
    package var shard: Int
    package var shards: Int
    /// The rows it holds, 1-based and inclusive (empty when `firstRow > lastRow`).
    package var firstRow: Int
    package var lastRow: Int
    package var result: SweepResult

    /// Writes the shard to `folder/shard-K-of-N.json` atomically.
    package func write(in folder: String) throws {
        let data = try SweepManifest.encoder().encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n",
                             to: folder + "/" + SweepShard(index: shard, count: shards).fileName)
    }

    /// The bytes of `path`, refusing a file over ``maxBytes`` or one that is not a regular file.
    package static func readBounded(_ path: String) throws -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { throw InputError(file: path, kind: .noInput, "cannot open the file (not a regular file)") }
        if let size = attributes[.size] as? Int, size > maxBytes {
            throw InputError(file: path, kind: .unsupported, "the file is larger than \(maxBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, kind: .io, "cannot read the file")
        }
        return data
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(simrunVersion: String, simrunBuild: String?, sweepHash: String, dataHash: String, shard: Int, shards: Int, firstRow: Int, lastRow: Int, result: SweepResult) {
        self.simrunVersion = simrunVersion
        self.simrunBuild = simrunBuild
        self.sweepHash = sweepHash
        self.dataHash = dataHash
        self.shard = shard
        self.shards = shards
        self.firstRow = firstRow
        self.lastRow = lastRow
        self.result = result
    }
}
