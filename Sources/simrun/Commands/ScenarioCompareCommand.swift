import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// `simrun scenario compare A.yaml B.yaml ...`: options side by side.
struct ScenarioCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare reform options side by side: cost, coverage, poverty, inequality, cost-effectiveness, projection.",
        discussion: """
            Runs every option on the same survey and prints one table with the options in columns: annual net \
            cost (currency; with a country profile also USD, % of GDP and % of government spending), \
            beneficiaries, coverage of the target group, changes in FGT(0-2) (points and per cent), persons \
            lifted out of poverty, change in the Gini, cost-effectiveness, and the share of new benefits \
            reaching the poorest 40%. With --years, the net cost of every year, by --projection scaled (default) or microsim \
            (each year simulated on the survey aged to it; methods compared in docs/costing.md).

            Figures computed from fewer than --min-cell unweighted observations are marked.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("Two or more scenario files (YAML).", valueName: "scenario.yaml"))
    var scenarioFiles: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp(
        "Country profile: a name under inputs/countries or a YAML path. Default: the first scenario's costing.country; without one, costs are in currency only.",
        valueName: "name|file"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("Projection years, e.g. 2026-2035 (needs a country profile). Default: no projection.",
                                            valueName: "yyyy-yyyy"))
    var years: String?

    @Option(name: .long, help: ArgumentHelp(
        "How --years projects: scaled (the survey year's amounts by age group and sex scaled by population growth and indexation; fast) or microsim (each year simulated on the survey aged to it: weights calibrated to the year's population, incomes uprated, so means tests and thresholds react to income growth). Default: scaled.",
        valueName: "method"))
    var projection: String?

    @Option(name: .long, help: ArgumentHelp(
        "Order the options by: \(ComparisonTable.rankings.map { "\($0.name) (\($0.meaning))" }.joined(separator: "; ")). Default: the order given.",
        valueName: "criterion"))
    var rankBy: String?

    @Option(name: .long, help: ArgumentHelp("Simulation year for every option (parameters in force on 1 January). Default: each scenario's year.", valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold: figures computed from fewer unweighted observations than this are flagged (or, with --suppress-small-cells, withheld). Default: 30.", valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Withhold figures below --min-cell instead of flagging them (as report does by default).")
    var suppressSmallCells = false

    @OptionGroup var analysis: OptionAnalysisOptions

    func validate() throws {
        if scenarioFiles.count < 2 { throw ValidationError("compare needs at least two scenario files") }
        if let rankBy, !ComparisonTable.rankings.contains(where: { $0.name == rankBy }) {
            throw ValidationError("unknown --rank-by '\(rankBy)'; expected one of \(ComparisonTable.rankings.map(\.name).joined(separator: ", "))")
        }
        _ = try OptionInputs.years(years)
        if let projection {
            guard ProjectionMethod(rawValue: projection) != nil else {
                throw ValidationError("--projection must be scaled or microsim (got '\(projection)')")
            }
            if years == nil { throw ValidationError("--projection needs --years (it says how the projection years are computed)") }
        }
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
    }


    /// `--projection`, checked in `validate()`.
    var projectionMethod: ProjectionMethod { projection.flatMap(ProjectionMethod.init(rawValue:)) ?? .scaled }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            let scenarios = try scenarioFiles.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard, year: year) }
            let dataFile = try OptionInputs.dataFile(dataOptions.data, scenarios: scenarios)
            let profile = try OptionInputs.profile(country, scenarios: scenarios)
            let range = try OptionInputs.years(years)
            if range != nil && profile == nil {
                throw ValidationError("--years needs a country profile: give --country or costing.country in the scenario")
            }
            // The survey (with its design when it has one) and the baselines, loaded once (AnalysisSession).
            let session = try AnalysisSession(dataFile: dataFile, columnMap: try dataOptions.columnMap(), profile: profile,
                                              scenarios: scenarios, seed: seed, plan: dataOptions.plan,
                                              rule: DisclosureRule(minimumObservations: minCell, suppress: suppressSmallCells),
                                              designVariables: analysis.se != "none")
            analysis.noteMissingDesign(available: session.available, quiet: output.quiet)
            clock.lap("load")
            let result = try session.analyse(
                OptionsRequest(scenarios: scenarios, years: range, method: projectionMethod, statistics: analysis.statistics),
                progress: TerminalProgress(quiet: output.quiet))
            clock.lap("simulate+statistics")
            let renderer = ComparisonRenderer(session: session, analysis: result, rankBy: rankBy)
            try StandardOutput.write(renderer.render(output.format))
            if output.timings { clock.report() }
        }
    }
}

/// Resolving the inputs shared by commands that run several options.
enum OptionInputs {
    /// `--data`, else the scenarios' common example data (``AnalysisSession/commonData(of:)``).
    /// - Throws: `ValidationError` (exit 64) when no `--data` is given and the scenarios name none or different data.
    static func dataFile(_ given: String?, scenarios: [ScenarioDefinition]) throws -> String {
        if let given { return given }
        let named = Set(scenarios.compactMap(\.defaultData))
        guard named.count == 1, scenarios.allSatisfy({ $0.defaultData != nil }) else {
            throw ValidationError("the scenarios name \(named.isEmpty ? "no" : "different") example data; give --data FILE so that every option runs on the same survey")
        }
        return try AnalysisSession.commonData(of: scenarios)
    }

    /// `--years YYYY-YYYY` as a range (`nil` when not given).
    /// - Throws: `ValidationError` (exit 64) unless it is two years from 1900 to 2200, in order.
    static func years(_ text: String?) throws -> ClosedRange<Int>? {
        guard let text else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] <= parts[1], parts[0] >= 1900, parts[1] <= 2200 else {
            throw ValidationError("--years must look like 2026-2035 (got '\(text)')")
        }
        return parts[0]...parts[1]
    }

    /// `--country` (a name under inputs/countries or a path), else the first scenario's `costing.country`
    /// (``AnalysisSession/profile(_:scenarios:)``).
    static func profile(_ given: String?, scenarios: [ScenarioDefinition]) throws -> CountryProfile? {
        try AnalysisSession.profile(given, scenarios: scenarios)
    }
}
