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
            let description = try DataDescriptionRequest(file: file, weight: weight, unweighted: unweighted).run()
            try StandardOutput.write(DataDescriptionRenderer.render(description, format))
        }
    }
}
