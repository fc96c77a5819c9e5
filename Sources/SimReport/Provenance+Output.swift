import Foundation
import SimAnalysis
import SimKernel

/// Every format's view of a ``Provenance``: the JSON `provenance` objects (each command keeps its
/// documented keys, docs/output.md) and the report's methods facts. The values come from the one
/// ``Provenance`` built for the result, so a checksum or a count is the same in every format.
extension Provenance {
    /// `scenario run`'s `provenance` object (one option): files and checksums, size, preparation,
    /// ageing, year, line, seed, replications and welfare.
    package func runJSON(ageing: JSONWriter.Value) -> JSONWriter.Value {
        let o = options[0]
        return .object([
            ("simrun_version", .string(simrunVersion)),
            ("data_file", .string(dataFile)), ("data_sha256", .string(dataSHA256)),
            ("scenario_file", .string(o.scenarioFile)), ("scenario_sha256", .string(o.scenarioSHA256)),
            ("baseline_file", o.baselineFile.map { .string($0) } ?? .null),
            ("baseline_sha256", o.baselineSHA256.map { .string($0) } ?? .null),
            ("column_map_file", columnMapFile.map { .string($0) } ?? .null),
            ("column_map_sha256", columnMapSHA256.map { .string($0) } ?? .null),
            ("households", .number(Double(households))), ("persons", .number(Double(persons))),
            ("data_preparation", DataPreparationOutput.json(preparation)),
            ("ageing", ageing),
            ("year", o.year.map { .number(Double($0)) } ?? .null),
            ("poverty_line", .number(o.povertyLine)),
            ("seed", .number(Double(seed))),
            ("replications", .number(Double(replications))),
            ("welfare", .string(o.welfare)),
        ])
    }

    /// `scenario compare`'s `provenance` object: the survey, the seed, each scenario file's checksum,
    /// `projection` (the projection's fields, when there is one), the country profile and, above one,
    /// the replications.
    package func compareJSON(projection: [(String, JSONWriter.Value)] = []) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [
            ("simrun_version", .string(simrunVersion)), ("data_file", .string(dataFile)),
            ("data_sha256", .string(dataSHA256)),
            ("households", .number(Double(households))), ("persons", .number(Double(persons))),
            ("data_preparation", DataPreparationOutput.json(preparation)),
            ("seed", .number(Double(seed))),
            ("scenario_sha256", .object(options.map { ($0.scenarioFile, .string($0.scenarioSHA256)) })),
        ]
        fields += projection
        if let country {
            fields.append(("country_file", .string(country.file)))
            fields.append(("country_sha256", .string(country.sha256)))
        }
        if replications > 1 { fields.append(("replications", .number(Double(replications)))) }
        return .object(fields)
    }

    /// `solve`'s `provenance` fields: the survey, the version, the scenario file and the seed.
    package func solveJSON() -> [(String, JSONWriter.Value)] {
        [("data_file", .string(dataFile)), ("data_sha256", .string(dataSHA256)),
         ("households", .number(Double(households))), ("persons", .number(Double(persons))),
         ("simrun_version", .string(simrunVersion)), ("scenario_file", .string(options[0].scenarioFile)),
         ("seed", .number(Double(seed)))]
    }

    /// `assess`'s `provenance` object: the survey, the seed and the older-age limit.
    package func assessJSON(olderAge: Int) -> JSONWriter.Value {
        .object([("simrun_version", .string(simrunVersion)), ("data_file", .string(dataFile)),
                 ("data_sha256", .string(dataSHA256)),
                 ("data_preparation", DataPreparationOutput.json(preparation)), ("seed", .number(Double(seed))),
                 ("older_age", .number(Double(olderAge)))])
    }

    /// The report's methods facts. Files are named by their names only: the analyst's folders stay
    /// out of the pack.
    package var facts: [ReportFact] {
        func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
        var facts = [ReportFact("simrun version", simrunVersion), ReportFact("Data", name(dataFile)),
                     ReportFact("Data SHA-256", dataSHA256),
                     ReportFact("Households, persons", "\(households), \(persons)"),
                     ReportFact("Seed", String(seed))] + DataPreparationOutput.facts(preparation, naming: name)
        if replications > 1 { facts.append(ReportFact("Replications", String(replications))) }
        if let confidenceIntervals { facts.append(ReportFact("Confidence intervals", "\(confidenceIntervals), 95%")) }
        for o in options {
            facts.append(ReportFact("Scenario of \(o.label)", "\(name(o.scenarioFile)) (SHA-256 \(o.scenarioSHA256))"))
        }
        // The welfare each option's poverty and inequality figures use (docs/welfare.md).
        for o in options { facts.append(ReportFact("Welfare of \(o.label)", o.welfare)) }
        if let country { facts.append(ReportFact("Country profile", "\(name(country.file)) (SHA-256 \(country.sha256))")) }
        return facts
    }
}
