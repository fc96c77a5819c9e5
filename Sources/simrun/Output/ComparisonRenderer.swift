import Foundation
import SimKernel

/// `scenario compare` output: table (options in columns), JSON and CSV.
struct ComparisonRenderer {
    let table: ComparisonTable
    let order: [Int]
    let header: [String]
    let provenance: [(String, JSONWriter.Value)]

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return text()
        case .json: return json()
        case .csv: return csv()
        }
    }

    static func show(_ x: Double, _ style: ComparisonTable.Style) -> String {
        guard x.isFinite else { return "n/a" }
        switch style {
        case .money, .persons: return ReportNumberFormat.grouped(x, decimals: 0)
        case .share: return String(format: "%.2f%%", x * 100)
        case .points: return String(format: "%+.2f pts", x * 100)
        case .ratio: return String(format: "%.3f", x)
        }
    }

    private func text() -> String {
        var out = header.joined(separator: "\n") + "\n\n"
        var cells: [[String]] = [["Figure", "Unit"] + order.map { "(\($0 + 1)) " + table.titles[$0] }]
        var anyFlag = false
        for row in table.rows {
            var line = [row.label, row.unit]
            for i in order {
                var cell = Self.show(row.values[i], row.style)
                if i < row.intervals.count, let ci = row.intervals[i] {
                    cell += " [" + Self.show(ci.lower, row.style).replacingOccurrences(of: " pts", with: "") + ", "
                        + Self.show(ci.upper, row.style) + "]"
                }
                if row.flagged[i] {
                    cell += " *"
                    anyFlag = true
                }
                line.append(cell)
            }
            cells.append(line)
        }
        let widths = (0..<cells[0].count).map { col in cells.map { $0[col].count }.max()! }
        for (r, line) in cells.enumerated() {
            out += line.enumerated().map { col, cell in
                col < 2 ? cell.padding(toLength: widths[col], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[col] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\nOptions: " + order.map { "(\($0 + 1)) \(table.files[$0])" }.joined(separator: "; ") + "\n"
        out += "Points are percentage points; shares of persons or of money as shown. Change = option − its baseline.\n"
        if anyFlag {
            out += "* computed from fewer than \(table.minimumCell) unweighted observations: too few to publish reliably.\n"
        }
        return out
    }

    private func csv() -> String {
        var out = "figure,unit," + order.map { "\"\(table.titles[$0].replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ",")
            + "," + order.map { "flag_\($0 + 1)" }.joined(separator: ",") + "\n"
        for row in table.rows {
            out += "\(row.key),\"\(row.unit)\"," + order.map { JSONWriter.number(row.values[$0]) }.joined(separator: ",")
                + "," + order.map { row.flagged[$0] ? "fewer_than_\(table.minimumCell)_observations" : "" }.joined(separator: ",") + "\n"
        }
        return out
    }

    private func json() -> String {
        var options: [JSONWriter.Value] = []
        for i in order {
            var figures: [(String, JSONWriter.Value)] = []
            var intervals: [(String, JSONWriter.Value)] = []
            var flagged: [JSONWriter.Value] = []
            for row in table.rows {
                figures.append((row.key, .number(row.values[i])))
                if row.flagged[i] { flagged.append(.string(row.key)) }
                if i < row.intervals.count, let ci = row.intervals[i] {
                    intervals.append((row.key, .array([.number(ci.lower), .number(ci.upper)])))
                }
            }
            options.append(.object([
                ("scenario_file", .string(table.files[i])), ("title", .string(table.titles[i])),
                ("figures", .object(figures)), ("ci95", .object(intervals)), ("flagged_small_cells", .array(flagged)),
            ]))
        }
        let units: [(String, JSONWriter.Value)] = table.rows.map { ($0.key, .string($0.unit)) }
        return JSONWriter.render(.object([
            ("provenance", .object(provenance)),
            ("minimum_cell_observations", .number(Double(table.minimumCell))),
            ("units", .object(units)),
            ("options", .array(options)),
        ])) + "\n"
    }
}
