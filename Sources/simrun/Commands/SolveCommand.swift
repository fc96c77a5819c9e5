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
        _ = try SolveTarget(target)
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
    }

    func run() throws {
        GSL.prepare()
        FreedMemoryReuse.enable()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            let goal = try SolveTarget(target)
            let document = try ScenarioDocument(file: scenarioFile)
            let scenario = try document.definition(year: year)
            let parameters = try document.parameters(year: year)
            guard let spec = parameters.first(where: { $0.path == parameter || "\($0.component).\($0.name)" == parameter }) else {
                var message = "no numeric parameter \(InputExcerpt.quoted(parameter)) in this scenario"
                if let near = closestMatch(to: parameter, in: parameters.map(\.path)) { message += "; did you mean '\(near)'?" }
                message += parameters.isEmpty ? "" : " (parameters: \(parameters.map(\.path).joined(separator: ", ")))"
                throw InputError(file: scenarioFile, field: parameter, kind: .unknownKey, message)
            }
            let session = try AnalysisSession(data: dataOptions.data, columns: dataOptions.columns, country: country,
                                              scenarios: [scenario], seed: seed, plan: dataOptions.plan,
                                              rule: DisclosureRule(minimumObservations: minCell, suppress: false))
            clock.lap("load")
            let evaluator = VariantEvaluator(session: session, documents: [document], year: year)
            var tables: [Double: ComparisonTable] = [:]
            func table(at x: Double) throws -> ComparisonTable {
                if let t = tables[x] { return t }
                let t = try evaluator.table(try evaluator.document(option: 0, setting: [(spec.path, x)]), label: scenarioFile)
                tables[x] = t
                return t
            }
            // The figure and its unit, from the option as it is.
            let current = try table(at: spec.value)
            guard let row = current.row(goal.figure) else {
                let keys = current.rows.map(\.key)
                var message = "--target: no figure '\(goal.figure)'"
                if let near = closestMatch(to: goal.figure, in: keys) { message += "; did you mean '\(near)'?" }
                if session.profile == nil && goal.figure.contains("gdp") { message += " (shares of GDP need a country profile: --country)" }
                throw ValidationError(message + " (figures: \(keys.joined(separator: ", ")))")
            }
            let isShare: Bool = { if case .share = row.unit { return true }; if case .difference = row.unit { return true }; return false }()
            let targetValue = try goal.value(unitIsShare: isShare, unitName: row.unit.dataUnit)
            let solver = TargetSolver(
                parameter: .init(name: spec.path, value: spec.value, minimum: spec.minimum, maximum: spec.maximum, wholeNumber: spec.wholeNumber),
                target: targetValue) { x in try table(at: x).row(goal.figure)?.values[0] ?? .nan }
            let solution: TargetSolver.Solution
            do {
                solution = try solver.solve()
            } catch let failure as TargetSolver.Failure {
                throw InputError(file: scenarioFile, field: spec.path, kind: .outOfRange, describe(failure, figure: goal.figure, row: row, parameter: spec))
            }
            clock.lap("solve")
            let final = try table(at: solution.value)
            if let turn = solution.notMonotone {
                let points = turn.map { "\(JSONWriter.number($0.value)) → \(JSONWriter.number($0.figure))" }.joined(separator: ", ")
                Diagnostics.note("warning: \(goal.figure) is not monotone in \(spec.path) (\(points)): another value may also meet the target")
            }
            if let write {
                let solved = try evaluator.document(option: 0, setting: [(spec.path, solution.value)])
                try AtomicFile.write(try solved.yaml(for: write), to: write)
                if !quiet { Diagnostics.note("the scenario with \(spec.path) = \(JSONWriter.number(solution.value)) written to \(write)") }
            }
            let output = SolveOutput(parameter: spec, figure: goal.figure, target: targetValue, unit: row.unit, solution: solution,
                                     table: final, provenance: try Provenance(session: session, scenarios: [scenario]).solveJSON())
            try StandardOutput.write(format == .json ? output.json() : output.text())
            if timings { clock.report() }
        }
    }

    /// A failure in words, naming the figure's range where the target is out of reach.
    func describe(_ failure: TargetSolver.Failure, figure: String, row: ComparisonTable.Row, parameter: EditableParameter) -> String {
        let show = { (x: Double) in ComparisonRenderer.show(x, row.style) }
        switch failure {
        case .unreachable(let range, let over):
            return "the target is out of reach: \(figure) ranges from \(show(range.lowerBound)) to \(show(range.upperBound)) (\(JSONWriter.number(range.lowerBound)) to \(JSONWriter.number(range.upperBound)) \(row.unit.dataUnit)) as \(parameter.path) goes from \(JSONWriter.number(over.lowerBound)) to \(JSONWriter.number(over.upperBound))"
                + (parameter.minimum == nil || parameter.maximum == nil ? " (searched outwards from its current value \(JSONWriter.number(parameter.value)); its valid range is open)" : " (its valid range)")
        case .undefined(let x):
            return "\(figure) is undefined (not a number) at \(parameter.path) = \(JSONWriter.number(x)); choose another figure"
        case .noConvergence(let reason):
            return "the solver did not converge: \(reason)"
        }
    }
}
