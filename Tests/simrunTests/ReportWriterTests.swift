import SimReport
import Foundation
import Testing

@testable import simrun

extension ReportTests {
    /// Writing a report directory: all files or none, never over a stranger's directory.
    @Suite("Report directory writer")
    struct WriterTests {
        static let fileManager = FileManager.default

        /// The names in `directory`, sorted.
        static func listing(_ directory: URL) -> [String] {
            ((try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        }

        @Test("a new directory gets index.html, one CSV per table and report.xlsx, and no staging is left")
        func writesEverything() throws {
            let scratch = try makeScratchDirectory("writer")
            defer { try? Self.fileManager.removeItem(at: scratch) }
            let out = scratch.appendingPathComponent("nested/report")
            try ReportWriter.write(ReportDocument.sample(), to: out)
            #expect(Self.listing(out) == ["index.html", "report.xlsx", "tables"])
            #expect(Self.listing(out.appendingPathComponent("tables"))
                == ["comparison.csv", "cost-by-year.csv", "gain-by-decile.csv", "poverty-by-age.csv"])
            #expect(Self.listing(scratch.appendingPathComponent("nested")) == ["report"])
            let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(html == HTMLReportRenderer().render(ReportDocument.sample()))
            let csv = try String(contentsOf: out.appendingPathComponent("tables/cost-by-year.csv"), encoding: .utf8)
            #expect(csv.hasPrefix("Year,A: Child grant 0-17 (% of GDP),A: Child grant 0-17: disclosure,"))
        }

        @Test("an earlier report is replaced whole, and the result is byte-identical to a fresh write")
        func replacesEarlierReport() throws {
            let scratch = try makeScratchDirectory("writer-replace")
            defer { try? Self.fileManager.removeItem(at: scratch) }
            let out = scratch.appendingPathComponent("report")
            let old = smallDocument(table: ReportTable(id: "old-table", title: "Old", columns: [ReportColumn("x")],
                                                       rows: [[.text("1")]]))
            try ReportWriter.write(old, to: out)
            #expect(Self.listing(out.appendingPathComponent("tables")) == ["old-table.csv"])
            try ReportWriter.write(ReportDocument.sample(), to: out)
            #expect(!Self.listing(out.appendingPathComponent("tables")).contains("old-table.csv"))
            #expect(Self.listing(scratch) == ["report"])
            let fresh = scratch.appendingPathComponent("fresh")
            try ReportWriter.write(ReportDocument.sample(), to: fresh)
            for file in ["index.html", "report.xlsx", "tables/comparison.csv"] {
                #expect(try Data(contentsOf: out.appendingPathComponent(file)) == Data(contentsOf: fresh.appendingPathComponent(file)))
            }
        }

        @Test("a directory holding other files is refused and left untouched")
        func refusesStrangerDirectory() throws {
            let scratch = try makeScratchDirectory("writer-stranger")
            defer { try? Self.fileManager.removeItem(at: scratch) }
            let notes = scratch.appendingPathComponent("thesis.docx")
            try Data("precious".utf8).write(to: notes)
            #expect(throws: ReportError.destinationNotReport(path: scratch.path, unexpected: "thesis.docx")) {
                try ReportWriter.write(ReportDocument.sample(), to: scratch)
            }
            #expect(Self.listing(scratch) == ["thesis.docx"])
            let message = ReportError.destinationNotReport(path: scratch.path, unexpected: "thesis.docx").description
            #expect(message.contains(scratch.path) && message.contains("thesis.docx") && message.contains("--out"))
        }

        @Test("a file at the destination is refused")
        func refusesFile() throws {
            let scratch = try makeScratchDirectory("writer-file")
            defer { try? Self.fileManager.removeItem(at: scratch) }
            let file = scratch.appendingPathComponent("report")
            try Data("x".utf8).write(to: file)
            #expect(throws: ReportError.destinationNotDirectory(path: file.path)) {
                try ReportWriter.write(ReportDocument.sample(), to: file)
            }
        }

        @Test("a parent that cannot be created gives an error naming it, and nothing is written")
        func unwritableParent() throws {
            let scratch = try makeScratchDirectory("writer-parent")
            defer { try? Self.fileManager.removeItem(at: scratch) }
            let blocker = scratch.appendingPathComponent("plain-file")
            try Data("x".utf8).write(to: blocker)
            let error = #expect(throws: ReportError.self) {
                try ReportWriter.write(ReportDocument.sample(), to: blocker.appendingPathComponent("sub/report"))
            }
            #expect(error?.description.contains("plain-file/sub") == true)
            #expect(Self.listing(scratch) == ["plain-file"])
        }

        @Test("documents with bad table ids or ragged rows are refused before anything is written", arguments: [
            (ReportTable(id: "../escape", title: "Bad", columns: [ReportColumn("x")], rows: []),
             "report table \"Bad\" has id \"../escape\", which cannot name a file"),
            (ReportTable(id: ".hidden", title: "Hidden", columns: [ReportColumn("x")], rows: []),
             "which cannot name a file"),
            (ReportTable(id: "ragged", title: "R", columns: [ReportColumn("x"), ReportColumn("y")], rows: [[.text("1")]]),
             "report table \"ragged\": row 1 has 1 cells but the table has 2 columns"),
        ])
        func invalidDocuments(table: ReportTable, message: String) throws {
            let scratch = try makeScratchDirectory("writer-invalid")
            defer { try? Self.fileManager.removeItem(at: scratch) }
            let error = #expect(throws: ReportError.self) {
                try ReportWriter.write(smallDocument(table: table), to: scratch.appendingPathComponent("out"))
            }
            #expect(error?.description.contains(message) == true, "\(String(describing: error))")
            #expect(Self.listing(scratch).isEmpty)
        }

        @Test("two tables with the same id, ignoring case, are refused")
        func duplicateIDs() {
            let first = ReportTable(id: "Costs", title: "A", columns: [], rows: [])
            let second = ReportTable(id: "costs", title: "B", columns: [], rows: [])
            let document = ReportDocument(title: "T", date: "d", sections: [ReportSection(heading: "S", tables: [first, second])],
                                          methods: ReportMethods())
            #expect(throws: ReportError.duplicateTableID("costs")) { try document.validate() }
        }

        @Test("the report's types are Sendable, so a document can be built on one task and written on another")
        func sendable() {
            func requireSendable<T: Sendable>(_: T.Type) {}
            requireSendable(ReportDocument.self)
            requireSendable(ReportTable.self)
            requireSendable(ReportChart.self)
            requireSendable(XLSXWorkbook.self)
            requireSendable(SVGChartRenderer.self)
            requireSendable(HTMLReportRenderer.self)
        }
    }
}
