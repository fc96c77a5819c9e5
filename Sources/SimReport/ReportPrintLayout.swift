import SimAnalysis
import SimKernel
import Foundation

/// How a table is split into pieces of columns for a printed A4 page.
///
/// A browser prints a table wider than the page by cutting off its right-hand columns
/// (a cost-by-year table with 17 columns showed 6), so the page also holds a print-only
/// copy of every wide table in pieces, each repeating the key columns: the first column
/// and any text columns right after it (the comparison's figure and unit).
/// Widths are estimated in characters of the table's print font: a column is as wide as
/// its widest number (numbers do not wrap), its heading's longest word and half its
/// heading (headings wrap onto two lines in print), and its unit's longest word; text
/// columns wrap, so they count at most ``wrappedTextWidth``. Columns whose titles share
/// the part before `": "` (`Option 2: net cost`, `Option 2: beneficiaries`) form a group
/// that stays on one piece when it fits.
///
///     ReportPrintLayout.pieces(of: costByYear)   // [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, ..., 16]]
package enum ReportPrintLayout {
    /// Characters of the print font across the A4 text width (180 mm at 8.5 pt), columns' padding included.
    package static let pageWidth = 100
    /// The padding of a column, in characters (0.65 rem on each side).
    package static let padding = 3
    /// The most a wrapping text column counts for, in characters.
    package static let wrappedTextWidth = 28

    /// The estimated printed width of column `index`, padding included.
    package static func width(of table: ReportTable, column index: Int) -> Int {
        let column = table.columns[index]
        func longestWord(_ text: String) -> Int { text.split(separator: " ").map(\.count).max() ?? 0 }
        var width = max(longestWord(column.title), (column.title.count + 1) / 2, longestWord(column.unit ?? ""))
        for row in table.rows.indices {
            let cell = table.cell(row: row, column: index)
            let texts = [cell.displayText, cell.displayInterval ?? "", cell.displayBand ?? ""]
            let longest = texts.map(\.count).max() ?? 0
            if case .text = cell.content {
                width = max(width, min(longest, wrappedTextWidth), longestWord(cell.displayText))
            } else {
                width = max(width, longest + 1)  // + the mark of a flagged or suppressed cell
            }
        }
        return width + padding
    }

    /// How many leading columns every piece repeats: the first, and the all-text columns after it.
    package static func keyColumns(of table: ReportTable) -> Int {
        var count = 1
        while count < table.columns.count - 1, table.rows.allSatisfy({ row in
            if case .text = (count < row.count ? row[count].content : .empty) { return true }
            return false
        }) { count += 1 }
        return count
    }

    /// The columns after the key columns (``keyColumns(of:)``), in pieces that each fit
    /// the page beside them; one piece (all of them) when the table fits as it is.
    package static func pieces(of table: ReportTable) -> [[Int]] {
        let keys = keyColumns(of: table)
        guard table.columns.count > keys else { return [] }
        let widths = table.columns.indices.map { width(of: table, column: $0) }
        let rest = Array(keys..<table.columns.count)
        if widths.reduce(0, +) <= pageWidth { return [rest] }
        // Groups of adjacent columns sharing the part of the title before ": ".
        func group(_ index: Int) -> String? {
            let title = table.columns[index].title
            return title.range(of: ": ").map { String(title[..<$0.lowerBound]) }
        }
        var groups: [[Int]] = []
        for index in rest {
            if let last = groups.last?.last, let g = group(index), g == group(last) {
                groups[groups.count - 1].append(index)
            } else {
                groups.append([index])
            }
        }
        let room = max(pageWidth - widths[..<keys].reduce(0, +), 1)
        var pieces: [[Int]] = []
        var current: [Int] = []
        var used = 0
        func place(_ index: Int) {
            if !current.isEmpty && used + widths[index] > room {
                pieces.append(current)
                current = []
                used = 0
            }
            current.append(index)
            used += widths[index]
        }
        for g in groups {
            let total = g.reduce(0) { $0 + widths[$1] }
            // A group that fits on a piece of its own starts one rather than being cut.
            if !current.isEmpty && used + total > room && total <= room {
                pieces.append(current)
                current = []
                used = 0
            }
            for index in g { place(index) }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
