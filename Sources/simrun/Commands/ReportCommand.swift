import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// `simrun report A.yaml B.yaml ... --out DIR`: the pack for a national dialogue.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the national-dialogue pack: an offline HTML page with charts, every table as CSV, and an .xlsx workbook.",
        discussion: """
            Runs the options as `scenario compare` and `assess` do and writes DIR/index.html (self-contained: \
            inline SVG charts, no external assets), DIR/tables/*.csv and DIR/report.xlsx (one sheet per table). \
            Cells resting on fewer than --min-cell unweighted observations are suppressed (or, with --flag-only, \
            flagged). DIR is replaced only if it holds an earlier report. Format: docs/report.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("One or more scenario files (the options).", valueName: "scenario.yaml"))
    var scenarioFiles: [String]

    @Option(name: .long, help: ArgumentHelp("The folder to write.", valueName: "dir"))
    var out: String

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp("Country profile (name under inputs/countries or a path). Default: the first scenario's costing.country.", valueName: "name|file"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("Projection years, e.g. 2026-2035. Default: the profile's base year and the next ten years.", valueName: "yyyy-yyyy"))
    var years: String?

    @Option(name: .long, help: ArgumentHelp("Simulation year for every option (parameters in force on 1 January). Default: each scenario's year.", valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold: unweighted observations below which a cell is suppressed. Default: 30.", valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Flag small cells instead of suppressing them.")
    var flagOnly = false

    @Option(name: .long, help: ArgumentHelp("The date printed in the methods section (YYYY-MM-DD), so a report can be reproduced byte for byte. Default: today (UTC).", valueName: "date"))
    var date: String?

    @Flag(name: .long, help: "Print nothing on standard error but errors.")
    var quiet = false

    func validate() throws {
        if scenarioFiles.isEmpty { throw ValidationError("report needs at least one scenario file") }
        if out.isEmpty { throw ValidationError("--out needs a folder name") }
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
        _ = try OptionInputs.years(years)
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
        if let date, !Self.isCalendarDate(date) {
            throw ValidationError("--date must be a calendar date YYYY-MM-DD (got '\(date)')")
        }
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            let scenarios = try scenarioFiles.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard, year: year) }
            let dataFile = try OptionInputs.dataFile(dataOptions.data, scenarios: scenarios)
            let profile = try OptionInputs.profile(country, scenarios: scenarios)
            var range = try OptionInputs.years(years)
            if range == nil, let profile {
                range = profile.baseYear...min(profile.baseYear + 10, profile.years.upperBound)
            }
            let loader = SurveyLoader(columnMap: try dataOptions.columnMap(), plan: dataOptions.plan)
            let available = try loader.availableVariables(in: dataFile)
            let population = try loader.load(
                file: dataFile, variables: OptionComparison.variables(of: scenarios, costing: profile != nil, available: available))
            let plan = dataOptions.plan
            let progress = ProgressBar(total: scenarios.count + 2, label: "report", quiet: quiet)
            let comparison = try OptionComparison(
                scenarios: scenarios, population: population, profile: profile, years: profile == nil ? nil : range,
                simulator: Simulator(plan: plan), context: RunContext(seed: seed))
            progress.advance()
            let assessment = CoverageAssessment(runs: comparison.options.map(\.run), population: population)
            progress.advance()
            // Poverty by age group and incidence, from the statistics engine.
            // Poverty by age band when the data has ages (a household-level file has none).
            let ages = population.has("age") ? population.integers("age").array : nil
            let starts = population.householdStart.array
            var welfare: [WelfareComparison] = []
            for option in comparison.options {
                let analysis = try WelfareAnalysis(
                    options: IndicatorOptions(lines: [.absolute(option.run.scenario.povertyLine)]),
                    design: SurveyDesign(units: population.householdCount),
                    groupings: ages.map { [Grouping.ageBands(AgeBand.standard, ages: $0, householdStart: starts)] } ?? [])
                welfare.append(try analysis.compare(
                    baseline: option.run.welfareDistributions(in: population).baseline,
                    reform: option.run.welfareDistributions(in: population).reform, plan: plan))
                progress.advance()
            }
            progress.finish()
            let rule = DisclosureRule(minimumObservations: minCell, suppress: !flagOnly)
            let table = ComparisonTable(comparison: comparison, files: scenarioFiles, rule: rule)
            var facts = [ReportFact("simrun version", Simrun.version), ReportFact("Data", dataFile),
                         ReportFact("Data SHA-256", try FileDigest.sha256(of: dataFile)),
                         ReportFact("Households, persons", "\(population.householdCount), \(population.personCount)"),
                         ReportFact("Seed", String(seed))] + DataPreparationOutput.facts(population.preparation)
            for file in scenarioFiles { facts.append(ReportFact("Scenario \(file) SHA-256", try FileDigest.sha256(of: file))) }
            // The welfare each option's poverty and inequality figures use (docs/welfare.md).
            for option in comparison.options {
                facts.append(ReportFact("Welfare of \(option.run.scenario.file)", option.run.scenario.welfare.outputDescription))
            }
            if let profile {
                facts.append(ReportFact("Country profile", "\(profile.file) (SHA-256 \(try FileDigest.sha256(of: profile.file)))"))
            }
            let document = OptionReportBuilder(
                comparison: comparison, table: table, assessment: assessment, welfare: welfare, files: scenarioFiles,
                ageGroupObservations: AgeBand.standard.map { band in (ages ?? []).reduce(0) { $0 + (band.contains(Int($1)) ? 1 : 0) } },
                provenance: facts, date: date ?? Self.today(), rule: rule).document()
            do {
                try ReportWriter.write(document, to: URL(fileURLWithPath: out))
            } catch let error as ReportError {
                Diagnostics.error("\(out): \(error)")
                throw ExitCode(error.exitStatus)
            }
            if !quiet { Diagnostics.note("wrote \(out)/index.html, \(out)/tables/*.csv and \(out)/report.xlsx") }
        }
    }

    /// Whether `text` is YYYY-MM-DD and a real day of the Gregorian calendar (no 2026-13-45, no 2025-02-29).
    static func isCalendarDate(_ text: String) -> Bool {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return false }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}
