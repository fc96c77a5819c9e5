import Foundation
import SimAnalysis
import SimKernel

/// `simrun assess`'s table, CSV and JSON: views of its record (`AssessmentRecord`): per social
/// protection floor group, coverage and poverty today and under each option, small cells flagged
/// or withheld by the record's disclosure rule, groups absent from the data said so.
package struct AssessmentRenderer {
    package let record: AssessmentRecord

    package init(record: AssessmentRecord) {
        self.record = record
    }

    private var scenarioFiles: [String] { record.options.map(\.scenarioFile) }
    private var rule: DisclosureRule { record.rule }
    private var minCell: Int { rule.minimumObservations }

    /// The assessment in `format`.
    package func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return json()
        }
    }

    private func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", x * 100) : "n/a" }

    private func table() -> String {
        let (a, data, preparation) = (record, record.provenance.dataFile, record.provenance.preparation)
        var out = "simrun \(SimrunVersion.current) · coverage-gap assessment\nData: \(data)\n"
        for line in DataPreparationOutput.lines(preparation) { out += line + "\n" }
        out += "\n"
        let shared = a.groups.allSatisfy(\.baselineShared)
        var header = ["Group", "Persons"]
        if shared { header += ["Covered today", "Poor today"] }
        for i in scenarioFiles.indices {
            if !shared { header += ["(\(i + 1)) covered, its baseline", "(\(i + 1)) poor, its baseline"] }
            header += ["(\(i + 1)) covered", "(\(i + 1)) poor"]
        }
        var cells = [header]
        var flagged = false, suppressed = false
        for g in a.groups {
            let d = rule.status(observations: g.observations)
            flagged = flagged || (d == .flagged && g.observations > 0)
            suppressed = suppressed || (d == .suppressed && g.observations > 0)
            // A group nobody in the survey belongs to is absent, not a small cell.
            let absent = g.observations == 0
            func show(_ x: Double) -> String { absent ? "not in the data" : d == .suppressed ? "suppressed" : percent(x) }
            var line = [g.name + (d == .flagged && !absent ? " *" : ""),
                        absent ? "not in the data" : d == .suppressed ? "suppressed" : ReportNumberFormat.grouped(g.persons, decimals: 0)]
            if shared { line += [show(g.coverageBaseline[0]), show(g.povertyBaseline[0])] }
            for i in scenarioFiles.indices {
                if !shared { line += [show(g.coverageBaseline[i]), show(g.povertyBaseline[i])] }
                line += [show(g.coverageReform[i]), show(g.povertyReform[i])]
            }
            cells.append(line)
        }
        let widths = (0..<header.count).map { c in cells.map { $0[c].count }.max()! }
        for (r, line) in cells.enumerated() {
            out += line.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\n" + a.groups.map { "\($0.name): \($0.definition)" }.joined(separator: "; ") + "\n"
        out += "Options: " + scenarioFiles.enumerated().map { i, file in
            // A declared welfare concept is named (docs/welfare.md); the default is said in the help.
            let option = record.options[i]
            let welfare = option.welfare
            return "(\(i + 1)) \(file), year \(option.year.map(String.init) ?? "latest values"), baseline \(option.baselineName)"
                + (welfare.isDefault ? "" : ", poor by \(welfare.outputDescription)")
        }.joined(separator: "; ") + "\n"
        out += shared ? "Today: every option's baseline gives the same figures.\n" : "Each option is set against its own baseline.\n"
        for s in a.skipped { out += "Not assessed: \(s.name) (\(s.reason)).\n" }
        if flagged { out += "* fewer than \(minCell) unweighted persons: too few to publish reliably.\n" }
        if suppressed { out += "suppressed: fewer than \(minCell) unweighted persons.\n" }
        return out
    }

    private func csv() -> String {
        let a = record
        var out = "group,definition,persons,observations"
        for i in scenarioFiles.indices {
            out += ",coverage_baseline_\(i + 1),poverty_baseline_\(i + 1),coverage_option_\(i + 1),poverty_option_\(i + 1)"
        }
        out += ",disclosure\n"
        for g in a.groups {
            let d = rule.status(observations: g.observations)
            func n(_ x: Double) -> String { d == .suppressed ? "" : JSONWriter.number(x) }
            out += "\(g.name),\"\(g.definition)\",\(n(g.persons)),\(g.observations)"
            for i in scenarioFiles.indices {
                out += ",\(n(g.coverageBaseline[i])),\(n(g.povertyBaseline[i])),\(n(g.coverageReform[i])),\(n(g.povertyReform[i]))"
            }
            out += ",\(d.rawValue)\n"
        }
        return out
    }

    private func json() -> String {
        let a = record
        let groups: [JSONWriter.Value] = a.groups.map { g in
            let d = rule.status(observations: g.observations)
            func n(_ x: Double) -> JSONWriter.Value { d == .suppressed ? .null : .number(x) }
            return .object([
                ("name", .string(g.name)), ("definition", .string(g.definition)), ("persons", n(g.persons)),
                ("observations", .number(Double(g.observations))), ("small_cell", .bool(d != .shown)),
                ("disclosure", .string(d.rawValue)),
                ("baseline", g.baselineShared
                    ? .object([("coverage", n(g.coverageBaseline[0])), ("poverty", n(g.povertyBaseline[0]))]) : .null),
                ("options", .array(scenarioFiles.indices.map { i in
                    .object([("scenario_file", .string(scenarioFiles[i])),
                             ("year", record.options[i].year.map { .number(Double($0)) } ?? .null),
                             ("baseline", .object([("coverage", n(g.coverageBaseline[i])), ("poverty", n(g.povertyBaseline[i]))])),
                             ("coverage", n(g.coverageReform[i])), ("poverty", n(g.povertyReform[i])),
                             ("welfare", record.options[i].welfare.json(povertyLine: record.options[i].povertyLine))])
                })),
            ])
        }
        return JSONWriter.document(.object([
            ("provenance", record.provenance.assessJSON(olderAge: record.olderAge)),
            ("minimum_cell_observations", .number(Double(minCell))),
            ("groups", .array(groups)),
            ("not_assessed", .array(a.skipped.map { .object([("group", .string($0.name)), ("reason", .string($0.reason))]) })),
        ])) + "\n"
    }
}
