import Foundation
import SimAnalysis
import SimKernel

/// Builds the national-dialogue report (a ``ReportDocument``) from the
/// comparison of options, the coverage-gap assessment and the statistics
/// engine's poverty-by-age and incidence figures.
package struct OptionReportBuilder {
    /// What a cell of a group with no observation in the survey says.
    package static let notInData = "not in the data"
    package let comparison: OptionComparison
    package let table: ComparisonTable
    package let assessment: CoverageAssessment
    /// Per option: the statistics engine's comparison of baseline and reform (poverty by age, incidence).
    package let welfare: [WelfareComparison]
    package let files: [String]
    /// Unweighted persons per age group of the poverty-by-age table (AgeBand.standard order), for the disclosure rule.
    package let ageGroupObservations: [Int]
    package let provenance: [ReportFact]
    package let date: String
    /// The one disclosure rule (suppress by default, flag with --flag-only), as in the comparison table.
    package let rule: DisclosureRule
    /// Per option: its short name (`OptionLabels`), the header of its columns everywhere.
    package var labels: [String] = []
    /// The report's title (`--title`), if given.
    package var title: String? = nil
    /// The country's name (the country profile's), if known.
    package var country: String? = nil
    /// Poverty and inequality under the baseline, by age group and area (``BaselineProfile``).
    package var baselineProfile: BaselineProfile? = nil
    /// Sentences for the comparison section: options costed on one draw, replications.
    package var comparisonNotes: [String] = []
    private var minimumCell: Int { rule.minimumObservations }
    private var suppress: Bool { rule.suppress }

    /// Legend names for charts: the options' labels.
    private var names: [String] { columnNames }
    /// Column headers for tables: each option's label (the legend paragraph gives the full titles).
    private var columnNames: [String] { files.indices.map { $0 < labels.count ? labels[$0] : "Option \($0 + 1)" } }
    /// The welfare measure as the data names it: "consumption" or "income".
    private var welfareWord: String {
        let concepts = comparison.options.map(\.run.scenario.welfare)
        if concepts.allSatisfy({ if case .consumption = $0.source { return true } else { return false } }) { return "consumption" }
        if concepts.allSatisfy({ if case .disposableIncome = $0.source { return true } else { return false } }) { return "income" }
        return "welfare"
    }
    /// One colour per option in every chart (Okabe-Ito), grey for the baseline.
    private func color(_ i: Int) -> ChartColor {
        let palette: [ChartColor] = [.blue, .orange, .bluishGreen, .vermillion, .reddishPurple, .skyBlue, .yellow, .black]
        return palette[i % palette.count]
    }
    /// The options' labels and full titles (never the files' paths).
    private var legend: String {
        "Options: " + files.indices.map { "\(columnNames[$0]) = \(comparison.options[$0].run.scenario.title)" }.joined(separator: "; ") + "."
    }

    private func format(_ style: ComparisonTable.Style) -> ReportNumberFormat {
        switch style {
        case .money: return .readableMoney
        case .persons: return .money(decimals: 0)
        case .share: return .percent(decimals: 2)
        case .points: return .percentagePoints(decimals: 2)
        case .ratio: return .index(decimals: 3)
        }
    }

    /// Whether all options share one baseline: their baseline outcomes give the same disposable incomes, bit for bit,
    /// at the same poverty line. Otherwise every section shows each option against its own baseline.
    private var sharedBaseline: Bool {
        let first = comparison.options[0].run
        return comparison.options.allSatisfy { o in
            o.run.scenario.povertyLine == first.scenario.povertyLine
                && o.run.outcomes.baseline.disposableIncome.values.elementsEqual(first.outcomes.baseline.disposableIncome.values) {
                    $0.bitPattern == $1.bitPattern
                }
        }
    }

    /// The methods' sentence on welfare: the options' concept (docs/welfare.md), or each option's when they differ.
    package var welfareSentence: String {
        let concepts = comparison.options.map(\.run.scenario.welfare)
        func sentence(_ c: WelfareConcept) -> String {
            let poor = c.lines.map { "strictly below the poverty line of their area (by \($0.variable))" } ?? "strictly below the scenario's poverty line"
            if c.isDefault { return "Welfare is per-capita household disposable income; a person is poor when it is \(poor)." }
            return "Welfare is \(c.outputDescription); a person is poor when it is \(poor)."
        }
        if let first = concepts.first, concepts.allSatisfy({ $0 == first }) { return sentence(first) }
        return zip(columnNames, concepts).map { "\($0): \(sentence($1))" }.joined(separator: " ")
    }

    package func document() -> ReportDocument {
        var sections: [ReportSection] = []
        // 1. The comparison.
        let comparisonRows = table.rows.filter { !$0.key.hasPrefix("projection.") }.map { row -> [ReportCell] in
            [.text(row.label), .text(row.unit.label)] + files.indices.map { i in
                guard row.values[i].isFinite else { return .empty }
                func range(_ list: [ConfidenceInterval?]) -> ReportInterval? {
                    i < list.count ? list[i].map { ReportInterval(lower: $0.lower, upper: $0.upper) } : nil
                }
                // A band of zero width (a figure no draw changes) would only repeat the figure.
                let band = range(row.bands).flatMap { $0.lower == $0.upper ? nil : $0 }
                return .number(row.values[i], format(row.style), interval: range(row.intervals), disclosure: row.disclosure[i],
                               band: band)
            }
        }
        let comparisonTable = ReportTable(
            id: "comparison", title: "Options compared",
            columns: [ReportColumn("Figure"), ReportColumn("Unit")] + columnNames.map { ReportColumn($0) },
            rows: comparisonRows,
            notes: ["Each option against its own baseline on the same survey; definitions in the methods section."]
                + files.indices.map { i in
                    let o = comparison.options[i].run.scenario
                    return "\(columnNames[i]): simulated year \(o.year.map(String.init) ?? "latest parameter values"); baseline \(o.baseline.name); target group: \(table.targetGroups[i])."
                })
        sections.append(ReportSection(heading: "Options compared", blocks: [
            .paragraph("Each option was simulated on every household of the survey, in its own year, and compared with its own baseline system. Money is in \(table.currency) a year unless stated."),
            .paragraph(legend),
        ] + comparisonNotes.map(ReportBlock.paragraph) + [
            .table(comparisonTable),
        ]))

        // 2. Cost over the years.
        if let years = comparison.options.first?.projection?.years.map(\.year) {
            let chart = LineChart(
                title: "Net cost by year", years: years,
                valueAxis: ChartAxis(label: "Net cost", unit: "% of GDP", format: .percent(decimals: 2)),
                series: comparison.options.indices.map { i in
                    ChartSeries(names[i], values: comparison.options[i].projection!.years.map { $0.shareOfGDP }, color: color(i))
                },
                note: "Projected with the country profile's population, prices and growth (docs/costing.md).")
            var rows: [[ReportCell]] = []
            for year in years {
                var line: [ReportCell] = [.number(Double(year), .year)]
                // The same rows, counts and decisions as the comparison table (ComparisonTable's projection rows).
                func cell(_ key: String, _ i: Int, _ format: ReportNumberFormat) -> ReportCell {
                    guard let row = table.row("projection.\(year).\(key)"), row.values[i].isFinite else { return .empty }
                    return .number(row.values[i], format, disclosure: row.disclosure[i])
                }
                for i in comparison.options.indices {
                    line += [cell("net_cost", i, .readableMoney), cell("net_cost_usd", i, .readableMoney),
                             cell("share_gdp", i, .percent(decimals: 2)), cell("beneficiaries", i, .money(decimals: 0))]
                }
                rows.append(line)
            }
            var columns = [ReportColumn("Year")]
            for name in columnNames {
                columns += [ReportColumn("\(name): net cost", unit: "\(table.currency)/year"),
                            ReportColumn("\(name): net cost", unit: "USD/year"),
                            ReportColumn("\(name): net cost", unit: "% of GDP"),
                            ReportColumn("\(name): beneficiaries", unit: "persons")]
            }
            sections.append(ReportSection(heading: "Cost over the years", blocks: [
                .chart(.line(chart)),
                .table(ReportTable(id: "cost-by-year", title: "Net cost and beneficiaries by year", columns: columns, rows: rows)),
            ]))
        } else {
            sections.append(ReportSection(heading: "Cost over the years", blocks: [
                .paragraph("No projection: give a country profile (--country or costing.country) and --years."),
            ]))
        }

        // 3. Poverty by age group, before and after.
        if let groups = welfare.first?.baseline.groups(named: "age") {
            let fgt0 = Indicator.fgt(alpha: 0, line: 0)
            let shared = sharedBaseline
            // A suppressed age group is drawn as no bar either.
            let hidden = groups.labels.indices.map {
                let count = $0 < ageGroupObservations.count ? ageGroupObservations[$0] : nil
                return count == 0 || rule.status(observations: count) == .suppressed
            }
            func bars(_ tables: [IndicatorTable]) -> [Double?] { tables.indices.map { hidden[$0] ? nil : tables[$0].value(fgt0) } }
            // One baseline when all options share it; else each option's own baseline beside it.
            var series: [ChartSeries] = shared ? [ChartSeries("Baseline", values: bars(groups.tables), color: .grey)] : []
            for (i, w) in welfare.enumerated() {
                if !shared {
                    series.append(ChartSeries("\(names[i]): its baseline", values: bars(w.baseline.groups(named: "age")!.tables), color: .grey))
                }
                series.append(ChartSeries(names[i], values: bars(w.reform.groups(named: "age")!.tables), color: color(i)))
            }
            let chart = GroupedBarChart(
                title: "Poverty headcount by age group", categories: groups.labels, categoryAxisLabel: "Age group",
                valueAxis: ChartAxis(label: "Poverty headcount FGT(0)", unit: "% of persons", format: .percent(decimals: 1)),
                series: series)
            let rows = groups.labels.indices.map { g -> [ReportCell] in
                // An age group's poverty rates rest on its persons: the same rule as every other figure.
                let count = g < ageGroupObservations.count ? ageGroupObservations[g] : nil
                let d = rule.status(observations: count)
                // A group with no person in the survey is said to be absent, not too small.
                func cell(_ value: Double) -> ReportCell {
                    count == 0 ? .text(Self.notInData) : .number(value, .percent(decimals: 2), disclosure: d)
                }
                var line: [ReportCell] = [.text(groups.labels[g])]
                if shared { line.append(cell(groups.tables[g].value(fgt0))) }
                for w in welfare {
                    if !shared { line.append(cell(w.baseline.groups(named: "age")!.tables[g].value(fgt0))) }
                    line.append(cell(w.reform.groups(named: "age")!.tables[g].value(fgt0)))
                }
                return line
            }
            var columns = [ReportColumn("Age group")]
            if shared { columns.append(ReportColumn("Baseline", unit: "% poor")) }
            for name in columnNames {
                if !shared { columns.append(ReportColumn("\(name): its baseline", unit: "% poor")) }
                columns.append(ReportColumn(name, unit: "% poor"))
            }
            sections.append(ReportSection(heading: "Poverty by age group", blocks: [
                .paragraph(shared ? "All options share one baseline." : "The options have different baselines: each is shown beside its own."),
                .chart(.groupedBar(chart)),
                .table(ReportTable(id: "poverty-by-age", title: "Poverty headcount by age group", columns: columns, rows: rows)),
            ]))
        }

        // 4. Who gains: by baseline decile; gainers and losers.
        if !welfare.isEmpty {
            let deciles = (1...10).map { "D\($0)" }
            let gains = GroupedBarChart(
                title: "Mean gain by baseline \(welfareWord) decile", categories: deciles, categoryAxisLabel: "Decile of baseline \(welfareWord) (1 = poorest)",
                valueAxis: ChartAxis(label: "Mean gain", unit: "% of baseline \(welfareWord)", format: .percent(decimals: 1)),
                series: welfare.indices.map { i in
                    ChartSeries(names[i], values: welfare[i].incidence.deciles.map { $0.gainPercent / 100 }, color: color(i))
                })
            let split = StackedBarChart(
                title: "Persons gaining and losing", categories: columnNames, categoryAxisLabel: "Option",
                valueAxis: ChartAxis(label: "Persons", unit: "% of population", format: .percent(decimals: 0)),
                segments: [
                    ChartSeries("Losing", values: welfare.map { -$0.incidence.total.losing }, color: .vermillion),
                    ChartSeries("Gaining", values: welfare.map { $0.incidence.total.gaining }, color: .bluishGreen),
                    ChartSeries("Unchanged", values: welfare.map { $0.incidence.total.unchanged }, color: .grey),
                ],
                note: "Losing is drawn left of zero. Unchanged: welfare changes by at most 0.005 \(table.currency) per person a month. \(legend)")
            var rows: [[ReportCell]] = []
            for d in 0..<10 {
                var line: [ReportCell] = [.text("D\(d + 1)")]
                for w in welfare {
                    let r = w.incidence.deciles[d]
                    line += [.number(r.meanGain, .money(decimals: 2)), .number(r.gainPercent / 100, .percent(decimals: 2)),
                             .number(r.shareOfGains, .percent(decimals: 1))]
                }
                rows.append(line)
            }
            var columns = [ReportColumn("Decile")]
            for name in columnNames {
                columns += [ReportColumn("\(name): mean gain", unit: "\(table.currency)/person/month"),
                            ReportColumn("\(name): gain", unit: "% of \(welfareWord)"), ReportColumn("\(name): share of gains", unit: "%")]
            }
            sections.append(ReportSection(heading: "Who gains", blocks: [
                .chart(.groupedBar(gains)), .chart(.stackedBar(split)),
                .table(ReportTable(id: "gain-by-decile", title: "Gains by decile of baseline \(welfareWord)", columns: columns, rows: rows)),
            ]))
        }

        // 5. Coverage gaps.
        var coverageRows: [[ReportCell]] = []
        let sharedCoverage = assessment.groups.allSatisfy(\.baselineShared)
        for g in assessment.groups {
            let d = rule.status(observations: g.observations)
            if g.observations == 0 {
                // Nobody of the group is in the survey: say so, rather than call it a small cell.
                coverageRows.append([.text(g.name), .text(g.definition)]
                    + Array(repeating: .text(Self.notInData), count: 1 + (sharedCoverage ? 2 : 2 * files.count) + 2 * files.count))
                continue
            }
            var line: [ReportCell] = [.text(g.name), .text(g.definition), .number(g.persons, .money(decimals: 0), disclosure: d)]
            if sharedCoverage {
                line += [.number(g.coverageBaseline[0], .percent(decimals: 1), disclosure: d),
                         .number(g.povertyBaseline[0], .percent(decimals: 1), disclosure: d)]
            }
            for i in files.indices {
                if !sharedCoverage {
                    line += [.number(g.coverageBaseline[i], .percent(decimals: 1), disclosure: d),
                             .number(g.povertyBaseline[i], .percent(decimals: 1), disclosure: d)]
                }
                line += [.number(g.coverageReform[i], .percent(decimals: 1), disclosure: d),
                         .number(g.povertyReform[i], .percent(decimals: 1), disclosure: d)]
            }
            coverageRows.append(line)
        }
        var coverageColumns = [ReportColumn("Group"), ReportColumn("Definition"), ReportColumn("Persons", unit: "weighted")]
        if sharedCoverage { coverageColumns += [ReportColumn("Covered today", unit: "%"), ReportColumn("Poor today", unit: "%")] }
        for name in columnNames {
            if !sharedCoverage {
                coverageColumns += [ReportColumn("\(name): covered, its baseline", unit: "%"), ReportColumn("\(name): poor, its baseline", unit: "%")]
            }
            coverageColumns += [ReportColumn("\(name): covered", unit: "%"), ReportColumn("\(name): poor", unit: "%")]
        }
        var coverageBlocks: [ReportBlock] = [.table(ReportTable(
            id: "coverage-gaps", title: "Coverage and poverty of the social protection floor groups",
            columns: coverageColumns, rows: coverageRows))]
        for s in assessment.skipped { coverageBlocks.append(.paragraph("Not assessed: \(s.name) (\(s.reason)).")) }
        sections.append(ReportSection(heading: "Coverage gaps", blocks: coverageBlocks))

        let methods = ReportMethods(
            paragraphs: [
                "Microsimulation of every household of the survey under the baseline system and under each option (simrun). \(welfareSentence) Every figure is weighted with the household sampling weight.",
                "Projections follow the country profile's population by age group and sex, the indexation rule, the phase-in of coverage and the administrative cost of each scenario (docs/costing.md). Behaviour is held constant.",
                suppress
                    ? "Cells resting on fewer than \(minimumCell) unweighted observations are suppressed."
                    : "Cells resting on fewer than \(minimumCell) unweighted observations are flagged.",
            ],
            definitions: [
                ReportFact("FGT(α)", "Σ over the poor of w((z − y)/z)^α divided by Σ w: headcount (α = 0), gap (1), severity (2)."),
                ReportFact("Gini", "Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² mean), persons weighted."),
                ReportFact("Net cost", "Change in benefits paid to households + administrative cost + change in state costs not paid to households (subsidies) − change in budget revenue (taxes and contributions to the budget). Contributions to social insurance funds are shown apart and do not offset it."),
                ReportFact("Coverage", "Share of the target group receiving some benefit (or a contributory pension). An option's target group is the union of the target groups of the benefits it changes (each option's is named under the comparison table)."),
                ReportFact("Small cells", "Every figure carries the unweighted persons it rests on; one rule decides, from that count, what is shown, flagged or suppressed in every table and format."),
                ReportFact("Poverty-gap reduction per 1% of GDP", "Fall of FGT(1), in points, divided by the net cost in % of GDP."),
            ],
            provenance: provenance)
        // Today's profile follows the comparison (its sheet after the comparison's, which stays the first table).
        if let baselineProfile { sections.insert(baselineProfile.section(rule: rule), at: min(1, sections.count)) }
        return ReportDocument(
            title: title ?? "Social protection options: cost and impact",
            subtitle: ((country.map { [$0] } ?? []) + [names.joined(separator: " · ")]).joined(separator: " — "), date: date,
            sections: sections, methods: methods, disclosure: ReportDisclosureRule(minimumObservations: minimumCell))
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(comparison: OptionComparison, table: ComparisonTable, assessment: CoverageAssessment, welfare: [WelfareComparison], files: [String], ageGroupObservations: [Int], provenance: [ReportFact], date: String, rule: DisclosureRule, labels: [String] = [], title: String? = nil, country: String? = nil, baselineProfile: BaselineProfile? = nil, comparisonNotes: [String] = []) {
        self.comparison = comparison
        self.table = table
        self.assessment = assessment
        self.welfare = welfare
        self.files = files
        self.ageGroupObservations = ageGroupObservations
        self.provenance = provenance
        self.date = date
        self.rule = rule
        self.labels = labels
        self.title = title
        self.country = country
        self.baselineProfile = baselineProfile
        self.comparisonNotes = comparisonNotes
    }
}
