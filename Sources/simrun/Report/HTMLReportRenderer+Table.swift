/// Tables on the page.
extension HTMLReportRenderer {
    /// The footnote mark of a suppressed cell.
    static let suppressedMark = "†"
    /// The footnote mark of a flagged cell.
    static let flaggedMark = "*"

    /// A table with its caption, units under the headings, right-aligned numbers,
    /// intervals under their estimates, and footnotes for suppressed and flagged cells.
    ///
    /// A suppressed cell shows `—` and the mark † whatever it holds (its value is never
    /// written); a flagged cell shows its value, the mark * and a tinted background.
    /// When the first column is all text its cells are row headings (`<th scope="row">`).
    func table(_ table: ReportTable, rule: ReportDisclosureRule) -> String {
        let numeric = table.columns.indices.map { column in
            table.rows.indices.contains { table.cell(row: $0, column: column).number != nil }
        }
        let rowHeadings = table.firstColumnLabelsRows
        var html = "<div class=\"table-block\" id=\"table-\(e(table.id))\">\n<table>\n"
        html += "<caption>\(e(table.title))</caption>\n<thead>\n<tr>"
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
        html += "</tbody>\n</table>\n"
        var notes: [String] = []
        if table.hasSuppressedCells { notes.append("\(Self.suppressedMark) \(rule.suppressedNote)") }
        if table.hasFlaggedCells { notes.append("\(Self.flaggedMark) \(rule.flaggedNote)") }
        if table.rows.contains(where: { $0.contains { $0.displayInterval != nil } }) {
            notes.append("Figures in small type under an estimate are its 95% confidence interval.")
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
        return html + "</\(tag)>"
    }
}
