import Foundation
import SimAnalysis
import SimKernel

/// How one `WelfareProfile` is shown: the indicator table, the tables by
/// group, and the JSON objects. Shared by `simrun stats` (``StatsReport``)
/// and `simrun scenario run` (``RunReport``'s statistics sections), so that
/// an indicator reads the same in both. Nothing here computes a statistic.
package struct StatsTables {
    /// What was computed (lines, FGT parameters).
    package let options: IndicatorOptions
    /// Whether SEs and CIs are shown.
    package let withSE: Bool

    /// A line's label: `0.6 median = 10,859.24` or `10000`.
    ///
    /// - Parameters:
    ///   - k: The line's index in the indicator options' lines.
    ///   - table: Where a relative line's value is read; `nil` for none (a change).
    package func lineLabel(_ k: Int, in table: IndicatorTable?) -> String {
        let line = options.lines[k]
        var label = "\(line)"
        if line.isRelative, let table { label += " = \(Self.show(table.value(.line(k)), unit: "welfare unit"))" }
        if line.isAtRiskOfPovertyThreshold { label += " (EU-SILC at-risk-of-poverty threshold)" }
        return label
    }

    // MARK: - Tables

    /// One row per indicator with value (SE and 95% CI with ``withSE``),
    /// poverty indicators under a heading per line.
    ///
    /// - Parameters:
    ///   - table: The estimates shown.
    ///   - lineValues: The table relative lines' values are read from (`nil`: not shown).
    ///   - signed: Whether values carry a `+` (a change).
    package func indicatorTable(_ table: IndicatorTable, lineValues: IndicatorTable?, signed: Bool = false) -> String {
        var cells: [[String]] = [withSE ? ["Indicator", "Value", "SE", "95% CI"] : ["Indicator", "Value"]]
        var currentLine: Int? = nil
        for (indicator, estimate) in table.rows {
            if let k = indicator.lineIndex, k != currentLine {
                currentLine = k
                cells.append(["Poverty line \(lineLabel(k, in: lineValues))"])
            }
            var label = (indicator.lineIndex == nil ? "" : "  ") + indicator.label
            if let k = indicator.lineIndex, options.lines[k].isAtRiskOfPovertyThreshold {
                if case .fgt(0, _) = indicator { label += " = ARPR" }
                if case .line = indicator { label += " = ARPT" }
                if case .medianPovertyGap = indicator { label += " = RMPG" }
            }
            cells.append([label] + cellValues(estimate, unit: indicator.unit, signed: signed))
        }
        return Self.align(cells)
    }

    /// The value, SE and CI columns of one estimate.
    package func cellValues(_ e: Estimate, unit: String, signed: Bool = false) -> [String] {
        let value = Self.show(e.value, unit: unit, signed: signed)
        guard withSE else { return [value] }
        let se = e.se.map { Self.show($0, unit: unit, se: true) } ?? "—"
        let ci = e.ci95.map { "\(Self.show($0.lower, unit: unit, signed: signed)) to \(Self.show($0.upper, unit: unit, signed: signed))" } ?? ""
        return [value, se, ci]
    }

    /// Per group the headline indicators, then per poverty line FGT(α) and
    /// the contributions to the national FGT(α); SEs in parentheses.
    package func groupTable(_ groups: GroupTables, lineValues: IndicatorTable?, signed: Bool = false) -> String {
        var out = groupRows(groups, [("Share of population", .populationShare), ("Mean", .mean), ("Median", .median), ("Gini", .gini)],
                            signed: signed)
        for k in options.lines.indices {
            out += "  at poverty line \(lineLabel(k, in: lineValues)) (national)\n"
            let alphas = options.fgtAlphas
            out += groupRows(groups, alphas.map { ("FGT(\(PovertyLine.format($0)))", .fgt(alpha: $0, line: k)) }
                + alphas.map { ("Contribution FGT(\(PovertyLine.format($0)))", .fgtContribution(alpha: $0, line: k)) },
                signed: signed)
        }
        return out
    }

    private func groupRows(_ groups: GroupTables, _ columns: [(String, Indicator)], signed: Bool) -> String {
        var cells: [[String]] = [["Group"] + columns.map(\.0)]
        for (label, table) in zip(groups.labels, groups.tables) {
            cells.append([label] + columns.map { _, indicator in
                guard let e = table[indicator] else { return "" }
                let value = Self.show(e.value, unit: indicator.unit, signed: signed)
                guard withSE, let se = e.se else { return value }
                return "\(value) (\(Self.show(se, unit: indicator.unit, se: true)))"
            })
        }
        return Self.align(cells)
    }

    /// Left-aligned first column, right-aligned others, two spaces apart; a
    /// row of one cell is a section heading and does not widen the columns.
    package static func align(_ rows: [[String]]) -> String {
        let n = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: n)
        for row in rows where row.count > 1 { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { row in
            row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return i == 0 ? c + pad : pad + c
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// A number for people: money with thousands separators and 2 decimals
    /// (0 for persons and money per year), shares and indices with 4 (SEs
    /// one more); with `signed`, a `+` before a positive value.
    package static func show(_ x: Double, unit: String, se: Bool = false, signed: Bool = false) -> String {
        guard x.isFinite else { return "n/a" }
        let text: String
        switch unit {
        case "persons", "currency per year": text = grouped(x, 0)
        case "welfare unit": text = grouped(x, 2)
        default: text = String(format: se ? "%.5f" : "%.4f", x)
        }
        return signed && x > 0 && text.contains(where: { $0 >= "1" && $0 <= "9" }) ? "+" + text : text
    }

    /// `x` with `decimals` decimals and a comma every three digits.
    package static func grouped(_ x: Double, _ decimals: Int) -> String { ReportNumberFormat.grouped(x, decimals: decimals) }

    // MARK: - JSON

    /// `{"value": x}`, plus `"se"` and `"ci95"` with ``withSE``.
    package func estimate(_ e: Estimate) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [("value", .number(e.value))]
        if withSE {
            fields.append(("se", e.se.map { .number($0) } ?? .null))
            fields.append(("ci95", e.ci95.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null))
        }
        return .object(fields)
    }

    /// One table as JSON: scalars under their keys, families (quantiles,
    /// decile shares...) grouped at their first member, EU-SILC aliases, and
    /// one object per poverty line under `poverty`.
    package func indicators(_ table: IndicatorTable) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = []
        var families: [String: [(String, JSONWriter.Value)]] = [:]
        var familyOrder: [String] = []
        var lines = [[(String, JSONWriter.Value)]](repeating: [], count: options.lines.count)
        for (indicator, e) in table.rows {
            if let k = indicator.lineIndex {
                lines[k].append((indicator == .line(k) ? "z" : indicator.key, estimate(e)))
            } else if let position = indicator.position {
                let family = Self.family(of: indicator)
                if families[family] == nil {
                    familyOrder.append(family)
                    fields.append((family, .null))  // placeholder, filled below
                }
                families[family, default: []].append((position, estimate(e)))
            } else {
                fields.append((indicator.key, estimate(e)))
            }
        }
        fields = fields.map { key, value in
            guard let members = families[key] else { return (key, value) }
            return (key, key == "quantiles" ? .object(members) : .array(members.map(\.1)))
        }
        if let k = options.atRiskOfPovertyLine {
            fields.append(("arpt", estimate(table[.line(k)]!)))
            fields.append(("arpr", estimate(table[.fgt(alpha: 0, line: k)] ?? Estimate(value: .nan))))
            fields.append(("rmpg", estimate(table[.medianPovertyGap(line: k)]!)))
        }
        let poverty: [JSONWriter.Value] = options.lines.enumerated().map { k, line in
            var head: [(String, JSONWriter.Value)] = [("line", .string(line.key))]
            switch line {
            case .absolute: head.append(("kind", .string("absolute")))
            case .relative(let share, let reference):
                head += [("kind", .string("relative")), ("share", .number(share)), ("of", .string(reference.rawValue))]
            }
            return .object(head + lines[k])
        }
        return .object(fields + [("poverty", .array(poverty))])
    }

    /// The JSON key of an indexed family: `quantiles`, `decile_shares`, ...
    package static func family(of indicator: Indicator) -> String {
        indicator.key == "quantile" ? "quantiles" : indicator.key + "s"
    }

    /// Every grouping of `profile`: `{grouping: {label: indicators}}`.
    package func by(_ profile: WelfareProfile) -> JSONWriter.Value {
        .object(profile.groups.map { groups in
            (groups.name, .object(zip(groups.labels, groups.tables).map { ($0, indicators($1)) }))
        })
    }
}
