import SimAnalysis
import SimKernel
import Foundation

/// Tables on the page.
extension HTMLReportRenderer {
    /// The footnote mark of a suppressed cell.
    package static let suppressedMark = "†"
    /// The footnote mark of a flagged cell.
    package static let flaggedMark = "*"

    /// A table with its caption, units under the headings, right-aligned numbers,
    /// intervals under their estimates, and footnotes for suppressed and flagged cells.
    ///
    /// A suppressed cell shows `—` and the mark † whatever it holds (its value is never
    /// written); a flagged cell shows its value, the mark * and a tinted background.
    /// When the first column is all text its cells are row headings (`<th scope="row">`).
    ///
    /// A table too wide for a printed A4 page (``ReportPrintLayout``) is also written in
    /// pieces of columns, each repeating the key columns, shown only in print (the whole
    /// table is shown only on screen), so a printed or saved PDF loses no column.
    package func table(_ table: ReportTable, rule: ReportDisclosureRule) -> String {
        let pieces = ReportPrintLayout.pieces(of: table)
        var html = "<div class=\"table-block\" id=\"table-\(e(table.id))\">\n"
        if pieces.count > 1 {
            html += "<div class=\"screen-only\">\n" + grid(table, caption: table.title) + "</div>\n"
            html += "<div class=\"print-only\">\n"
            for (index, piece) in pieces.enumerated() {
                let columns = Array(0..<ReportPrintLayout.keyColumns(of: table)) + piece
                let part = ReportTable(id: table.id, title: table.title, columns: columns.map { table.columns[$0] },
                                       rows: table.rows.map { row in columns.map { row.indices.contains($0) ? row[$0] : .empty } })
                html += grid(part, caption: "\(table.title) (part \(index + 1) of \(pieces.count))")
            }
            html += "</div>\n"
        } else {
            html += grid(table, caption: table.title)
        }
        var notes: [String] = []
        if table.hasSuppressedCells { notes.append("\(Self.suppressedMark) \(rule.suppressedNote)") }
        if table.hasFlaggedCells { notes.append("\(Self.flaggedMark) \(rule.flaggedNote)") }
        if table.rows.contains(where: { $0.contains { $0.displayInterval != nil } }) {
            notes.append("Figures in small type under an estimate are its 95% confidence interval.")
        }
        if table.rows.contains(where: { $0.contains { $0.displayBand != nil } }) {
            notes.append("Figures in italics under an estimate are its Monte Carlo band: 95% of the replications (random take-up, durations and assessment errors drawn again) fall in it; the estimate is their mean. It is not sampling error. A figure without a band is the same in every draw.")
        }
        if table.rows.contains(where: { $0.contains { $0.format?.isScaled($0.number ?? 0) == true && $0.disclosure != .suppressed } }) {
            notes.append("Amounts of 100,000 and more are rounded to three digits (thousand, million, billion); the CSV file and the workbook hold them in full, and the page shows the full amount when the pointer rests on it.")
        }
        notes += table.notes
        if !notes.isEmpty {
            html += "<div class=\"notes\">\n" + notes.map { "<p>\(e($0))</p>\n" }.joined() + "</div>\n"
        }
        if linksToCSVFiles {
            html += "<p class=\"files\">Data: <a href=\"tables/\(e(table.id)).csv\">tables/\(e(table.id)).csv</a>"
                + " and sheet “\(e(table.id))” of <a href=\"report.xlsx\">report.xlsx</a></p>\n"
        }
        return html + "</div>\n"
    }

    /// The `<table>` element of `table`, captioned `caption`.
    private func grid(_ table: ReportTable, caption: String) -> String {
        let numeric = table.columns.indices.map { column in
            table.rows.indices.contains { table.cell(row: $0, column: column).number != nil }
        }
        let rowHeadings = table.firstColumnLabelsRows
        var html = "<table>\n"
        html += "<caption>\(e(caption))</caption>\n<thead>\n<tr>"
        for (index, column) in table.columns.enumerated() {
            html += numeric[index] ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">"
            html += e(column.title)
            if let unit = column.unit, !unit.isEmpty { html += "<span class=\"unit\">\(e(unit))</span>" }
            html += "</th>"
        }
        html += "</tr>\n</thead>\n<tbody>\n"
        for row in table.rows.indices {
            html += "<tr>"
            for column in table.columns.indices {
                html += cell(table.cell(row: row, column: column), isRowHeading: rowHeadings && column == 0)
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// One cell: `<th scope="row">` for a row heading, `<td>` otherwise.
    private func cell(_ cell: ReportCell, isRowHeading: Bool) -> String {
        var classes: [String] = []
        if cell.number != nil || cell.disclosure == .suppressed { classes.append("num") }
        if cell.disclosure == .suppressed { classes.append("suppressed") }
        if cell.disclosure == .flagged { classes.append("flagged") }
        let tag = isRowHeading ? "th" : "td"
        var html = "<\(tag)"
        if isRowHeading { html += " scope=\"row\"" }
        if !classes.isEmpty { html += " class=\"\(classes.joined(separator: " "))\"" }
        // A scaled amount carries the full amount as its tooltip.
        if cell.disclosure != .suppressed, let value = cell.number, let format = cell.format, format.isScaled(value) {
            html += " title=\"\(ReportNumberFormat.grouped(value, decimals: 0))\""
        }
        html += ">" + e(cell.displayText)
        switch cell.disclosure {
        case .suppressed:
            html += "<sup class=\"mark\" title=\"suppressed\">\(Self.suppressedMark)</sup>"
        case .flagged:
            html += "<sup class=\"mark\" title=\"few observations\">\(Self.flaggedMark)</sup>"
        case .shown:
            break
        }
        if let interval = cell.displayInterval {
            html += "<span class=\"ci\">\(e(interval))</span>"
        }
        if let band = cell.displayBand {
            html += "<span class=\"ci band\">\(e(band))</span>"
        }
        return html + "</\(tag)>"
    }
}
