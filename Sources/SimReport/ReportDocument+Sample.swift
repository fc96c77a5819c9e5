import SimAnalysis
import SimKernel
import Foundation

/// A realistic example report, for tests and as a picture of intended use.
///
/// The numbers are made up but plausible for a low-income country's dialogue: three
/// options costing 0.4% to 1.2% of GDP over 2026-2035, poverty by age group before and
/// after, gains by decile (option C, financed by VAT, makes the top deciles lose), and
/// small groups suppressed (older persons 80+) or flagged (65-79) under a rule of 30 and 50
/// unweighted observations.
extension ReportDocument {
    /// The names of the sample's options.
    package static let sampleOptions = ["A: Child grant 0-17", "B: Social pension 70+", "C: Child grant 0-5 & VAT"]

    /// The sample report (see the extension's documentation).
    package static func sample() -> ReportDocument {
        let options = sampleOptions
        let years = Array(2026...2035)
        let costs: [[Double]] = [
            [0.0062, 0.0071, 0.0083, 0.0095, 0.0104, 0.0109, 0.0112, 0.0114, 0.0116, 0.0118],
            [0.0041, 0.0042, 0.0044, 0.0045, 0.0047, 0.0048, 0.0050, 0.0052, 0.0053, 0.0055],
            [0.0040, 0.0052, 0.0066, 0.0071, 0.0073, 0.0074, 0.0075, 0.0076, 0.0077, 0.0078],
        ]
        let percent1 = ReportNumberFormat.percent(decimals: 1)
        let costChart = LineChart(
            title: "Annual cost of each option, 2026-2035", years: years,
            valueAxis: ChartAxis(label: "Cost", unit: "% of GDP", format: .percent(decimals: 1)),
            series: zip(options, costs).map { ChartSeries($0, values: $1) },
            note: "Costs include administration at 5% of benefits; phase-in 50%, 75%, 100% for option C.")
        let costTable = ReportTable(
            id: "cost-by-year", title: "Annual cost by year (% of GDP)",
            columns: [ReportColumn("Year")] + options.map { ReportColumn($0, unit: "% of GDP") },
            rows: years.indices.map { j in [.text(String(years[j]))] + costs.map { .number($0[j], .percent(decimals: 2)) } })

        let groups = ["Children 0-17", "Working age 18-64", "Older persons 65-79", "Older persons 80+"]
        let before = [0.342, 0.228, 0.285, 0.301]
        let after: [[Double]] = [[0.279, 0.201, 0.276, 0.297], [0.338, 0.220, 0.174, 0.152], [0.306, 0.214, 0.281, 0.299]]
        let disclosure: [ReportDisclosure] = [.shown, .shown, .flagged, .suppressed]
        let halfWidths = [0.011, 0.008, 0.024, 0.05]  // of the 95% intervals, by group
        func intervals(_ values: [Double]) -> [ReportInterval] {
            zip(values, halfWidths).map { ReportInterval(lower: $0 - $1, upper: $0 + $1) }
        }
        let povertyChart = GroupedBarChart(
            title: "Poverty headcount by age group, before and after each option", categories: groups,
            categoryAxisLabel: "Age group",
            valueAxis: ChartAxis(label: "Poverty headcount", unit: "% of persons", format: percent1),
            series: [ChartSeries("Before (baseline)", values: Self.shownValues(before, disclosure),
                                 intervals: intervals(before), color: .grey)]
                + zip(options, after).map {
                    ChartSeries($0, values: Self.shownValues($1, disclosure), intervals: intervals($1))
                },
            note: "Whiskers: 95% confidence intervals.")
        let povertyTable = ReportTable(
            id: "poverty-by-age", title: "Poverty headcount (FGT 0) by age group",
            columns: [ReportColumn("Age group"), ReportColumn("Before", unit: "% of persons")]
                + options.map { ReportColumn($0, unit: "% of persons") },
            rows: groups.indices.map { i in
                [.text(groups[i])] + ([before] + after).map {
                    .number($0[i], percent1, interval: intervals($0)[i], disclosure: disclosure[i])
                }
            },
            notes: ["Poverty line: 150 per person per month (national absolute line)."])

        let deciles = (1...10).map { "D\($0)" }
        let gains: [[Double]] = [
            [0.142, 0.098, 0.071, 0.054, 0.042, 0.033, 0.025, 0.018, 0.011, 0.004],
            [0.061, 0.042, 0.030, 0.024, 0.019, 0.015, 0.011, 0.008, 0.005, 0.002],
            [0.095, 0.060, 0.039, 0.024, 0.013, 0.005, -0.002, -0.006, -0.009, -0.011],
        ]
        let gainChart = GroupedBarChart(
            title: "Mean gain by baseline income decile", categories: deciles,
            categoryAxisLabel: "Decile of baseline per-capita income (D1 poorest)",
            valueAxis: ChartAxis(label: "Mean gain", unit: "% of disposable income", format: percent1),
            series: zip(options, gains).map { ChartSeries($0, values: $1) })
        let gainTable = ReportTable(
            id: "gain-by-decile", title: "Mean gain as a share of disposable income, by decile",
            columns: [ReportColumn("Decile")] + options.map { ReportColumn($0, unit: "% of income") },
            rows: deciles.indices.map { d in [.text(deciles[d])] + gains.map { .number($0[d], .percent(decimals: 2)) } })

        let shares: [(losing: Double, unchanged: Double, gaining: Double)] = [(0, 0.52, 0.48), (0, 0.83, 0.17), (0.46, 0.19, 0.35)]
        let winnersChart = StackedBarChart(
            title: "Who gains and who loses under each option", categories: options, categoryAxisLabel: "Option",
            valueAxis: ChartAxis(label: "Share of persons", unit: "%", format: .percent(decimals: 0)),
            segments: [
                ChartSeries("Losing", values: shares.map { -$0.losing }, color: .vermillion),
                ChartSeries("Unchanged", values: shares.map(\.unchanged), color: .grey),
                ChartSeries("Gaining", values: shares.map(\.gaining), color: .blue),
            ],
            note: "Losing: disposable income falls by more than 1%; gaining: rises by more than 1%.")

        let comparison = Self.sampleComparison(options: options)
        return ReportDocument(
            title: "Closing coverage gaps: child & old-age benefit options",
            subtitle: "Simulated on the 2024 household budget survey (3,000 households), projected to 2035",
            date: "2026-03-14",
            sections: [
                ReportSection(heading: "Options compared", blocks: [
                    .paragraph("Each option is costed for 2026 and compared with current law on the same survey."),
                    .table(comparison),
                ]),
                ReportSection(heading: "Cost over the projection years",
                              blocks: [.chart(.line(costChart)), .table(costTable)]),
                ReportSection(heading: "Poverty by age group", blocks: [.chart(.groupedBar(povertyChart)), .table(povertyTable)]),
                ReportSection(heading: "Who gains", blocks: [
                    .chart(.groupedBar(gainChart)), .chart(.stackedBar(winnersChart)), .table(gainTable),
                ]),
            ],
            methods: ReportMethods(
                paragraphs: [
                    "Household disposable income per capita is simulated under current law and under each option.",
                    "Intervals are 95% percentile intervals of 200 Rao-Wu rescaled bootstrap replications.",
                ],
                definitions: [
                    ReportFact("FGT(0)", "Share of persons whose per-capita income is below the poverty line."),
                    ReportFact("Gini", "Gini coefficient of per-capita household disposable income, person-weighted."),
                ],
                provenance: [
                    ReportFact("simrun version", SimrunVersion.current),
                    ReportFact("Data", "inputs/data/example-persons.csv (sha256 eae19f4a0b6c8d2e)"),
                    ReportFact("Scenarios", "child-grant.yaml, social-pension.yaml, child-grant-vat.yaml"),
                    ReportFact("Seed", "20260314"),
                ]),
            disclosure: ReportDisclosureRule(minimumObservations: 30, warningObservations: 50))
    }

    /// `values` with suppressed entries removed from a chart (`nil`).
    private static func shownValues(_ values: [Double], _ disclosure: [ReportDisclosure]) -> [Double?] {
        zip(values, disclosure).map { $1 == .suppressed ? nil : $0 }
    }

    /// The options-in-columns comparison table of the sample.
    private static func sampleComparison(options: [String]) -> ReportTable {
        let pp = ReportNumberFormat.percentagePoints(decimals: 1)
        func interval(_ lower: Double, _ upper: Double) -> ReportInterval { ReportInterval(lower: lower, upper: upper) }
        let rows: [[ReportCell]] = [
            [.text("Annual cost (million, local currency)")]
                + [2840.5, 1878.2, 1832.9].map { .number($0, .money(decimals: 1)) },
            [.text("Annual cost (USD million)")] + [118.35, 78.26, 76.37].map { .number($0, .money(decimals: 1)) },
            [.text("Annual cost (% of GDP)")] + [0.0062, 0.0041, 0.0040].map { .number($0, .percent(decimals: 2)) },
            [.text("Beneficiaries (persons)")] + [3_412_600, 402_150, 1_187_300].map { .number($0, .count) },
            [.text("Change in poverty headcount")]
                + [.number(-0.031, pp, interval: interval(-0.036, -0.026)),
                   .number(-0.014, pp, interval: interval(-0.018, -0.010)),
                   .number(-0.019, pp, interval: interval(-0.024, -0.013))],
            [.text("Change in poverty headcount, older persons 80+")]
                + [-0.004, -0.149, -0.002].map { .number($0, pp, disclosure: .suppressed) },
            [.text("Persons lifted out of poverty")] + [372_400, 168_300, 228_100].map { .number($0, .count) },
            [.text("Change in Gini")] + [-0.0123, -0.0051, -0.0094].map { .number($0, .index(decimals: 4)) },
            [.text("Share of benefits reaching the poorest 40%")]
                + [.number(0.472, .percent(decimals: 1)), .number(0.512, .percent(decimals: 1), disclosure: .flagged),
                   .number(0.538, .percent(decimals: 1))],
        ]
        return ReportTable(id: "comparison", title: "Options compared, 2026",
                           columns: [ReportColumn("Indicator")] + options.map { ReportColumn($0) }, rows: rows,
                           notes: ["Exchange rate: 24.0 local currency units per USD."])
    }
}
