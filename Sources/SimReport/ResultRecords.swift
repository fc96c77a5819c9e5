import Foundation
import SimAnalysis
import SimKernel

/// The versioned result records read back and shown: a comparison (`ComparisonTable`),
/// a scenario run (`ScenarioRunRecord`), an assessment (`AssessmentRecord`) or a provenance
/// (`Provenance`), each as the JSON `ComparisonTable/recordEncoder()` writes. Reading checks
/// the record (its schema version, list lengths, the statistics' layout) so that a record from
/// elsewhere is refused with a `DecodingError`, never rendered into a crash; the fuzz target
/// `records` (docs/fuzzing.md) drives this with hostile input.
public enum ResultRecords {
    /// What kind of record a document holds.
    public enum Kind: String, Sendable, CaseIterable {
        case comparison, scenarioRun = "scenario_run", assessment, provenance
    }

    /// The record in `data` read as a `kind` record, then rendered as every format its command
    /// prints (table, JSON, CSV; a provenance as the `provenance` objects of run, compare and
    /// assess and the report's methods facts), and the record written again.
    ///
    /// - Returns: The renderings, and the record's bytes as written again (the same record must read back to them).
    /// - Throws: `DecodingError` for anything but a good record of `kind`.
    public static func render(_ data: Data, as kind: Kind) throws -> (renderings: [String], rewritten: Data) {
        let decoder = ComparisonTable.recordDecoder(), encoder = ComparisonTable.recordEncoder()
        switch kind {
        case .comparison:
            let table = try decoder.decode(ComparisonTable.self, from: data)
            let renderer = ComparisonRenderer(table: table, order: Array(table.titles.indices), header: [], provenance: .null)
            return (OutputFormat.allCases.map(renderer.render), try encoder.encode(table))
        case .scenarioRun:
            let record = try decoder.decode(ScenarioRunRecord.self, from: data)
            return (OutputFormat.allCases.map(RunReport(record: record).render), try encoder.encode(record))
        case .assessment:
            let record = try decoder.decode(AssessmentRecord.self, from: data)
            return (OutputFormat.allCases.map(AssessmentRenderer(record: record).render), try encoder.encode(record))
        case .provenance:
            let p = try decoder.decode(Provenance.self, from: data)
            let views = [p.runJSON(ageing: .null), p.compareJSON(), p.assessJSON(olderAge: 65)].map(JSONWriter.document)
            return (views + [p.facts.map { "\($0.key): \($0.value)" }.joined(separator: "\n")], try encoder.encode(p))
        }
    }
}
