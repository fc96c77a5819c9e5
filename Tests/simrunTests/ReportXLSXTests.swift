import SimReport
import Foundation
import Testing

@testable import simrun

extension ReportTests {
    /// The `.xlsx` workbook: a valid Office Open XML package read back with ZIPFoundation and
    /// Foundation's XML parser. (Loading it in openpyxl is a manual check: see `docs/report.md`.)
    @Suite("Report XLSX workbook")
    struct XLSXTests {
        static let expectedParts = [
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
            "xl/worksheets/sheet4.xml", "xl/worksheets/sheet5.xml",
        ]

        /// Writes the sample workbook to a scratch file and reads its entries back.
        static func writtenSample() throws -> (url: URL, order: [String], texts: [String: String]) {
            let directory = try makeScratchDirectory("xlsx")
            let url = directory.appendingPathComponent("report.xlsx")
            try XLSXWorkbook(ReportDocument.sample()).write(to: url)
            let entries = try zipEntries(at: url)
            return (url, entries.order, entries.texts)
        }

        @Test("the package holds the required parts in a fixed order, each well-formed XML")
        func parts() throws {
            let workbook = try Self.writtenSample()
            defer { try? FileManager.default.removeItem(at: workbook.url.deletingLastPathComponent()) }
            #expect(workbook.order == Self.expectedParts)
            for path in Self.expectedParts {
                let text = try #require(workbook.texts[path])
                #expect(xmlProblem(text) == nil, "\(path)")
            }
            let types = try #require(workbook.texts["[Content_Types].xml"])
            #expect(types.contains("PartName=\"/xl/worksheets/sheet5.xml\""))
        }

        @Test("one sheet per table after an About sheet, named by table id")
        func sheetNames() throws {
            let workbook = try Self.writtenSample()
            defer { try? FileManager.default.removeItem(at: workbook.url.deletingLastPathComponent()) }
            let elements = ElementCollector.elements(in: try #require(workbook.texts["xl/workbook.xml"]))
            let names = elements.filter { $0.name == "sheet" }.compactMap { $0.attributes["name"] }
            #expect(names == ["About", "comparison", "cost-by-year", "poverty-by-age", "gain-by-decile"])
        }

        @Test("numbers are numeric cells with number formats; percentage points are stored in points")
        func numbers() throws {
            let workbook = XLSXWorkbook(ReportDocument.sample())
            let styles = ElementCollector.elements(in: workbook.styles.xml)
            let formats = Dictionary(uniqueKeysWithValues: styles.filter { $0.name == "numFmt" }
                .compactMap { element -> (String, String)? in
                    guard let id = element.attributes["numFmtId"], let code = element.attributes["formatCode"] else { return nil }
                    return (id, code)
                })
            let xfs = styles.filter { $0.name == "xf" }.dropFirst()  // the first is cellStyleXfs' own
            func formatCode(ofStyle index: String?) -> String? {
                guard let index, let position = Int(index), xfs.indices.contains(xfs.startIndex + position) else { return nil }
                let id = xfs[xfs.startIndex + position].attributes["numFmtId"] ?? ""
                return formats[id] ?? XLSXStyles.builtInIDs.first { String($0.value) == id }?.key
            }
            let comparison = ElementCollector.elements(in: workbook.sheets[1].xml)
            let cells = comparison.filter { $0.name == "c" }
            let values = comparison.filter { $0.name == "v" }.map(\.text)
            // -0.036 in points is -3.6 exactly, not -3.5999999999999996 (0.036 * 100 in binary).
            #expect(values.contains("2840.5") && values.contains("0.0062") && values.contains("-3.1") && values.contains("-3.6"))
            let costCell = try #require(cells.first { $0.attributes["r"] == "B5" })  // Annual cost (% of GDP), option A
            #expect(costCell.attributes["t"] == nil)
            #expect(formatCode(ofStyle: costCell.attributes["s"]) == "0.00%")
            let giniCell = try #require(cells.first { $0.attributes["r"] == "B10" })
            #expect(formatCode(ofStyle: giniCell.attributes["s"]) == "0.0000")
            let beneficiaries = try #require(cells.first { $0.attributes["r"] == "B6" })
            #expect(formatCode(ofStyle: beneficiaries.attributes["s"]) == "#,##0")
            let points = try #require(cells.first { $0.attributes["r"] == "B7" })
            #expect(formatCode(ofStyle: points.attributes["s"]) == "0.0\" pp\"")
        }

        @Test("titles and headers are bold inline strings; suppressed cells hold — on grey, flagged ones keep their number on yellow, one note each")
        func textAndSuppression() throws {
            let workbook = XLSXWorkbook(ReportDocument.sample())
            let sheet = try #require(workbook.sheets.first { $0.name == "poverty-by-age" })
            let elements = ElementCollector.elements(in: sheet.xml)
            let header = try #require(elements.first { $0.name == "c" && $0.attributes["r"] == "B2" })
            #expect(header.attributes["t"] == "inlineStr" && header.attributes["s"] == String(XLSXStyles.bold))
            let texts = ElementTextCollector.texts(of: ["t"], in: sheet.xml)
            #expect(texts.first == "Poverty headcount (FGT 0) by age group")
            // No disclosure column after every value column (issue 14): the cells are marked by their fill.
            #expect(texts.contains("Before (% of persons)") && !texts.contains { $0.hasSuffix(": disclosure") })
            #expect(!texts.contains("suppressed") && !texts.contains("flagged"))
            #expect(texts.contains("Grey cells (—) are suppressed: computed from fewer than 30 unweighted observations."))
            #expect(!texts.contains { $0.contains("suppressed: Suppressed") })
            let styles = workbook.styles.keys
            let marked = elements.filter { $0.name == "c" }.compactMap { c in c.attributes["s"].flatMap(Int.init).map { (c, $0) } }
                .filter { $0.1 >= 3 }.map { styles[$0.1 - 3].mark }
            #expect(marked.contains(.suppressed) && marked.contains(.flagged))
            let values = ElementTextCollector.texts(of: ["v"], in: sheet.xml)
            #expect(values.contains("0.342"))
            for hidden in ["0.301", "0.297", "0.152", "0.299"] { #expect(!values.contains(hidden), "\(hidden) leaked") }
            #expect(sheet.xml.contains("<pane ySplit=\"2\" topLeftCell=\"A3\""))
        }

        @Test("the About sheet carries title, tables, provenance and the disclosure rule")
        func about() {
            let texts = ElementTextCollector.texts(of: ["t"], in: XLSXWorkbook(ReportDocument.sample()).sheets[0].xml)
            #expect(texts.first == "Closing coverage gaps: child & old-age benefit options")
            #expect(texts.contains("tables/gain-by-decile.csv"))
            #expect(texts.contains("simrun version") && texts.contains(Simrun.version) && texts.contains("2026-03-14"))
            #expect(texts.contains { $0.hasPrefix("Disclosure control: figures computed from fewer than 30") })
        }

        @Test("writing the same document twice gives byte-identical workbooks")
        func deterministic() throws {
            let directory = try makeScratchDirectory("xlsx-twice")
            defer { try? FileManager.default.removeItem(at: directory) }
            let first = directory.appendingPathComponent("a.xlsx")
            let second = directory.appendingPathComponent("b.xlsx")
            try XLSXWorkbook(ReportDocument.sample()).write(to: first)
            try XLSXWorkbook(ReportDocument.sample()).write(to: second)
            #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        }

        @Test("sheet names are cut to 31 characters, cleaned of []:*?/\\ and made unique ignoring case")
        func sheetNameRules() {
            let names = XLSXSheetNames.unique(["About", "about", "cost/year", "a-very-long-table-identifier-over-31", "'q'",
                                               "History", "[x]:*?\\", "a-very-long-table-identifier-over-31"])
            #expect(names == ["About", "about (2)", "cost_year", "a-very-long-table-identifier-ov", "q", "History_",
                              "_x_____", "a-very-long-table-identifie (2)"])
            #expect(names.allSatisfy { $0.count <= 31 })
            #expect(Set(names.map { $0.lowercased() }).count == names.count)
        }

        @Test("column letters run A to Z, then AA", arguments: [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
        func columnNames(index: Int, expected: String) {
            #expect(XLSXSheet.columnName(index) == expected)
        }
    }
}
