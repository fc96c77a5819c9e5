import Foundation
import SimKernel

/// What `simrun solve` is asked: the parameter of one scenario to solve for, the comparison figure
/// and the value it must take, and the survey, country and year it is computed on.
///
/// The command line only parses its options into a request, calls ``solve(phase:)`` and prints the
/// ``SolveResult`` (SimReport's `SolveOutput`); any other front end gets the same value, figures and
/// messages.
///
/// ```swift
/// let request = SolveRequest(scenarioFile: "inputs/scenarios/universal-child-grant.yaml",
///                            parameter: "amount_per_child", target: try SolveTarget("net_cost_share_gdp=1%"),
///                            country: "example")
/// let result = try request.solve()
/// print(result.solution.value)  // the amount costing 1% of GDP
/// ```
package struct SolveRequest: Sendable {
    /// The scenario file (YAML); the solved parameter is one of its numeric parameters.
    package var scenarioFile: String
    /// The parameter by its path (`amount_per_child`, `COMPONENT.brackets[2].rate`), or `COMPONENT.NAME`.
    package var parameter: String
    /// The figure and the value it must take.
    package var target: SolveTarget
    /// The survey (nil: the scenario's `data:`) and its column map.
    package var data: String?
    package var columns: String?
    /// The country profile (nil: the scenario's `costing.country`); needed for shares of GDP.
    package var country: String?
    /// The simulated year (nil: the scenario's); the solved value is in force from 1 January.
    package var year: Int?
    /// The seed of every random draw.
    package var seed: UInt64
    /// The disclosure threshold of the figures shown (at least 1).
    package var minimumCell: Int
    /// Threads for loading and simulation (the numbers do not depend on it).
    package var plan: ParallelPlan

    package init(scenarioFile: String, parameter: String, target: SolveTarget, data: String? = nil, columns: String? = nil,
                 country: String? = nil, year: Int? = nil, seed: UInt64 = 1, minimumCell: Int = 30,
                 plan: ParallelPlan = ParallelPlan()) {
        self.scenarioFile = scenarioFile
        self.parameter = parameter
        self.target = target
        self.data = data
        self.columns = columns
        self.country = country
        self.year = year
        self.seed = seed
        self.minimumCell = minimumCell
        self.plan = plan
    }

    /// Checks the choices that need no file: the disclosure threshold.
    /// - Throws: ``UsageError`` (the command line's exit 64).
    package static func check(minimumCell: Int) throws {
        if minimumCell < 1 { throw UsageError("--min-cell must be at least 1") }
    }

    /// Loads the survey once, then evaluates the option at the values ``TargetSolver`` asks for
    /// (each value simulated once; the baseline once), until the figure meets the target.
    ///
    /// - Parameter phase: Told `"load"` once the survey is loaded and `"solve"` once the value is found
    ///   (for `--timings`).
    /// - Returns: The solved value, the comparison there and the iterations.
    /// - Throws: `InputError` for the scenario and the survey (an unknown parameter: `InputError/Kind/unknownKey`,
    ///   naming the nearest one); ``UsageError`` for a figure the comparison lacks or `%` for a figure that is not a
    ///   share; ``SolveFailure`` when there is no solution (the target out of reach, the figure undefined).
    package func solve(phase: (String) -> Void = { _ in }) throws -> SolveResult {
        try Self.check(minimumCell: minimumCell)
        let document = try ScenarioDocument(file: scenarioFile)
        let scenario = try document.definition(year: year)
        let parameters = try document.parameters(year: year)
        guard let spec = parameters.first(where: { $0.path == parameter || "\($0.component).\($0.name)" == parameter }) else {
            var message = "no numeric parameter \(InputExcerpt.quoted(parameter)) in this scenario"
            if let near = closestMatch(to: parameter, in: parameters.map(\.path)) { message += "; did you mean '\(near)'?" }
            message += parameters.isEmpty ? "" : " (parameters: \(parameters.map(\.path).joined(separator: ", ")))"
            throw InputError(file: scenarioFile, field: parameter, kind: .unknownKey, message)
        }
        let session = try AnalysisSession(data: data, columns: columns, country: country, scenarios: [scenario], seed: seed,
                                          plan: plan, rule: DisclosureRule(minimumObservations: minimumCell, suppress: false))
        phase("load")
        let evaluator = VariantEvaluator(session: session, documents: [document], year: year)
        // Each value is evaluated once: the solver, the final table and the written file share them.
        var tables: [Double: ComparisonTable] = [:]
        func table(at x: Double) throws -> ComparisonTable {
            if let t = tables[x] { return t }
            let t = try evaluator.table(try evaluator.document(option: 0, setting: [(spec.path, x)]), label: scenarioFile)
            tables[x] = t
            return t
        }
        // The figure and its unit, from the option as it is.
        let current = try table(at: spec.value)
        guard let row = current.row(target.figure) else {
            let keys = current.rows.map(\.key)
            var message = "--target: no figure '\(target.figure)'"
            if let near = closestMatch(to: target.figure, in: keys) { message += "; did you mean '\(near)'?" }
            if session.profile == nil && target.figure.contains("gdp") { message += " (shares of GDP need a country profile: --country)" }
            throw UsageError(message + " (figures: \(keys.joined(separator: ", ")))")
        }
        let isShare: Bool = {
            if case .share = row.unit { return true }
            if case .difference = row.unit { return true }
            return false
        }()
        let targetValue = try target.value(unitIsShare: isShare, unitName: row.unit.dataUnit)
        let solver = TargetSolver(
            parameter: .init(name: spec.path, value: spec.value, minimum: spec.minimum, maximum: spec.maximum, wholeNumber: spec.wholeNumber),
            target: targetValue) { x in try table(at: x).row(target.figure)?.values[0] ?? .nan }
        let solution: TargetSolver.Solution
        do {
            solution = try solver.solve()
        } catch let failure as TargetSolver.Failure {
            throw SolveFailure(reason: failure, scenarioFile: scenarioFile, figure: target.figure, row: row, parameter: spec)
        }
        phase("solve")
        return SolveResult(parameter: spec, figure: target.figure, target: targetValue, unit: row.unit, solution: solution,
                           table: try table(at: solution.value), provenance: try Provenance(session: session, scenarios: [scenario]),
                           document: document, year: year)
    }
}

/// `simrun solve`'s answer: the solved value, every comparison figure there, the iterations and
/// the provenance; rendered by SimReport's `SolveOutput` as text or JSON.
package struct SolveResult: Sendable {
    /// The parameter solved for, as it was before (its valid range, unit and current value).
    package let parameter: EditableParameter
    /// The figure's key and the target in its unit (a share as a fraction).
    package let figure: String
    package let target: Double
    package let unit: FigureUnit
    package let solution: TargetSolver.Solution
    /// The comparison at the solved value.
    package let table: ComparisonTable
    package let provenance: Provenance
    /// The scenario as read and the simulated year (nil: the scenario's), from which the solved scenario is made.
    package let document: ScenarioDocument
    package let year: Int?

    /// The warning when the figure is not monotone in the parameter (another value may also meet the
    /// target), naming the evaluations that show it; nil when it is monotone.
    package var notMonotoneWarning: String? {
        guard let turn = solution.notMonotone else { return nil }
        let points = turn.map { "\(JSONWriter.number($0.value)) → \(JSONWriter.number($0.figure))" }.joined(separator: ", ")
        return "\(figure) is not monotone in \(parameter.path) (\(points)): another value may also meet the target"
    }

    /// The scenario with the solved value in force from 1 January of the simulated year.
    /// - Throws: `InputError` if the value cannot be set (it lies in the valid range, so only for a changed file).
    package func solvedScenario() throws -> ScenarioDocument {
        try VariantEvaluator.document(document, setting: [(parameter.path, solution.value)], year: year)
    }

    /// Writes ``solvedScenario()`` as YAML to `file` (whole or not at all: ``AtomicFile``).
    /// - Returns: The sentence saying what was written where (for standard error).
    /// - Throws: `InputError` of kind `InputError/Kind/cannotCreate` or `InputError/Kind/io`.
    package func writeScenario(to file: String) throws -> String {
        try AtomicFile.write(try solvedScenario().yaml(for: file), to: file)
        return "the scenario with \(parameter.path) = \(JSONWriter.number(solution.value)) written to \(file)"
    }
}

/// No value of the parameter meets the target: the solver's reason with what its message needs
/// (SimReport's `SolveFailure.message` says it, naming the figure's range where the target is out
/// of reach). The command line's exit status is ``kind``'s (65, data).
package struct SolveFailure: Error, Sendable {
    package let reason: TargetSolver.Failure
    package let scenarioFile: String
    package let figure: String
    /// The figure's row at the parameter's current value (its unit and display style).
    package let row: ComparisonTable.Row
    package let parameter: EditableParameter
    /// The kind of input error it is: a target outside what the parameter's valid range reaches.
    package var kind: InputError.Kind { .outOfRange }
}
