import SimAnalysis
import SimKernel

/// How every output shows what a data recipe did (`DataPreparation`): the
/// recipe's and its files' checksums and the rows dropped, with the reason.
/// One definition for the JSON provenance, the table header and the report.
package enum DataPreparationOutput {
    /// The `data_preparation` provenance entry: `null` for a file read as it is.
    ///
    /// Shape: `{"recipe", "recipe_sha256", "digest", "households", "persons",
    /// "inputs": [{"name", "file", "sha256", "rows"}], "dropped": [{"reason", "households", "persons"}]}`.
    package static func json(_ p: DataPreparation?) -> JSONWriter.Value {
        guard let p else { return .null }
        return .object([
            ("recipe", .string(p.recipe)), ("recipe_sha256", .string(p.recipeSHA256)), ("digest", .string(p.digest)),
            ("households", .number(Double(p.households))), ("persons", .number(Double(p.persons))),
            ("inputs", .array(p.inputs.map { i in
                .object([("name", .string(i.name)), ("file", .string(i.file)), ("sha256", .string(i.sha256)), ("rows", .number(Double(i.rows)))])
            })),
            ("dropped", .array(p.drops.map { d in
                .object([("reason", .string(d.reason)), ("households", .number(Double(d.households))), ("persons", .number(Double(d.persons)))])
            })),
        ])
    }

    /// Lines for a table's header ("Recipe   : ..."), none for a file read as it is.
    package static func lines(_ p: DataPreparation?) -> [String] {
        guard let p else { return [] }
        var out = ["Recipe   : " + p.inputs.map { "\($0.name) \($0.file) (\(grouped($0.rows)) rows)" }.joined(separator: "; ")]
        if p.drops.isEmpty {
            out.append("Dropped  : nothing")
        } else {
            for d in p.drops {
                out.append("Dropped  : \(grouped(d.households)) households, \(grouped(d.persons)) persons: \(d.reason)")
            }
        }
        return out
    }

    /// Facts for the report's provenance list.
    ///
    /// - Parameters:
    ///   - p: What the recipe did; `nil` (a file read as it is) gives no facts.
    ///   - name: How a file is named (the report passes its last path component, so no folder of the
    ///     analyst reaches the pack).
    package static func facts(_ p: DataPreparation?, naming name: (String) -> String = { $0 }) -> [ReportFact] {
        guard let p else { return [] }
        var out = [ReportFact("Data recipe", name(p.recipe)), ReportFact("Data recipe digest (recipe and files)", p.digest)]
        for i in p.inputs { out.append(ReportFact("Recipe file \(i.name)", "\(name(i.file)), \(grouped(i.rows)) rows, SHA-256 \(i.sha256)")) }
        for d in p.drops { out.append(ReportFact("Dropped by the recipe", "\(grouped(d.households)) households, \(grouped(d.persons)) persons: \(d.reason)")) }
        if p.drops.isEmpty { out.append(ReportFact("Dropped by the recipe", "nothing")) }
        return out
    }

    private static func grouped(_ n: Int) -> String { ReportNumberFormat.grouped(Double(n), decimals: 0) }
}
