import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// `simrun scenario run FILE`: baseline, reform and change on survey data.
struct ScenarioRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a reform scenario: annual cost, beneficiaries, poverty (FGT 0-2) and Gini, before and after.",
        // Written out: with the statistics options ArgumentParser would shorten it to "[<options>]".
        usage: """
            simrun scenario run <scenario.yaml> [--data <file>] [--columns <map.yaml>] [--threads <n>] [--format <format>] \
            [--timings] [--quiet] [--year <yyyy>] [--chunk-size <n>] [--seed <s>] [--replications <r>] \
            [--age-survey [--country <name|file>] [--margins <margins.yaml>]] [--se <method>] [--by <col> ...] [--line <z> ...] [<poverty and inequality options>]
            """,
        discussion: """
            Prints, for the baseline system, the reform and their difference (reform minus baseline): \
            the annual gross cost of benefits (currency per year), revenue from taxes and contributions, \
            weighted beneficiaries (persons), FGT(0), FGT(1), FGT(2) at the scenario's poverty line and the \
            Gini coefficient of per-capita household disposable income (or of the welfare the scenario \
            declares with welfare:, e.g. consumption with urban and rural lines: docs/welfare.md), plus a line per component.

            Any of the statistics options (--se, --by, --line, --relative-line, --equivalence, ...; \
            the same as 'simrun stats') adds the full poverty and inequality profile of baseline, \
            reform and change from the statistics engine: every indicator at the scenario's poverty \
            line (first) and any other lines, by group (--by, and age bands when the data has ages), \
            with standard errors and 95% CIs (--se linearized or bootstrap; the strata and PSUs come from \
            the data's stratum and psu columns; the change's SE pairs baseline and reform), and the \
            reform's incidence by decile of baseline welfare. Without them the output is as before. \
            Definitions: docs/statistics.md; JSON and CSV layout: docs/output.md.

            Example:
              simrun scenario run inputs/scenarios/universal-child-grant.yaml
              simrun scenario run my-reform.yaml --data survey.csv --columns my-columns.yaml --format json
              simrun scenario run my-reform.yaml --se bootstrap --by region --format json
            """ + ExitStatus.paragraph
    )

    @Argument(help: ArgumentHelp("The scenario file (YAML).", valueName: "scenario.yaml"))
    var scenarioFile: String

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp(
        "Simulation year: parameters in force on 1 January of it. Default: the scenario's 'year:' key, else each parameter's latest value.",
        valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Households per chunk of parallel work (results are identical for any value). Default: 4096.",
        valueName: "n"))
    var chunkSize: Int = 4096

    @Option(name: .long, help: ArgumentHelp(
        "Seed of every random draw (take-up, durations, assessment error); the same seed gives the same results. Default: 1.",
        valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Rerun every stochastic part this many times (seeds derived from --seed) and report each indicator's mean and 2.5-97.5 percentile band. Default: 1.",
        valueName: "r"))
    var replications: Int = 1

    @Flag(name: .long, help: "Simulate on the survey aged to the simulation year (--year or the scenario's year:): household weights calibrated to the country profile's population by age group and sex, money variables uprated by CPI or wages (docs/costing.md).")
    var ageSurvey = false

    @Option(name: .long, help: ArgumentHelp(
        "Country profile for --age-survey: a name under inputs/countries or a YAML path. Default: the scenario's costing.country.",
        valueName: "name|file"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --age-survey, more margins the aged weights must meet, in the calibration format (margins: {column: {category: total}}; docs/calibration.md).",
        valueName: "margins.yaml"))
    var margins: String?

    @OptionGroup(title: "Poverty and inequality")
    var indicators: IndicatorArguments<ScenarioRunCommand.Host>

    func validate() throws {
        if chunkSize < 1 { throw ValidationError("--chunk-size must be at least 1 (got \(chunkSize))") }
        if replications < 1 { throw ValidationError("--replications must be at least 1 (got \(replications))") }
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
        if !ageSurvey {
            if country != nil { throw ValidationError("--country is used only with --age-survey") }
            if margins != nil { throw ValidationError("--margins is used only with --age-survey") }
        } else if indicators.isGiven {
            throw ValidationError("--age-survey cannot yet be combined with the poverty and inequality options (--se, --by, --line, ...): their survey design is the unaged survey's")
        }
        if indicators.isGiven {
            if replications > 1 {
                throw ValidationError("--replications \(replications) cannot be combined with the poverty and inequality options (--se, --by, --line, ...): their standard errors are those of one simulated draw; use --replications 1")
            }
            try indicators.check()
            do { try RunStatistics.check(by: indicators.by) } catch let error as UsageError { throw ValidationError(error.description) }
            _ = try indicators.settings(householdIncome: true)
        }
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard, year: year)
            let dataFile = try scenario.requiredDataFile(given: dataOptions.data)
            var request = ScenarioRunRequest(scenario: scenario, dataFile: dataFile)
            request.columnMap = try dataOptions.columnMap()
            for column in indicators.by where !request.by.contains(column) { request.by.append(column) }
            if indicators.isGiven { request.indicators = indicators.choices }
            if ageSurvey {
                guard let year = scenario.year else {
                    throw ValidationError("--age-survey needs a year to age the survey to: give --year or a 'year:' in the scenario")
                }
                guard let profile = try OptionInputs.profile(country, scenarios: [scenario]) else {
                    throw ValidationError("--age-survey needs a country profile: give --country or costing.country in the scenario")
                }
                try SurveyAgeing.checkYear(year, profile: profile)
                request.ageing = .init(profile: profile, year: year, margins: try margins.map(CalibrationMarginsFile.load(file:)))
            }
            (request.seed, request.replications, request.plan, request.chunkSize) = (seed, replications, dataOptions.plan, chunkSize)
            let result = try request.run(progress: TerminalProgress(quiet: output.quiet)) { clock.lap($0) }
            let report = RunReport(record: ScenarioRunRecord(result))
            try StandardOutput.write(report.render(output.format))
            if !output.quiet {
                for note in result.notes { Diagnostics.note("note: \(note)") }
                for warning in result.warnings { Diagnostics.note("warning: \(warning)") }
            }
            if output.timings { clock.report() }
        }
    }
}

extension ScenarioRunCommand {
    /// `scenario run`'s variant of the shared indicator options: `--bootstrap-seed`
    /// (`--seed` is the simulation's), lines after the scenario's own.
    enum Host: IndicatorArgumentsHost {
        typealias AgeOptions = NoArguments
        static let seedOption = "bootstrap-seed"
        static let lineHelp = "Another absolute poverty line, in welfare units (currency per person, or adult equivalent, per month); repeat for several. The scenario's poverty line is always the first line. Default: none."
        static let relativeLineHelp = "A relative poverty line as a share (> 0, at most 10) of the median (or of the mean, --relative-to mean) of each system's welfare, e.g. 0.6 (EU-SILC's at-risk-of-poverty threshold); repeat for several. Default: none."
        static let equivalenceHelp = "Equivalence scale for household disposable income: per-capita, oecd-modified, square-root or parametric (the scenario's poverty line is then per adult equivalent)."
    }
}
