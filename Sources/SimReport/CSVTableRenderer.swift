import SimAnalysis
import SimKernel
import Foundation

/// Writes a ``ReportTable`` as CSV text: the file `tables/<id>.csv` of a report.
///
/// RFC 4180 quoting (a field with a comma, quote, or line break is quoted, quotes
/// doubled), UTF-8 without a byte-order mark, `\n` line ends, a header row (see
/// ``FlatTable`` for the columns: units in the headers, interval bounds, a disclosure flag
/// per numeric column). Numbers are in the unit of their header at full precision:
/// percentages and percentage points in percent (`0.41` for 0.41%), money and counts
/// unrounded, as ``ReportNumberFormat/csvNumber(_:)`` prints them. Suppressed values are
/// empty and flagged `suppressed`.
///
///     let csv = CSVTableRenderer.render(table)
///     // "Year,Child grant (% of GDP),Child grant: disclosure\n2026,0.41,\n..."
package enum CSVTableRenderer {
    /// The table as CSV text.
    package static func render(_ table: ReportTable) -> String {
        let flat = FlatTable(table)
        var out = flat.headers.map(field).joined(separator: ",") + "\n"
        for row in flat.rows {
            out += row.map { value -> String in
                switch value {
                case .text(let text): return field(text)
                case .number(let number, let format): return format.csvNumber(number)
                case .empty: return ""
                }
            }.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// `text` as one CSV field, quoted when it must be.
    package static func field(_ text: String) -> String {
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
