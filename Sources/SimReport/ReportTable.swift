import SimAnalysis
import SimKernel
import Foundation

/// A table of a report: one HTML table, one CSV file and one workbook sheet.
///
/// The `id` names the files: `tables/<id>.csv` and the sheet `<id>` of `report.xlsx`, so
/// it must be file-safe (letters, digits, `-`, `_`, `.`; not starting with `.`; at most 64
/// characters) and unique in its document (``ReportDocument/validate()`` checks). When
/// every cell of the first column is text, that column labels the rows.
///
///     let table = ReportTable(
///         id: "cost-by-year",
///         title: "Annual cost by year",
///         columns: [ReportColumn("Year"), ReportColumn("Child grant", unit: "% of GDP")],
///         rows: [[.text("2026"), .number(0.0041, .percent(decimals: 2))]],
///         notes: ["Costs include administration (5% of benefits)."])
package struct ReportTable: Sendable, Equatable {
    /// The file-safe name of the CSV file and the sheet.
    package var id: String
    /// The caption above the table.
    package var title: String
    /// The columns, left to right.
    package var columns: [ReportColumn]
    /// The rows, each with one cell per column.
    package var rows: [[ReportCell]]
    /// Plain-text notes printed under the table (sources, definitions); not in the CSV.
    package var notes: [String]

    /// A table; see the type's documentation for the rules on `id`.
    package init(id: String, title: String, columns: [ReportColumn], rows: [[ReportCell]], notes: [String] = []) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// The cell at `row`, `column`, or an empty cell past the end of a short row.
    package func cell(row: Int, column: Int) -> ReportCell {
        guard rows.indices.contains(row), rows[row].indices.contains(column) else { return .empty }
        return rows[row][column]
    }

    /// Whether the first column labels the rows (every cell in it is text).
    package var firstColumnLabelsRows: Bool {
        !rows.isEmpty && rows.allSatisfy { row in
            if case .text = row.first?.content { return true }
            return false
        }
    }

    /// Whether any cell of `column` holds a number or is suppressed or flagged (the column
    /// then gets a flag column in CSV and XLSX, so suppression is never silent).
    package func holdsNumbers(column: Int) -> Bool {
        rows.indices.contains {
            let cell = cell(row: $0, column: column)
            return cell.number != nil || cell.disclosure != .shown
        }
    }

    /// Whether any shown cell of `column` carries an interval (it then gets bound columns).
    package func holdsIntervals(column: Int) -> Bool {
        rows.indices.contains { cell(row: $0, column: column).interval != nil }
    }

    /// Whether any cell is suppressed.
    package var hasSuppressedCells: Bool {
        rows.contains { $0.contains { $0.disclosure == .suppressed } }
    }

    /// Whether any cell is flagged.
    package var hasFlaggedCells: Bool {
        rows.contains { $0.contains { $0.disclosure == .flagged } }
    }

    /// Whether `id` is a file-safe name: 1 to 64 of `A-Z a-z 0-9 - _ .`, not starting with `.`.
    package static func isFileSafe(_ id: String) -> Bool {
        guard (1...64).contains(id.count), !id.hasPrefix(".") else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": return true
            default: return false
            }
        }
    }
}

/// A column of a ``ReportTable``: its heading and the unit of its numbers.
///
/// The unit is printed under the heading on the page and in parentheses in CSV and XLSX
/// headers (`Cost (% of GDP)`). Leave it out when each row has its own unit (then put the
/// unit in the row label).
package struct ReportColumn: Sendable, Equatable {
    /// The heading.
    package var title: String
    /// The unit of the column's numbers, e.g. `% of GDP`, `persons`, `USD million`.
    package var unit: String?

    /// A column headed `title`, its numbers in `unit`.
    package init(_ title: String, unit: String? = nil) {
        self.title = title
        self.unit = unit
    }

    /// `Title (unit)`, or the title alone.
    package var headerText: String {
        guard let unit, !unit.isEmpty else { return title }
        return "\(title) (\(unit))"
    }
}
