import Foundation
import SimKernel

/// What a result was computed from, so that it can be reproduced and checked
/// months later: versions, checksums, sizes. Never a time or a host name, so
/// two runs on the same inputs print the same bytes.
struct Provenance {
    let simrunVersion = Simrun.version
    let dataFile: String
    let dataSHA256: String
    let scenarioFile: String
    let scenarioSHA256: String
    let baselineFile: String?
    let baselineSHA256: String?
    let columnMapFile: String?
    let columnMapSHA256: String?
    let households: Int
    let persons: Int
    let year: Int?
    let povertyLine: Double
    let seed: UInt64
    let replications: Int
    /// What a data recipe did, if the data is a recipe (or a binary survey made from one).
    let preparation: DataPreparation?
    /// How the survey was aged to the simulated year (`--age-survey`), or `nil`.
    var ageing: AgeingOutput? = nil

    init(dataFile: String, scenario: ScenarioDefinition, columnMap: String?, population: Population,
         seed: UInt64, replications: Int) throws {
        self.seed = seed
        self.replications = replications
        self.dataFile = dataFile
        dataSHA256 = try Self.sha256(of: dataFile)
        scenarioFile = scenario.file
        scenarioSHA256 = try Self.sha256(of: scenario.file)
        baselineFile = scenario.baseline.source
        baselineSHA256 = try scenario.baseline.source.map(Self.sha256(of:))
        columnMapFile = columnMap
        columnMapSHA256 = try columnMap.map(Self.sha256(of:))
        households = population.householdCount
        persons = population.personCount
        year = scenario.year
        povertyLine = scenario.povertyLine
        preparation = population.preparation
    }

    /// The SHA-256 of a file's bytes, lowercase hex (remembered between runs, see ``FileDigest``).
    static func sha256(of file: String) throws -> String {
        try FileDigest.sha256(of: file)
    }
}
