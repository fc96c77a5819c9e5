import Foundation
import SimAnalysis
import SimKernel

/// `simrun solve`'s output: the solved value, every comparison figure there and the iterations
/// (`SolveResult` as text or JSON).
package struct SolveOutput {
    /// What is shown: the solved value, the comparison there and the iterations.
    package let result: SolveResult

    private var status: (name: String, detail: String) {
        switch result.solution.status {
        case .met:
            return ("met", "met to \(TargetSolver.relativeTolerance) relative")
        case .step(let below, let above):
            return ("step", "\(result.figure) jumps across the target between \(result.parameter.path) = \(JSONWriter.number(below.value)) (\(JSONWriter.number(below.figure))) and \(JSONWriter.number(above.value)) (\(JSONWriter.number(above.figure))); the value shown is the side nearer the target")
        }
    }

    /// `{"parameter", "value", "figures", "iterations", ...}` (docs/solve-and-sweep.md).
    package func json() -> String {
        var fields: [(String, JSONWriter.Value)] = [
            ("parameter", .string(result.parameter.path)),
            ("value", .number(result.solution.value)),
            ("target", .object([("figure", .string(result.figure)), ("value", .number(result.target)), ("unit", .string(result.unit.dataUnit))])),
            ("status", .string(status.name)),
        ]
        if case .step(let below, let above) = result.solution.status {
            fields.append(("step", .object([("below", point(below)), ("above", point(above))])))
        }
        fields += [
            ("relative_tolerance", .number(TargetSolver.relativeTolerance)),
            ("monotone", .bool(result.solution.notMonotone == nil)),
            ("figures", .object(result.table.rows.map { ($0.key, .number($0.values[0])) })),
            ("units", .object(result.table.rows.map { ($0.key, .string($0.unit.dataUnit)) })),
            ("flagged_small_cells", .array(result.table.rows.filter { $0.disclosure[0] != .shown }.map { .string($0.key) })),
            ("iterations", .array(result.solution.iterations.map(point))),
            ("provenance", .object(result.provenance.solveJSON())),
        ]
        return JSONWriter.document(.object(fields)) + "\n"
    }

    private func point(_ i: TargetSolver.Iteration) -> JSONWriter.Value {
        .object([("value", .number(i.value)), (result.figure, .number(i.figure))])
    }

    /// For people: the value, the status, the figures, the iterations.
    package func text() -> String {
        var out = "\(result.parameter.path) = \(JSONWriter.number(result.solution.value))\(result.parameter.unit.isEmpty ? "" : " \(result.parameter.unit)")"
            + " gives \(result.figure) = \(JSONWriter.number(result.target)) (\(status.detail))\n"
        if let turn = result.solution.notMonotone {
            out += "Warning: \(result.figure) is not monotone in \(result.parameter.path) near "
                + turn.map { JSONWriter.number($0.value) }.joined(separator: ", ") + ": another value may also meet the target.\n"
        }
        out += "\nFigures at this value:\n"
        let labelWidth = result.table.rows.map { $0.key.count }.max() ?? 0
        for row in result.table.rows {
            var cell = ComparisonRenderer.show(row.values[0], row.style)
            if row.disclosure[0] != .shown { cell += " *" }
            out += "  " + row.key.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + cell + "  (\(row.unit.label))\n"
        }
        if result.table.rows.contains(where: { $0.disclosure[0] != .shown }) {
            out += "  * computed from fewer than \(result.table.minimumCell) unweighted observations.\n"
        }
        out += "\nIterations (\(result.solution.iterations.count) evaluations):\n"
        for (n, i) in result.solution.iterations.enumerated() {
            out += "  \(n + 1). \(result.parameter.path) = \(JSONWriter.number(i.value)): \(result.figure) = \(JSONWriter.number(i.figure))\n"
        }
        return out
    }

    /// The output of a solved request (`SolveRequest.solve(phase:)`).
    package init(_ result: SolveResult) {
        self.result = result
    }
}

extension SolveFailure {
    /// The failure in words, naming the figure's range (as shown and in its unit) where the target is out of reach.
    package var message: String {
        let show = { (x: Double) in ComparisonRenderer.show(x, row.style) }
        switch reason {
        case .unreachable(let range, let over):
            return "the target is out of reach: \(figure) ranges from \(show(range.lowerBound)) to \(show(range.upperBound)) (\(JSONWriter.number(range.lowerBound)) to \(JSONWriter.number(range.upperBound)) \(row.unit.dataUnit)) as \(parameter.path) goes from \(JSONWriter.number(over.lowerBound)) to \(JSONWriter.number(over.upperBound))"
                + (parameter.minimum == nil || parameter.maximum == nil ? " (searched outwards from its current value \(JSONWriter.number(parameter.value)); its valid range is open)" : " (its valid range)")
        case .undefined(let x):
            return "\(figure) is undefined (not a number) at \(parameter.path) = \(JSONWriter.number(x)); choose another figure"
        case .noConvergence(let reason):
            return "the solver did not converge: \(reason)"
        }
    }

    /// The failure as the input error the command line reports: the scenario file, the parameter, ``message``.
    package var inputError: InputError {
        InputError(file: scenarioFile, field: parameter.path, kind: kind, message)
    }
}
