import SimAnalysis
import SimKernel
import Foundation

/// Renders a ``ReportDocument`` as one self-contained HTML page.
///
/// The page holds everything it shows: CSS in a `<style>` element, charts as inline SVG,
/// no script, no font or image files, and no URL of any kind (links to the CSV files
/// beside it, if asked for, are relative). It opens offline and prints on A4. Layout:
/// header (title, subtitle, date), contents, the sections (paragraphs, charts, tables with
/// their footnotes), the methods section (paragraphs, definitions, provenance with the
/// date first, and the disclosure rule), and a footer naming the data files beside the
/// page when it links to them. All document text is escaped.
///
///     let html = HTMLReportRenderer().render(document)
package struct HTMLReportRenderer: Sendable {
    /// Whether each table links to its CSV file (`tables/<id>.csv`), as in a report directory.
    package var linksToCSVFiles: Bool = true
    /// The chart renderer (inline: no SVG namespace).
    package var charts = SVGChartRenderer()

    /// A renderer with default settings; see the type's documentation.
    package init(linksToCSVFiles: Bool = true) {
        self.linksToCSVFiles = linksToCSVFiles
    }

    /// The page as UTF-8 text.
    package func render(_ document: ReportDocument) -> String {
        var chartRenderer = charts
        chartRenderer.standalone = false
        chartRenderer.missingValuesNote = "Missing values, and values suppressed because they rest on fewer than "
            + "\(document.disclosure.minimumObservations) unweighted observations, are not drawn."
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="simrun">
            <title>\(e(document.title))</title>
            <style>
            \(ReportStyleSheet.css)
            </style>
            </head>
            <body>
            <header class="report-header">
            <h1>\(e(document.title))</h1>

            """
        if let subtitle = document.subtitle, !subtitle.isEmpty {
            html += "<p class=\"subtitle\">\(e(subtitle))</p>\n"
        }
        html += "<p class=\"meta\">Produced \(e(document.date))</p>\n</header>\n"
        html += contents(document)
        html += "<main>\n"
        for (index, section) in document.sections.enumerated() {
            html += "<section id=\"section-\(index + 1)\">\n<h2>\(e(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    html += "<p>\(e(text))</p>\n"
                case .chart(let chart):
                    html += "<figure class=\"chart\">\n\(chartRenderer.render(chart))\n</figure>\n"
                case .table(let table):
                    html += self.table(table, rule: document.disclosure)
                }
            }
            html += "</section>\n"
        }
        html += methods(document)
        html += "</main>\n"
        if linksToCSVFiles, !document.tables.isEmpty {
            html += "<footer class=\"report-footer\">\n<p>Every table is also in <a href=\"tables/\">tables/</a> as CSV "
                + "and in <a href=\"report.xlsx\">report.xlsx</a>, one sheet per table.</p>\n</footer>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// The list of sections, linking to each.
    private func contents(_ document: ReportDocument) -> String {
        var html = "<nav class=\"contents\" aria-label=\"Contents\">\n<ol>\n"
        for (index, section) in document.sections.enumerated() {
            html += "<li><a href=\"#section-\(index + 1)\">\(e(section.heading))</a></li>\n"
        }
        html += "<li><a href=\"#methods\">Methods and provenance</a></li>\n</ol>\n</nav>\n"
        return html
    }

    /// The methods section: paragraphs, definitions, provenance (date first).
    private func methods(_ document: ReportDocument) -> String {
        let methods = document.methods
        var html = "<section id=\"methods\">\n<h2>Methods and provenance</h2>\n"
        for paragraph in methods.paragraphs {
            html += "<p>\(e(paragraph))</p>\n"
        }
        if !methods.definitions.isEmpty {
            html += "<h3>Definitions</h3>\n" + factList(methods.definitions)
        }
        html += "<h3>Provenance</h3>\n" + factList([ReportFact("Date", document.date)] + methods.provenance)
        html += "<p>\(e(disclosureStatement(document.disclosure)))</p>\n"
        return html + "</section>\n"
    }

    /// A definition list of facts.
    private func factList(_ facts: [ReportFact]) -> String {
        var html = "<dl class=\"facts\">\n"
        for fact in facts {
            html += "<dt>\(e(fact.key))</dt><dd>\(e(fact.value))</dd>\n"
        }
        return html + "</dl>\n"
    }

    /// The sentence stating the disclosure rule.
    package func disclosureStatement(_ rule: ReportDisclosureRule) -> String {
        var text = "Disclosure control: figures computed from fewer than \(rule.minimumObservations) unweighted "
            + "survey observations are suppressed (shown as —)"
        if let warning = rule.warningObservations {
            text += "; figures from fewer than \(warning) are marked * and should be read with care"
        }
        return text + "."
    }

    /// `text` escaped for HTML.
    package func e(_ text: String) -> String { MarkupEscaping.escape(text) }
}
