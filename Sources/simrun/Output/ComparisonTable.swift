import Foundation
import SimKernel

/// The comparison of options as rows of figures, options in columns: the
/// one layout behind `scenario compare`'s table, JSON and CSV, and the report.
struct ComparisonTable {
    /// How a figure is shown.
    enum Style { case money, persons, share, points, ratio }

    struct Row {
        let key: String
        let label: String
        let unit: String
        let style: Style
        /// One value per option (NaN when undefined).
        let values: [Double]
        /// Per option: computed from fewer unweighted observations than the disclosure threshold.
        let flagged: [Bool]
        /// Per option: the 95% confidence interval, when standard errors were asked for.
        var intervals: [ConfidenceInterval?] = []
    }

    /// Criteria `--rank-by` accepts: the row key and whether higher is better.
    static let rankings: [(name: String, key: String, higherIsBetter: Bool, meaning: String)] = [
        ("cost", "net_cost_annual", false, "lowest annual net cost first"),
        ("poverty_reduction", "fgt0_change", false, "largest fall in the poverty headcount first"),
        ("gap_reduction", "fgt1_change", false, "largest fall in the poverty gap first"),
        ("lifted_out", "lifted_out", true, "most persons lifted out of poverty first"),
        ("gini_reduction", "gini_change", false, "largest fall in the Gini first"),
        ("cost_effectiveness", "gap_reduction_per_gdp", true, "largest poverty-gap reduction per 1% of GDP first"),
        ("cost_per_person_lifted", "cost_per_person_lifted", false, "lowest cost per person lifted out first"),
        ("targeting", "share_poorest_40", true, "largest share of benefits to the poorest 40% first"),
    ]

    let titles: [String]
    let files: [String]
    private(set) var rows: [Row]
    let currency: String
    let minimumCell: Int

    init(comparison: OptionComparison, files: [String], minimumCell: Int) {
        let options = comparison.options
        self.files = files
        titles = options.map { $0.run.scenario.title }
        currency = comparison.profile?.currency ?? "currency"
        self.minimumCell = minimumCell
        func row(_ key: String, _ label: String, _ unit: String, _ style: Style,
                 flag: ((OptionComparison.Option) -> Int)? = nil, _ value: (OptionComparison.Option) -> Double) -> Row {
            Row(key: key, label: label, unit: unit, style: style, values: options.map(value),
                flagged: options.map { o in flag.map { $0(o) < minimumCell } ?? false })
        }
        let profile = comparison.profile
        var rows: [Row] = [
            row("net_cost_annual", "Annual net cost", "\(currency)/year", .money) { $0.netCost },
            row("benefit_change_annual", "  change in benefits paid", "\(currency)/year", .money) { $0.assessment.benefitChange },
            row("administrative_cost_annual", "  administrative cost", "\(currency)/year", .money) {
                $0.settings.administrativeCost * max($0.assessment.benefitChange, 0)
            },
            row("state_cost_change_annual", "  change in subsidies paid by the state", "\(currency)/year", .money) { $0.assessment.stateCostChange },
            row("revenue_change_annual", "  change in taxes and contributions", "\(currency)/year", .money) { $0.assessment.revenueChange },
        ]
        if let profile {
            rows += [
                row("net_cost_usd", "Annual net cost", "USD/year", .money) { $0.netCost / profile.exchangeRate },
                row("net_cost_share_gdp", "Annual net cost", "% of GDP", .share) { $0.netCost / profile.gdp },
                row("net_cost_share_expenditure", "Annual net cost", "% of government spending", .share) {
                    $0.netCost / profile.governmentExpenditure
                },
            ]
        }
        rows += [
            row("beneficiaries", "Beneficiaries of the option", "persons", .persons, flag: { $0.assessment.beneficiaryObservations }) {
                $0.assessment.optionBeneficiaries
            },
            row("beneficiary_households", "Beneficiary households", "households", .persons, flag: { $0.assessment.beneficiaryObservations }) {
                $0.assessment.optionHouseholds
            },
            row("coverage_baseline", "Coverage of the target group, baseline", "share", .share, flag: { $0.assessment.targetObservations }) {
                $0.assessment.coverageBaseline
            },
            row("coverage_reform", "Coverage of the target group, reform", "share", .share, flag: { $0.assessment.targetObservations }) {
                $0.assessment.coverageReform
            },
            row("fgt0_change", "Change in poverty headcount FGT(0)", "points", .points) { $0.run.change.fgt0 },
            row("fgt0_change_percent", "Change in poverty headcount FGT(0)", "% of baseline", .share) {
                $0.run.change.fgt0 / $0.run.baseline.fgt0
            },
            row("fgt1_change", "Change in poverty gap FGT(1)", "points", .points) { $0.run.change.fgt1 },
            row("fgt1_change_percent", "Change in poverty gap FGT(1)", "% of baseline", .share) { $0.run.change.fgt1 / $0.run.baseline.fgt1 },
            row("fgt2_change", "Change in poverty severity FGT(2)", "points", .points) { $0.run.change.fgt2 },
            row("fgt2_change_percent", "Change in poverty severity FGT(2)", "% of baseline", .share) { $0.run.change.fgt2 / $0.run.baseline.fgt2 },
            row("lifted_out", "Persons lifted out of poverty", "persons", .persons, flag: { $0.assessment.liftedOutObservations }) {
                $0.assessment.liftedOut
            },
            row("pushed_in", "Persons pushed into poverty", "persons", .persons) { $0.assessment.pushedIn },
            row("gini_change", "Change in Gini", "points", .points) { $0.run.change.gini },
        ]
        if let profile {
            rows.append(row("gap_reduction_per_gdp", "Poverty-gap reduction per 1% of GDP", "FGT(1) points", .ratio) { o in
                let share = o.netCost / profile.gdp * 100
                return share > 0 ? -o.run.change.fgt1 * 100 / share : .nan
            })
        }
        rows += [
            row("cost_per_person_lifted", "Net cost per person lifted out of poverty", "\(currency)/year", .money,
                flag: { $0.assessment.liftedOutObservations }) { o in
                o.assessment.liftedOut > 0 ? o.netCost / o.assessment.liftedOut : .nan
            },
            row("share_poorest_40", "Share of new benefits reaching the poorest 40%", "share", .share) { $0.assessment.shareToPoorest40 },
        ]
        if let years = options.first?.projection?.years {
            for (i, y) in years.enumerated() {
                rows.append(row("projection.\(y.year).net_cost", "Net cost \(y.year)", "\(currency)/year", .money) {
                    $0.projection!.years[i].netCost
                })
                rows.append(row("projection.\(y.year).share_gdp", "Net cost \(y.year)", "% of GDP", .share) {
                    $0.projection!.years[i].shareOfGDP
                })
                rows.append(row("projection.\(y.year).net_cost_usd", "Net cost \(y.year)", "USD/year", .money) {
                    $0.projection!.years[i].netCostUSD
                })
                rows.append(row("projection.\(y.year).share_expenditure", "Net cost \(y.year)", "% of government spending", .share) {
                    $0.projection!.years[i].shareOfExpenditure
                })
            }
        }
        self.rows = rows
    }

    /// Attaches 95% intervals (one per option) to the rows with these keys.
    mutating func attach(intervals: [String: [ConfidenceInterval?]]) {
        for i in rows.indices {
            if let list = intervals[rows[i].key] { rows[i].intervals = list }
        }
    }

    /// The option order for `criterion`: best first; ties and undefined values keep the given order.
    func ranking(by criterion: String) -> [Int] {
        guard let rule = Self.rankings.first(where: { $0.name == criterion }),
            let row = rows.first(where: { $0.key == rule.key })
        else { return Array(titles.indices) }
        return titles.indices.sorted { a, b in
            let x = row.values[a], y = row.values[b]
            if x.isNaN != y.isNaN { return !x.isNaN }
            if x == y || x.isNaN { return a < b }
            return rule.higherIsBetter ? x > y : x < y
        }
    }
}
