import SimAnalysis
import SimKernel
import Foundation
import ZIPFoundation

/// A report as an Office Open XML spreadsheet (`report.xlsx`): an `About` sheet, then one
/// sheet per table.
///
/// The `About` sheet holds the title, subtitle, date, the list of tables (sheet, title,
/// CSV file), the methods paragraphs, the provenance and the disclosure rule. A table's
/// sheet is named after its id and holds the title (row 1, bold), the header row (row 2,
/// bold, frozen with the title), the data in the layout of ``FlatTable`` without its
/// disclosure columns (numbers as numeric cells with number formats, so they can be
/// computed with; years as numbers; a flagged cell keeps its number on a yellow fill, a
/// suppressed cell holds `—` on a grey fill), then a blank row and the notes (italic),
/// which say what the fills mean.
///
/// ``parts`` are the XML files of the package in a fixed order; ``write(to:)`` zips them
/// with ZIPFoundation.
///
///     let workbook = XLSXWorkbook(document)
///     try workbook.write(to: directory.appendingPathComponent("report.xlsx"))
package struct XLSXWorkbook: Sendable, Equatable {
    /// The sheets, in order.
    package let sheets: [XLSXSheet]
    /// The styles the sheets use.
    package let styles: XLSXStyles

    /// The XML declaration that starts every part.
    package static let xmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    /// The SpreadsheetML namespace.
    package static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    /// The namespace of relationship ids.
    package static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    /// The namespace of relationship parts.
    package static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// The workbook of `document`.
    package init(_ document: ReportDocument) {
        var styles = XLSXStyles()
        let tables = document.tables
        let names = XLSXSheetNames.unique(["About"] + tables.map(\.id))
        var sheets = [Self.aboutSheet(document, tables: tables, names: Array(names.dropFirst()))]
        for (table, name) in zip(tables, names.dropFirst()) {
            sheets.append(Self.sheet(table, name: name, rule: document.disclosure, styles: &styles))
        }
        self.sheets = sheets
        self.styles = styles
    }

    /// The `About` sheet.
    private static func aboutSheet(_ document: ReportDocument, tables: [ReportTable], names: [String]) -> XLSXSheet {
        typealias Cell = XLSXSheet.Cell
        var rows: [[Cell]] = [[.text(document.title, style: XLSXStyles.bold)]]
        if let subtitle = document.subtitle, !subtitle.isEmpty { rows.append([.text(subtitle, style: XLSXStyles.plain)]) }
        rows.append([.text("Produced", style: XLSXStyles.bold), .text(document.date, style: XLSXStyles.plain)])
        rows.append([])
        rows.append(["Sheet", "Table", "CSV file"].map { .text($0, style: XLSXStyles.bold) })
        for (table, name) in zip(tables, names) {
            rows.append([.text(name, style: XLSXStyles.plain), .text(table.title, style: XLSXStyles.plain),
                         .text("tables/\(table.id).csv", style: XLSXStyles.plain)])
        }
        if !document.methods.paragraphs.isEmpty {
            rows.append([])
            rows.append([.text("Methods", style: XLSXStyles.bold)])
            rows += document.methods.paragraphs.map { [.text($0, style: XLSXStyles.plain)] }
        }
        rows.append([])
        rows.append([.text("Provenance", style: XLSXStyles.bold)])
        for fact in [ReportFact("Date", document.date)] + document.methods.provenance {
            rows.append([.text(fact.key, style: XLSXStyles.plain), .text(fact.value, style: XLSXStyles.plain)])
        }
        rows.append([])
        rows.append([.text(HTMLReportRenderer().disclosureStatement(document.disclosure), style: XLSXStyles.italic)])
        return XLSXSheet(name: "About", rows: rows)
    }

    /// The sheet of one table.
    private static func sheet(_ table: ReportTable, name: String, rule: ReportDisclosureRule,
                              styles: inout XLSXStyles) -> XLSXSheet {
        let flat = FlatTable(table, disclosureColumns: false)
        var rows: [[XLSXSheet.Cell]] = [[.text(table.title, style: XLSXStyles.bold)]]
        rows.append(flat.headers.map { .text($0, style: XLSXStyles.bold) })
        for (row, marks) in zip(flat.rows, flat.marks) {
            rows.append(zip(row, marks).map { value, mark -> XLSXSheet.Cell in
                switch value {
                case .text(let text): return .text(text, style: XLSXStyles.plain)
                case .number(let number, let format):
                    return .number(format.spreadsheetValue(number), style: styles.style(for: format, mark: mark),
                                   shown: format.display(number))
                case .empty:
                    return mark == .suppressed ? .text("—", style: styles.style(for: .count, mark: .suppressed)) : .empty
                }
            })
        }
        var notes: [String] = []
        if table.hasSuppressedCells {
            notes.append("Grey cells (—) are suppressed: computed from fewer than \(rule.minimumObservations) unweighted observations.")
        }
        if table.hasFlaggedCells { notes.append("Yellow cells are flagged: " + rule.flaggedNote.prefix(1).lowercased() + rule.flaggedNote.dropFirst()) }
        notes += table.notes
        if !notes.isEmpty {
            rows.append([])
            rows += notes.map { [.text($0, style: XLSXStyles.italic)] }
        }
        return XLSXSheet(name: name, rows: rows, frozenRows: 2)
    }

    /// The package's parts, path and text, in the order they are zipped.
    package var parts: [(path: String, xml: String)] {
        var result: [(path: String, xml: String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", Self.xmlDeclaration + "<Relationships xmlns=\"\(Self.packageRelationshipNamespace)\">"
                + "<Relationship Id=\"rId1\" Type=\"\(Self.relationshipNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/>"
                + "</Relationships>"),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles.xml),
        ]
        for (index, sheet) in sheets.enumerated() {
            result.append(("xl/worksheets/sheet\(index + 1).xml", sheet.xml))
        }
        return result
    }

    /// `[Content_Types].xml`: the type of every part.
    private var contentTypes: String {
        let type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        var out = Self.xmlDeclaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        out += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        out += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        out += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(type).sheet.main+xml\"/>"
        out += "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(type).styles+xml\"/>"
        for index in sheets.indices {
            out += "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" ContentType=\"\(type).worksheet+xml\"/>"
        }
        return out + "</Types>"
    }

    /// `xl/workbook.xml`: the sheets by name.
    private var workbook: String {
        var out = Self.xmlDeclaration
        out += "<workbook xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\"><sheets>"
        for (index, sheet) in sheets.enumerated() {
            out += "<sheet name=\"\(MarkupEscaping.escape(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return out + "</sheets></workbook>"
    }

    /// `xl/_rels/workbook.xml.rels`: where each sheet and the styles are.
    private var workbookRelationships: String {
        var out = Self.xmlDeclaration + "<Relationships xmlns=\"\(Self.packageRelationshipNamespace)\">"
        for index in sheets.indices {
            out += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(Self.relationshipNamespace)/worksheet\""
            out += " Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        out += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(Self.relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
        return out + "</Relationships>"
    }
}

/// Zipping a workbook's parts into an `.xlsx` file.
extension XLSXWorkbook {
    /// The modification date of every entry: 1980-01-01 00:00:00 UTC, the earliest date
    /// a ZIP entry can carry, so the file's bytes do not depend on when it was written.
    package static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    /// Writes the workbook to a new file at `url`.
    ///
    /// The parts go in ``parts`` order, deflated, each dated ``entryDate`` with
    /// permissions 0644, so the same document always gives the same bytes.
    ///
    /// - Throws: ``ReportError/fileSystem(path:action:reason:)`` if `url` exists or
    ///   cannot be created or written.
    package func write(to url: URL) throws {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw ReportError.fileSystem(path: url.path, action: "create the workbook", reason: ReportError.reason(error))
        }
        for part in parts {
            let data = Data(part.xml.utf8)
            do {
                try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: Self.entryDate, permissions: 0o644,
                                     compressionMethod: .deflate) { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            } catch {
                throw ReportError.fileSystem(path: url.path, action: "write \(part.path) into the workbook",
                                             reason: ReportError.reason(error))
            }
        }
    }
}
