import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// `simrun report --sweep RESULT --out DIR`: a sweep's frontier as a report (the same page,
/// CSV tables and workbook as `report`): net cost in % of GDP against the poverty-gap
/// reduction of every row, the non-dominated rows marked, and a table of them.
enum SweepReport {
    /// The report of `result` (read from `file`).
    ///
    /// - Throws: ``InputError`` (65, `missingColumn`) when the result has no `net_cost_share_gdp`
    ///   (a sweep run without a country profile) or no `fgt1_change`.
    static func document(_ result: SweepResult, file: String, date: String) throws -> ReportDocument {
        func column(_ key: String, _ hint: String) throws -> Int {
            guard let i = result.figures.firstIndex(where: { $0.key == key }) else {
                throw InputError(file: file, field: key, kind: .missingColumn, "the sweep result has no \(key); \(hint)")
            }
            return i
        }
        let cost = try column("net_cost_share_gdp", "run the sweep with a country profile (--country NAME or costing.country)")
        let gap = try column("fgt1_change", "it is not a result of simrun sweep")
        let lifted = result.figures.firstIndex { $0.key == "lifted_out" }
        let headcount = result.figures.firstIndex { $0.key == "fgt0_change" }
        let points = result.rows.map { (cost: $0.figures[cost] ?? .nan, reduction: -($0.figures[gap] ?? .nan)) }
        let frontier = SweepFrontier.nonDominated(points)
        let chart = ScatterChart(
            title: "Net cost against poverty-gap reduction, \(result.rows.count) variants",
            xAxis: ChartAxis(label: "Net cost to the state", unit: "% of GDP", format: .percent(decimals: 2)),
            yAxis: ChartAxis(label: "Reduction of the poverty gap FGT(1)", unit: "percentage points", format: .percentagePoints(decimals: 2)),
            points: points.enumerated().map { .init(x: $1.cost, y: $1.reduction, marked: frontier.contains($0)) },
            unmarkedName: "variant", markedName: "not dominated (no variant costs less and reduces the gap more)",
            note: "Each point is a variant (and replication) of the sweep. A variant is dominated when another costs no more and reduces the poverty gap at least as much, one of the two strictly.")
        var columns = [ReportColumn("Row"), ReportColumn("Option")] + result.parameters.map { ReportColumn($0) }
        columns += [ReportColumn("Net cost", unit: "% of GDP"), ReportColumn("Poverty-gap reduction", unit: "percentage points")]
        if headcount != nil { columns.append(ReportColumn("Change in poverty headcount", unit: "percentage points")) }
        if lifted != nil { columns.append(ReportColumn("Persons lifted out of poverty")) }
        if result.provenance.replications > 1 { columns.insert(ReportColumn("Replication"), at: 2) }
        let order = frontier.sorted { (points[$0].cost, $0) < (points[$1].cost, $1) }
        func number(_ x: Double?, _ format: ReportNumberFormat) -> ReportCell { x.map { .number($0, format) } ?? .empty }
        let rows: [[ReportCell]] = order.map { i in
            let row = result.rows[i]
            var cells: [ReportCell] = [.number(Double(row.index + 1), .count), .text(row.option)]
            if result.provenance.replications > 1 { cells.append(.number(Double(row.replication), .count)) }
            cells += row.values.map { .number($0, .index(decimals: $0 == $0.rounded() ? 0 : 4)) }
            cells += [number(row.figures[cost], .percent(decimals: 2)), number(-(row.figures[gap] ?? .nan), .percentagePoints(decimals: 2))]
            if let headcount { cells.append(number(row.figures[headcount], .percentagePoints(decimals: 2))) }
            if let lifted { cells.append(number(row.figures[lifted], .count)) }
            return cells
        }
        let table = ReportTable(id: "sweep-frontier", title: "Variants not dominated, by net cost", columns: columns, rows: rows,
                                notes: ["\(frontier.count) of \(result.rows.count) rows are not dominated."])
        let p = result.provenance
        var facts = [ReportFact("Sweep result", file), ReportFact("Rows", String(result.rows.count))]
        if !p.simrunVersion.isEmpty {
            facts += [ReportFact("simrun version", p.simrunVersion), ReportFact("Sweep file", p.sweepFile),
                      ReportFact("Sweep SHA-256", p.sweepHash), ReportFact("Data", p.dataFile), ReportFact("Data SHA-256", p.dataHash),
                      ReportFact("Households, persons", "\(p.households), \(p.persons)"), ReportFact("Seed", String(p.seed))]
        }
        return ReportDocument(
            title: "Sweep: cost against poverty-gap reduction",
            subtitle: "\(result.rows.count) variants of \(p.options.joined(separator: ", ")) varying \(result.parameters.joined(separator: ", "))",
            date: date,
            sections: [ReportSection(heading: "The frontier", blocks: [.chart(.scatter(chart)), .table(table)])],
            methods: ReportMethods(paragraphs: [
                "Every row of the sweep is a variant of an option with the parameter values shown, compared with its baseline as scenario compare does (docs/solve-and-sweep.md). The poverty-gap reduction is minus the change in FGT(1).",
            ], provenance: facts))
    }
}

extension SweepReport {
    /// Reads `file` and writes its report to the folder `out` (``ReportWriter``: all or nothing).
    static func write(_ file: String, to out: String, date: String, quiet: Bool) throws {
        try writeReport(try document(try SweepResult.read(file: file), file: file, date: date), to: out, quiet: quiet)
    }
}

/// Writes a report pack to the folder `out` (``ReportWriter``: all or nothing) and says where on
/// standard error: `report` and `report --sweep` alike.
/// - Throws: `ExitCode` with the writer's status after printing its error, naming `out`.
func writeReport(_ document: ReportDocument, to out: String, quiet: Bool) throws {
    do {
        try ReportWriter.write(document, to: URL(fileURLWithPath: out))
    } catch let error as ReportError {
        Diagnostics.error("\(out): \(error)")
        throw ExitCode(error.exitStatus)
    }
    if !quiet { Diagnostics.note("wrote \(out)/index.html, \(out)/tables/*.csv and \(out)/report.xlsx") }
}
