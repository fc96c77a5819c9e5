import Foundation
import SimAnalysis
import SimKernel

/// `scenario compare` output: table (options in columns), JSON and CSV.
package struct ComparisonRenderer {
    package let table: ComparisonTable
    package let order: [Int]
    package let header: [String]
    package let provenance: JSONWriter.Value
    /// Per option (in the table's order): its short name, heading its column (`OptionLabels`).
    package var labels: [String] = []
    /// Sentences printed under the table (options costed on one draw, replications).
    package var notes: [String] = []

    package func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return text()
        case .json: return json()
        case .csv: return csv()
        }
    }

    package static func show(_ x: Double, _ style: ComparisonTable.Style) -> String {
        guard x.isFinite else { return "n/a" }
        switch style {
        case .money, .persons: return ReportNumberFormat.grouped(x, decimals: 0)
        case .share: return String(format: "%.2f%%", x * 100)
        case .points: return String(format: "%+.2f pts", x * 100)
        case .ratio: return String(format: "%.3f", x)
        }
    }

    /// The terminal table's width: every line fits in it.
    package static let width = 120
    /// The widest the figure column gets (the figure and its unit); longer texts wrap onto more lines.
    package static let figureWidth = 40
    /// The width an option's header wraps at, unless its figures are wider.
    package static let headerWidth = 16

    /// `text` in lines of at most `width` characters, broken at spaces (a longer word stands alone);
    /// leading spaces (a sub-row's indent) start every line.
    package static func wrap(_ text: String, _ width: Int) -> [String] {
        let indent = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty { line = String(word) } else if indent.count + line.count + 1 + word.count <= width { line += " " + word } else {
                lines.append(line)
                line = String(word)
            }
        }
        lines.append(line)
        return lines.map { indent + $0 }
    }

    /// `line` as it is, broken at the last space before `width` while it is longer (spacing kept, unlike ``wrap(_:_:)``).
    package static func breakLine(_ line: String, _ width: Int) -> [String] {
        var rest = Substring(line)
        var lines: [String] = []
        while rest.count > width {
            let head = rest.prefix(width + 1)
            guard let space = head.lastIndex(of: " "), space > rest.startIndex else { break }
            lines.append(String(rest[..<space]))
            rest = rest[rest.index(after: space)...]
        }
        return lines + [String(rest)]
    }

    /// The table for people: one column for the figure and its unit, then the options in
    /// columns headed by their labels, in blocks of options that fit in ``width`` columns
    /// (each block repeating the figure column); the options' full titles and footnotes below.
    private func text() -> String {
        var out = header.flatMap { Self.breakLine($0, Self.width) }.joined(separator: "\n") + "\n\n"
        let names = order.map { i in "(\(i + 1)) " + (i < labels.count ? labels[i] : table.titles[i]) }
        var anyFlag = false, anySuppressed = false
        var values: [[String]] = []  // per row, per option in order
        for row in table.rows {
            var line: [String] = []
            for i in order {
                if row.disclosure[i] == .suppressed {
                    line.append("suppressed")
                    anySuppressed = true
                    continue
                }
                var cell = Self.show(row.values[i], row.style)
                for list in [row.intervals, row.bands] where i < list.count {
                    if let ci = list[i] {
                        cell += " [" + Self.show(ci.lower, row.style).replacingOccurrences(of: " pts", with: "") + ", "
                            + Self.show(ci.upper, row.style).replacingOccurrences(of: " pts", with: "") + "]"
                    }
                }
                if row.disclosure[i] == .flagged {
                    cell += " *"
                    anyFlag = true
                }
                line.append(cell)
            }
            values.append(line)
        }
        let figures = table.rows.map { Self.wrap("\($0.label), \($0.unit.label)", Self.figureWidth) }
        let figureWidth = max(6, (figures.flatMap { $0 }.map(\.count).max() ?? 0))
        let widths = order.indices.map { k in
            max(min(names[k].count, Self.headerWidth), values.map { $0[k].count }.max() ?? 0)
        }
        let headers = order.indices.map { Self.wrap(names[$0], widths[$0]) }
        // Blocks of options that fit beside the figure column.
        let room = Self.width - figureWidth
        var blocks: [[Int]] = []
        var used = 0
        for k in order.indices {
            if let last = blocks.indices.last, used + 2 + widths[k] <= room {
                blocks[last].append(k)
                used += 2 + widths[k]
            } else {
                blocks.append([k])
                used = 2 + widths[k]
            }
        }
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        for (b, block) in blocks.enumerated() {
            if b > 0 { out += "\n" }
            let headerLines = block.map { headers[$0].count }.max() ?? 1
            for l in 0..<headerLines {
                var head = pad(l == headerLines - 1 ? "Figure, unit" : "", figureWidth)
                for k in block {
                    let lines = headers[k]
                    let index = l - (headerLines - lines.count)
                    head += "  " + right(index >= 0 ? lines[index] : "", widths[k])
                }
                out += head.trimmingTrailingSpaces() + "\n"
            }
            out += ([figureWidth] + block.map { widths[$0] }).map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            for r in table.rows.indices {
                for (l, text) in figures[r].enumerated() {
                    var line = pad(text, figureWidth)
                    for k in block { line += "  " + right(l == 0 ? values[r][k] : "", widths[k]) }
                    out += line.trimmingTrailingSpaces() + "\n"
                }
            }
        }
        out += "\nOptions:\n"
        for (k, i) in order.enumerated() {
            // A declared welfare concept is named (docs/welfare.md); the default output is as before.
            let welfare = table.welfare[i].concept
            let text = "\(names[k]) = \(table.titles[i]) (\(table.files[i])), year \(table.years[i].map(String.init) ?? "latest values"), target group: \(table.targetGroups[i])"
                + (welfare.isDefault ? "" : ", welfare: \(welfare.outputDescription)")
            out += Self.wrap(text, Self.width - 6).enumerated().map { $0 == 0 ? "  " + $1 : "      " + $1 }.joined(separator: "\n") + "\n"
        }
        var notes = ["Pts are percentage points. Change = option − its own baseline. Net cost = benefits + administrative cost + state costs − budget revenue; contributions to social insurance funds do not offset it."]
        notes += shareNotes()
        notes += self.notes
        if anyFlag {
            notes.append("* computed from fewer than \(table.minimumCell) unweighted observations: too few to publish reliably.")
        }
        if anySuppressed {
            notes.append("suppressed: computed from fewer than \(table.minimumCell) unweighted observations.")
        }
        if table.rows.contains(where: { $0.intervals.contains { $0 != nil } }) && !table.rows.contains(where: { $0.bands.contains { $0 != nil } }) {
            notes.append("[a, b] after a figure is its 95% confidence interval.")
        }
        for note in notes { out += Self.wrap(note, Self.width).joined(separator: "\n") + "\n" }
        return out
    }

    /// What the shares in the table are, as true for these options: the base of each "%" and who the
    /// poorest 40% are (by the options' welfare), and why a share is n/a when one is.
    private func shareNotes() -> [String] {
        var notes: [String] = []
        if let row = table.row("share_poorest_40") {
            let concepts = order.map { table.welfare[$0].concept }
            let welfare = concepts.allSatisfy { $0 == concepts.first }
                ? concepts.first.map { $0.isDefault ? "per-capita household disposable income" : "\($0)" } ?? ""
                : "welfare (each option's, see Options)"
            var note = "Share reaching the poorest 40%: the part of the change in benefits paid to households that goes to the 40% of persons with the lowest baseline \(welfare)."
            let undefined = order.filter { row.values[$0].isNaN }.map { "(\($0 + 1))" }
            if !undefined.isEmpty {
                note += " n/a for \(undefined.joined(separator: ", ")): the option does not change benefits paid to households."
            }
            notes.append(note)
        }
        if let row = table.row("cost_per_person_lifted") {
            let undefined = order.filter { row.values[$0].isNaN }.map { "(\($0 + 1))" }
            if !undefined.isEmpty {
                notes.append("Net cost per person lifted out is n/a for \(undefined.joined(separator: ", ")): the option costs nothing or lifts no one out of poverty.")
            }
        }
        return notes
    }

    /// A value as JSON/CSV publish it: nothing when suppressed.
    private func published(_ row: ComparisonTable.Row, _ i: Int) -> Double {
        row.disclosure[i] == .suppressed ? .nan : row.values[i]
    }

    private func csv() -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out = "figure,unit," + order.map { quoted($0 < labels.count ? labels[$0] : table.titles[$0]) }.joined(separator: ",")
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
            var bands: [(String, JSONWriter.Value)] = []
            var flagged: [JSONWriter.Value] = [], suppressed: [JSONWriter.Value] = []
            for row in table.rows {
                figures.append((row.key, .number(published(row, i))))
                observations.append((row.key, row.observations[i].map { .number(Double($0)) } ?? .null))
                if row.disclosure[i] == .flagged { flagged.append(.string(row.key)) }
                if row.disclosure[i] == .suppressed { suppressed.append(.string(row.key)) }
                if i < row.intervals.count, let ci = row.intervals[i], row.disclosure[i] != .suppressed {
                    intervals.append((row.key, .array([.number(ci.lower), .number(ci.upper)])))
                }
                if i < row.bands.count, let band = row.bands[i], row.disclosure[i] != .suppressed {
                    bands.append((row.key, .array([.number(band.lower), .number(band.upper)])))
                }
            }
            options.append(.object([
                ("scenario_file", .string(table.files[i])), ("title", .string(table.titles[i])),
                ("label", .string(i < labels.count ? labels[i] : table.titles[i])),
                ("year", table.years[i].map { .number(Double($0)) } ?? .null),
                ("target_group", .string(table.targetGroups[i])),
                ("welfare", table.welfare[i].concept.json(povertyLine: table.welfare[i].line)),
                ("figures", .object(figures)), ("observations", .object(observations)), ("ci95", .object(intervals)),
                ("bands_2_5_97_5", bands.isEmpty ? .null : .object(bands)),
                ("flagged_small_cells", .array(flagged)), ("suppressed_small_cells", .array(suppressed)),
            ]))
        }
        let units: [(String, JSONWriter.Value)] = table.rows.map { ($0.key, .string($0.unit.dataUnit)) }
        return JSONWriter.document(.object([
            ("provenance", provenance),
            ("minimum_cell_observations", .number(Double(table.minimumCell))),
            ("small_cells", .string(table.rule.suppress ? "suppressed" : "flagged")),
            ("units", .object(units)),
            ("options", .array(options)),
        ])) + "\n"
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(table: ComparisonTable, order: [Int], header: [String], provenance: JSONWriter.Value, labels: [String] = [], notes: [String] = []) {
        self.table = table
        self.order = order
        self.header = header
        self.provenance = provenance
        self.labels = labels
        self.notes = notes
    }
}

extension String {
    /// The text without spaces at its end.
    package func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension ComparisonRenderer {
    /// `scenario compare`'s rendering of `analysis` on `session`: the header (version, data and its
    /// size, the data preparation, the country profile, the projection and its ageing, the ranking),
    /// the options in `rankBy`'s order (`ComparisonTable/ranking(by:)`; the order given without it),
    /// the note on draws (Monte Carlo bands, or the options costed on one draw), and the provenance.
    package init(session: AnalysisSession, analysis: OptionsAnalysis, rankBy: String? = nil) {
        let (population, comparison) = (session.population, analysis.comparison)
        var header = ["simrun \(SimrunVersion.current) · scenario compare", "Data     : \(session.dataFile) (\(ReportNumberFormat.grouped(Double(population.householdCount), decimals: 0)) households, \(ReportNumberFormat.grouped(Double(population.personCount), decimals: 0)) persons)"]
        header += DataPreparationOutput.lines(population.preparation)
        if let profile = session.profile {
            header.append("Country  : \(profile.name) (\(profile.file)); base year \(profile.baseYear); \(profile.currency) \(profile.exchangeRate) per USD")
        }
        let projected = analysis.request.years != nil
        if projected { header += AgeingOutput.projectionLines(comparison) }
        if let rankBy { header.append("Ranked by: \(rankBy)") }
        var projection: [(String, JSONWriter.Value)] = []
        if projected {
            projection = [("projection_method", .string(comparison.projectionMethod.rawValue)),
                          ("ageing", AgeingOutput.json(comparison.ageing))]
        }
        var notes: [String] = []
        if analysis.replications == 1 {
            if let note = analysis.oneDrawNote { notes.append(note) }
        } else {
            notes.append(OptionStatistics.bandsNote(replications: analysis.replications, seed: session.seed))
        }
        let table = analysis.table
        self.init(table: table, order: rankBy.map(table.ranking(by:)) ?? Array(table.titles.indices), header: header,
                  provenance: analysis.provenance.compareJSON(projection: projection), labels: analysis.labels, notes: notes)
    }
}
