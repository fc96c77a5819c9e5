import SimReport
import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// `simrun data describe FILE|RECIPE`: every variable with its type, label,
/// value labels, missing values by kind and a weighted summary.
struct DataDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe a data file or a recipe's result: each variable's type, label, value labels, missing values by kind and weighted summary.",
        discussion: """
            FILE is a CSV, Stata .dta, SPSS .sav/.zsav file or a data recipe (.yaml; its result is described, \
            with what it dropped). Numbers: weighted mean, minimum, 10/25/50/75/90% quantiles (laeken's \
            definition) and maximum of the values present; variables with value labels and text: each \
            category's weighted share (at most 30, the rest summed). Rows are weighted by --weight, by a \
            column named 'weight' when there is one, otherwise equally. Definitions: docs/data.md, "Describing data".
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The data file or recipe.", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The column to weight rows by. Default: 'weight' if the file has it, else every row weighs 1.", valueName: "column"))
    var weight: String?

    @Flag(name: .long, help: "Weigh every row equally even if there is a 'weight' column.")
    var unweighted = false

    @Option(name: .long, help: "Output format: table or json. Default: table.")
    var format: OutputFormat = .table

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv is not offered for describe; use table or json") }
        if unweighted, weight != nil { throw ValidationError("--weight and --unweighted exclude each other") }
    }

    func run() throws {
        try ErrorFunnel.run {
            let description: DataDescription
            if SurveyRecipe.isRecipe(file) {
                let prepared = try SurveyRecipe(file: file).assemble()
                description = try DataDescription(table: prepared.table, weight: unweighted ? nil : (weight ?? "weight"),
                                                  origin: prepared.origin, preparation: prepared.preparation)
            } else {
                let table = try SurveyTable.read(file: file)
                let chosen = unweighted ? nil : weight ?? (table.column(named: "weight") != nil ? "weight" : nil)
                description = try DataDescription(table: table, weight: chosen)
            }
            try StandardOutput.write(format == .json ? Self.json(description) : Self.table(description))
        }
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x == x.rounded(), abs(x) < 1e15 { return ReportNumberFormat.grouped(x, decimals: 0) }
        return ReportNumberFormat.grouped(x, decimals: abs(x) >= 1000 ? 0 : abs(x) >= 10 ? 2 : 3)
    }

    static func table(_ d: DataDescription) -> String {
        var out = "simrun \(Simrun.version) · data describe\n"
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

    static func json(_ d: DataDescription) -> String {
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
