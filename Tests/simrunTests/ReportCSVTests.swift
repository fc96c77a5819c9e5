import SimReport
import Foundation
import Testing

@testable import simrun

extension ReportTests {
    /// CSV files of report tables. Expected files are written out by hand from the sample's
    /// numbers (percentages in percent: 0.342 → 34.2).
    @Suite("Report CSV tables")
    struct CSVTests {
        static let tables = ReportDocument.sample().tables

        static func table(_ id: String) throws -> ReportTable {
            try #require(tables.first { $0.id == id })
        }

        @Test("units are in the headers, percentages in percent, and suppression is flagged with empty values")
        func povertyByAge() throws {
            let lines = CSVTableRenderer.render(try Self.table("poverty-by-age")).split(separator: "\n").map(String.init)
            #expect(lines.count == 5)
            #expect(lines[0] == "Age group,Before (% of persons),Before: 95% CI lower,Before: 95% CI upper,Before: disclosure,"
                + "A: Child grant 0-17 (% of persons),A: Child grant 0-17: 95% CI lower,A: Child grant 0-17: 95% CI upper,"
                + "A: Child grant 0-17: disclosure,B: Social pension 70+ (% of persons),B: Social pension 70+: 95% CI lower,"
                + "B: Social pension 70+: 95% CI upper,B: Social pension 70+: disclosure,"
                + "C: Child grant 0-5 & VAT (% of persons),C: Child grant 0-5 & VAT: 95% CI lower,"
                + "C: Child grant 0-5 & VAT: 95% CI upper,C: Child grant 0-5 & VAT: disclosure")
            // 0.342 is written 34.2; its bounds 0.342 -/+ 0.011 at full precision (whatever the last bit says).
            #expect(lines[1].hasPrefix("Children 0-17,34.2,33.1"))
            let flagged = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(flagged[0] == "Older persons 65-79" && flagged[1] == "28.5" && flagged[4] == "flagged" && flagged[16] == "flagged")
            #expect(lines[4] == "Older persons 80+" + String(repeating: ",,,,suppressed", count: 4))
        }

        @Test("intervals get lower and upper columns; points and money are at full precision")
        func comparison() throws {
            let lines = CSVTableRenderer.render(try Self.table("comparison")).split(separator: "\n").map(String.init)
            #expect(lines[0].hasPrefix("Indicator,A: Child grant 0-17,A: Child grant 0-17: 95% CI lower,A: Child grant 0-17: 95% CI upper,A: Child grant 0-17: disclosure,"))
            #expect(lines.count == 10)
            #expect(lines[1] == "\"Annual cost (million, local currency)\",2840.5,,,,1878.2,,,,1832.9,,,")
            #expect(lines[5] == "Change in poverty headcount,-3.1,-3.6,-2.6,,-1.4,-1.8,-1,,-1.9,-2.4,-1.3,")
            #expect(lines[6] == "\"Change in poverty headcount, older persons 80+\",,,,suppressed,,,,suppressed,,,,suppressed")
            #expect(lines[8] == "Change in Gini,-0.0123,,,,-0.0051,,,,-0.0094,,,")
            #expect(lines[9] == "Share of benefits reaching the poorest 40%,47.2,,,,51.2,,,flagged,53.8,,,")
        }

        @Test("fields with commas, quotes or line breaks are quoted, quotes doubled")
        func quoting() {
            #expect(CSVTableRenderer.field("plain") == "plain")
            #expect(CSVTableRenderer.field("a, b") == "\"a, b\"")
            #expect(CSVTableRenderer.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
            #expect(CSVTableRenderer.field("two\r\nlines") == "\"two\r\nlines\"")
        }

        @Test("NaN is an empty field, and a column of text only gets no flag column")
        func nonFiniteAndText() {
            let table = ReportTable(id: "t", title: "T", columns: [ReportColumn("Name"), ReportColumn("Gini", unit: "index")],
                                    rows: [[.text("x"), .number(.nan, .index(decimals: 4))],
                                           [.text("y"), .number(0.25, .index(decimals: 4))]])
            #expect(CSVTableRenderer.render(table) == "Name,Gini (index),Gini: disclosure\nx,,\ny,0.25,\n")
        }

        @Test("a suppressed cell with no number still gets a flag column")
        func suppressedWithoutNumber() {
            let table = ReportTable(id: "t", title: "T", columns: [ReportColumn("Group"), ReportColumn("Rate")],
                                    rows: [[.text("small"), ReportCell(content: .empty, disclosure: .suppressed)]])
            #expect(CSVTableRenderer.render(table) == "Group,Rate,Rate: disclosure\nsmall,,suppressed\n")
        }
    }
}
