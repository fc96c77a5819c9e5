import Foundation
import SimAnalysis
import SimKernel

/// The diagnostics of `simrun data calibrate` (``DataCalibrationRequest/run()``): text lines for
/// standard error, or JSON for standard output (`--format json`; docs/calibration.md).
extension CalibrationReport {
    /// The names of ``CalibrationResult/ratioQuantiles`` in JSON.
    package static let quantileNames = ["min", "p01", "p05", "median", "p95", "p99", "max"]

    /// The diagnostics as `simrun: ...` lines: settings and iterations, the largest remaining deviation,
    /// the quantiles of the weight ratios, and what was written.
    package var text: String {
        func g(_ x: Double) -> String { String(format: "%.6g", x) }
        var settings = "\(options.method)"
        if !options.bounds.isUnbounded { settings += ", bounds \(g(options.bounds.lower))-\(g(options.bounds.upper))" }
        if let trim = options.trim { settings += ", trim \(g(trim.lower))-\(g(trim.upper))" }
        if let households { settings += ", \(households) households" }
        var lines = ["calibrated \(rows) weights (\(settings)) in \(result.iterations) iteration\(result.iterations == 1 ? "" : "s")"
            + (result.rescaling.map { "; initial weights rescaled by \(g($0)) first" } ?? "")
            + (options.trim == nil ? "" : "; \(result.trimmedCount) ratio\(result.trimmedCount == 1 ? "" : "s") trimmed")]
        if let a = result.largestAbsoluteDeviation, let r = result.largestRelativeDeviation {
            lines.append("largest remaining deviation from a margin: \(g(a.absolute)) (\(a.cell)); relative \(g(r.relative)) (\(r.cell))")
        }
        let q = zip(["min", "1%", "5%", "median", "95%", "99%", "max"], result.ratioQuantiles).map { "\($0) \(g($1.value))" }
        lines.append("calibrated / initial weight: " + q.joined(separator: ", "))
        lines.append("wrote \(out): \(rows) rows with the new column \(column)")
        return lines.map { "simrun: \($0)\n" }.joined()
    }

    /// The diagnostics as one JSON object (no final newline): settings, iterations, deviations and ratio quantiles.
    package var json: String {
        func cell(_ d: CalibrationDeviation) -> JSONWriter.Value {
            .object([("margin", .string(d.margin)), ("category", d.category.map { .string($0) } ?? .null),
                     ("total", .number(d.target)), ("achieved", .number(d.achieved)),
                     ("deviation", .number(d.achieved - d.target)), ("relative_deviation", .number(d.relative))])
        }
        func limits(_ b: CalibrationBounds?) -> JSONWriter.Value {
            guard let b, !b.isUnbounded else { return .null }
            return .array([.number(b.lower), .number(b.upper)])
        }
        let value: JSONWriter.Value = .object([
            ("out", .string(out)), ("column", .string(column)), ("method", .string(options.method.rawValue)),
            ("bounds", limits(options.bounds)), ("trim", limits(options.trim)),
            ("rows", .number(Double(rows))), ("households", households.map { .number(Double($0)) } ?? .null),
            ("iterations", .number(Double(result.iterations))),
            ("rescaling", result.rescaling.map { .number($0) } ?? .null),
            ("trimmed", .number(Double(result.trimmedCount))),
            ("largest_absolute_deviation", result.largestAbsoluteDeviation.map(cell) ?? .null),
            ("largest_relative_deviation", result.largestRelativeDeviation.map(cell) ?? .null),
            ("ratio_quantiles", .object(zip(Self.quantileNames, result.ratioQuantiles).map { ($0, .number($1.value)) })),
            ("margins", .array(result.deviations.map(cell))),
        ])
        return JSONWriter.document(value)
    }
}
