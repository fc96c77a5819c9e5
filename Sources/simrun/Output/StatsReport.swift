import SimReport
import Foundation
import SimAnalysis
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
        if let size = roles.householdSize {
            let total = roles.householdTotal ? " (the household's total divided by the \(settings.scale) scale of \(size))" : ""
            return "\(roles.income)\(total), one row per household counting weight × \(size) persons"
        }
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

    /// The shared layout of profiles.
    var tables: StatsTables { StatsTables(options: settings.options, withSE: withSE) }

    // MARK: - Table

    func table() -> String {
        let o = profile.overall
        var out = "simrun \(Simrun.version) · stats\n"
        out += "Data     : \(file) (\(Self.grouped(Double(data.rows), 0)) rows, \(Self.grouped(Double(data.distribution.count), 0)) units, weighted \(Self.grouped(o.value(.population), 0)) persons)\n"
        for line in DataPreparationOutput.lines(data.preparation) { out += line + "\n" }
        out += "Welfare  : \(welfareDescription)\n"
        out += "Design   : \(designDescription) · SE: \(settings.inference.description)\n"
        out += "Options  : quantiles \(settings.options.quantileDefinition.rawValue) · \(PovertyLine.format(settings.options.periodsPerYear)) welfare periods per year (poverty gap in money)\n\n"
        out += tables.indicatorTable(o, lineValues: o)
        for groups in profile.groups { out += "\nBy \(groups.name)\n" + tables.groupTable(groups, lineValues: o) }
        return out
    }

    static func show(_ x: Double, unit: String, se: Bool = false) -> String { StatsTables.show(x, unit: unit, se: se) }

    static func grouped(_ x: Double, _ decimals: Int) -> String { StatsTables.grouped(x, decimals) }
}
