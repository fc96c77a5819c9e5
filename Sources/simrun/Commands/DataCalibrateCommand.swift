import SimReport
import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// `simrun data calibrate persons.csv --weight w --margins margins.yaml --out calibrated.csv`.
struct DataCalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate survey weights to known totals (as R survey's calibrate()) and write the data with the new weights.",
        discussion: """
            Reads FILE as delivered (CSV; whatever other formats simrun reads), calibrates the weights in --weight \
            so that their weighted totals equal the margins in --margins, and writes FILE's columns plus one \
            (--name) to --out as CSV. The margins file maps each categorical column to {category: total, ...} \
            (every category present in the data listed; a numeric column's categories are its values, or its \
            value labels) and each numeric column to its total, under a 'margins:' key; JSON works too. \
            Methods: linear (GREG), raking, logit (needs --bounds), with R survey 4.1's iteration and \
            stopping rule; --bounds limits calibrated/initial weight ratios during the iteration, --trim \
            limits them afterwards and spreads the trimmed weight over the other rows (keeping the sum \
            of the weights, not every margin); --household keeps one weight per household. Diagnostics \
            (iterations, largest remaining deviation from a margin, quantiles of the weight ratios) go to \
            standard error, or as JSON to standard output with --format json. --out is written to a temporary \
            file and renamed into place; it may not be the input or margins file. Definitions: docs/calibration.md.
            """ + ExitStatus.paragraph)

    /// The form of the diagnostics.
    enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: ArgumentHelp("The survey data file (one row per person or household).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The column of initial weights (each > 0).", valueName: "column"))
    var weight: String

    @Option(name: .long, help: ArgumentHelp("YAML (or JSON) file of known totals: margins: {column: {category: total, ...}, column: total}.", valueName: "margins.yaml"))
    var margins: String

    @Option(name: .long, help: ArgumentHelp("Household id column: members keep one weight (calibration on household totals). Default: none.", valueName: "column"))
    var household: String?

    @Option(name: .long, help: "Distance function: linear (GREG), raking or logit. Default: linear.")
    var method: CalibrationMethod = .linear

    @Option(name: .long, help: ArgumentHelp("Bounds on calibrated / initial weight during the iteration, e.g. 0.5,2 (LOW < 1 < HIGH). Default: none; logit needs them.", valueName: "low,high"))
    var bounds: String?

    @Option(name: .long, help: ArgumentHelp("Trim calibrated / initial weight to [LOW, HIGH] afterwards, redistributing the trimmed weight. Default: none.", valueName: "low,high"))
    var trim: String?

    @Option(name: .long, help: ArgumentHelp("Name of the new weight column. Default: calibrated_weight.", valueName: "column"))
    var name = "calibrated_weight"

    @Option(name: .long, help: ArgumentHelp("Largest number of iterations (R's maxit). Default: 50.", valueName: "n"))
    var maxIterations = 50

    @Option(name: .long, help: ArgumentHelp("Stop when every |misfit| / (1 + |total|) is below this (R's epsilon). Default: 1e-7.", valueName: "x"))
    var epsilon = 1e-7

    @Option(name: .long, help: ArgumentHelp("The CSV file to write: a new path or a regular file to replace.", valueName: "out.csv"))
    var out: String

    @Option(name: .long, help: "Diagnostics as text on standard error, or as JSON on standard output. Default: text.")
    var format: DiagnosticsFormat = .text

    @Flag(name: .long, help: "Print nothing on standard error but errors.")
    var quiet = false

    /// `LOW,HIGH` as bounds.
    static func limits(_ text: String, option: String) throws -> CalibrationBounds {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]), low.isFinite, high.isFinite else {
            throw ValidationError("\(option) expects two numbers LOW,HIGH such as 0.5,2 (got \(InputExcerpt.quoted(text)))")
        }
        return CalibrationBounds(lower: low, upper: high)
    }

    var options: CalibrationOptions {
        get throws {
            CalibrationOptions(method: method, bounds: try bounds.map { try Self.limits($0, option: "--bounds") } ?? .unbounded,
                               trim: try trim.map { try Self.limits($0, option: "--trim") }, epsilon: epsilon, maxIterations: maxIterations)
        }
    }

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out needs a file name") }
        if name.isEmpty { throw ValidationError("--name needs a column name") }
        if !(1...1000).contains(maxIterations) { throw ValidationError("--max-iterations must be between 1 and 1000 (got \(maxIterations))") }
        do {
            try options.validate()
        } catch let error as CalibrationError {
            throw ValidationError(error.description)
        }
        for (input, what) in [(file, "the input file"), (margins, "the margins file")] {
            if out == input { throw ValidationError("--out must differ from \(what)") }
            var a = stat(), b = stat()
            if stat(input, &a) == 0, stat(out, &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino {
                throw ValidationError("--out \(out) is \(what) \(input); write the calibrated data elsewhere")
            }
        }
    }

    func run() throws {
        try ErrorFunnel.run {
            var request = DataCalibrationRequest(file: file, weight: weight, marginsFile: margins, options: try options, out: out)
            request.household = household
            request.column = name
            let report = try request.run()
            switch format {
            case .json: try StandardOutput.write(report.json + "\n")
            case .text: if !quiet { Diagnostics.write(report.text) }
            }
        }
    }
}

extension CalibrationMethod: ExpressibleByArgument {}
