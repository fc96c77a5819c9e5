import SimAnalysis
import SimKernel
import Foundation

/// A report as data: what `simrun report` renders to HTML, CSV and XLSX.
///
/// The computations fill it; the renderers (``HTMLReportRenderer``, ``CSVTableRenderer``,
/// ``XLSXWorkbook``) and ``ReportWriter`` turn it into files. Nothing in it depends on
/// the clock: the caller passes the date, so the same document always gives the same bytes.
///
///     let document = ReportDocument(
///         title: "Closing the child benefit gap: three options",
///         subtitle: "Simulated on the 2024 household budget survey",
///         date: "2026-03-14",
///         sections: [ReportSection(heading: "Options compared", blocks: [.table(comparison)])],
///         methods: ReportMethods(paragraphs: ["Costs are ..."],
///                                provenance: [ReportFact("simrun version", SimrunVersion.current)]),
///         disclosure: ReportDisclosureRule(minimumObservations: 30))
///     try ReportWriter.write(document, to: URL(fileURLWithPath: "out/report"))
///
/// See ``ReportDocument/sample()`` for a full example.
package struct ReportDocument: Sendable, Equatable {
    /// The page's title.
    package var title: String
    /// A line under the title (data, country, year), if any.
    package var subtitle: String?
    /// The date the report was made, as the caller wants it printed (e.g. `2026-03-14`).
    package var date: String
    /// The sections, in order.
    package var sections: [ReportSection]
    /// Methods and provenance, printed last.
    package var methods: ReportMethods
    /// The thresholds that suppressed and flagged cells and chart values, for the footnotes.
    package var disclosure: ReportDisclosureRule

    /// A document; see the type's documentation.
    package init(title: String, subtitle: String? = nil, date: String, sections: [ReportSection],
         methods: ReportMethods, disclosure: ReportDisclosureRule = ReportDisclosureRule()) {
        self.title = title
        self.subtitle = subtitle
        self.date = date
        self.sections = sections
        self.methods = methods
        self.disclosure = disclosure
    }

    /// Every table of every section, in reading order.
    package var tables: [ReportTable] {
        sections.flatMap { section in
            section.blocks.compactMap { block -> ReportTable? in
                if case .table(let table) = block { return table }
                return nil
            }
        }
    }

    /// Checks what the renderers cannot repair: table ids and row lengths.
    ///
    /// - Throws: ``ReportError/invalidTableID(_:title:)`` for an id that is not file-safe,
    ///   ``ReportError/duplicateTableID(_:)`` for an id used twice (ignoring case, as
    ///   file systems and spreadsheet sheet names may), ``ReportError/rowLength(table:row:cells:columns:)``
    ///   for a row whose cell count differs from the column count.
    package func validate() throws {
        var seen: Set<String> = []
        for table in tables {
            guard ReportTable.isFileSafe(table.id) else {
                throw ReportError.invalidTableID(table.id, title: table.title)
            }
            guard seen.insert(table.id.lowercased()).inserted else {
                throw ReportError.duplicateTableID(table.id)
            }
            for (index, row) in table.rows.enumerated() where row.count != table.columns.count {
                throw ReportError.rowLength(table: table.id, row: index + 1, cells: row.count, columns: table.columns.count)
            }
        }
    }
}

/// A section of a report: a heading and its blocks (paragraphs, tables, charts) in order.
package struct ReportSection: Sendable, Equatable {
    /// The heading (also the entry in the page's contents).
    package var heading: String
    /// Paragraphs, tables and charts in reading order.
    package var blocks: [ReportBlock]

    /// A section with its blocks in order.
    package init(heading: String, blocks: [ReportBlock]) {
        self.heading = heading
        self.blocks = blocks
    }

    /// A section with paragraphs first, then charts, then tables.
    package init(heading: String, paragraphs: [String] = [], charts: [ReportChart] = [], tables: [ReportTable] = []) {
        self.heading = heading
        self.blocks = paragraphs.map(ReportBlock.paragraph) + charts.map(ReportBlock.chart) + tables.map(ReportBlock.table)
    }
}

/// One block of a section.
package enum ReportBlock: Sendable, Equatable {
    /// Plain text (escaped; no markup is interpreted).
    case paragraph(String)
    /// A table, also written as CSV and as a sheet.
    case table(ReportTable)
    /// A chart, drawn as inline SVG.
    case chart(ReportChart)
}

/// The methods section: how the numbers were made and from what.
///
/// The page prints the paragraphs, then `definitions` and `provenance` as definition
/// lists (the document's date first in provenance). The workbook's `About` sheet repeats
/// the provenance.
package struct ReportMethods: Sendable, Equatable {
    /// Free text: data, definitions, assumptions.
    package var paragraphs: [String]
    /// Terms and their definitions (e.g. `FGT(0)` and its formula in words).
    package var definitions: [ReportFact]
    /// Where the numbers came from: simrun version, input and scenario checksums, seed.
    package var provenance: [ReportFact]

    /// Methods; see the type's documentation.
    package init(paragraphs: [String] = [], definitions: [ReportFact] = [], provenance: [ReportFact] = []) {
        self.paragraphs = paragraphs
        self.definitions = definitions
        self.provenance = provenance
    }
}

/// A term and its value or definition, as in `simrun version: 0.1.0`.
package struct ReportFact: Sendable, Equatable {
    /// The term.
    package var key: String
    /// Its value or definition.
    package var value: String

    /// The fact `key`: `value`.
    package init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// The disclosure-control thresholds behind suppressed and flagged cells, for the footnotes.
///
/// The computations decide each cell's ``ReportDisclosure``; the report only names the rule:
/// "— fewer than 30 observations" and "* fewer than 50 observations: interpret with care".
package struct ReportDisclosureRule: Sendable, Equatable {
    /// Cells from fewer unweighted observations than this are suppressed (default 30).
    package var minimumObservations: Int
    /// Cells from fewer than this (but at least `minimumObservations`) are flagged, if set.
    package var warningObservations: Int?

    /// A rule; see the type's documentation.
    package init(minimumObservations: Int = 30, warningObservations: Int? = nil) {
        self.minimumObservations = minimumObservations
        self.warningObservations = warningObservations
    }

    /// The footnote of a suppressed cell.
    package var suppressedNote: String {
        "Suppressed: fewer than \(minimumObservations) unweighted observations."
    }

    /// The footnote of a flagged cell.
    package var flaggedNote: String {
        if let warningObservations {
            return "Fewer than \(warningObservations) unweighted observations: interpret with care."
        }
        return "Few unweighted observations: interpret with care."
    }
}
