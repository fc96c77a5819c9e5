import Foundation
import SimKernel

/// What a result was computed from, so that it can be reproduced and checked months later:
/// the simrun version, every input file with its SHA-256, the survey's size, how the data was
/// prepared, the seed and the replications. Never a time or a host name, so two runs on the same
/// inputs print the same bytes.
///
/// Built once per result (``init(dataFile:columnMapFile:population:scenarios:labels:profile:seed:replications:confidenceIntervals:)``:
/// every file hashed here, nowhere else) and shown by every format from this one value: the
/// JSON `provenance` object of `scenario run`, `compare`, `assess` and `solve`, the report's
/// methods section and the workshop page's pack (views in SimReport's `Provenance+Output`).
/// Codable, with ``schemaVersion-swift.property``, for tools that keep results.
package struct Provenance: Codable, Sendable, Equatable {
    /// The version of this record's shape (the JSON documents' `schema_version`).
    package static let schemaVersion = 1

    /// One option (scenario) of the result.
    package struct Option: Codable, Sendable, Equatable {
        /// The option's short name (``OptionLabels``).
        package let label: String
        package let scenarioFile: String
        package let scenarioSHA256: String
        /// The baseline system's file, when it comes from one (`baseline: FILE`).
        package let baselineFile: String?
        package let baselineSHA256: String?
        /// The simulated year (`nil`: the system's own).
        package let year: Int?
        package let povertyLine: Double
        /// The welfare the poverty and inequality figures use, in words (docs/welfare.md).
        package let welfare: String
    }

    /// The country profile used for costing.
    package struct Country: Codable, Sendable, Equatable {
        package let name: String
        package let file: String
        package let sha256: String
    }

    package var schemaVersion = Provenance.schemaVersion
    package var simrunVersion = SimrunVersion.current
    package let dataFile: String
    package let dataSHA256: String
    package let columnMapFile: String?
    package let columnMapSHA256: String?
    package let households: Int
    package let persons: Int
    /// What a data recipe did, if the data is a recipe (or a binary survey made from one).
    package let preparation: DataPreparation?
    package let seed: UInt64
    package let replications: Int
    /// How confidence intervals were computed (`linearized`, `bootstrap`), `nil` for none.
    package let confidenceIntervals: String?
    package let country: Country?
    package let options: [Option]

    /// Hashes every input once.
    ///
    /// - Parameters:
    ///   - dataFile: The survey file (or recipe, or binary survey) as the user named it.
    ///   - columnMapFile: The column map's file, `nil` when the data's own names are used.
    ///   - population: The survey as loaded (its size; a recipe's preparation).
    ///   - scenarios: The options, each with its scenario and baseline files.
    ///   - labels: One per scenario (default: ``OptionLabels/labels(for:)``).
    ///   - profile: The country profile, if any.
    ///   - seed: The seed of every random draw.
    ///   - replications: The Monte Carlo replications (1: one draw).
    ///   - confidenceIntervals: How confidence intervals were computed (`linearized`, `bootstrap`), `nil` for none.
    /// - Throws: `InputError` (exit 66 or 74) when a file cannot be read.
    package init(dataFile: String, columnMapFile: String?, population: Population, scenarios: [ScenarioDefinition],
                 labels: [String]? = nil, profile: CountryProfile?, seed: UInt64, replications: Int,
                 confidenceIntervals: String? = nil) throws {
        let labels = labels ?? OptionLabels.labels(for: scenarios)
        precondition(labels.count == scenarios.count, "one label per option")
        self.dataFile = dataFile
        dataSHA256 = try FileDigest.sha256(of: dataFile)
        self.columnMapFile = columnMapFile
        columnMapSHA256 = try columnMapFile.map(FileDigest.sha256(of:))
        households = population.householdCount
        persons = population.personCount
        preparation = population.preparation
        self.seed = seed
        self.replications = replications
        self.confidenceIntervals = confidenceIntervals == "none" ? nil : confidenceIntervals
        country = try profile.map { Country(name: $0.name, file: $0.file, sha256: try FileDigest.sha256(of: $0.file)) }
        options = try zip(scenarios, labels).map { scenario, label in
            Option(label: label, scenarioFile: scenario.file, scenarioSHA256: try FileDigest.sha256(of: scenario.file),
                   baselineFile: scenario.baseline.source, baselineSHA256: try scenario.baseline.source.map(FileDigest.sha256(of:)),
                   year: scenario.year, povertyLine: scenario.povertyLine, welfare: scenario.welfare.outputDescription)
        }
    }

    /// A provenance read back (a result record): refused unless its ``schemaVersion-swift.property`` is this
    /// simrun's, it names at least one option, and its counts are not negative.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion == Self.schemaVersion else {
            throw DecodingError.dataCorruptedError(forKey: .schemaVersion, in: c,
                                                   debugDescription: "a provenance of schema version \(schemaVersion); this simrun reads version \(Self.schemaVersion)")
        }
        simrunVersion = try c.decode(String.self, forKey: .simrunVersion)
        dataFile = try c.decode(String.self, forKey: .dataFile)
        dataSHA256 = try c.decode(String.self, forKey: .dataSHA256)
        columnMapFile = try c.decodeIfPresent(String.self, forKey: .columnMapFile)
        columnMapSHA256 = try c.decodeIfPresent(String.self, forKey: .columnMapSHA256)
        households = try c.decode(Int.self, forKey: .households)
        persons = try c.decode(Int.self, forKey: .persons)
        preparation = try c.decodeIfPresent(DataPreparation.self, forKey: .preparation)
        seed = try c.decode(UInt64.self, forKey: .seed)
        replications = try c.decode(Int.self, forKey: .replications)
        confidenceIntervals = try c.decodeIfPresent(String.self, forKey: .confidenceIntervals)
        country = try c.decodeIfPresent(Country.self, forKey: .country)
        options = try c.decode([Option].self, forKey: .options)
        guard !options.isEmpty, households >= 0, persons >= 0, replications >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .options, in: c,
                                                   debugDescription: "a provenance names at least one option, with households and persons >= 0 and replications >= 1")
        }
    }

    /// The provenance of a session's survey and these options.
    package init(session: AnalysisSession, scenarios: [ScenarioDefinition], labels: [String]? = nil,
                 replications: Int = 1, confidenceIntervals: String? = nil) throws {
        try self.init(dataFile: session.dataFile, columnMapFile: session.columnMapFile, population: session.population,
                      scenarios: scenarios, labels: labels, profile: session.profile, seed: session.seed,
                      replications: replications, confidenceIntervals: confidenceIntervals)
    }
}
