import Foundation
import SimKernel

/// What a folder of shards belongs to (`DIR/manifest.json`): the sweep, the data, the
/// simrun version and the split, written by `sweep --slurm DIR` or by the first
/// `sweep --shard K/N --out DIR`, and checked by every shard and by `sweep merge`.
struct SweepManifest: Codable, Sendable, Equatable {
    /// The settings `--slurm` wrote the batch script with (absent for shards run by hand).
    struct Slurm: Codable, Sendable, Equatable {
        var script: String
        var maxRunning: Int?
        var time: String?
        var cpusPerTask: Int?
    }

    /// One shard's rows (1-based, inclusive): "the variants it holds".
    struct ShardRows: Codable, Sendable, Equatable {
        var shard: Int
        var firstRow: Int
        var lastRow: Int
    }

    static let fileName = "manifest.json"
    static let formatName = "simrun-sweep-manifest-1"

    var format = Self.formatName
    var simrunVersion: String
    var sweepFile: String
    /// SHA-256 over the sweep file, every option's scenario and the run's settings (``hash(of:)``).
    var sweepHash: String
    var dataFile: String
    var dataHash: String
    /// Rows of the whole sweep (variants × replications).
    var rows: Int
    var shards: Int
    var shardRows: [ShardRows]
    var slurm: Slurm?

    init(simrunVersion: String, sweepFile: String, sweepHash: String, dataFile: String, dataHash: String,
         rows: Int, shards: Int, slurm: Slurm? = nil) {
        self.simrunVersion = simrunVersion
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
    static func hash(of parts: [String]) -> String {
        let text = Array(parts.joined(separator: "\n").utf8)
        return text.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
    }

    /// How `other` differs from this manifest in what decides the numbers and the split
    /// (sweep, data, version, number of shards); empty when they are the same sweep.
    func differences(from other: SweepManifest) -> [String] {
        var out: [String] = []
        if other.sweepHash != sweepHash { out.append("another sweep (sweep hash \(other.sweepHash.prefix(12)), expected \(sweepHash.prefix(12)))") }
        if other.dataHash != dataHash { out.append("other data (data SHA-256 \(other.dataHash.prefix(12)), expected \(dataHash.prefix(12)))") }
        if other.simrunVersion != simrunVersion { out.append("simrun \(other.simrunVersion), expected \(simrunVersion)") }
        if other.shards != shards || other.rows != rows { out.append("a split into \(other.shards) shards of \(other.rows) rows, expected \(shards) of \(rows)") }
        return out
    }

    // MARK: - Files

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }

    /// Writes the manifest to `folder/manifest.json` atomically.
    func write(in folder: String) throws {
        let data = try Self.encoder().encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: folder + "/" + Self.fileName)
    }

    /// Reads `folder/manifest.json`, or `nil` when there is none.
    /// - Throws: ``InputError`` (65) if it exists but is not a manifest simrun wrote.
    static func read(in folder: String) throws -> SweepManifest? {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data = try SweepShardFile.readBounded(path)
        guard let manifest = try? decoder().decode(SweepManifest.self, from: data), manifest.format == formatName,
            manifest.shards >= 1, manifest.rows >= 1, manifest.shards <= SweepShard.maxCount
        else {
            throw InputError(file: path, kind: .badValue, "not a sweep manifest written by simrun \(formatName); remove it (and the shards beside it) and run the sweep again")
        }
        return manifest
    }
}

/// One shard's file, `DIR/shard-K-of-N.json`: its manifest and its rows.
struct SweepShardFile: Codable, Sendable, Equatable {
    static let formatName = "simrun-sweep-shard-1"
    /// The largest shard file read: 1 GiB.
    static let maxBytes = 1 << 30

    var format = Self.formatName
    var simrunVersion: String
    var sweepHash: String
    var dataHash: String
    var shard: Int
    var shards: Int
    /// The rows it holds, 1-based and inclusive (empty when `firstRow > lastRow`).
    var firstRow: Int
    var lastRow: Int
    var result: SweepResult

    /// Writes the shard to `folder/shard-K-of-N.json` atomically.
    func write(in folder: String) throws {
        let data = try SweepManifest.encoder().encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n",
                             to: folder + "/" + SweepShard(index: shard, count: shards).fileName)
    }

    /// The bytes of `path`, refusing a file over ``maxBytes`` or one that is not a regular file.
    static func readBounded(_ path: String) throws -> Data {
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
}
