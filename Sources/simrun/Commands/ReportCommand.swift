import SimReport
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
            flagged). Each option's columns are headed by its scenario's label: (full titles in a legend); money on \
            the page reads in thousand, million or billion (full in CSV and xlsx); wide tables print in parts. \
            --se, --equivalence, --relative-line and --replications mean what they mean for scenario run. \
            DIR is replaced only if it holds an earlier report. Format: docs/report.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("One or more scenario files (the options).", valueName: "scenario.yaml"))
    var scenarioFiles: [String] = []

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

    @Option(name: .long, help: ArgumentHelp("The report's title (one line, at most 200 characters). Default: \"Social protection options: cost and impact\".", valueName: "text"))
    var title: String?

    @Option(name: .long, help: ArgumentHelp("Age from which a person counts as older (coverage gaps), as assess takes it. Default: 65.", valueName: "years"))
    var olderAge: Int = 65

    @OptionGroup var analysis: OptionAnalysisOptions

    @Flag(name: .long, help: "Print nothing on standard error but errors.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Instead of options: a sweep's result (simrun sweep, CSV or JSON), drawn as its frontier (docs/solve-and-sweep.md).", valueName: "result"))
    var sweep: String?

    func validate() throws {
        if scenarioFiles.isEmpty && sweep == nil { throw ValidationError("report needs at least one scenario file (or --sweep RESULT)") }
        if !scenarioFiles.isEmpty && sweep != nil { throw ValidationError("--sweep RESULT makes a report of a sweep: give no scenario files with it") }
        if out.isEmpty { throw ValidationError("--out needs a folder name") }
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
        _ = try OptionInputs.years(years)
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
        if !(1...120).contains(olderAge) { throw ValidationError("--older-age must be between 1 and 120") }
        if let title {
            let trimmed = title.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.count > 200 || title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw ValidationError("--title must be one line of 1 to 200 characters (got \(title.count) characters)")
            }
        }
        if let date, !Self.isCalendarDate(date) {
            throw ValidationError("--date must be a calendar date YYYY-MM-DD (got '\(date)')")
        }
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            if let sweep { return try SweepReport.write(sweep, to: out, date: date ?? Self.today(), quiet: quiet) }
            let scenarios = try scenarioFiles.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard, year: year) }
            let dataFile = try OptionInputs.dataFile(dataOptions.data, scenarios: scenarios)
            let profile = try OptionInputs.profile(country, scenarios: scenarios)
            var range = try OptionInputs.years(years)
            if range == nil, let profile {
                range = profile.reportYears
            }
            let statistics = analysis.statistics
            // The survey with the options' variables, the design for intervals and what today's profile reads.
            let session = try AnalysisSession(
                dataFile: dataFile, columnMap: try dataOptions.columnMap(), profile: profile, scenarios: scenarios, seed: seed,
                plan: dataOptions.plan, rule: DisclosureRule(minimumObservations: minCell, suppress: !flagOnly),
                designVariables: analysis.se != "none",
                extraVariables: { available in
                    try OptionReport.extraVariables(scenarios: scenarios, profile: profile, statistics: statistics, available: available)
                })
            analysis.noteMissingDesign(available: session.available, quiet: quiet)
            let progress = TerminalProgress(quiet: quiet)
            let result = try session.analyse(
                OptionsRequest(scenarios: scenarios, years: profile == nil ? nil : range, statistics: statistics), progress: progress)
            let document = try OptionReport.document(
                session: session, analysis: result, olderAge: olderAge, title: title?.trimmingCharacters(in: .whitespaces),
                date: date ?? Self.today(), progress: progress)
            try writeReport(document, to: out, quiet: quiet)
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
