import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// `simrun solve SCENARIO.yaml --parameter NAME --target FIGURE=VALUE`: the parameter value
/// at which a comparison figure meets a target.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Find the parameter value at which a comparison figure meets a target (e.g. the amount costing 1% of GDP).",
        discussion: """
            NAME is a numeric parameter of the scenario by its path (amount_per_child, COMPONENT.PARAM, \
            COMPONENT.brackets[2].rate: docs/scenarios.md, "Parameter paths"). FIGURE is a figure of scenario compare by \
            its JSON key (net_cost_share_gdp, net_cost_annual, fgt0_change, lifted_out, ...), VALUE in its unit \
            (a share as a fraction, or with %: net_cost_share_gdp=1%); --target budget-neutral means net_cost_annual=0.

            The search runs over the parameter's valid range (an open end is searched outwards from the current \
            value): GSL's Brent solver for a number, bisection for a whole number. It stops when the figure is within \
            1e-7 of the target (relative; of the figure's scale for a target of 0), or where the figure jumps across \
            the target (a step function: both sides are shown). It says when the figure is not monotone in the \
            parameter, and fails, naming the figure's range, when the target is out of reach. docs/solve-and-sweep.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The scenario file (YAML).", valueName: "scenario.yaml"))
    var scenarioFile: String

    @Option(name: .long, help: ArgumentHelp("The parameter to solve for, by its path (docs/scenarios.md).", valueName: "name"))
    var parameter: String

    @Option(name: .long, help: ArgumentHelp("FIGURE=VALUE (a figure of scenario compare by its JSON key; 2% allowed for shares) or budget-neutral.",
                                            valueName: "figure=value"))
    var target: String

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp(
        "Country profile: a name under inputs/countries or a YAML path (needed for shares of GDP). Default: the scenario's costing.country.",
        valueName: "name|file"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("Simulation year; the solved value is in force from 1 January. Default: the scenario's year.",
                                            valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: "Output format: table (for people) or json (docs/solve-and-sweep.md). Default: table.")
    var format: SolveFormat = .table

    @Option(name: .long, help: ArgumentHelp("Also write the scenario with the solved value as YAML to this file.", valueName: "file"))
    var write: String?

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold of the figures shown. Default: 30.", valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Print load and solve times to standard error.")
    var timings = false

    @Flag(name: .long, help: "Print nothing on standard error but errors and warnings.")
    var quiet = false

    enum SolveFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func validate() throws {
        do {
            _ = try SolveTarget(target)
            try SolveRequest.check(minimumCell: minCell)
        } catch let error as UsageError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        GSL.prepare()
        FreedMemoryReuse.enable()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            let request = SolveRequest(scenarioFile: scenarioFile, parameter: parameter, target: try SolveTarget(target),
                                       data: dataOptions.data, columns: dataOptions.columns, country: country, year: year,
                                       seed: seed, minimumCell: minCell, plan: dataOptions.plan)
            let result: SolveResult
            do {
                result = try request.solve { clock.lap($0) }
            } catch let failure as SolveFailure {
                throw failure.inputError
            }
            if let warning = result.notMonotoneWarning { Diagnostics.note("warning: " + warning) }
            if let write {
                let note = try result.writeScenario(to: write)
                if !quiet { Diagnostics.note(note) }
            }
            let output = SolveOutput(result)
            try StandardOutput.write(format == .json ? output.json() : output.text())
            if timings { clock.report() }
        }
    }
}
