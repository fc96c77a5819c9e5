import SimAnalysis
import SimKernel
import Foundation

/// One worksheet of a workbook, as rows of cells, and its `xl/worksheets/sheetN.xml` text.
///
/// Text is written as inline strings (`t="inlineStr"`), so the workbook needs no shared
/// string table; numbers as numeric cells with a style index from ``XLSXStyles``.
/// Column widths follow the longest text in each column (8 to 60 characters). When
/// `frozenRows` is set, those top rows stay in view while scrolling.
package struct XLSXSheet: Sendable, Equatable {
    /// One cell.
    package enum Cell: Sendable, Equatable {
        /// Text in a style (``XLSXStyles/plain``, ``XLSXStyles/bold`` or ``XLSXStyles/italic``).
        case text(String, style: Int)
        /// A number in a style (see ``XLSXStyles/style(for:mark:)``), and how it reads for column widths.
        case number(Double, style: Int, shown: String)
        /// Nothing.
        case empty
    }

    /// The sheet's name (already valid: see ``XLSXSheetNames``).
    package var name: String
    /// The rows, top to bottom; an empty row is a blank line (and is not written).
    package var rows: [[Cell]]
    /// How many top rows stay in view (0 for none).
    package var frozenRows: Int

    /// A sheet named `name`.
    package init(name: String, rows: [[Cell]] = [], frozenRows: Int = 0) {
        self.name = name
        self.rows = rows
        self.frozenRows = frozenRows
    }

    /// The worksheet part's XML text.
    package var xml: String {
        var out = XLSXWorkbook.xmlDeclaration
        out += "<worksheet xmlns=\"\(XLSXWorkbook.mainNamespace)\" xmlns:r=\"\(XLSXWorkbook.relationshipNamespace)\">"
        out += "<sheetViews><sheetView workbookViewId=\"0\">"
        if frozenRows > 0 {
            out += "<pane ySplit=\"\(frozenRows)\" topLeftCell=\"A\(frozenRows + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            out += "<selection pane=\"bottomLeft\" activeCell=\"A\(frozenRows + 1)\" sqref=\"A\(frozenRows + 1)\"/>"
        }
        out += "</sheetView></sheetViews>"
        out += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        let widths = columnWidths
        if !widths.isEmpty {
            out += "<cols>"
            for (index, width) in widths.enumerated() {
                out += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
            }
            out += "</cols>"
        }
        out += "<sheetData>"
        for (rowIndex, row) in rows.enumerated() where row.contains(where: { $0 != .empty }) {
            let r = rowIndex + 1
            out += "<row r=\"\(r)\">"
            for (columnIndex, cell) in row.enumerated() {
                let reference = Self.columnName(columnIndex) + String(r)
                switch cell {
                case .text(let text, let style):
                    let escaped = MarkupEscaping.escape(text)
                    let space = text.first?.isWhitespace == true || text.last?.isWhitespace == true || text.contains("\n")
                    out += "<c r=\"\(reference)\" t=\"inlineStr\"\(styleAttribute(style))><is><t"
                    out += space ? " xml:space=\"preserve\">" : ">"
                    out += escaped + "</t></is></c>"
                case .number(let value, let style, _):
                    guard value.isFinite else { continue }
                    out += "<c r=\"\(reference)\"\(styleAttribute(style))><v>\(ReportDecimal.shortest(value))</v></c>"
                case .empty:
                    continue
                }
            }
            out += "</row>"
        }
        out += "</sheetData></worksheet>"
        return out
    }

    /// ` s="N"` for a style other than the default.
    private func styleAttribute(_ style: Int) -> String {
        style == XLSXStyles.plain ? "" : " s=\"\(style)\""
    }

    /// The width of each column in characters: its longest text plus room, 8 to 60.
    ///
    /// Long texts in the first column of a one-cell row (titles, notes) do not widen it:
    /// they spill over the empty cells to their right.
    package var columnWidths: [Int] {
        let count = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 8, count: count)
        for row in rows where row.count > 1 {
            for (index, cell) in row.enumerated() {
                let length: Int
                switch cell {
                case .text(let text, _): length = text.count
                case .number(_, _, let shown): length = shown.count
                case .empty: length = 0
                }
                widths[index] = max(widths[index], min(length + 2, 60))
            }
        }
        return widths
    }

    /// The spreadsheet name of the column at `index` (0 → `A`, 25 → `Z`, 26 → `AA`).
    package static func columnName(_ index: Int) -> String {
        var number = index + 1
        var name = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            number = (number - 1) / 26
        }
        return name
    }
}
