import SimAnalysis
import SimKernel
import Foundation

/// How a number in a report is shown: the display rule shared by tables and chart axes.
///
/// The stored value is always the plain number the computation produced; the format
/// only decides how it reads. Percentages are stored as **fractions** (0.0041 is
/// 0.41%), as spreadsheets store them, so the `.xlsx` workbook can keep the number
/// and let its `0.00%` style show it.
///
/// | case | stored | HTML and SVG | CSV | XLSX style |
/// |---|---|---|---|---|
/// | `money(decimals: 0)` | 1234567.4 | `1,234,567` | `1234567.4` | `#,##0` |
/// | `percent(decimals: 2)` | 0.0041 | `0.41%` | `0.41` | `0.00%` |
/// | `percentagePoints(decimals: 1)` | -0.021 | `-2.1 pp` | `-2.1` | `0.0" pp"` (value in points) |
/// | `index(decimals: 4)` | 0.41237 | `0.4124` | `0.41237` | `0.0000` |
/// | `count` | 41203.7 | `41,204` | `41203.7` | `#,##0` |
/// | `readableMoney` | 3677352090 | `3.68 billion` | `3677352090` | `#,##0` |
/// | `year` | 2026 | `2026` | `2026` | `0` |
///
/// CSV numbers are in the unit the reader sees (percent, points), at full precision
/// (see ``ReportDecimal``). Display strings use ASCII `-` and `,` so a table copied from
/// the page into a spreadsheet still reads as numbers; a value that rounds to zero never
/// shows as `-0`.
package enum ReportNumberFormat: Sendable, Hashable {
    /// An amount of money with thousands separators and `decimals` decimals.
    case money(decimals: Int)
    /// A fraction shown as a percentage with `decimals` decimals (0.125 → `12.5%` with 1).
    case percent(decimals: Int)
    /// A difference of two fractions shown in percentage points (-0.021 → `-2.1 pp` with 1).
    case percentagePoints(decimals: Int)
    /// An index such as a Gini or an FGT(1) with `decimals` decimals.
    case index(decimals: Int)
    /// A whole count of persons or households (rounded to the nearest whole number).
    case count
    /// An amount of money scaled for reading: three significant digits and the word
    /// `thousand` (from 100,000), `million` or `billion` (3677352090 → `3.68 billion`);
    /// smaller amounts in whole units with separators. Only the page is scaled: CSV and
    /// the workbook keep the amount at full precision.
    case readableMoney
    /// A calendar year: digits without separators (`2026`), a number in CSV and the workbook.
    case year

    /// The number of decimals shown by default.
    package var decimals: Int {
        switch self {
        case .money(let d), .percent(let d), .percentagePoints(let d), .index(let d): return max(0, min(d, 12))
        case .count, .readableMoney, .year: return 0
        }
    }

    /// The factor from the stored value to the unit the reader sees (100 for percentages).
    package var displayScale: Double {
        switch self {
        case .percent, .percentagePoints: return 100
        case .money, .index, .count, .readableMoney, .year: return 1
        }
    }

    /// The suffix after a displayed number (`%`, ` pp`, or nothing).
    package var suffix: String {
        switch self {
        case .percent: return "%"
        case .percentagePoints: return " pp"
        case .money, .index, .count, .readableMoney, .year: return ""
        }
    }

    /// The value as a reader sees it, e.g. `1,234,567`, `0.41%`, `-2.1 pp`.
    ///
    /// - Parameters:
    ///   - value: The stored value (a fraction for percentages).
    ///   - decimals: Decimals to show instead of the format's own (chart ticks use this).
    ///   - withSuffix: `false` leaves out `%` or ` pp` (intervals print the suffix once).
    /// - Returns: The text, or `n/a` for NaN and infinities.
    package func display(_ value: Double, decimals: Int? = nil, withSuffix: Bool = true) -> String {
        guard value.isFinite else { return "n/a" }
        if case .readableMoney = self, decimals == nil { return Self.readable(value) }
        if case .year = self { return String(format: "%.0f", value) }
        let shown = max(0, min(decimals ?? self.decimals, 12))
        let text = Self.grouped(value * displayScale, decimals: shown)
        return withSuffix ? text + suffix : text
    }

    /// The number in the reader's unit at full precision, for CSV (`0.41` for 0.41%).
    ///
    /// - Returns: The shortest decimal of the stored value, shifted by two places for
    ///   percentages (exact: the shift is done on the decimal digits, not by multiplying);
    ///   an empty string for NaN and infinities.
    package func csvNumber(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return ReportDecimal.shortest(value, shiftingPointBy: displayScale == 100 ? 2 : 0)
    }

    /// The `numFmt` format code of an Office Open XML spreadsheet for this format.
    package var spreadsheetCode: String {
        let zeros = String(repeating: "0", count: decimals)
        let fraction = decimals > 0 ? "." + zeros : ""
        switch self {
        case .money, .count, .readableMoney: return "#,##0" + fraction
        case .year: return "0"
        case .percent: return "0" + fraction + "%"
        case .percentagePoints: return "0" + fraction + "\" pp\""
        case .index: return "0" + fraction
        }
    }

    /// The value as stored in a spreadsheet cell: points for percentage points (the
    /// spreadsheet format cannot scale by 100 without adding `%`; shifted on the decimal
    /// digits, so -0.036 becomes exactly -3.6), the stored value otherwise.
    package func spreadsheetValue(_ value: Double) -> Double {
        if case .percentagePoints = self {
            return Double(ReportDecimal.shortest(value, shiftingPointBy: 2)) ?? value * 100
        }
        return value
    }

    /// Whether the page shows fewer digits than the amount has (a scaled amount), so the
    /// full amount is worth giving beside it (the page's tooltip).
    package func isScaled(_ value: Double) -> Bool {
        if case .readableMoney = self { return value.isFinite && abs(value) >= 100_000 }
        return false
    }

    /// An amount with three significant digits and its scale word: `3.68 billion`,
    /// `412 million`, `352 thousand`; below 100,000 in whole units (`52,300`).
    package static func readable(_ value: Double) -> String {
        // (from, divisor, word): an amount that rounds to 1,000 of a scale reads in the next one.
        let scales: [(Double, Double, String)] = [(999.5e6, 1e9, "billion"), (999.5e3, 1e6, "million"), (1e5, 1e3, "thousand")]
        guard let (_, divisor, word) = scales.first(where: { abs(value) >= $0.0 }) else { return grouped(value, decimals: 0) }
        let scaled = value / divisor
        let magnitude = abs(scaled)
        let decimals = magnitude >= 99.95 ? 0 : magnitude >= 9.995 ? 1 : 2
        return grouped(scaled, decimals: decimals) + " " + word
    }

    /// `value` rounded to `decimals`, with `,` between groups of three integer digits.
    package static func grouped(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        var negative = false
        if text.hasPrefix("-") {
            text.removeFirst()
            negative = text.contains { $0 != "0" && $0 != "." }
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var out = ""
        for (i, digit) in integer.enumerated() {
            if i > 0, (integer.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return (negative ? "-" : "") + out
    }
}
