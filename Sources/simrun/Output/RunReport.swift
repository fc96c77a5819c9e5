import Foundation
import SimKernel

/// The results of `scenario run` laid out for output: one row per
/// indicator with baseline, reform and change, in a fixed order.
struct RunReport {
    /// How a row's numbers are shown in the table.
    enum Style { case money, persons, share, index }

    struct Row {
        let key: String
        let label: String
        let unit: String
        let style: Style
        let baseline: Double
        let reform: Double
        let change: Double
    }

    let run: ScenarioRun
    let provenance: Provenance
    let rows: [Row]

    init(run: ScenarioRun, provenance: Provenance) {
        self.run = run
        self.provenance = provenance
        let b = run.baseline, r = run.reform, c = run.change
        var rows: [Row] = [
            Row(key: "cost_annual", label: "Annual cost of benefits", unit: "currency/year", style: .money,
                baseline: b.costAnnual, reform: r.costAnnual, change: c.costAnnual),
            Row(key: "revenue_annual", label: "Annual taxes and contributions", unit: "currency/year", style: .money,
                baseline: b.revenueAnnual, reform: r.revenueAnnual, change: c.revenueAnnual),
            Row(key: "beneficiaries", label: "Beneficiaries", unit: "persons", style: .persons,
                baseline: b.beneficiaries, reform: r.beneficiaries, change: c.beneficiaries),
            Row(key: "fgt0", label: "Poverty headcount FGT(0)", unit: "share of persons", style: .share,
                baseline: b.fgt0, reform: r.fgt0, change: c.fgt0),
            Row(key: "fgt1", label: "Poverty gap FGT(1)", unit: "index", style: .share,
                baseline: b.fgt1, reform: r.fgt1, change: c.fgt1),
            Row(key: "fgt2", label: "Poverty severity FGT(2)", unit: "index", style: .share,
                baseline: b.fgt2, reform: r.fgt2, change: c.fgt2),
            Row(key: "gini", label: "Gini coefficient", unit: "index", style: .index,
                baseline: b.gini, reform: r.gini, change: c.gini),
            Row(key: "mean_income", label: "Mean disposable income", unit: "currency/person/month", style: .money,
                baseline: b.meanIncome, reform: r.meanIncome, change: c.meanIncome),
        ]
        for part in c.components {
            let bp = b.components.first { $0.name == part.name }
            let rp = r.components.first { $0.name == part.name }
            let what = part.kind == .benefit ? "cost" : "revenue"
            rows.append(Row(key: "component.\(part.name).annual_amount", label: "\(part.name) (\(part.kind.rawValue)): \(what)",
                            unit: "currency/year", style: .money,
                            baseline: bp?.annualAmount ?? 0, reform: rp?.annualAmount ?? 0, change: part.annualAmount))
            rows.append(Row(key: "component.\(part.name).persons", label: "\(part.name): \(part.kind == .benefit ? "recipients" : "payers")",
                            unit: "persons", style: .persons,
                            baseline: bp?.persons ?? 0, reform: rp?.persons ?? 0, change: part.persons))
        }
        self.rows = rows
    }

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return json()
        case .csv: return csv()
        }
    }

    // MARK: - Table

    private func table() -> String {
        let p = provenance
        var out = "simrun \(p.simrunVersion) · scenario run\n"
        out += "Scenario : \(p.scenarioFile) — \(run.scenario.title)\n"
        out += "Baseline : \(p.baselineFile ?? run.scenario.baseline.name) — \(run.scenario.baseline.title)\n"
        out += "Data     : \(p.dataFile) (\(Self.grouped(Double(p.households), decimals: 0)) households, \(Self.grouped(Double(p.persons), decimals: 0)) persons, weighted \(Self.grouped(run.baseline.weightedPersons, decimals: 0)) persons)\n"
        out += "Year     : \(p.year.map(String.init) ?? "latest parameter values") · poverty line \(Self.grouped(p.povertyLine, decimals: 2)) per person per month · welfare: per-capita household disposable income\n\n"
        let header = ["Indicator", "Unit", "Baseline", "Reform", "Change"]
        var cells: [[String]] = [header]
        for row in rows {
            cells.append([row.label, row.unit, Self.show(row.baseline, row.style, signed: false),
                          Self.show(row.reform, row.style, signed: false), Self.show(row.change, row.style, signed: true)])
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
        return out
    }

    static func show(_ x: Double, _ style: Style, signed: Bool) -> String {
        guard x.isFinite else { return "n/a" }
        let sign = signed && x > 0 ? "+" : ""
        switch style {
        case .money, .persons: return sign + grouped(x, decimals: 0)
        case .share, .index: return sign + String(format: "%.4f", x)
        }
    }

    /// `x` with `decimals` decimals and thousands separators (12,345,678.90).
    static func grouped(_ x: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(x))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0])
        var groupedDigits: [Character] = []
        while digits.count > 3 {
            groupedDigits = [","] + digits.suffix(3) + groupedDigits
            digits.removeLast(3)
        }
        var result = String(digits + groupedDigits)
        if parts.count > 1 { result += "." + parts[1] }
        let negative = x < 0 && text.contains(where: { $0 != "0" && $0 != "." })
        return (negative ? "-" : "") + result
    }

    // MARK: - CSV

    private func csv() -> String {
        var out = "indicator,unit,baseline,reform,change\n"
        for row in rows {
            out += "\(row.key),\(row.unit),\(JSONWriter.number(row.baseline)),\(JSONWriter.number(row.reform)),\(JSONWriter.number(row.change))\n"
        }
        return out
    }

    // MARK: - JSON

    private func json() -> String {
        func system(_ pick: (Row) -> Double, _ indicators: SystemIndicators) -> JSONWriter.Value {
            var fields: [(String, JSONWriter.Value)] = rows.filter { !$0.key.hasPrefix("component.") }.map { ($0.key, .number(pick($0))) }
            fields.append(("components", .object(indicators.components.map { c in
                (c.name, .object([("module", .string(c.module)), ("kind", .string(c.kind.rawValue)),
                                  ("annual_amount", .number(c.annualAmount)), ("persons", .number(c.persons))]))
            })))
            return .object(fields)
        }
        let p = provenance
        let doc: JSONWriter.Value = .object([
            ("provenance", .object([
                ("simrun_version", .string(p.simrunVersion)),
                ("data_file", .string(p.dataFile)), ("data_sha256", .string(p.dataSHA256)),
                ("scenario_file", .string(p.scenarioFile)), ("scenario_sha256", .string(p.scenarioSHA256)),
                ("baseline_file", p.baselineFile.map { .string($0) } ?? .null),
                ("baseline_sha256", p.baselineSHA256.map { .string($0) } ?? .null),
                ("column_map_file", p.columnMapFile.map { .string($0) } ?? .null),
                ("column_map_sha256", p.columnMapSHA256.map { .string($0) } ?? .null),
                ("households", .number(Double(p.households))), ("persons", .number(Double(p.persons))),
                ("year", p.year.map { .number(Double($0)) } ?? .null),
                ("poverty_line", .number(p.povertyLine)),
                ("welfare", .string("per-capita household disposable income, currency per person per month")),
            ])),
            ("scenario", .object([("title", .string(run.scenario.title)),
                                  ("baseline_system", .string(run.scenario.baseline.name)),
                                  ("changed_components", .array(run.scenario.changedComponents.map { .string($0) }))])),
            ("baseline", system({ $0.baseline }, run.baseline)),
            ("reform", system({ $0.reform }, run.reform)),
            ("change", system({ $0.change }, run.change)),
        ])
        return JSONWriter.render(doc) + "\n"
    }
}

