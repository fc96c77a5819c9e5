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

    @Option(name: .long, help: ArgumentHelp(
        "Seed of every random draw (take-up, durations, assessment error); the same seed gives the same results. Default: 1.",
        valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Rerun every stochastic part this many times (seeds derived from --seed) and report each indicator's mean and 2.5-97.5 percentile band. Default: 1.",
        valueName: "r"))
    var replications: Int = 1

    func validate() throws {
        if chunkSize < 1 { throw ValidationError("--chunk-size must be at least 1 (got \(chunkSize))") }
        if replications < 1 { throw ValidationError("--replications must be at least 1 (got \(replications))") }
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
            let simulator = Simulator(plan: dataOptions.plan, chunkSize: chunkSize)
            let progress = ProgressBar(total: replications, label: "replications", quiet: output.quiet || replications < 2)
            var runs: [ScenarioRun] = []
            for r in 0..<replications {
                let context = RunContext(seed: RunContext.seed(run: seed, replication: r), replication: r, year: scenario.year)
                runs.append(ScenarioRun(scenario: scenario, population: population, simulator: simulator, context: context))
                progress.advance()
            }
            progress.finish()
            clock.lap("simulate+statistics")
            let provenance = try Provenance(
                dataFile: dataFile, scenario: scenario, columnMap: dataOptions.columns, population: population,
                seed: seed, replications: replications)
            clock.lap("checksums")
            let report = RunReport(runs: runs, provenance: provenance)
            FileHandle.standardOutput.write(Data(report.render(output.format).utf8))
            if output.timings { clock.report() }
        }
    }
}
