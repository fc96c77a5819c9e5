import Foundation
import SimAnalysis
import SimKernel

/// What `simrun data describe` prints: a `DataDescription` as a table for people or JSON for
/// programs (docs/data.md, "Describing data"). Nothing here reads data; every number comes from
/// the description (`DataDescriptionRequest/run()`).
package enum DataDescriptionRenderer {
    /// The description in `format` (table or JSON; CSV is not offered and renders as the table).
    package static func render(_ d: DataDescription, _ format: OutputFormat) -> String {
        format == .json ? json(d) : table(d)
    }

    /// A number as the table shows it: grouped, whole numbers without decimals, `n/a` when undefined.
    package static func number(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x == x.rounded(), abs(x) < 1e15 { return ReportNumberFormat.grouped(x, decimals: 0) }
        return ReportNumberFormat.grouped(x, decimals: abs(x) >= 1000 ? 0 : abs(x) >= 10 ? 2 : 3)
    }

    package static func table(_ d: DataDescription) -> String {
        var out = "simrun \(SimrunVersion.current) · data describe\n"
        out += "File     : \(d.file) (\(d.format), \(ReportNumberFormat.grouped(Double(d.rows), decimals: 0)) rows, \(d.variables.count) variables)\n"
        for line in DataPreparationOutput.lines(d.preparation) { out += line + "\n" }
        out += "Weights  : \(d.weight.map { "column \($0)" } ?? "none (every row weighs 1)")\n\n"
        for v in d.variables {
            out += "\(v.name)  [\(v.type)]" + (v.label.map { "  \($0)" } ?? "") + "\n"
            let missing = v.missing.isEmpty ? "none" : v.missing.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
            out += "    present \(ReportNumberFormat.grouped(Double(v.present), decimals: 0)); missing: \(missing)\n"
            if !v.valueLabels.isEmpty {
                let shown = v.valueLabels.prefix(12).map { "\(number($0.value)) \($0.label)" }.joined(separator: "; ")
                out += "    value labels: \(shown)\(v.valueLabels.count > 12 ? "; ... (\(v.valueLabels.count))" : "")\n"
            }
            switch v.summary {
            case .numbers(let mean, let minimum, let q, let maximum):
                out += "    mean \(number(mean)); min \(number(minimum)); p10 \(number(q[0])); p25 \(number(q[1])); median \(number(q[2])); p75 \(number(q[3])); p90 \(number(q[4])); max \(number(maximum))\n"
            case .categories(let shares, let other, let distinct):
                let text = shares.prefix(12).map { "\($0.label) \(String(format: "%.1f%%", $0.share * 100))" }.joined(separator: "; ")
                let rest = shares.count > 12 || other > 0 ? "; ... (\(distinct) categories)" : ""
                out += "    shares: \(text)\(rest)\n"
            case .empty:
                out += "    no value present\n"
            }
        }
        return out
    }

    package static func json(_ d: DataDescription) -> String {
        let variables: [JSONWriter.Value] = d.variables.map { v in
            var summary: JSONWriter.Value
            switch v.summary {
            case .numbers(let mean, let minimum, let q, let maximum):
                summary = .object([("mean", .number(mean)), ("min", .number(minimum)), ("p10", .number(q[0])), ("p25", .number(q[1])),
                                   ("median", .number(q[2])), ("p75", .number(q[3])), ("p90", .number(q[4])), ("max", .number(maximum))])
            case .categories(let shares, let other, let distinct):
                summary = .object([("categories", .array(shares.map { .object([("label", .string($0.label)), ("share", .number($0.share))]) })),
                                   ("other_share", .number(other)), ("distinct", .number(Double(distinct)))])
            case .empty:
                summary = .null
            }
            return .object([
                ("name", .string(v.name)), ("type", .string(v.type)), ("label", v.label.map { .string($0) } ?? .null),
                ("value_labels", .array(v.valueLabels.map { .object([("value", .number($0.value)), ("label", .string($0.label))]) })),
                ("present", .number(Double(v.present))),
                ("missing", .object(v.missing.map { ($0.kind, .number(Double($0.count))) })),
                ("summary", summary),
            ])
        }
        return JSONWriter.document(.object([
            ("file", .string(d.file)), ("format", .string(d.format.description)), ("rows", .number(Double(d.rows))),
            ("weight", d.weight.map { .string($0) } ?? .null),
            ("data_preparation", DataPreparationOutput.json(d.preparation)),
            ("variables", .array(variables)),
        ])) + "\n"
    }
}
