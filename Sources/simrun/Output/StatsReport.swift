import Foundation
import SimKernel

/// The results of `simrun stats` laid out for output: a table for people,
/// JSON for programs, CSV for spreadsheets (see docs/output.md). Nothing
/// here computes a statistic; every number comes from the ``WelfareProfile``.
struct StatsReport {
    let profile: WelfareProfile
    let data: WelfareFile
    let roles: WelfareFile.Columns
    let settings: StatsSettings
    let file: String
    let columnMap: String?

    func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .table: return table()
        case .json: return try json()
        case .csv: return csv()
        }
    }

    var withSE: Bool { settings.inference != .none }

    /// How the welfare variable was built, in words.
    var welfareDescription: String {
        guard let household = roles.household else { return "\(roles.income), one row per unit" }
        return "household sum of \(roles.income) over \(household), divided by the \(settings.scale) scale"
    }

    /// The design in words.
    var designDescription: String {
        var parts: [String] = []
        if let s = roles.stratum { parts.append("strata \(s) (\(data.design.stratumCount))") }
        if let p = roles.psu { parts.append("PSUs \(p) (\(Self.grouped(Double(data.design.psuCount), 0)))") }
        if parts.isEmpty { parts.append("one stratum, every unit its own PSU") }
        return parts.joined(separator: ", ")
    }

    /// A line's label: `0.6 median = 10,859.24` or `10000`.
    func lineLabel(_ k: Int, in table: IndicatorTable) -> String {
        let line = settings.options.lines[k]
        var label = line.isRelative ? "\(line) = \(Self.show(table.value(.line(k)), unit: "welfare unit"))" : "\(line)"
        if line.isAtRiskOfPovertyThreshold { label += " (EU-SILC at-risk-of-poverty threshold)" }
        return label
    }

    // MARK: - Table

    func table() -> String {
        let o = profile.overall
        var out = "simrun \(Simrun.version) · stats\n"
        out += "Data     : \(file) (\(Self.grouped(Double(data.rows), 0)) rows, \(Self.grouped(Double(data.distribution.count), 0)) units, weighted \(Self.grouped(o.value(.population), 0)) persons)\n"
        out += "Welfare  : \(welfareDescription)\n"
        out += "Design   : \(designDescription) · SE: \(settings.inference.description)\n"
        out += "Options  : quantiles \(settings.options.quantileDefinition.rawValue) · \(PovertyLine.format(settings.options.periodsPerYear)) welfare periods per year (poverty gap in money)\n\n"
        var cells: [[String]] = [withSE ? ["Indicator", "Value", "SE", "95% CI"] : ["Indicator", "Value"]]
        var currentLine: Int? = nil
        for (indicator, estimate) in o.rows {
            if let k = indicator.lineIndex, k != currentLine {
                currentLine = k
                cells.append(["Poverty line \(lineLabel(k, in: o))"])
            }
            var label = (indicator.lineIndex == nil ? "" : "  ") + indicator.label
            if let k = indicator.lineIndex, settings.options.lines[k].isAtRiskOfPovertyThreshold {
                if case .fgt(0, _) = indicator { label += " = ARPR" }
                if case .line = indicator { label += " = ARPT" }
                if case .medianPovertyGap = indicator { label += " = RMPG" }
            }
            cells.append([label] + cellValues(estimate, unit: indicator.unit))
        }
        out += Self.align(cells)
        for groups in profile.groups { out += "\nBy \(groups.name)\n" + groupTable(groups) }
        return out
    }

    /// The value, SE and CI columns of one estimate.
    func cellValues(_ e: Estimate, unit: String) -> [String] {
        let value = Self.show(e.value, unit: unit)
        guard withSE else { return [value] }
        let se = e.se.map { Self.show($0, unit: unit, se: true) } ?? "—"
        let ci = e.ci95.map { "\(Self.show($0.lower, unit: unit)) to \(Self.show($0.upper, unit: unit))" } ?? ""
        return [value, se, ci]
    }

    /// Per group the headline indicators, then per poverty line FGT(α) and
    /// the contributions to the national FGT(α); SEs in parentheses.
    func groupTable(_ groups: GroupTables) -> String {
        var out = groupRows(groups, [("Share of population", .populationShare), ("Mean", .mean), ("Median", .median), ("Gini", .gini)])
        for k in settings.options.lines.indices {
            out += "  at poverty line \(lineLabel(k, in: profile.overall)) (national)\n"
            let alphas = settings.options.fgtAlphas
            out += groupRows(groups, alphas.map { ("FGT(\(PovertyLine.format($0)))", .fgt(alpha: $0, line: k)) }
                + alphas.map { ("Contribution FGT(\(PovertyLine.format($0)))", .fgtContribution(alpha: $0, line: k)) })
        }
        return out
    }

    private func groupRows(_ groups: GroupTables, _ columns: [(String, Indicator)]) -> String {
        var cells: [[String]] = [["Group"] + columns.map(\.0)]
        for (label, table) in zip(groups.labels, groups.tables) {
            cells.append([label] + columns.map { _, indicator in
                guard let e = table[indicator] else { return "" }
                let value = Self.show(e.value, unit: indicator.unit)
                guard withSE, let se = e.se else { return value }
                return "\(value) (\(Self.show(se, unit: indicator.unit, se: true)))"
            })
        }
        return Self.align(cells)
    }

    /// Left-aligned first column, right-aligned others, two spaces apart; a
    /// row of one cell is a section heading and does not widen the columns.
    static func align(_ rows: [[String]]) -> String {
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
    /// (0 for persons and money per year), shares and indices with 4 (SEs one more).
    static func show(_ x: Double, unit: String, se: Bool = false) -> String {
        guard x.isFinite else { return "n/a" }
        switch unit {
        case "persons", "currency per year": return grouped(x, 0)
        case "welfare unit": return grouped(x, 2)
        default: return String(format: se ? "%.5f" : "%.4f", x)
        }
    }

    /// `x` with `decimals` decimals and a comma every three digits.
    static func grouped(_ x: Double, _ decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(x))
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0])
        var i = digits.count - 3
        while i > 0 {
            digits.insert(",", at: i)
            i -= 3
        }
        let sign = x < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + String(digits) + (parts.count > 1 ? "." + parts[1] : "")
    }
}
