import Foundation
import SimAnalysis
import SimKernel

/// The results of `simrun stats` laid out for output: a table for people,
/// JSON for programs, CSV for spreadsheets (see docs/output.md). Nothing
/// here computes a statistic; every number comes from the `WelfareProfile`.
package struct StatsReport {
    package let profile: WelfareProfile
    package let data: WelfareFile
    package let roles: WelfareFile.Columns
    package let settings: StatsSettings
    package let file: String
    package let columnMap: String?

    package func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .table: return table()
        case .json: return try json()
        case .csv: return csv()
        }
    }

    package var withSE: Bool { settings.inference != .none }

    /// How the welfare variable was built, in words.
    package var welfareDescription: String {
        if let size = roles.householdSize {
            let total = roles.householdTotal ? " (the household's total divided by the \(settings.scale) scale of \(size))" : ""
            return "\(roles.income)\(total), one row per household counting weight × \(size) persons"
        }
        guard let household = roles.household else { return "\(roles.income), one row per unit" }
        return "household sum of \(roles.income) over \(household), divided by the \(settings.scale) scale"
    }

    /// The design in words.
    package var designDescription: String {
        var parts: [String] = []
        if let s = roles.stratum { parts.append("strata \(s) (\(data.design.stratumCount))") }
        if let p = roles.psu { parts.append("PSUs \(p) (\(Self.grouped(Double(data.design.psuCount), 0)))") }
        if parts.isEmpty { parts.append("one stratum, every unit its own PSU") }
        return parts.joined(separator: ", ")
    }

    /// The shared layout of profiles.
    package var tables: StatsTables { StatsTables(options: settings.options, withSE: withSE) }

    // MARK: - Table

    package func table() -> String {
        let o = profile.overall
        var out = "simrun \(SimrunVersion.current) · stats\n"
        out += "Data     : \(file) (\(Self.grouped(Double(data.rows), 0)) rows, \(Self.grouped(Double(data.distribution.count), 0)) units, weighted \(Self.grouped(o.value(.population), 0)) persons)\n"
        for line in DataPreparationOutput.lines(data.preparation) { out += line + "\n" }
        out += "Welfare  : \(welfareDescription)\n"
        out += "Design   : \(designDescription) · SE: \(settings.inference.description)\n"
        out += "Options  : quantiles \(settings.options.quantileDefinition.rawValue) · \(PovertyLine.format(settings.options.periodsPerYear)) welfare periods per year (poverty gap in money)\n\n"
        out += tables.indicatorTable(o, lineValues: o)
        for groups in profile.groups { out += "\nBy \(groups.name)\n" + tables.groupTable(groups, lineValues: o) }
        return out
    }

    package static func show(_ x: Double, unit: String, se: Bool = false) -> String { StatsTables.show(x, unit: unit, se: se) }

    package static func grouped(_ x: Double, _ decimals: Int) -> String { StatsTables.grouped(x, decimals) }

    /// The report of a `StatsResult` (what `StatsRequest/run(progress:lap:)` returns).
    package init(_ result: StatsResult) {
        self.init(profile: result.profile, data: result.data, roles: result.roles, settings: result.settings,
                  file: result.file, columnMap: result.columnMapFile)
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(profile: WelfareProfile, data: WelfareFile, roles: WelfareFile.Columns, settings: StatsSettings, file: String, columnMap: String?) {
        self.profile = profile
        self.data = data
        self.roles = roles
        self.settings = settings
        self.file = file
        self.columnMap = columnMap
    }
}
