import Foundation
import SimKernel

/// What `simrun data import` asks: check a person-level CSV and write it as a binary survey file
/// (`.simdata`, docs/performance.md) that loads in milliseconds.
///
/// Every column is stored: the model's variables (under their mapped names) with their kinds and
/// ranges, every other numeric column as numbers, every other column whose values are text as
/// categories. The file is written to a temporary file beside `out` and renamed into place; an
/// interrupt while writing removes the temporary file (``InterruptCleanup``), so `out` never holds
/// half a file.
///
/// ```swift
/// let result = try DataImportRequest(csv: "persons.csv", out: "survey.simdata").run()
/// ```
package struct DataImportRequest: Sendable {
    /// The person-level survey CSV.
    package var csv: String
    /// The binary survey file to write: a new path or a regular file to replace.
    package var out: String
    /// The column map file (`--columns`), applied once now; `nil` for none.
    package var columnMapFile: String?
    package var plan = ParallelPlan()

    package init(csv: String, out: String, columnMapFile: String? = nil) {
        self.csv = csv
        self.out = out
        self.columnMapFile = columnMapFile
    }
}

/// What `simrun data import` wrote.
package struct DataImportResult: Sendable {
    /// The survey as written (and as `--data out` loads it).
    package let population: Population
    /// The file written.
    package let out: String
    /// The columns simrun does not know whose values are text, stored as categories (sorted).
    package let categories: [String]
}

extension DataImportRequest {
    /// Checks that `out` may be replaced, reads the CSV (retrying a text column simrun does not know as a
    /// category), and writes the binary survey file atomically with the CSV's SHA-256.
    ///
    /// - Returns: The population written and the columns kept as categories.
    /// - Throws: `InputError`: the CSV and column map (naming file, line and column), `out` not replaceable
    ///   (kind `InputError/Kind/cannotCreate`, exit 73), a failed write.
    package func run() throws -> DataImportResult {
        try SurveyCache.checkReplaceable(out)
        let map = try columnMapFile.map(ColumnMap.init(file:)) ?? ColumnMap()
        let header = try SurveyLoader.header(of: csv)
        // Model variables present (under their mapped names), then every other column by its own name.
        var requests: [VariableRequest] = []
        var covered: Set<String> = []
        for v in Variable.known where header.contains(map.column(for: v.name)) {
            covered.insert(map.column(for: v.name))
            if !["hh_id", "person_id", "weight"].contains(v.name) { requests.append(VariableRequest(v, neededBy: "data import")) }
        }
        var categories: Set<String> = []
        let others = header.filter { !covered.contains($0) }
        let loader = SurveyLoader(columnMap: map, plan: plan)
        while true {
            let extra = others.map { name in
                VariableRequest(categories.contains(name) ? Variable.category(name) : Variable.named(name), neededBy: "data import")
            }
            do {
                let population = try loader.load(file: csv, variables: requests + extra)
                let digest = try FileDigest.sha256(of: csv)
                // Interrupted while writing: the temporary file goes, `out` is as it was.
                try InterruptCleanup.shared.removingTemporaryFile { created in
                    try SurveyCache.write(population, source: csv, sourceSHA256: digest, columnMap: map, to: out, temporaryCreated: created)
                }
                return DataImportResult(population: population, out: out, categories: categories.sorted())
            } catch let error as InputError {
                // A column simrun does not know that holds text is kept as a category.
                if let field = error.field, others.contains(field), !categories.contains(field),
                    error.message.contains("is not a number") {
                    categories.insert(field)
                    continue
                }
                throw error
            }
        }
    }
}
