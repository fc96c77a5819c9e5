import Foundation
import SimAnalysis
import SimKernel

/// `scenario run`'s statistics sections (with the statistics options): the
/// engine's profile of baseline, reform and change, by group, and the
/// incidence by decile of baseline welfare, appended after the run's own
/// output so that the output without them stays as it was (docs/output.md).
extension RunReport {
    /// The three systems: title, profile, whether values are a change.
    private func systems(_ s: RunStatisticsRecord) -> [(name: String, title: String, profile: WelfareProfile, change: Bool)] {
        let c = s.comparison
        let scenario = record.scenario
        return [("baseline", "Baseline: \(scenario.baselineName) — \(scenario.baselineTitle)", c.baseline, false),
                ("reform", "Reform: \(scenario.title)", c.reform, false),
                ("change", "Change (reform − baseline, paired)", c.change, true)]
    }

    private func layout(_ s: RunStatisticsRecord) -> StatsTables {
        StatsTables(options: s.options, withSE: s.inference != .none)
    }

    // MARK: - Table

    package func statisticsTable(_ s: RunStatisticsRecord) -> String {
        let t = layout(s)
        let options = s.options
        var out = "\nPoverty and inequality (statistics engine; definitions in docs/statistics.md)\n"
        out += "Welfare  : \(s.welfareDescription)\n"
        out += "Design   : \(s.designDescription) · SE: \(s.inference.description)\n"
        let relative = options.lines.contains { $0.isRelative } ? " (relative lines from each system's own welfare)" : ""
        let area = s.concept.lines.map { " (the first: each person's line by \($0.variable), other lines in proportion; docs/welfare.md)" } ?? ""
        out += "Options  : lines \(options.lines.map(\.description).joined(separator: ", "))\(area)\(relative) · quantiles \(options.quantileDefinition.rawValue) · \(PovertyLine.format(options.periodsPerYear)) welfare periods per year (poverty gap in money)\n"
        let systems = systems(s)
        for system in systems {
            let overall = system.profile.overall
            out += "\n\(system.title)\n" + t.indicatorTable(overall, lineValues: system.change ? nil : overall, signed: system.change)
        }
        for i in s.comparison.baseline.groups.indices {
            for system in systems {
                let groups = system.profile.groups[i]
                out += "\nBy \(groups.name), \(system.name)\n"
                    + t.groupTable(groups, lineValues: system.change ? nil : system.profile.overall, signed: system.change)
            }
        }
        out += "\nIncidence by decile of baseline welfare (Δ = reform − baseline welfare per person; point estimates)\n"
        var cells: [[String]] = [["Decile", "Population share", "Baseline mean", "Mean gain", "Gain %", "Share of gains",
                                  "Gaining", "Losing", "Unchanged"]]
        let incidence = s.comparison.incidence
        for (label, row) in zip((1...10).map(String.init) + ["All"], incidence.deciles + [incidence.total]) {
            cells.append([label, share(row.populationShare), StatsTables.show(row.baselineMean, unit: "welfare unit"),
                          StatsTables.show(row.meanGain, unit: "welfare unit", signed: true),
                          row.gainPercent.isFinite ? String(format: "%+.2f", row.gainPercent) : "n/a",
                          share(row.shareOfGains), share(row.gaining), share(row.losing), share(row.unchanged)])
        }
        out += StatsTables.align(cells)
        out += "Shares are fractions (0.4412 = 44.12%); money in the survey's currency per person per month"
            + (s.scale == .perCapita ? "" : " (per adult equivalent)") + ".\n"
        return out
    }

    private func share(_ x: Double) -> String { StatsTables.show(x, unit: "share") }

    // MARK: - JSON

    /// `indicators` and `by` of one system's object.
    package func statisticsJSON(_ profile: WelfareProfile, _ s: RunStatisticsRecord) -> [(String, JSONWriter.Value)] {
        let t = layout(s)
        return [("indicators", t.indicators(profile.overall)), ("by", t.by(profile))]
    }

    /// The top-level `statistics` (settings), `incidence` (deciles) and `incidence_total`.
    package func statisticsTopLevelJSON(_ s: RunStatisticsRecord) -> [(String, JSONWriter.Value)] {
        var fields: [(String, JSONWriter.Value)] = [
            ("welfare", .string(s.welfareDescription)),
            ("equivalence", .string(s.scale.description)),
            ("periods_per_year", .number(s.options.periodsPerYear)),
            ("quantile_definition", .string(s.options.quantileDefinition.rawValue)),
            ("lines", .array(s.options.lines.map { .string($0.key) })),
            ("inference", .string(s.inference.description)),
        ]
        if case .bootstrap(let b, let seed, let interval) = s.inference {
            fields += [("replicates", .number(Double(b))), ("bootstrap_seed", .number(Double(seed))),
                       ("bootstrap_ci", .string(interval.rawValue))]
        }
        func column(_ variable: String) -> JSONWriter.Value {
            zip(s.designVariables, s.designColumns).first { $0.0 == variable }.map { .string($0.1) } ?? .null
        }
        fields += [("strata", column("stratum")), ("psu", column("psu"))]
        if !s.designVariables.isEmpty { fields.append(("lonely_psu", .string(s.lonelyPSU.rawValue))) }
        fields += [("by", .array(s.by.map { .string($0) })),
                   ("age_bands", s.ageBands.map { .array($0.map { .string($0.description) }) } ?? .null)]
        let incidence = s.comparison.incidence
        return [
            ("statistics", .object(fields)),
            ("incidence", .array(incidence.deciles.enumerated().map { k, row in
                .object([("decile", .number(Double(k + 1)))] + Self.incidenceFields(row))
            })),
            ("incidence_total", .object(Self.incidenceFields(incidence.total))),
        ]
    }

    /// The fields of one incidence row, in order.
    package static func incidenceFields(_ row: Incidence.Row) -> [(String, JSONWriter.Value)] {
        incidenceColumns.map { key, _, value in (key, .number(value(row))) }
    }

    /// Key, unit and value of each incidence figure.
    package static let incidenceColumns: [(String, String, @Sendable (Incidence.Row) -> Double)] = [
        ("population_share", "share", { $0.populationShare }),
        ("baseline_mean", "welfare unit", { $0.baselineMean }),
        ("mean_gain", "welfare unit", { $0.meanGain }),
        ("gain_percent", "percent", { $0.gainPercent }),
        ("share_of_gains", "share", { $0.shareOfGains }),
        ("gaining", "share", { $0.gaining }),
        ("losing", "share", { $0.losing }),
        ("unchanged", "share", { $0.unchanged }),
    ]

    // MARK: - CSV

    /// Rows after the run's own, in the same columns: one per estimate of
    /// the engine (`indicators.gini`, `indicators.poverty.150.fgt0`,
    /// `by.region.1.gini`, with `.se`, `.ci95_lower` and `.ci95_upper` rows
    /// when SEs are asked), then the incidence (`incidence.1.mean_gain`,
    /// `incidence.total.mean_gain`) in the change column. Undefined values are empty.
    package func statisticsCSV(_ s: RunStatisticsRecord) -> String {
        let withSE = s.inference != .none
        let lines = s.options.lines
        let c = s.comparison
        let perCapita = s.concept.isDefault ? s.scale == .perCapita : s.concept.unit == .perCapita
        let welfareUnit = perCapita ? "currency/person/month" : "currency/adult equivalent/month"
        func unit(_ u: String) -> String {
            switch u {
            case "welfare unit": return welfareUnit
            case "currency per year": return "currency/year"
            default: return u
            }
        }
        func number(_ x: Double?) -> String { x.map { $0.isFinite ? JSONWriter.number($0) : "" } ?? "" }
        var out = ""
        func emit(_ key: String, _ unit: String, _ values: [String]) {
            out += ([key, unit] + values).map(StatsReport.csvField).joined(separator: ",") + "\n"
        }
        func rows(_ prefix: String, _ tables: [IndicatorTable]) {
            for (i, indicator) in tables[0].indicators.enumerated() {
                var key: String
                if let k = indicator.lineIndex {
                    key = "poverty.\(lines[k].key).\(indicator == .line(k) ? "z" : indicator.key)"
                } else if let position = indicator.position {
                    key = "\(StatsTables.family(of: indicator)).\(position)"
                } else {
                    key = indicator.key
                }
                key = prefix + key
                let estimates = tables.map { $0.estimates[i] }
                emit(key, unit(indicator.unit), estimates.map { number($0.value) })
                if withSE {
                    emit(key + ".se", unit(indicator.unit), estimates.map { number($0.se) })
                    emit(key + ".ci95_lower", unit(indicator.unit), estimates.map { number($0.ci95?.lower) })
                    emit(key + ".ci95_upper", unit(indicator.unit), estimates.map { number($0.ci95?.upper) })
                }
            }
        }
        rows("indicators.", [c.baseline.overall, c.reform.overall, c.change.overall])
        for (g, groups) in c.baseline.groups.enumerated() {
            for (j, label) in groups.labels.enumerated() {
                rows("by.\(groups.name).\(label).", [c.baseline, c.reform, c.change].map { $0.groups[g].tables[j] })
            }
        }
        for (label, row) in zip((1...10).map(String.init) + ["total"], c.incidence.deciles + [c.incidence.total]) {
            for (key, u, value) in Self.incidenceColumns {
                emit("incidence.\(label).\(key)", unit(u), ["", "", number(value(row))])
            }
        }
        return out
    }
}

extension RunStatisticsRecord {
    /// The design in words.
    package var designDescription: String {
        guard !designVariables.isEmpty else { return "one stratum, every household its own PSU" }
        var parts: [String] = []
        for (variable, column) in zip(designVariables, designColumns) {
            parts.append(variable == "stratum" ? "strata \(column) (\(strata))"
                : "PSUs \(column) (\(StatsTables.grouped(Double(psus), 0)))")
        }
        return parts.joined(separator: ", ")
    }
}
