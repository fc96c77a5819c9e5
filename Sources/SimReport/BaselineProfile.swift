import SimAnalysis
import SimKernel

/// Poverty and inequality today: the baseline's profile for the report, for the whole
/// population, by age group and by area.
///
/// Computed by the same code and settings as `scenario run FILE --by AREA` (and
/// `simrun stats`): `RunStatistics` with the options `scenario run` parses, the scenario's
/// poverty line first, so every figure equals that command's `baseline` figures
/// (`indicators`, `by.<area>`, `by.age`). It describes the first option's baseline (all
/// options share it when they share a baseline system, year and poverty line).
package struct BaselineProfile {
    /// The statistics of the first option's run; only the baseline side is shown.
    package let statistics: RunStatistics
    /// The area column (`urban`, else `region`), if the data has one.
    package let area: String?
    /// Per grouping (`age`, the area): unweighted observations per group.
    package let observations: [String: [Int]]
    /// The option whose baseline this is, and whether every option shares it.
    package let optionLabel: String
    package let shared: Bool
    /// The poverty line in words and the currency.
    package let lineText: String
    package let currency: String

    /// The area column the report breaks figures down by: `urban`, else `region`, if the data has it.
    package static func areaColumn(available: Set<String>) -> String? {
        ["urban", "region"].first { available.contains($0) }
    }

    /// The settings `scenario run --by AREA [--equivalence SCALE]` would use, and what to load for them.
    package static func plan(scenario: ScenarioDefinition, area: String?, equivalence: String?, requests: [VariableRequest],
                     available: Set<String>) throws -> (settings: StatsSettings, needs: RunStatistics.Needs, by: [String]) {
        var choices = IndicatorChoices()
        if let equivalence { choices.equivalence = equivalence }
        let settings = try choices.settings(fixedLines: [.absolute(scenario.povertyLine)], householdIncome: true)
        let by = area.map { [$0] } ?? []
        let needs = try RunStatistics.needs(settings: settings, by: by, scenarioRequests: requests, available: available)
        return (settings, needs, by)
    }

    /// Each grouping's unweighted observations per group, as `RunStatistics` forms the groups.
    package static func observations(population: Population, needs: RunStatistics.Needs, by: [String],
                             settings: StatsSettings) -> [String: [Int]] {
        let starts = population.householdStart.array
        var out: [String: [Int]] = [:]
        for (name, variable) in zip(by, needs.by) {
            out[name] = RunStatistics.grouping(name: name, variable: variable, population: population, householdStart: starts).personsPerGroup
        }
        if needs.ages {
            out["age"] = Grouping.ageBands(settings.ageBands, ages: population.integers(Variable.age.name).array, householdStart: starts)
                .personsPerGroup
        }
        return out
    }

    /// The report section: one table, a row for everyone, each age group and each area.
    package func section(rule: DisclosureRule) -> ReportSection {
        let profile = statistics.comparison.baseline
        let fgt0 = Indicator.fgt(alpha: 0, line: 0), fgt1 = Indicator.fgt(alpha: 1, line: 0)
        func row(_ label: String, _ table: IndicatorTable, observations: Int?) -> [ReportCell] {
            if observations == 0 {
                return [.text(label)] + Array(repeating: .text(OptionReportBuilder.notInData), count: 5)
            }
            let d = rule.status(observations: observations)
            return [.text(label), .number(table.value(.population), .count, disclosure: d),
                    .number(table.value(fgt0), .percent(decimals: 1), disclosure: d),
                    .number(table.value(fgt1), .index(decimals: 3), disclosure: d),
                    .number(table.value(.gini), .index(decimals: 3), disclosure: d),
                    .number(table.value(.mean), .money(decimals: 2), disclosure: d)]
        }
        var rows = [row("Everyone", profile.overall, observations: nil)]
        var groupings: [(String, String)] = []
        if statistics.ageBands != nil { groupings.append((statistics.by.contains("age") ? "age_band" : "age", "Age")) }
        if let area { groupings.append((area, "Area (\(area))")) }
        for (name, heading) in groupings {
            guard let groups = profile.groups(named: name) else { continue }
            let counts = observations[name == "age_band" ? "age" : name] ?? []
            for (g, label) in groups.labels.enumerated() {
                rows.append(row("\(heading) \(label)", groups.tables[g], observations: g < counts.count ? counts[g] : nil))
            }
        }
        let table = ReportTable(
            id: "baseline-profile", title: "Poverty and inequality today, by age group and area",
            columns: [ReportColumn("Group"), ReportColumn("Persons", unit: "weighted"),
                      ReportColumn("Poverty headcount FGT(0)", unit: "% of persons"),
                      ReportColumn("Poverty gap FGT(1)", unit: "index"), ReportColumn("Gini", unit: "index"),
                      ReportColumn("Mean welfare", unit: "\(currency)/person/month")],
            rows: rows,
            notes: ["Welfare: \(statistics.welfareDescription). Poverty line: \(lineText).",
                    "The same figures as simrun scenario run --by \(area ?? "COLUMN") gives for the baseline."])
        let intro = shared
            ? "Today: the baseline system, which every option starts from."
            : "Today: the baseline of \(optionLabel); the other options start from other baselines (each is compared with its own)."
        return ReportSection(heading: "Poverty and inequality today", blocks: [.paragraph(intro), .table(table)])
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(statistics: RunStatistics, area: String?, observations: [String: [Int]], optionLabel: String, shared: Bool, lineText: String, currency: String) {
        self.statistics = statistics
        self.area = area
        self.observations = observations
        self.optionLabel = optionLabel
        self.shared = shared
        self.lineText = lineText
        self.currency = currency
    }
}
