import Foundation
import SimKernel

/// `scenario run`'s result as one versioned record: every figure of baseline, reform and change
/// (the mean over replications, with its 2.5-97.5% band when there are several), the scenario's
/// titles and welfare, how the survey was aged, the statistics engine's profile when asked, and
/// the provenance. The command's table, JSON and CSV (SimReport's `RunReport`) are views of
/// this one value; a program or a later session can keep it and read it back.
///
/// Its `schema_version` (``recordVersion``) is raised when a key is renamed or removed or a
/// value changes meaning. Written and read with ``ComparisonTable/recordEncoder()`` and
/// ``ComparisonTable/recordDecoder()`` (sorted keys, non-finite figures as "inf", "-inf", "nan").
/// A record read back is checked before anything renders it: its schema version, one option in
/// the provenance, one band set per row, the statistics' tables laid out alike.
package struct ScenarioRunRecord: Codable, Sendable, Equatable {
    /// The version of the record's shape.
    package static let recordVersion = 1

    /// How a row's numbers are shown in the table.
    package enum Style: String, Codable, Sendable { case money, persons, share, index }

    /// One figure of baseline, reform and change.
    package struct Row: Codable, Sendable, Equatable {
        /// The JSON and CSV key (`cost_annual`, `component.NAME.annual_amount`).
        package let key: String
        package let label: String
        /// The unit in words (`currency/year`, `fraction of persons`).
        package let unit: String
        package let style: Style
        package let baseline: Double
        package let reform: Double
        package let change: Double
    }

    /// The 2.5 and 97.5 percentiles of a figure across replications (`ReplicationSummary`).
    package struct Band: Codable, Sendable, Equatable {
        package let low: Double
        package let high: Double
    }

    /// A row's bands for the three columns.
    package struct BandSet: Codable, Sendable, Equatable {
        package let baseline: Band
        package let reform: Band
        package let change: Band
    }

    /// One component of the systems, in the order of the change's components.
    package struct Component: Codable, Sendable, Equatable {
        package let name: String
        package let module: String
        package let kind: String
    }

    /// The scenario as the outputs name it.
    package struct Scenario: Codable, Sendable, Equatable {
        package let title: String
        package let baselineName: String
        package let baselineTitle: String
        package let changedComponents: [String]
        /// The welfare of the poverty and inequality rows (docs/welfare.md).
        package let welfare: WelfareConcept
    }

    package let provenance: Provenance
    package let scenario: Scenario
    /// The baseline's weighted persons (the first replication's; the same in every one).
    package let weightedPersons: Double
    package let components: [Component]
    /// Each figure's value: the mean across replications (the value itself with one).
    package let rows: [Row]
    /// Per row, the bands of baseline, reform and change (only with more than one replication).
    package let bands: [BandSet]?
    /// How the survey was aged to the simulated year (`--age-survey`), or `nil`.
    package let ageing: AgeingSummary?
    /// The statistics engine's profile (only with the statistics options).
    package let statistics: RunStatisticsRecord?

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", provenance, scenario, weightedPersons = "weighted_persons", components, rows, bands
        case ageing, statistics
    }

    /// The record of `runs` (every replication, the first's statistics).
    package init(runs: [ScenarioRun], provenance: Provenance, ageing: AgeingOutput? = nil, statistics: RunStatistics? = nil) {
        precondition(!runs.isEmpty, "a record needs at least one run")
        let run = runs[0]
        self.provenance = provenance
        scenario = Scenario(title: run.scenario.title, baselineName: run.scenario.baseline.name, baselineTitle: run.scenario.baseline.title,
                            changedComponents: run.scenario.changedComponents, welfare: run.scenario.welfare)
        weightedPersons = run.baseline.weightedPersons
        components = run.change.components.map { Component(name: $0.name, module: $0.module, kind: $0.kind.rawValue) }
        self.ageing = ageing?.summary
        self.statistics = statistics.map(RunStatisticsRecord.init)
        let perRun = runs.map(Self.rows(of:))
        guard runs.count > 1 else {
            rows = perRun[0]
            bands = nil
            return
        }
        var rows: [Row] = []
        var bands: [BandSet] = []
        for (i, template) in perRun[0].enumerated() {
            let column = perRun.map { $0[i] }
            let baseline = ReplicationSummary(column.map(\.baseline))
            let reform = ReplicationSummary(column.map(\.reform))
            let change = ReplicationSummary(column.map(\.change))
            rows.append(Row(key: template.key, label: template.label, unit: template.unit, style: template.style,
                            baseline: baseline.mean, reform: reform.mean, change: change.mean))
            bands.append(BandSet(baseline: Band(low: baseline.low, high: baseline.high),
                                 reform: Band(low: reform.low, high: reform.high),
                                 change: Band(low: change.low, high: change.high)))
        }
        self.rows = rows
        self.bands = bands
    }

    /// The record of a scenario run.
    package init(_ result: ScenarioRunResult) {
        self.init(runs: result.runs, provenance: result.provenance, ageing: result.ageing, statistics: result.statistics)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(Int.self, forKey: .schemaVersion)
        guard version == Self.recordVersion else {
            throw DecodingError.dataCorruptedError(forKey: .schemaVersion, in: c,
                                                   debugDescription: "a scenario run record of schema version \(version); this simrun reads version \(Self.recordVersion)")
        }
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        guard provenance.options.count == 1 else {
            throw DecodingError.dataCorruptedError(forKey: .provenance, in: c, debugDescription: "a scenario run has one option (got \(provenance.options.count))")
        }
        scenario = try c.decode(Scenario.self, forKey: .scenario)
        weightedPersons = try c.decode(Double.self, forKey: .weightedPersons)
        components = try c.decode([Component].self, forKey: .components)
        rows = try c.decode([Row].self, forKey: .rows)
        bands = try c.decodeIfPresent([BandSet].self, forKey: .bands)
        if let bands, bands.count != rows.count {
            throw DecodingError.dataCorruptedError(forKey: .bands, in: c, debugDescription: "one band set per row (\(rows.count))")
        }
        ageing = try c.decodeIfPresent(AgeingSummary.self, forKey: .ageing)
        statistics = try c.decodeIfPresent(RunStatisticsRecord.self, forKey: .statistics)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.recordVersion, forKey: .schemaVersion)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(weightedPersons, forKey: .weightedPersons)
        try c.encode(components, forKey: .components)
        try c.encode(rows, forKey: .rows)
        try c.encodeIfPresent(bands, forKey: .bands)
        try c.encodeIfPresent(ageing, forKey: .ageing)
        try c.encodeIfPresent(statistics, forKey: .statistics)
    }
}

extension ScenarioRunRecord {
    /// " (in state_cost_annual)" or " (in fund_contributions_annual)" for a counter that is part of that total.
    static func counterRole(_ run: ScenarioRun, _ component: String, _ counter: String) -> String {
        for outcome in [run.outcomes.reform, run.outcomes.baseline] {
            guard let c = outcome.components.first(where: { $0.name == component }) else { continue }
            if c.stateCostCounters.contains(counter) { return " (in state_cost_annual)" }
            if c.fundContributionCounters.contains(counter) { return " (in fund_contributions_annual)" }
            return ""
        }
        return ""
    }

    /// The rows of one run, in a fixed order: the totals, then per component its amount, persons,
    /// households and counters.
    static func rows(of run: ScenarioRun) -> [Row] {
        let b = run.baseline, r = run.reform, c = run.change
        // The poverty and inequality rows' unit names a declared welfare concept (docs/welfare.md),
        // so that the CSV, which has no header lines, says what they measure too.
        let concept = run.scenario.welfare
        let of = concept.isDefault ? "" : "; \(concept.shortName)"
        var rows: [Row] = [
            Row(key: "cost_annual", label: "Annual cost of benefits paid to households", unit: "currency/year", style: .money,
                baseline: b.costAnnual, reform: r.costAnnual, change: c.costAnnual),
            Row(key: "state_cost_annual", label: "Annual state costs not paid to households", unit: "currency/year", style: .money,
                baseline: b.stateCostAnnual, reform: r.stateCostAnnual, change: c.stateCostAnnual),
            Row(key: "revenue_annual", label: "Annual budget revenue (taxes, contributions)", unit: "currency/year", style: .money,
                baseline: b.revenueAnnual, reform: r.revenueAnnual, change: c.revenueAnnual),
            Row(key: "fund_contributions_annual", label: "Annual contributions to social insurance funds", unit: "currency/year", style: .money,
                baseline: b.fundContributionsAnnual, reform: r.fundContributionsAnnual, change: c.fundContributionsAnnual),
            Row(key: "beneficiaries", label: "Beneficiaries", unit: "persons", style: .persons,
                baseline: b.beneficiaries, reform: r.beneficiaries, change: c.beneficiaries),
            Row(key: "fgt0", label: "Poverty headcount FGT(0)", unit: "fraction of persons" + of, style: .share,
                baseline: b.fgt0, reform: r.fgt0, change: c.fgt0),
            Row(key: "fgt1", label: "Poverty gap FGT(1)", unit: "index" + of, style: .share,
                baseline: b.fgt1, reform: r.fgt1, change: c.fgt1),
            Row(key: "fgt2", label: "Poverty severity FGT(2)", unit: "index" + of, style: .share,
                baseline: b.fgt2, reform: r.fgt2, change: c.fgt2),
            Row(key: "gini", label: "Gini coefficient", unit: "index" + of, style: .index,
                baseline: b.gini, reform: r.gini, change: c.gini),
            Row(key: "mean_income", label: concept.meanLabel,
                unit: (concept.unit == .perCapita ? "currency/person/month" : "currency/adult equivalent/month") + of, style: .money,
                baseline: b.meanIncome, reform: r.meanIncome, change: c.meanIncome),
        ]
        for part in c.components {
            let bp = b.components.first { $0.name == part.name }
            let rp = r.components.first { $0.name == part.name }
            // Which total the row is part of: the rows of each total add up to it.
            let what = part.kind == .benefit ? "cost, in cost_annual"
                : part.budgetRevenue ? "revenue, in revenue_annual" : "paid to a fund, not budget revenue"
            rows.append(Row(key: "component.\(part.name).annual_amount", label: "\(part.name) (\(part.kind.rawValue)): \(what)",
                            unit: "currency/year", style: .money,
                            baseline: bp?.annualAmount ?? 0, reform: rp?.annualAmount ?? 0, change: part.annualAmount))
            rows.append(Row(key: "component.\(part.name).persons", label: "\(part.name): \(part.kind == .benefit ? "recipients" : "payers")",
                            unit: "persons", style: .persons,
                            baseline: bp?.persons ?? 0, reform: rp?.persons ?? 0, change: part.persons))
            rows.append(Row(key: "component.\(part.name).households", label: "\(part.name): households",
                            unit: "households", style: .persons,
                            baseline: bp?.households ?? 0, reform: rp?.households ?? 0, change: part.households))
            for counter in part.counters {
                func total(_ t: SystemIndicators.ComponentTotals?) -> Double { t?.counters.first { $0.name == counter.name }?.total ?? 0 }
                // Convention (docs/writing-a-scenario.md): a counter named `*_annual` is money per year.
                let money = counter.name.hasSuffix("_annual")
                rows.append(Row(key: "component.\(part.name).\(counter.name)", label: "\(part.name): \(counter.name)\(Self.counterRole(run, part.name, counter.name))",
                                unit: money ? "currency/year" : "weighted count", style: money ? .money : .persons,
                                baseline: total(bp), reform: total(rp), change: counter.total))
            }
        }
        return rows
    }
}

/// How the survey was aged (`--age-survey`), as the outputs show it: years, files, the
/// calibration's iterations, largest remaining deviation and weight ratios, and each money
/// variable's uprating factor. A part of ``ScenarioRunRecord``.
package struct AgeingSummary: Codable, Sendable, Equatable {
    /// One money variable's uprating.
    package struct Uprating: Codable, Sendable, Equatable {
        package let variable: String
        /// The index's name (`cpi`, `wages`, ...).
        package let index: String
        package let factor: Double
    }

    package let surveyYear: Int
    package let targetYear: Int
    package let countryFile: String
    package let marginsFile: String?
    /// The calibration method's name (`raking`).
    package let method: String
    package let iterations: Int
    /// The calibration's largest remaining deviation relative to its target.
    package let largestRelativeDeviation: Double
    package let weightRatioMin: Double
    package let weightRatioMax: Double
    package let uprating: [Uprating]

    private enum CodingKeys: String, CodingKey {
        case surveyYear = "survey_year", targetYear = "target_year", countryFile = "country_file", marginsFile = "margins_file", method
        case iterations, largestRelativeDeviation = "largest_relative_deviation", weightRatioMin = "weight_ratio_min"
        case weightRatioMax = "weight_ratio_max", uprating
    }
}

extension AgeingOutput {
    /// What the outputs show of the ageing.
    package var summary: AgeingSummary {
        AgeingSummary(surveyYear: aged.baseYear, targetYear: aged.year, countryFile: countryFile, marginsFile: marginsFile,
                      method: method.rawValue, iterations: aged.reweighting.calibration.iterations,
                      largestRelativeDeviation: largestRelativeDeviation,
                      weightRatioMin: aged.weightRatioRange.lowerBound, weightRatioMax: aged.weightRatioRange.upperBound,
                      uprating: aged.uprating.map { AgeingSummary.Uprating(variable: $0.variable, index: $0.index.rawValue, factor: $0.factor) })
    }
}

/// The statistics engine's profile of `scenario run` (``RunStatistics``) as the outputs show it:
/// baseline, reform and change by group with the incidence, the settings, and the design in
/// words. A part of ``ScenarioRunRecord``; the indicator options and inference are those of
/// the comparison's profiles.
package struct RunStatisticsRecord: Codable, Sendable, Equatable {
    package let comparison: WelfareComparison
    package let scale: EquivalenceScale
    package let lonelyPSU: LonelyPSURule
    /// The design variables used (`stratum`, `psu`), empty when none.
    package let designVariables: [String]
    /// The file columns of ``designVariables`` (after the column map).
    package let designColumns: [String]
    package let strata: Int
    package let psus: Int
    /// The `--by` columns, as given.
    package let by: [String]
    /// The age bands, when the data has ages.
    package let ageBands: [AgeBand]?
    /// The scenario's welfare concept.
    package let concept: WelfareConcept

    private enum CodingKeys: String, CodingKey {
        case comparison, scale, lonelyPSU = "lonely_psu", designVariables = "design_variables", designColumns = "design_columns"
        case strata, psus, by, ageBands = "age_bands", concept
    }

    /// The indicators computed.
    package var options: IndicatorOptions { comparison.baseline.options }
    /// How SEs were computed.
    package var inference: Inference { comparison.baseline.inference }

    package init(_ s: RunStatistics) {
        comparison = s.comparison
        scale = s.settings.scale
        lonelyPSU = s.settings.lonelyPSU
        designVariables = s.designVariables
        designColumns = s.designColumns
        strata = s.design.stratumCount
        psus = s.design.psuCount
        by = s.by
        ageBands = s.ageBands
        concept = s.concept
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        comparison = try c.decode(WelfareComparison.self, forKey: .comparison)
        scale = try c.decode(EquivalenceScale.self, forKey: .scale)
        lonelyPSU = try c.decode(LonelyPSURule.self, forKey: .lonelyPSU)
        designVariables = try c.decode([String].self, forKey: .designVariables)
        designColumns = try c.decode([String].self, forKey: .designColumns)
        guard designColumns.count == designVariables.count, Set(designVariables).isSubset(of: ["stratum", "psu"]) else {
            throw DecodingError.dataCorruptedError(forKey: .designVariables, in: c,
                                                   debugDescription: "the design variables are stratum and psu, each with its column")
        }
        strata = try c.decode(Int.self, forKey: .strata)
        psus = try c.decode(Int.self, forKey: .psus)
        by = try c.decode([String].self, forKey: .by)
        ageBands = try c.decodeIfPresent([AgeBand].self, forKey: .ageBands)
        concept = try c.decode(WelfareConcept.self, forKey: .concept)
    }

    /// Welfare in words.
    package var welfareDescription: String { Self.welfareDescription(concept: concept, scale: scale) }

    /// Welfare in words: the declared concept, else household disposable income per capita or over `scale`.
    package static func welfareDescription(concept: WelfareConcept, scale: EquivalenceScale) -> String {
        if !concept.isDefault {
            return "\(concept), currency per \(concept.unit == .perCapita ? "person" : "adult equivalent") per month"
        }
        return scale == .perCapita
            ? "per-capita household disposable income, currency per person per month"
            : "household disposable income over the \(scale) scale, currency per adult equivalent per month"
    }
}
