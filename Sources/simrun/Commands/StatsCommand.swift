import SimReport
import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// `simrun stats FILE`: the poverty and inequality profile of a welfare variable already in the data.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Poverty and inequality of a welfare variable in a survey file, by group, with design-based standard errors.",
        discussion: """
            Computes FGT(α) and Watts at each poverty line, the poverty gap in money, EU-SILC's \
            at-risk-of-poverty threshold, rate and relative median gap, the Gini, GE(0), GE(1), GE(2), \
            Atkinson (0.5, 1, 2), S80/S20, Palma, decile and quintile shares and means, mean, median \
            and quantiles: for everyone and for each group of each --by column and age band. \
            Definitions: docs/statistics.md; JSON and CSV layout: docs/output.md.

            Without --household every row is a unit with its own weight (e.g. one row per person with \
            equivalised income, as laeken's eusilc). With --household rows are persons grouped into \
            households: welfare is the household's income (the income column summed over its members) \
            divided by the equivalence scale, and every member counts with the household weight.

            Column names go through the --columns map first; without --income, --strata, --psu or --age \
            the map's 'income', 'stratum', 'psu' and 'age' entries are used when present.

            Examples:
              simrun stats eusilc.csv --income eqIncome --weight rb050 \\
                  --line 10000 --periods-per-year 1
              simrun stats eusilc.csv --income eqIncome --weight rb050 \\
                  --strata db040 --psu db030 --by db040 --by rb090 \\
                  --se bootstrap --replicates 1000 --seed 1 --format json
              simrun stats persons.csv --income earnings --household hh_id \\
                  --age age --equivalence oecd-modified --line 150 --line 90
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The survey file: CSV (one header line), Stata .dta, SPSS .sav/.zsav, or a data recipe (.yaml; docs/data.md).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Column with the welfare variable (without --household) or the person income summed into household income (with it), in currency per period (see --periods-per-year). Default: the column map's 'income' entry.", valueName: "col"))
    var income: String?

    @Option(help: ArgumentHelp("Column with the sampling weight (> 0; with --household the same on every member). Default: the column map's 'weight' entry, else a column called 'weight'.", valueName: "col"))
    var weight: String?

    @Option(help: ArgumentHelp("Column identifying households: rows are then persons, members on adjacent rows, and welfare is household income over the equivalence scale. Default: none (every row is a unit).", valueName: "col"))
    var household: String?

    @Option(name: .customLong("household-size"), help: ArgumentHelp("Column with the number of persons in each row's household, for a file with one row per household whose welfare (--income) is already per person, as DASP's hsize: each row counts weight × size persons. Not with --household or --age. Default: none (each row counts its weight).", valueName: "col"))
    var householdSize: String?

    @Flag(name: .customLong("household-total"), help: ArgumentHelp("With --household-size: the --income column is the household's total (e.g. a survey's household consumption aggregate), divided by the household's size (per-capita, the default) or its square root (--equivalence square-root) to give welfare per person."))
    var householdTotal = false

    @Option(help: ArgumentHelp("Column with the sampling stratum (any labels). Default: the map's 'stratum' entry, else one stratum.", valueName: "col"))
    var strata: String?

    @Option(help: ArgumentHelp("Column with the primary sampling unit (cluster), nested in strata. Default: the map's 'psu' entry, else every unit its own PSU.", valueName: "col"))
    var psu: String?

    @OptionGroup var indicators: IndicatorArguments<StatsCommand.Host>

    @Option(help: ArgumentHelp("YAML map from role or column names to the file's column names, e.g. 'weight: rb050'. Default: none.", valueName: "map.yaml"))
    var columns: String?

    @Option(help: ArgumentHelp("Worker threads for loading and the bootstrap (results are identical for any number). Default: all cores.", valueName: "n"))
    var threads: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        if householdTotal && householdSize == nil {
            throw ValidationError("--household-total needs --household-size: the household size the total is divided by")
        }
        try indicators.check()
        _ = try settings()
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            let result = try request().run(progress: TerminalProgress(quiet: output.quiet)) { clock.lap($0) }
            try StandardOutput.write(try StatsReport(result).render(output.format))
            if !output.quiet {
                for warning in result.warnings { Diagnostics.note("warning: \(warning)") }
            }
            if output.timings { clock.report() }
        }
    }

    /// The library's request for these options (roles resolved against the column map when it runs).
    func request() throws -> StatsRequest {
        var request = StatsRequest(file: file, columnMapFile: columns, settings: try settings())
        request.roles.income = income
        request.roles.weight = weight
        request.roles.household = household
        request.roles.householdSize = householdSize
        request.roles.householdTotal = householdTotal
        request.roles.stratum = strata
        request.roles.psu = psu
        request.roles.by = indicators.by
        request.roles.age = indicators.ageOptions.age
        request.plan = ParallelPlan(threads: threads)
        return request
    }
}

extension StatsCommand {
    /// `stats`'s variant of the shared indicator options: `--seed`, and `--age COL` after `--by`.
    enum Host: IndicatorArgumentsHost {
        typealias AgeOptions = AgeColumn
        static let seedOption = "seed"
        static let lineHelp = "An absolute poverty line, in welfare units (currency per person or adult equivalent per period); repeat for several. Default: none."
        static let relativeLineHelp = "A relative poverty line as a share (> 0, at most 10) of the median (or of the mean, --relative-to mean); repeat for several. Default: 0.6 (EU-SILC's at-risk-of-poverty threshold) when no --line or --relative-line is given."
        static let equivalenceHelp = "Equivalence scale for household income (needs --household): per-capita, oecd-modified, square-root or parametric."
    }

    /// `--age COL`.
    struct AgeColumn: ParsableArguments {
        @Option(help: ArgumentHelp("Column with age in completed years: indicators by age band, and children for the OECD-modified and parametric scales. Default: the map's 'age' entry, else none.", valueName: "col"))
        var age: String?
    }
}

extension StatsCommand {
    /// The command line's settings (see ``IndicatorArguments/settings(fixedLines:householdIncome:)``).
    func settings() throws -> StatsSettings {
        try indicators.settings(householdIncome: household != nil || householdTotal)
    }
}
