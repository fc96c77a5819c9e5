import Foundation
import SimAnalysis
import SimKernel
import SimReport

/// What `GET /api/state` returns: everything the page draws, as JSON.
///
/// The table's rows are ``ComparisonTable``'s (the same keys, values, counts and disclosure decisions as
/// `scenario compare`); `display` is the value as `compare`'s table prints it (`suppressed`, `*` when flagged).
/// Charts are the report's (``OptionReportBuilder``), drawn by ``SVGChartRenderer``.
struct WorkshopState: Sendable {
    let revision: Int
    let year: Int?
    let engine: WorkshopEngine
    let options: [Workshop.Option]
    let definitions: [ScenarioDefinition]
    let parameters: [[EditableParameter]]
    let figures: WorkshopFigures
    let intervals: IntervalProgress.Snapshot
    let bands: BackgroundProgress<BandResult>.Snapshot
    let sweep: BackgroundProgress<WorkshopSweep>.Snapshot

    struct Body: Encodable {
        struct Data: Encodable {
            let file: String
            let households: Int
            let persons: Int
        }
        struct Option: Encodable {
            let id: Int
            let label: String
            let title: String
            let scenario: String
            let year: Int?
            let target_group: String
            /// Whether the room changed a parameter (the label may name the old value; the title says the change).
            let changed: Bool
            let parameters: [EditableParameter]
        }
        struct Row: Encodable {
            let key: String
            let label: String
            let unit: String
            let data_unit: String
            /// Raw values (nil when undefined or suppressed: never a suppressed digit).
            let values: [Double?]
            /// What the page shows: money scaled for reading ("697 million"), other figures as `compare` prints them.
            let display: [String]
            /// The full figure as `compare` prints it (the page's tooltip; equal to `display` but for money).
            let full: [String]
            /// `display` in two parts, for the page: the figure, and its interval or band (`lower, upper`) or null.
            let value: [String]
            let range: [String?]
            let observations: [Int?]
            let disclosure: [String]
            let ci95: [[Double]?]
            /// The Monte Carlo band (2.5 and 97.5 percentiles) of each option's figure, when the room asked for replications.
            let band: [[Double]?]
        }
        struct Table: Encodable {
            let rows: [Row]
            let minimum_cell_observations: Int
            let small_cells: String
        }
        struct Chart: Encodable {
            let id: String
            let section: String
            let title: String
            let svg: String
        }
        struct SimpleTable: Encodable {
            let id: String
            let title: String
            let columns: [String]
            let rows: [[String]]
            let notes: [String]
        }
        /// A background computation's progress: `none`, `running` (`done` of `total`), `ready` or `failed` (`message`).
        struct Intervals: Encodable {
            let status: String
            let done: Int
            let total: Int
            let message: String?
            /// Bands only: the replications computed (or being computed).
            var replications: Int? = nil
            /// Sweep only: the option swept.
            var option: Int? = nil
        }
        let revision: Int
        let data: Data
        let country: String?
        let currency: String
        let year: Int?
        let years: [Int]
        let options: [Option]
        let table: Table
        let charts: [Chart]
        let tables: [SimpleTable]
        let intervals: Intervals
        let bands: Intervals
        let sweep: Intervals
        /// Sentences under the table (the replications, as `compare` says them).
        let notes: [String]
    }

    /// A background computation's progress as the page reads it.
    static func progress<R>(_ snapshot: BackgroundProgress<R>.Snapshot, ready total: Int) -> Body.Intervals {
        switch snapshot.status {
        case .idle: return Body.Intervals(status: "none", done: 0, total: 0, message: nil)
        case .running(let done, let total): return Body.Intervals(status: "running", done: done, total: total, message: nil)
        case .ready: return Body.Intervals(status: "ready", done: total, total: total, message: nil)
        case .failed(let message): return Body.Intervals(status: "failed", done: 0, total: 0, message: message)
        }
    }

    /// A table cell's text: money scaled for reading (thousand, million, billion: the report's
    /// ``ReportNumberFormat/readableMoney``) when `readable`, else in full as `compare` prints it.
    private func cell(_ row: ComparisonTable.Row, _ i: Int, readable: Bool) -> String {
        let parts = cellParts(row, i, readable: readable)
        guard let range = parts.range else { return parts.value }
        let flagged = parts.value.hasSuffix(" *")
        return (flagged ? String(parts.value.dropLast(2)) : parts.value) + " [" + range + "]" + (flagged ? " *" : "")
    }

    /// A cell's figure (with ` *` when flagged) and, apart, its interval or band as `lower, upper` (nil: none, or a
    /// band of width 0, a figure no draw changes, not shown, as in `report`; the JSON's `band` keeps it).
    private func cellParts(_ row: ComparisonTable.Row, _ i: Int, readable: Bool) -> (value: String, range: String?) {
        if row.disclosure[i] == .suppressed { return ("suppressed", nil) }
        func show(_ x: Double) -> String {
            readable && row.style == .money ? ReportNumberFormat.readableMoney.display(x) : ComparisonRenderer.show(x, row.style)
        }
        var range: String?
        for (k, list) in [row.intervals, row.bands].enumerated() where i < list.count {
            if let ci = list[i], k == 0 || ci.lower != ci.upper {
                range = show(ci.lower).replacingOccurrences(of: " pts", with: "") + ", " + show(ci.upper)
            }
        }
        let value = show(row.values[i])
        return (row.disclosure[i] == .flagged ? value + " *" : value, range)
    }

    /// The JSON body.
    func body(chartWidth: Double = 760) -> Body {
        var table = figures.table
        var notes: [String] = []
        if case .ready = bands.status, let result = bands.result {
            // `compare --replications N`'s table: each figure the mean of N draws, with its band.
            table = result.table
            notes.append(OptionStatistics.bandsNote(replications: result.replications, seed: engine.seed) + " The charts show the first draw.")
        } else {
            if case .ready = intervals.status, let result = intervals.result { table.attach(intervals: result) }
            // As compare and report: an option costed on one draw of its random parts says so.
            if let note = OptionStatistics.oneDrawNote(figures.stochastic, seed: engine.seed,
                                                       remedy: "ask for Monte Carlo bands for the mean of several draws and its band") {
                notes.append(note)
            }
        }
        let rows = table.rows.map { row -> Body.Row in
            let n = options.count
            return Body.Row(
                key: row.key, label: row.label, unit: row.unit.label, data_unit: row.unit.dataUnit,
                values: (0..<n).map { i in row.disclosure[i] == .suppressed || !row.values[i].isFinite ? nil : row.values[i] },
                display: (0..<n).map { i in cell(row, i, readable: true) },
                full: (0..<n).map { i in cell(row, i, readable: false) },
                value: (0..<n).map { i in cellParts(row, i, readable: true).value },
                range: (0..<n).map { i in cellParts(row, i, readable: true).range },
                observations: row.observations, disclosure: row.disclosure.map(\.rawValue),
                ci95: (0..<n).map { i in
                    guard i < row.intervals.count, let ci = row.intervals[i], row.disclosure[i] != .suppressed else { return nil }
                    return [ci.lower, ci.upper]
                },
                band: (0..<n).map { i in
                    guard i < row.bands.count, let band = row.bands[i], row.disclosure[i] != .suppressed else { return nil }
                    return [band.lower, band.upper]
                })
        }
        let renderer = SVGChartRenderer(width: chartWidth)
        var charts: [Body.Chart] = []
        var tables: [Body.SimpleTable] = []
        // The report document's charts and the coverage table (the same builder as `simrun report`).
        if let document = try? figures.document(date: "") {
            for section in document.sections {
                for block in section.blocks {
                    switch block {
                    case .chart(let chart):
                        charts.append(Body.Chart(id: "chart-\(charts.count + 1)", section: section.heading, title: chart.title,
                                                 svg: renderer.render(chart)))
                    case .table(let t) where t.id == "coverage-gaps":
                        tables.append(Body.SimpleTable(id: t.id, title: t.title,
                                                       columns: t.columns.map { column in column.unit.map { "\(column.title) (\($0))" } ?? column.title },
                                                       rows: t.rows.map { $0.map(\.displayText) }, notes: t.notes))
                    default: break
                    }
                }
            }
        }
        let status = Self.progress(intervals, ready: options.count)
        var bandStatus = Self.progress(bands, ready: (bands.result?.replications ?? 1) - 1)
        bandStatus.replications = bands.result?.replications
        var sweepStatus = Self.progress(sweep, ready: sweep.result?.result.rows.count ?? 0)
        sweepStatus.option = sweep.result?.option
        let population = engine.population
        return Body(
            revision: revision,
            data: Body.Data(file: engine.dataFile, households: population.householdCount, persons: population.personCount),
            country: engine.profile?.name, currency: figures.table.currency, year: year,
            years: engine.profile.map { Array($0.years) } ?? Array(2015...2040),
            options: options.indices.map { i in
                Body.Option(id: options[i].id, label: options[i].label, title: definitions[i].title, scenario: options[i].origin,
                            year: definitions[i].year, target_group: figures.table.targetGroups[i], changed: !options[i].changes.isEmpty,
                            parameters: parameters[i])
            },
            table: Body.Table(rows: rows, minimum_cell_observations: figures.table.rule.minimumObservations,
                              small_cells: figures.table.rule.suppress ? "suppressed" : "flagged"),
            charts: charts, tables: tables, intervals: status, bands: bandStatus, sweep: sweepStatus, notes: notes)
    }
}
