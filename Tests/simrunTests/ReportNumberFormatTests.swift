import SimReport
import Testing

@testable import simrun

extension ReportTests {
    /// Display, CSV and spreadsheet forms of report numbers. Expected strings are written by
    /// hand from the rules in `ReportNumberFormat`'s documentation; all exact.
    @Suite("Report number formats")
    struct NumberFormatTests {
        @Test("money has thousands separators and the requested decimals", arguments: [
            (1_234_567.4, 0, "1,234,567"),
            (1_234_567.456, 2, "1,234,567.46"),
            (999.5, 0, "1,000"),
            (-12_345.0, 1, "-12,345.0"),
            (12.0, 0, "12"),
            (0.0, 2, "0.00"),
        ])
        func money(value: Double, decimals: Int, expected: String) {
            #expect(ReportNumberFormat.money(decimals: decimals).display(value) == expected)
        }

        @Test("percentages are fractions shown times 100 with a % sign")
        func percent() {
            #expect(ReportNumberFormat.percent(decimals: 2).display(0.0041) == "0.41%")
            #expect(ReportNumberFormat.percent(decimals: 1).display(0.125) == "12.5%")
            #expect(ReportNumberFormat.percent(decimals: 0).display(1) == "100%")
            #expect(ReportNumberFormat.percent(decimals: 1).display(12.5) == "1,250.0%")
        }

        @Test("percentage points read as signed points")
        func points() {
            #expect(ReportNumberFormat.percentagePoints(decimals: 1).display(-0.021) == "-2.1 pp")
            #expect(ReportNumberFormat.percentagePoints(decimals: 1).display(0.0304) == "3.0 pp")
        }

        @Test("an index keeps its decimals and a count is a whole number")
        func indexAndCount() {
            #expect(ReportNumberFormat.index(decimals: 4).display(0.412_37) == "0.4124")
            #expect(ReportNumberFormat.count.display(41_203.7) == "41,204")
            #expect(ReportNumberFormat.count.display(-3) == "-3")
        }

        @Test("a value that rounds to zero never shows as -0")
        func negativeZero() {
            #expect(ReportNumberFormat.money(decimals: 0).display(-0.4) == "0")
            #expect(ReportNumberFormat.percent(decimals: 1).display(-0.000_01) == "0.0%")
            #expect(ReportNumberFormat.index(decimals: 2).display(-0.0) == "0.00")
        }

        @Test("NaN and infinities read n/a on the page and are empty in CSV")
        func nonFinite() {
            for value in [Double.nan, .infinity, -.infinity] {
                #expect(ReportNumberFormat.money(decimals: 0).display(value) == "n/a")
                #expect(ReportNumberFormat.percent(decimals: 1).csvNumber(value) == "")
            }
        }

        @Test("CSV numbers are full precision, percentages shifted exactly into percent", arguments: [
            (0.07, 2, "7"),
            (-0.0041, 2, "-0.41"),
            (0.123456789012345, 2, "12.3456789012345"),
            (1e-05, 2, "0.001"),
            (1234567.4, 0, "1234567.4"),
            (3.0, 0, "3"),
            (1e22, 0, "1e+22"),
            (1.5e-25, 0, "1.5e-25"),
            (0.1, 0, "0.1"),
            (100.0, 2, "10000"),
        ])
        func csvDecimal(value: Double, places: Int, expected: String) {
            #expect(ReportDecimal.shortest(value, shiftingPointBy: places) == expected)
        }

        @Test("the CSV number of a percentage reads back as 100 times the stored fraction")
        func csvRoundTrip() {
            // 0.07 * 100 is 7.000000000000001 in binary; the digit shift gives 7 (read back: 7.0).
            #expect(ReportNumberFormat.percent(decimals: 1).csvNumber(0.07) == "7")
            for value in [0.0041, 0.183, 0.5, 0.012_345_678] {
                let text = ReportNumberFormat.percent(decimals: 1).csvNumber(value)
                let back = Double(text) ?? .nan
                #expect(abs(back - value * 100) <= 1e-12, "\(value) -> \(text)")
            }
        }

        @Test("spreadsheet codes match the number formats", arguments: [
            (ReportNumberFormat.money(decimals: 0), "#,##0"),
            (.money(decimals: 2), "#,##0.00"),
            (.count, "#,##0"),
            (.percent(decimals: 2), "0.00%"),
            (.percent(decimals: 0), "0%"),
            (.index(decimals: 4), "0.0000"),
            (.percentagePoints(decimals: 1), "0.0\" pp\""),
        ])
        func spreadsheetCode(format: ReportNumberFormat, expected: String) {
            #expect(format.spreadsheetCode == expected)
        }
    }
}
