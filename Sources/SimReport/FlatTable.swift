import SimAnalysis
import SimKernel
import Foundation

/// A ``ReportTable`` laid out as a plain grid for CSV files and workbook sheets.
///
/// Each column of the report table becomes, left to right:
/// 1. the value column, headed `Title (unit)`;
/// 2. if any of its cells has an interval, `Title: 95% CI lower` and `Title: 95% CI upper`;
/// 3. if any of its cells has a Monte Carlo band, `Title: Monte Carlo 2.5%` and `Title: Monte Carlo 97.5%`;
/// 4. if any of its cells holds a number (or is suppressed or flagged) and `disclosureColumns`
///    is set (CSV), `Title: disclosure`, holding `suppressed`, `flagged` or nothing. The
///    workbook leaves these out and marks the cells themselves (``marks``).
///
/// So the columns depend only on the table's shape, not on which cells happen to be
/// suppressed. A suppressed cell's value and interval are left empty: its number is never
/// written. NaN and infinities are empty too.
///
///     | Age group | Poverty (% of persons) | Poverty: disclosure |
///     | 65+       |                        | suppressed          |
package struct FlatTable: Sendable, Equatable {
    /// One cell of the grid.
    package enum Value: Sendable, Equatable {
        /// Text.
        case text(String)
        /// A finite number and its format (which decides CSV scaling and the XLSX style).
        case number(Double, ReportNumberFormat)
        /// Nothing.
        case empty
    }

    /// The header row.
    package let headers: [String]
    /// The data rows, each as long as `headers`.
    package let rows: [[Value]]
    /// Per value of ``rows``: the disclosure of the report cell it comes from (`.shown` for flag columns).
    package let marks: [[ReportDisclosure]]

    /// The grid of `table`.
    ///
    /// - Parameters:
    ///   - table: The report table.
    ///   - disclosureColumns: Whether each numeric column gets a `: disclosure` column (CSV: yes;
    ///     the workbook marks the cells by style instead).
    package init(_ table: ReportTable, disclosureColumns: Bool = true) {
        var headers: [String] = []
        var columnsOfCells: [[[Value]]] = []  // per report column: per row, its flat values
        var columnsOfMarks: [[[ReportDisclosure]]] = []
        for (index, column) in table.columns.enumerated() {
            let intervals = table.holdsIntervals(column: index)
            let bands = table.rows.indices.contains { table.cell(row: $0, column: index).band != nil }
            let flags = disclosureColumns && table.holdsNumbers(column: index)
            headers.append(column.headerText)
            if intervals {
                headers.append("\(column.title): 95% CI lower")
                headers.append("\(column.title): 95% CI upper")
            }
            if bands {
                headers.append("\(column.title): Monte Carlo 2.5%")
                headers.append("\(column.title): Monte Carlo 97.5%")
            }
            if flags { headers.append("\(column.title): disclosure") }
            let cells = table.rows.indices.map { table.cell(row: $0, column: index) }
            let values = cells.map { Self.values(of: $0, intervals: intervals, bands: bands, flags: flags) }
            columnsOfCells.append(values)
            columnsOfMarks.append(zip(cells, values).map { cell, values in
                [cell.disclosure] + Array(repeating: cell.disclosure, count: values.count - 1 - (flags ? 1 : 0))
                    + (flags ? [.shown] : [])
            })
        }
        self.headers = headers
        self.rows = table.rows.indices.map { row in columnsOfCells.flatMap { $0[row] } }
        self.marks = table.rows.indices.map { row in columnsOfMarks.flatMap { $0[row] } }
    }

    /// The flat values of one cell: value, then bounds, band and flag if the column has them.
    private static func values(of cell: ReportCell, intervals: Bool, bands: Bool = false, flags: Bool) -> [Value] {
        let suppressed = cell.disclosure == .suppressed
        var values: [Value] = []
        switch cell.content {
        case .text(let text): values.append(suppressed ? .empty : .text(text))
        case .number(let number, let format):
            values.append(suppressed || !number.isFinite ? .empty : .number(number, format))
        case .empty: values.append(.empty)
        }
        if intervals {
            if !suppressed, let interval = cell.interval, let format = cell.format,
                interval.lower.isFinite, interval.upper.isFinite
            {
                values.append(.number(interval.lower, format))
                values.append(.number(interval.upper, format))
            } else {
                values.append(contentsOf: [.empty, .empty])
            }
        }
        if bands {
            if !suppressed, let band = cell.band, let format = cell.format, band.lower.isFinite, band.upper.isFinite {
                values.append(.number(band.lower, format))
                values.append(.number(band.upper, format))
            } else {
                values.append(contentsOf: [.empty, .empty])
            }
        }
        if flags {
            switch cell.disclosure {
            case .shown: values.append(.empty)
            case .flagged, .suppressed: values.append(.text(cell.disclosure.rawValue))
            }
        }
        return values
    }
}
