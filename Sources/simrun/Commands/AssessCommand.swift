import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// `simrun assess A.yaml [B.yaml ...]`: the coverage-gap assessment.
struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Coverage-gap assessment: for each social protection floor group, coverage and poverty today and under each option.",
        discussion: """
            Groups: children (0-17); working age (18-64) who are unemployed or have a severe disability; \
            women of any age who are pregnant or gave birth in the last 12 months; older persons (--older-age \
            and over). Covered: receiving some benefit of the system, or a contributory pension \
            (pension_income > 0). Poor: welfare (the scenario's welfare: concept, docs/welfare.md; by default per-capita household disposable income) below the scenario's poverty \
            line. Each option is set against its own baseline, in its own year (the scenario's year:, or \
            --year); when all options share the same baseline figures one "today" column is shown. Groups whose \
            variables the data lacks are named on standard error and in the output. Definitions: \
            docs/costing.md and docs/statistics.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("One or more scenario files (the options).", valueName: "scenario.yaml"))
    var scenarioFiles: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Age from which a person counts as older. Default: 65.", valueName: "years"))
    var olderAge: Int = 65

    @Option(name: .long, help: ArgumentHelp("Simulation year for every option (parameters in force on 1 January). Default: each scenario's year.", valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold: groups with fewer unweighted persons than this are flagged (or, with --suppress-small-cells, withheld). Default: 30.", valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Withhold groups below --min-cell instead of flagging them.")
    var suppressSmallCells = false

    func validate() throws {
        if scenarioFiles.isEmpty { throw ValidationError("assess needs at least one scenario file") }
        if !(1...120).contains(olderAge) { throw ValidationError("--older-age must be between 1 and 120") }
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
    }

    var rule: DisclosureRule { DisclosureRule(minimumObservations: minCell, suppress: suppressSmallCells) }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            let scenarios = try scenarioFiles.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard, year: year) }
            let dataFile = try OptionInputs.dataFile(dataOptions.data, scenarios: scenarios)
            let result = try CoverageAnalysis(scenarios: scenarios, dataFile: dataFile, columnMap: try dataOptions.columnMap(),
                                              olderAge: olderAge, seed: seed, plan: dataOptions.plan)
            if !output.quiet {
                for s in result.assessment.skipped { Diagnostics.note("group '\(s.name)' not assessed: \(s.reason)") }
            }
            let text = AssessmentRenderer(record: AssessmentRecord(result, rule: rule)).render(output.format)
            try StandardOutput.write(text)
        }
    }
}
