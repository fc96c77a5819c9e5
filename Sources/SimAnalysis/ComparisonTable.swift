import Foundation
import SimKernel

/// The unit of a comparison figure: one vocabulary for every format.
///
/// ``label`` is what people read (table, HTML, xlsx headers): "% of GDP"
/// and "percentage points" with the value shown ×100. ``dataUnit`` is what
/// programs read next to the raw value (JSON, CSV): "fraction of GDP" for
/// 0.0299 = 2.99%, "difference of fractions" for 0.0123 = 1.23 points.
/// docs/output.md lists them.
public enum FigureUnit: Equatable, Sendable, Codable {
    /// Currency a year (the profile's currency code, or "currency").
    case money(String)
    case persons
    case households
    /// A fraction of something (0.03 = 3%): "GDP", "government spending", "the target group", "baseline value".
    case share(of: String)
    /// A difference of two fractions (FGT, Gini): 0.01 = 1 percentage point.
    case difference
    /// A ratio with its own unit text.
    case ratio(String)

    public var label: String {
        switch self {
        case .money(let currency): return "\(currency)/year"
        case .persons: return "persons"
        case .households: return "households"
        case .share(let base): return "% of \(base)"
        case .difference: return "percentage points"
        case .ratio(let text): return text
        }
    }

    public var dataUnit: String {
        switch self {
        case .money, .persons, .households, .ratio: return label
        case .share(let base): return "fraction of \(base)"
        case .difference: return "difference of fractions"
        }
    }
}

/// The comparison of options as rows of figures, options in columns: the
/// one layout behind `scenario compare`'s table, JSON and CSV, and the report.
///
/// Every figure carries the unweighted count it rests on (``Row/observations``)
/// and the decision of the one `DisclosureRule` (``Row/disclosure``).
public struct ComparisonTable: Sendable, Codable {
    /// How a figure is shown.
    public enum Style: Sendable { case money, persons, share, points, ratio }

    public struct Row: Sendable, Codable {
        public let key: String
        public let label: String
        public let unit: FigureUnit
        /// One value per option (NaN when undefined).
        public let values: [Double]
        /// Per option: the unweighted persons the figure rests on (`nil`: the whole sample).
        public let observations: [Int?]
        /// Per option: shown, flagged or suppressed (`DisclosureRule`).
        public let disclosure: [Disclosure]
        /// Per option: the 95% confidence interval, when standard errors were asked for.
        public var intervals: [ConfidenceInterval?] = []
        /// Per option: the Monte Carlo band (2.5 and 97.5 percentiles over `--replications` draws), when asked for.
        public var bands: [ConfidenceInterval?] = []

        public var style: Style {
            switch unit {
            case .money: return .money
            case .persons, .households: return .persons
            case .share: return .share
            case .difference: return .points
            case .ratio: return .ratio
            }
        }
    }

    /// Criteria `--rank-by` accepts: the row key and whether higher is better.
    public static let rankings: [(name: String, key: String, higherIsBetter: Bool, meaning: String)] = [
        ("cost", "net_cost_annual", false, "lowest annual net cost first"),
        ("poverty_reduction", "fgt0_change", false, "largest fall in the poverty headcount first"),
        ("gap_reduction", "fgt1_change", false, "largest fall in the poverty gap first"),
        ("lifted_out", "lifted_out", true, "most persons lifted out of poverty first"),
        ("gini_reduction", "gini_change", false, "largest fall in the Gini first"),
        ("cost_effectiveness", "gap_reduction_per_gdp", true, "largest poverty-gap reduction per 1% of GDP first"),
        ("cost_per_person_lifted", "cost_per_person_lifted", false, "lowest cost per person lifted out first (options that cost nothing or lift no one out last)"),
        ("targeting", "share_poorest_40", true, "largest share of benefits to the poorest 40% first"),
    ]

    public let titles: [String]
    public let files: [String]
    /// Per option: its simulated year (nil: each parameter's latest value) and target group in words.
    public let years: [Int?]
    public let targetGroups: [String]
    /// Per option: its welfare concept and poverty line (docs/welfare.md).
    public let welfare: [(concept: WelfareConcept, line: Double)]
    public private(set) var rows: [Row]
    public let currency: String
    public let rule: DisclosureRule
    public var minimumCell: Int { rule.minimumObservations }

    public init(comparison: OptionComparison, files: [String], rule: DisclosureRule) {
        let options = comparison.options
        self.files = files
        self.rule = rule
        titles = options.map { $0.run.scenario.title }
        years = options.map { $0.run.scenario.year }
        targetGroups = options.map { $0.assessment.targetGroupDescription }
        welfare = options.map { ($0.run.scenario.welfare, $0.run.scenario.povertyLine) }
        let currency = comparison.profile?.currency ?? "currency"
        self.currency = currency
        func row(_ key: String, _ label: String, _ unit: FigureUnit,
                 count: (OptionComparison.Option) -> Int?, _ value: (OptionComparison.Option) -> Double) -> Row {
            let counts = options.map(count)
            return Row(key: key, label: label, unit: unit, values: options.map(value), observations: counts,
                       disclosure: counts.map { rule.status(observations: $0) })
        }
        // What each kind of figure rests on (OptionAssessment): money and FGT/Gini changes on the persons whose
        // income changes; beneficiary figures on the beneficiaries; coverage on the target group.
        let changed: (OptionComparison.Option) -> Int? = { $0.assessment.changedObservations }
        let money = FigureUnit.money(currency)
        let profile = comparison.profile
        var rows: [Row] = [
            row("net_cost_annual", "Annual net cost to the state", money, count: changed) { $0.fiscal.netCost },
            row("benefit_change_annual", "  change in benefits paid to households", money, count: changed) { $0.fiscal.benefitCost },
            row("administrative_cost_annual", "  administrative cost", money, count: changed) { $0.fiscal.administrativeCost },
            row("state_cost_change_annual", "  change in state costs not paid to households", money, count: changed) { $0.fiscal.stateCost },
            row("revenue_change_annual", "  minus change in budget revenue (taxes, contributions)", money, count: changed) { $0.fiscal.budgetRevenue },
            row("fund_contributions_change_annual", "Change in contributions to social insurance funds (not in the net cost)", money,
                count: changed) { $0.fiscal.fundContributions },
        ]
        if let profile {
            rows += [
                row("net_cost_usd", "Annual net cost to the state", .money("USD"), count: changed) { $0.netCost / profile.exchangeRate },
                row("net_cost_share_gdp", "Annual net cost to the state", .share(of: "GDP"), count: changed) { $0.netCost / $0.gdp(in: profile) },
                row("net_cost_share_expenditure", "Annual net cost to the state", .share(of: "government spending"), count: changed) {
                    $0.netCost / $0.governmentExpenditure(in: profile)
                },
            ]
        }
        let beneficiaries: (OptionComparison.Option) -> Int? = { $0.assessment.beneficiaryObservations }
        let target: (OptionComparison.Option) -> Int? = { $0.assessment.targetObservations }
        rows += [
            row("beneficiaries", "Beneficiaries of the option", .persons, count: beneficiaries) { $0.assessment.optionBeneficiaries },
            row("beneficiary_households", "Beneficiary households", .households, count: beneficiaries) { $0.assessment.optionHouseholds },
            row("target_group_persons", "Persons in the target group", .persons, count: target) { $0.assessment.targetPersons },
            row("coverage_baseline", "Coverage of the target group, baseline", .share(of: "the target group"), count: target) {
                $0.assessment.coverageBaseline
            },
            row("coverage_reform", "Coverage of the target group, reform", .share(of: "the target group"), count: target) {
                $0.assessment.coverageReform
            },
            row("fgt0_change", "Change in poverty headcount FGT(0)", .difference, count: changed) { $0.run.change.fgt0 },
            row("fgt0_change_percent", "Change in poverty headcount FGT(0)", .share(of: "baseline value"), count: changed) {
                $0.run.change.fgt0 / $0.run.baseline.fgt0
            },
            row("fgt1_change", "Change in poverty gap FGT(1)", .difference, count: changed) { $0.run.change.fgt1 },
            row("fgt1_change_percent", "Change in poverty gap FGT(1)", .share(of: "baseline value"), count: changed) {
                $0.run.change.fgt1 / $0.run.baseline.fgt1
            },
            row("fgt2_change", "Change in poverty severity FGT(2)", .difference, count: changed) { $0.run.change.fgt2 },
            row("fgt2_change_percent", "Change in poverty severity FGT(2)", .share(of: "baseline value"), count: changed) {
                $0.run.change.fgt2 / $0.run.baseline.fgt2
            },
            row("lifted_out", "Persons lifted out of poverty", .persons, count: { $0.assessment.liftedOutObservations }) { $0.assessment.liftedOut },
            row("pushed_in", "Persons pushed into poverty", .persons, count: { $0.assessment.pushedInObservations }) { $0.assessment.pushedIn },
            row("gini_change", "Change in Gini", .difference, count: changed) { $0.run.change.gini },
        ]
        if let profile {
            rows.append(row("gap_reduction_per_gdp", "Poverty-gap reduction per 1% of GDP", .ratio("FGT(1) percentage points per 1% of GDP"),
                            count: changed) { o in
                let share = o.netCost / o.gdp(in: profile) * 100
                return share > 0 ? -o.run.change.fgt1 * 100 / share : .nan
            })
        }
        rows += [
            // Undefined (NaN) unless the option costs something and lifts someone out: a negative "cost per person"
            // would rank a revenue-raising option best.
            row("cost_per_person_lifted", "Net cost per person lifted out of poverty", money,
                count: { min($0.assessment.liftedOutObservations, $0.assessment.changedObservations) }) { o in
                o.assessment.liftedOut > 0 && o.netCost > 0 ? o.netCost / o.assessment.liftedOut : .nan
            },
            row("share_poorest_40", "Share of the change in benefits reaching the poorest 40%", .share(of: "the change in benefits"),
                count: { $0.assessment.benefitChangeObservations }) { $0.assessment.shareToPoorest40 },
        ]
        if let years = options.first?.projection?.years {
            for (i, y) in years.enumerated() {
                rows.append(row("projection.\(y.year).net_cost", "Net cost \(y.year)", money, count: changed) {
                    $0.projection!.years[i].netCost
                })
                rows.append(row("projection.\(y.year).share_gdp", "Net cost \(y.year)", .share(of: "GDP"), count: changed) {
                    $0.projection!.years[i].shareOfGDP
                })
                rows.append(row("projection.\(y.year).net_cost_usd", "Net cost \(y.year)", .money("USD"), count: changed) {
                    $0.projection!.years[i].netCostUSD
                })
                rows.append(row("projection.\(y.year).share_expenditure", "Net cost \(y.year)", .share(of: "government spending"), count: changed) {
                    $0.projection!.years[i].shareOfExpenditure
                })
                // Projected beneficiaries rest on the survey year's beneficiaries: the same count, the same decision.
                rows.append(row("projection.\(y.year).beneficiaries", "Beneficiaries \(y.year)", .persons, count: beneficiaries) {
                    $0.projection!.years[i].beneficiaries
                })
            }
        }
        self.rows = rows
    }

    /// A table from its parts (a record read back: ``init(from:)``).
    init(titles: [String], files: [String], years: [Int?], targetGroups: [String],
         welfare: [(concept: WelfareConcept, line: Double)], rows: [Row], currency: String, rule: DisclosureRule) {
        (self.titles, self.files, self.years, self.targetGroups) = (titles, files, years, targetGroups)
        (self.welfare, self.rows, self.currency, self.rule) = (welfare, rows, currency, rule)
    }

    /// The row with `key`.
    public func row(_ key: String) -> Row? { rows.first { $0.key == key } }

    /// Attaches 95% intervals (one per option) to the rows with these keys.
    public mutating func attach(intervals: [String: [ConfidenceInterval?]]) {
        for i in rows.indices {
            if let list = intervals[rows[i].key] { rows[i].intervals = list }
        }
    }

    /// Adds a row after the others (figures of the statistics engine: relative lines, equivalence scales), each
    /// option's figure resting on `observations` and decided by the table's ``rule``.
    ///
    /// - Parameters:
    ///   - key: The row's key in JSON and CSV (unique in the table).
    ///   - label: The row's label, as people read it.
    ///   - unit: The unit of the figures.
    ///   - values: One value per option (NaN when undefined).
    ///   - observations: Per option, the unweighted persons the figure rests on (`nil`: the whole sample).
    public mutating func appendRow(key: String, label: String, unit: FigureUnit, values: [Double], observations: [Int?]) {
        precondition(values.count == titles.count && observations.count == titles.count, "one value and count per option")
        rows.append(Row(key: key, label: label, unit: unit, values: values, observations: observations,
                        disclosure: observations.map { rule.status(observations: $0) }))
    }

    /// Each figure as the mean over `replications` (this table is the first; same rows, same options), with its
    /// Monte Carlo band (`ReplicationSummary`: 2.5 and 97.5 percentiles). Counts and disclosure stay the first
    /// replication's; a figure undefined in any replication stays this table's.
    public mutating func summarise(replications: [ComparisonTable]) {
        guard replications.count > 1 else { return }
        for r in rows.indices {
            let row = rows[r]
            var values = row.values
            var bands: [ConfidenceInterval?] = []
            for i in row.values.indices {
                let draws = replications.map { $0.rows[r].values[i] }
                guard draws.allSatisfy({ !$0.isNaN }) else { bands.append(nil); continue }
                let summary = ReplicationSummary(draws)
                values[i] = summary.mean
                bands.append(ConfidenceInterval(lower: summary.low, upper: summary.high))
            }
            var updated = Row(key: row.key, label: row.label, unit: row.unit, values: values, observations: row.observations,
                              disclosure: row.disclosure)
            updated.intervals = row.intervals
            updated.bands = bands
            rows[r] = updated
        }
    }

    /// The option order for `criterion`: best first; ties and undefined values keep the given order.
    public func ranking(by criterion: String) -> [Int] {
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
