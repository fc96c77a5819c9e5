import Foundation
import SimAnalysis
import SimKernel

/// The results of `scenario run` laid out for output: one row per
/// indicator with baseline, reform and change, in a fixed order.
package struct RunReport {
    /// How a row's numbers are shown in the table.
    package enum Style { case money, persons, share, index }

    package struct Row {
        package let key: String
        package let label: String
        package let unit: String
        package let style: Style
        package let baseline: Double
        package let reform: Double
        package let change: Double
    }

    /// The 2.5 and 97.5 percentiles of a figure across replications.
    package struct Band {
        package let low: Double
        package let high: Double
    }

    /// The first replication's run (for titles and structure).
    package let run: ScenarioRun
    package let provenance: Provenance
    /// How the survey was aged to the simulated year (`--age-survey`), or `nil`.
    package let ageing: AgeingOutput?
    /// Each figure's value: the mean across replications (the value itself with one).
    package let rows: [Row]
    /// Per row, the bands of baseline, reform and change (only with more than one replication).
    package let bands: [BandSet]?
    /// The statistics engine's profile of baseline, reform and change (only with the statistics options).
    package let statistics: RunStatistics?

    /// A row's bands for the three columns.
    package struct BandSet {
        package let baseline: Band
        package let reform: Band
        package let change: Band
    }

    package init(runs: [ScenarioRun], provenance: Provenance, ageing: AgeingOutput? = nil, statistics: RunStatistics? = nil) {
        self.ageing = ageing
        precondition(!runs.isEmpty, "a report needs at least one run")
        self.run = runs[0]
        self.provenance = provenance
        self.statistics = statistics
        let perRun = runs.map(Self.rows(of:))
        if runs.count == 1 {
            rows = perRun[0]
            bands = nil
            return
        }
        var rows: [Row] = []
        var bands: [BandSet] = []
        for (i, template) in perRun[0].enumerated() {
            let column = perRun.map { $0[i] }
            let baseline = ReplicationSummary(column.map(\.baseline))
            let reform = ReplicationSummary(column.map(\.reform))
            let change = ReplicationSummary(column.map(\.change))
            rows.append(Row(key: template.key, label: template.label, unit: template.unit, style: template.style,
                            baseline: baseline.mean, reform: reform.mean, change: change.mean))
            bands.append(BandSet(baseline: Band(low: baseline.low, high: baseline.high),
                                 reform: Band(low: reform.low, high: reform.high),
                                 change: Band(low: change.low, high: change.high)))
        }
        self.rows = rows
        self.bands = bands
    }

    /// " (in state_cost_annual)" or " (in fund_contributions_annual)" for a counter that is part of that total.
    package static func counterRole(_ run: ScenarioRun, _ component: String, _ counter: String) -> String {
        for outcome in [run.outcomes.reform, run.outcomes.baseline] {
            guard let c = outcome.components.first(where: { $0.name == component }) else { continue }
            if c.stateCostCounters.contains(counter) { return " (in state_cost_annual)" }
            if c.fundContributionCounters.contains(counter) { return " (in fund_contributions_annual)" }
            return ""
        }
        return ""
    }

    /// The rows of one run, in a fixed order.
    package static func rows(of run: ScenarioRun) -> [Row] {
        let b = run.baseline, r = run.reform, c = run.change
        // The poverty and inequality rows' unit names a declared welfare concept (docs/welfare.md),
        // so that the CSV, which has no header lines, says what they measure too.
        let concept = run.scenario.welfare
        let of = concept.isDefault ? "" : "; \(concept.shortName)"
        var rows: [Row] = [
            Row(key: "cost_annual", label: "Annual cost of benefits paid to households", unit: "currency/year", style: .money,
                baseline: b.costAnnual, reform: r.costAnnual, change: c.costAnnual),
            Row(key: "state_cost_annual", label: "Annual state costs not paid to households", unit: "currency/year", style: .money,
                baseline: b.stateCostAnnual, reform: r.stateCostAnnual, change: c.stateCostAnnual),
            Row(key: "revenue_annual", label: "Annual budget revenue (taxes, contributions)", unit: "currency/year", style: .money,
                baseline: b.revenueAnnual, reform: r.revenueAnnual, change: c.revenueAnnual),
            Row(key: "fund_contributions_annual", label: "Annual contributions to social insurance funds", unit: "currency/year", style: .money,
                baseline: b.fundContributionsAnnual, reform: r.fundContributionsAnnual, change: c.fundContributionsAnnual),
            Row(key: "beneficiaries", label: "Beneficiaries", unit: "persons", style: .persons,
                baseline: b.beneficiaries, reform: r.beneficiaries, change: c.beneficiaries),
            Row(key: "fgt0", label: "Poverty headcount FGT(0)", unit: "fraction of persons" + of, style: .share,
                baseline: b.fgt0, reform: r.fgt0, change: c.fgt0),
            Row(key: "fgt1", label: "Poverty gap FGT(1)", unit: "index" + of, style: .share,
                baseline: b.fgt1, reform: r.fgt1, change: c.fgt1),
            Row(key: "fgt2", label: "Poverty severity FGT(2)", unit: "index" + of, style: .share,
                baseline: b.fgt2, reform: r.fgt2, change: c.fgt2),
            Row(key: "gini", label: "Gini coefficient", unit: "index" + of, style: .index,
                baseline: b.gini, reform: r.gini, change: c.gini),
            Row(key: "mean_income", label: concept.meanLabel,
                unit: (concept.unit == .perCapita ? "currency/person/month" : "currency/adult equivalent/month") + of, style: .money,
                baseline: b.meanIncome, reform: r.meanIncome, change: c.meanIncome),
        ]
        for part in c.components {
            let bp = b.components.first { $0.name == part.name }
            let rp = r.components.first { $0.name == part.name }
            // Which total the row is part of: the rows of each total add up to it.
            let what = part.kind == .benefit ? "cost, in cost_annual"
                : part.budgetRevenue ? "revenue, in revenue_annual" : "paid to a fund, not budget revenue"
            rows.append(Row(key: "component.\(part.name).annual_amount", label: "\(part.name) (\(part.kind.rawValue)): \(what)",
                            unit: "currency/year", style: .money,
                            baseline: bp?.annualAmount ?? 0, reform: rp?.annualAmount ?? 0, change: part.annualAmount))
            rows.append(Row(key: "component.\(part.name).persons", label: "\(part.name): \(part.kind == .benefit ? "recipients" : "payers")",
                            unit: "persons", style: .persons,
                            baseline: bp?.persons ?? 0, reform: rp?.persons ?? 0, change: part.persons))
            rows.append(Row(key: "component.\(part.name).households", label: "\(part.name): households",
                            unit: "households", style: .persons,
                            baseline: bp?.households ?? 0, reform: rp?.households ?? 0, change: part.households))
            for counter in part.counters {
                func total(_ t: SystemIndicators.ComponentTotals?) -> Double { t?.counters.first { $0.name == counter.name }?.total ?? 0 }
                // Convention (docs/writing-a-scenario.md): a counter named `*_annual` is money per year.
                let money = counter.name.hasSuffix("_annual")
                rows.append(Row(key: "component.\(part.name).\(counter.name)", label: "\(part.name): \(counter.name)\(Self.counterRole(run, part.name, counter.name))",
                                unit: money ? "currency/year" : "weighted count", style: money ? .money : .persons,
                                baseline: total(bp), reform: total(rp), change: counter.total))
            }
        }
        return rows
    }

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
        let welfare = run.scenario.welfare
        var out = "simrun \(p.simrunVersion) · scenario run\n"
        out += "Scenario : \(p.options[0].scenarioFile) — \(run.scenario.title)\n"
        out += "Baseline : \(p.options[0].baselineFile ?? run.scenario.baseline.name) — \(run.scenario.baseline.title)\n"
        out += "Data     : \(p.dataFile) (\(ReportNumberFormat.grouped(Double(p.households), decimals: 0)) households, \(ReportNumberFormat.grouped(Double(p.persons), decimals: 0)) persons, weighted \(ReportNumberFormat.grouped(run.baseline.weightedPersons, decimals: 0)) persons)\n"
        for line in DataPreparationOutput.lines(p.preparation) { out += line + "\n" }
        if let ageing { out += ageing.line + "\n" }
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
        for part in run.change.components {
            var entry: [(String, JSONWriter.Value)] = [
                ("module", JSONWriter.Value.string(part.module)), ("kind", JSONWriter.Value.string(part.kind.rawValue)),
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
        let ageingJSON: JSONWriter.Value = ageing?.json ?? .null
        let doc: JSONWriter.Value = .object([
            ("provenance", p.runJSON(ageing: ageingJSON)),
            ("welfare", run.scenario.welfare.json(povertyLine: p.options[0].povertyLine)),
            ("scenario", .object([("title", .string(run.scenario.title)),
                                  ("baseline_system", .string(run.scenario.baseline.name)),
                                  ("changed_components", .array(run.scenario.changedComponents.map { .string($0) }))])),
            ("baseline", systemJSON(\.baseline, \.baseline, \.baseline)),
            ("reform", systemJSON(\.reform, \.reform, \.reform)),
            ("change", systemJSON(\.change, \.change, \.change)),
        ] + (statistics.map(statisticsTopLevelJSON) ?? []))
        return JSONWriter.document(doc) + "\n"
    }
}

