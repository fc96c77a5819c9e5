import Foundation
import SimAnalysis
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
        var anyFlag = false, anySuppressed = false
        for row in table.rows {
            var line = [row.label, row.unit.label]
            for i in order {
                if row.disclosure[i] == .suppressed {
                    line.append("suppressed")
                    anySuppressed = true
                    continue
                }
                var cell = Self.show(row.values[i], row.style)
                if i < row.intervals.count, let ci = row.intervals[i] {
                    cell += " [" + Self.show(ci.lower, row.style).replacingOccurrences(of: " pts", with: "") + ", "
                        + Self.show(ci.upper, row.style) + "]"
                }
                if row.disclosure[i] == .flagged {
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
        out += "\nOptions: " + order.map { i in
            // A declared welfare concept is named (docs/welfare.md); the default output is as before.
            let welfare = table.welfare[i].concept
            return "(\(i + 1)) \(table.files[i]), year \(table.years[i].map(String.init) ?? "latest values"), target group: \(table.targetGroups[i])"
                + (welfare.isDefault ? "" : ", welfare: \(welfare.outputDescription)")
        }.joined(separator: "; ") + "\n"
        out += "Pts are percentage points. Change = option − its own baseline. Net cost = benefits + administrative cost + state costs − budget revenue; contributions to social insurance funds do not offset it.\n"
        if anyFlag {
            out += "* computed from fewer than \(table.minimumCell) unweighted observations: too few to publish reliably.\n"
        }
        if anySuppressed {
            out += "suppressed: computed from fewer than \(table.minimumCell) unweighted observations.\n"
        }
        return out
    }

    /// A value as JSON/CSV publish it: nothing when suppressed.
    private func published(_ row: ComparisonTable.Row, _ i: Int) -> Double {
        row.disclosure[i] == .suppressed ? .nan : row.values[i]
    }

    private func csv() -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out = "figure,unit," + order.map { quoted(table.titles[$0]) }.joined(separator: ",")
            + "," + order.map { "observations_\($0 + 1)" }.joined(separator: ",")
            + "," + order.map { "disclosure_\($0 + 1)" }.joined(separator: ",") + "\n"
        // What each option is: its simulated year and target group (text rows, before the figures).
        let blanks = String(repeating: ",", count: 2 * order.count)
        out += "year,year," + order.map { table.years[$0].map(String.init) ?? "" }.joined(separator: ",") + blanks + "\n"
        out += "target_group,text," + order.map { quoted(table.targetGroups[$0]) }.joined(separator: ",") + blanks + "\n"
        for row in table.rows {
            out += "\(row.key),\(quoted(row.unit.dataUnit))," + order.map { JSONWriter.number(published(row, $0)) }.joined(separator: ",")
                + "," + order.map { row.observations[$0].map(String.init) ?? "" }.joined(separator: ",")
                + "," + order.map { row.disclosure[$0].rawValue }.joined(separator: ",") + "\n"
        }
        return out
    }

    private func json() -> String {
        var options: [JSONWriter.Value] = []
        for i in order {
            var figures: [(String, JSONWriter.Value)] = []
            var observations: [(String, JSONWriter.Value)] = []
            var intervals: [(String, JSONWriter.Value)] = []
            var flagged: [JSONWriter.Value] = [], suppressed: [JSONWriter.Value] = []
            for row in table.rows {
                figures.append((row.key, .number(published(row, i))))
                observations.append((row.key, row.observations[i].map { .number(Double($0)) } ?? .null))
                if row.disclosure[i] == .flagged { flagged.append(.string(row.key)) }
                if row.disclosure[i] == .suppressed { suppressed.append(.string(row.key)) }
                if i < row.intervals.count, let ci = row.intervals[i], row.disclosure[i] != .suppressed {
                    intervals.append((row.key, .array([.number(ci.lower), .number(ci.upper)])))
                }
            }
            options.append(.object([
                ("scenario_file", .string(table.files[i])), ("title", .string(table.titles[i])),
                ("year", table.years[i].map { .number(Double($0)) } ?? .null),
                ("target_group", .string(table.targetGroups[i])),
                ("welfare", table.welfare[i].concept.json(povertyLine: table.welfare[i].line)),
                ("figures", .object(figures)), ("observations", .object(observations)), ("ci95", .object(intervals)),
                ("flagged_small_cells", .array(flagged)), ("suppressed_small_cells", .array(suppressed)),
            ]))
        }
        let units: [(String, JSONWriter.Value)] = table.rows.map { ($0.key, .string($0.unit.dataUnit)) }
        return JSONWriter.document(.object([
            ("provenance", .object(provenance)),
            ("minimum_cell_observations", .number(Double(table.minimumCell))),
            ("small_cells", .string(table.rule.suppress ? "suppressed" : "flagged")),
            ("units", .object(units)),
            ("options", .array(options)),
        ])) + "\n"
    }
}
