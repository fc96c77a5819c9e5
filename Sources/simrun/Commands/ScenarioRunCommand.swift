import ArgumentParser
import Foundation
import Scenarios
import SimKernel

/// `simrun scenario run FILE`: baseline, reform and change on survey data.
struct ScenarioRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a reform scenario: annual cost, beneficiaries, poverty (FGT 0-2) and Gini, before and after.",
        discussion: """
            Prints, for the baseline system, the reform and their difference (reform minus baseline): \
            the annual gross cost of benefits (currency per year), revenue from taxes and contributions, \
            weighted beneficiaries (persons), FGT(0), FGT(1), FGT(2) at the scenario's poverty line and the \
            Gini coefficient of per-capita household disposable income, plus a line per component.

            Example:
              simrun scenario run inputs/scenarios/universal-child-grant.yaml
              simrun scenario run my-reform.yaml --data survey.csv --columns my-columns.yaml --format json
            """
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

    func validate() throws {
        if chunkSize < 1 { throw ValidationError("--chunk-size must be at least 1 (got \(chunkSize))") }
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard, year: year)
            guard let dataFile = dataOptions.data ?? scenario.defaultData else {
                throw ValidationError("no data: the scenario names no example data ('data:'); give --data FILE")
            }
            let loader = SurveyLoader(columnMap: try dataOptions.columnMap(), plan: dataOptions.plan)
            let population = try loader.load(file: dataFile, variables: ScenarioRun.variables(of: scenario))
            clock.lap("load")
            let run = ScenarioRun(scenario: scenario, population: population,
                                  simulator: Simulator(plan: dataOptions.plan, chunkSize: chunkSize))
            clock.lap("simulate+statistics")
            let provenance = try Provenance(
                dataFile: dataFile, scenario: scenario, columnMap: dataOptions.columns, population: population)
            clock.lap("checksums")
            let report = RunReport(run: run, provenance: provenance)
            FileHandle.standardOutput.write(Data(report.render(output.format).utf8))
            if output.timings { clock.report() }
        }
    }
}
