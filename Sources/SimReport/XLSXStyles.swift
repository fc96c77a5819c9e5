import SimAnalysis
import SimKernel
import Foundation

/// The cell styles of a workbook and its `xl/styles.xml` text.
///
/// Three fixed styles (plain, bold for titles and headers, italic for notes), then one
/// style per number format and disclosure mark used, in order of first use, so the same
/// document always gives the same style indices. A flagged cell has a pale yellow fill, a
/// suppressed one a grey fill (the sheet's notes say so): the workbook marks cells, it
/// has no disclosure columns. Formats that Excel has built in keep their built-in id
/// (`0`, `0.00`, `#,##0`, `#,##0.00`, `0%`, `0.00%`); others get custom ids from 164 up
/// (e.g. `0.0000`, `0.0%`, `0.0" pp"`).
///
///     var styles = XLSXStyles()
///     let percent = styles.style(for: .percent(decimals: 2))   // 3, number format 10 (0.00%)
package struct XLSXStyles: Sendable, Equatable {
    /// The default style.
    package static let plain = 0
    /// Bold text: titles and header rows.
    package static let bold = 1
    /// Italic text: notes.
    package static let italic = 2

    /// The number format codes in order of first use.
    package var codes: [String] { var seen: [String] = []; for k in keys where !seen.contains(k.code) { seen.append(k.code) }; return seen }
    /// The (format code, mark) of each number style, in order of first use.
    package private(set) var keys: [(code: String, mark: ReportDisclosure)] = []

    /// The fill of flagged cells (RGB), as the page tints them.
    package static let flaggedFill = "FFF6D6"
    /// The fill of suppressed cells (RGB).
    package static let suppressedFill = "E0E0E0"

    /// An empty set of number styles.
    package init() {}

    package static func == (a: XLSXStyles, b: XLSXStyles) -> Bool {
        a.keys.map(\.code) == b.keys.map(\.code) && a.keys.map(\.mark) == b.keys.map(\.mark)
    }

    /// The style index for numbers in `format`, marked (by fill) as flagged or suppressed, adding it on first use.
    package mutating func style(for format: ReportNumberFormat, mark: ReportDisclosure = .shown) -> Int {
        let code = format.spreadsheetCode
        if let index = keys.firstIndex(where: { $0.code == code && $0.mark == mark }) { return 3 + index }
        keys.append((code, mark))
        return 3 + keys.count - 1
    }

    /// The built-in number format ids of Excel for the codes that have one.
    package static let builtInIDs: [String: Int] = ["0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10]

    /// The number format id of `code`: built in, or 164 + its place among the custom codes.
    package func numberFormatID(_ code: String) -> Int {
        if let id = Self.builtInIDs[code] { return id }
        let custom = codes.filter { Self.builtInIDs[$0] == nil }
        return 164 + (custom.firstIndex(of: code) ?? 0)
    }

    /// The styles part's XML text.
    package var xml: String {
        var out = XLSXWorkbook.xmlDeclaration + "<styleSheet xmlns=\"\(XLSXWorkbook.mainNamespace)\">"
        let custom = codes.filter { Self.builtInIDs[$0] == nil }
        if !custom.isEmpty {
            out += "<numFmts count=\"\(custom.count)\">"
            for code in custom {
                out += "<numFmt numFmtId=\"\(numberFormatID(code))\" formatCode=\"\(MarkupEscaping.escape(code))\"/>"
            }
            out += "</numFmts>"
        }
        let font = "<sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/>"
        out += "<fonts count=\"3\"><font>\(font)</font><font><b/>\(font)</font><font><i/>\(font)</font></fonts>"
        out += "<fills count=\"4\"><fill><patternFill patternType=\"none\"/></fill>"
        out += "<fill><patternFill patternType=\"gray125\"/></fill>"
        for rgb in [Self.flaggedFill, Self.suppressedFill] {
            out += "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF\(rgb)\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        }
        out += "</fills>"
        out += "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        out += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        out += "<cellXfs count=\"\(3 + keys.count)\">"
        out += "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        out += "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        out += "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        for key in keys {
            let fill = key.mark == .flagged ? 2 : key.mark == .suppressed ? 3 : 0
            out += "<xf numFmtId=\"\(numberFormatID(key.code))\" fontId=\"0\" fillId=\"\(fill)\" borderId=\"0\" xfId=\"0\""
            out += " applyNumberFormat=\"1\"" + (fill == 0 ? "" : " applyFill=\"1\"") + "/>"
        }
        out += "</cellXfs>"
        out += "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        return out + "</styleSheet>"
    }
}
