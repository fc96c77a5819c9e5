import Foundation
import SimAnalysis
import SimKernel

/// `scenario run`'s table, JSON and CSV: views of its one record (`ScenarioRunRecord`), one row
/// per indicator with baseline, reform and change, in a fixed order.
package struct RunReport {
    package typealias Style = ScenarioRunRecord.Style
    package typealias Row = ScenarioRunRecord.Row
    package typealias Band = ScenarioRunRecord.Band
    package typealias BandSet = ScenarioRunRecord.BandSet

    /// The result shown.
    package let record: ScenarioRunRecord

    package init(record: ScenarioRunRecord) {
        self.record = record
    }

    package var provenance: Provenance { record.provenance }
    /// Each figure's value: the mean across replications (the value itself with one).
    package var rows: [Row] { record.rows }
    /// Per row, the bands of baseline, reform and change (only with more than one replication).
    package var bands: [BandSet]? { record.bands }
    /// The statistics engine's profile of baseline, reform and change (only with the statistics options).
    package var statistics: RunStatisticsRecord? { record.statistics }

    package func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        }
    }

    // MARK: - Table

    private func table() -> String {
        let p = provenance
        let scenario = record.scenario
        let welfare = scenario.welfare
        var out = "simrun \(p.simrunVersion) · scenario run\n"
        out += "Scenario : \(p.options[0].scenarioFile) — \(scenario.title)\n"
        out += "Baseline : \(p.options[0].baselineFile ?? scenario.baselineName) — \(scenario.baselineTitle)\n"
        out += "Data     : \(p.dataFile) (\(ReportNumberFormat.grouped(Double(p.households), decimals: 0)) households, \(ReportNumberFormat.grouped(Double(p.persons), decimals: 0)) persons, weighted \(ReportNumberFormat.grouped(record.weightedPersons, decimals: 0)) persons)\n"
        for line in DataPreparationOutput.lines(p.preparation) { out += line + "\n" }
        if let ageing = record.ageing { out += ageing.line + "\n" }
        out += "Year     : \(p.options[0].year.map(String.init) ?? "latest parameter values") · poverty line \(welfare.linesText(povertyLine: p.options[0].povertyLine)) · welfare: \(welfare.isDefault ? "per-capita household disposable income" : welfare.description)\n\n"
        var header = ["Indicator", "Unit", "Baseline", "Reform", "Change"]
        if bands != nil { header.append("Change 2.5%-97.5%") }
        var cells: [[String]] = [header]
        for (i, row) in rows.enumerated() {
            var line = [row.label, row.unit, Self.show(row.baseline, row.style, signed: false),
                        Self.show(row.reform, row.style, signed: false), Self.show(row.change, row.style, signed: true)]
            if let bands {
                line.append(Self.show(bands[i].change.low, row.style, signed: true) + " to " + Self.show(bands[i].change.high, row.style, signed: true))
            }
            cells.append(line)
        }
        let widths = (0..<header.count).map { col in cells.map { $0[col].count }.max()! }
        for (i, line) in cells.enumerated() {
            let text = line.enumerated().map { col, cell in
                col < 2 ? cell.padding(toLength: widths[col], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[col] - cell.count) + cell
            }.joined(separator: "  ")
            out += text + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\nShares are of persons (0.4412 = 44.12%). Money in the survey's currency. Change = reform − baseline.\n"
        if bands != nil {
            out += "Values are means over \(p.replications) replications (seed \(p.seed)); the band holds 95% of them.\n"
        } else {
            out += "Seed \(p.seed).\n"
        }
        if let statistics { out += statisticsTable(statistics) }
        return out
    }

    package static func show(_ x: Double, _ style: Style, signed: Bool) -> String {
        guard x.isFinite else { return "n/a" }
        let sign = signed && x > 0 ? "+" : ""
        switch style {
        case .money, .persons: return sign + ReportNumberFormat.grouped(x, decimals: 0)
        case .share, .index: return sign + String(format: "%.4f", x)
        }
    }

    // MARK: - CSV

    private func csv() -> String {
        var out = "indicator,unit,baseline,reform,change"
        if bands != nil {
            out += ",baseline_p2_5,baseline_p97_5,reform_p2_5,reform_p97_5,change_p2_5,change_p97_5"
        }
        out += "\n"
        for (i, row) in rows.enumerated() {
            out += "\(row.key),\(row.unit),\(JSONWriter.number(row.baseline)),\(JSONWriter.number(row.reform)),\(JSONWriter.number(row.change))"
            if let b = bands?[i] {
                out += [b.baseline.low, b.baseline.high, b.reform.low, b.reform.high, b.change.low, b.change.high]
                    .map { "," + JSONWriter.number($0) }.joined()
            }
            out += "\n"
        }
        if let statistics { out += statisticsCSV(statistics) }
        return out
    }

    // MARK: - JSON

    /// One column (baseline, reform or change) as a JSON object.
    private func systemJSON(_ value: KeyPath<Row, Double>, _ band: KeyPath<BandSet, Band>,
                            _ profile: KeyPath<WelfareComparison, WelfareProfile>) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = []
        for row in rows where !row.key.hasPrefix("component.") {
            fields.append((row.key, JSONWriter.Value.number(row[keyPath: value])))
        }
        var componentFields: [(String, JSONWriter.Value)] = []
        for part in record.components {
            var entry: [(String, JSONWriter.Value)] = [
                ("module", JSONWriter.Value.string(part.module)), ("kind", JSONWriter.Value.string(part.kind)),
            ]
            let prefix = "component.\(part.name)."
            for row in rows where row.key.hasPrefix(prefix) {
                entry.append((String(row.key.dropFirst(prefix.count)), JSONWriter.Value.number(row[keyPath: value])))
            }
            componentFields.append((part.name, JSONWriter.Value.object(entry)))
        }
        fields.append(("components", JSONWriter.Value.object(componentFields)))
        if let bands {
            var bandFields: [(String, JSONWriter.Value)] = []
            for (i, row) in rows.enumerated() {
                let x = bands[i][keyPath: band]
                bandFields.append((row.key, JSONWriter.Value.array([.number(x.low), .number(x.high)])))
            }
            fields.append(("bands_2_5_97_5", JSONWriter.Value.object(bandFields)))
        }
        if let statistics { fields += statisticsJSON(statistics.comparison[keyPath: profile], statistics) }
        return .object(fields)
    }

    private func json() -> String {
        let p = provenance
        let ageingJSON: JSONWriter.Value = record.ageing?.json ?? .null
        let doc: JSONWriter.Value = .object([
            ("provenance", p.runJSON(ageing: ageingJSON)),
            ("welfare", record.scenario.welfare.json(povertyLine: p.options[0].povertyLine)),
            ("scenario", .object([("title", .string(record.scenario.title)),
                                  ("baseline_system", .string(record.scenario.baselineName)),
                                  ("changed_components", .array(record.scenario.changedComponents.map { .string($0) }))])),
            ("baseline", systemJSON(\.baseline, \.baseline, \.baseline)),
            ("reform", systemJSON(\.reform, \.reform, \.reform)),
            ("change", systemJSON(\.change, \.change, \.change)),
        ] + (statistics.map(statisticsTopLevelJSON) ?? []))
        return JSONWriter.document(doc) + "\n"
    }
}

