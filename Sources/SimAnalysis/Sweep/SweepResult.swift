import Foundation

/// A sweep's rows and what they were computed from: the one value behind `simrun sweep`'s
/// CSV and JSON, a shard file's rows and `sweep merge`'s output, so a merged result is
/// rendered by the same code from the same numbers as a one-machine run (byte-identical).
public struct SweepResult: Codable, Sendable, Equatable {
    /// What the rows were computed from (the JSON output's `provenance`).
    package struct Provenance: Codable, Sendable, Equatable {
        package var simrunVersion: String
        package var sweepFile: String
        /// ``SweepManifest/sweepHash``: the sweep, its options and the run's settings.
        package var sweepHash: String
        package var dataFile: String
        package var dataHash: String
        package var households: Int
        package var persons: Int
        package var seed: UInt64
        package var year: Int?
        package var countryFile: String?
        /// The option files as the sweep file names them.
        package var options: [String]
        package var replications: Int

        /// The memberwise initializer, visible to the package's other targets.
        package init(simrunVersion: String, sweepFile: String, sweepHash: String, dataFile: String, dataHash: String, households: Int, persons: Int, seed: UInt64, year: Int?, countryFile: String?, options: [String], replications: Int) {
            self.simrunVersion = simrunVersion
            self.sweepFile = sweepFile
            self.sweepHash = sweepHash
            self.dataFile = dataFile
            self.dataHash = dataHash
            self.households = households
            self.persons = persons
            self.seed = seed
            self.year = year
            self.countryFile = countryFile
            self.options = options
            self.replications = replications
        }
    }

    /// One row: a variant and replication, and every comparison figure.
    public struct Row: Codable, Sendable, Equatable {
        /// 0-based position in the sweep's order (``SweepSpec/variant(at:)``).
        public var index: Int
        /// The option's file as the sweep names it.
        package var option: String
        package var replication: Int
        /// One value per ``SweepResult/parameters``.
        package var values: [Double]
        /// One value per ``SweepResult/figures``; `nil` when undefined or withheld (small cell).
        package var figures: [Double?]
        /// The figures flagged as resting on fewer observations than the disclosure threshold.
        package var flagged: [String]

        /// The memberwise initializer, visible to the package's other targets.
        package init(index: Int, option: String, replication: Int, values: [Double], figures: [Double?], flagged: [String]) {
            self.index = index
            self.option = option
            self.replication = replication
            self.values = values
            self.figures = figures
            self.flagged = flagged
        }
    }

    /// A figure column: its `scenario compare` JSON key and unit (docs/output.md).
    package struct Figure: Codable, Sendable, Equatable {
        package var key: String
        package var unit: String

        /// The memberwise initializer, visible to the package's other targets.
        package init(key: String, unit: String) {
            self.key = key
            self.unit = unit
        }
    }

    package var provenance: Provenance
    /// The varied parameters' paths, in the sweep file's order.
    package var parameters: [String]
    package var figures: [Figure]
    public var rows: [Row]

    // MARK: - Output

    /// One line per row: `row,option,replication`, the parameters, the figures, `flagged_small_cells`.
    ///
    /// Numbers at full precision (``JSONWriter/number(_:)``), an undefined or withheld figure
    /// empty; `row` is 1-based.
    public func csv() -> String {
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
    public func json() -> String {
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

    /// The memberwise initializer, visible to the package's other targets.
    package init(provenance: Provenance, parameters: [String], figures: [Figure], rows: [Row]) {
        self.provenance = provenance
        self.parameters = parameters
        self.figures = figures
        self.rows = rows
    }
}
