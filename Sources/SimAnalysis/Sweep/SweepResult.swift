import Foundation
import SimAnalysis

/// A sweep's rows and what they were computed from: the one value behind `simrun sweep`'s
/// CSV and JSON, a shard file's rows and `sweep merge`'s output, so a merged result is
/// rendered by the same code from the same numbers as a one-machine run (byte-identical).
struct SweepResult: Codable, Sendable, Equatable {
    /// What the rows were computed from (the JSON output's `provenance`).
    struct Provenance: Codable, Sendable, Equatable {
        var simrunVersion: String
        var sweepFile: String
        /// ``SweepManifest/sweepHash``: the sweep, its options and the run's settings.
        var sweepHash: String
        var dataFile: String
        var dataHash: String
        var households: Int
        var persons: Int
        var seed: UInt64
        var year: Int?
        var countryFile: String?
        /// The option files as the sweep file names them.
        var options: [String]
        var replications: Int
    }

    /// One row: a variant and replication, and every comparison figure.
    struct Row: Codable, Sendable, Equatable {
        /// 0-based position in the sweep's order (``SweepSpec/variant(at:)``).
        var index: Int
        /// The option's file as the sweep names it.
        var option: String
        var replication: Int
        /// One value per ``SweepResult/parameters``.
        var values: [Double]
        /// One value per ``SweepResult/figures``; `nil` when undefined or withheld (small cell).
        var figures: [Double?]
        /// The figures flagged as resting on fewer observations than the disclosure threshold.
        var flagged: [String]
    }

    /// A figure column: its `scenario compare` JSON key and unit (docs/output.md).
    struct Figure: Codable, Sendable, Equatable {
        var key: String
        var unit: String
    }

    var provenance: Provenance
    /// The varied parameters' paths, in the sweep file's order.
    var parameters: [String]
    var figures: [Figure]
    var rows: [Row]

    // MARK: - Output

    /// The result as `format` prints it (`csv` or `json`).
    func render(_ format: OutputFormat) -> String {
        format == .json ? json() : csv()
    }

    /// One line per row: `row,option,replication`, the parameters, the figures, `flagged_small_cells`.
    ///
    /// Numbers at full precision (``JSONWriter/number(_:)``), an undefined or withheld figure
    /// empty; `row` is 1-based.
    func csv() -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var out = (["row", "option", "replication"] + parameters.map(field) + figures.map(\.key) + ["flagged_small_cells"])
            .joined(separator: ",") + "\n"
        for row in rows {
            var cells = ["\(row.index + 1)", field(row.option), "\(row.replication)"]
            cells += row.values.map(JSONWriter.number)
            cells += row.figures.map { $0.map(JSONWriter.number) ?? "" }
            cells.append(field(row.flagged.joined(separator: ";")))
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `{"provenance": ..., "parameters": [...], "units": {...}, "rows": [...]}` (docs/solve-and-sweep.md).
    func json() -> String {
        let p = provenance
        let head: [(String, JSONWriter.Value)] = [
            ("simrun_version", .string(p.simrunVersion)), ("sweep_file", .string(p.sweepFile)),
            ("sweep_sha256", .string(p.sweepHash)), ("data_file", .string(p.dataFile)),
            ("data_sha256", .string(p.dataHash)), ("households", .number(Double(p.households))),
            ("persons", .number(Double(p.persons))), ("seed", .number(Double(p.seed))),
            ("year", p.year.map { .number(Double($0)) } ?? .null),
            ("country_file", p.countryFile.map { .string($0) } ?? .null),
            ("options", .array(p.options.map { .string($0) })),
            ("replications", .number(Double(p.replications))),
        ]
        let rows: [JSONWriter.Value] = rows.map { row in
            .object([
                ("row", .number(Double(row.index + 1))), ("option", .string(row.option)),
                ("replication", .number(Double(row.replication))),
                ("parameters", .object(zip(parameters, row.values).map { ($0, .number($1)) })),
                ("figures", .object(zip(figures, row.figures).map { ($0.key, $1.map { .number($0) } ?? .null) })),
                ("flagged_small_cells", .array(row.flagged.map { .string($0) })),
            ])
        }
        return JSONWriter.document(.object([
            ("provenance", .object(head)),
            ("parameters", .array(parameters.map { .string($0) })),
            ("units", .object(figures.map { ($0.key, .string($0.unit)) })),
            ("rows", .array(rows)),
        ])) + "\n"
    }
}
