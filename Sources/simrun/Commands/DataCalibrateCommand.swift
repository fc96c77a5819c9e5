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
            try SurveyCache.checkReplaceable(out)
            let options = try self.options
            let marginsFile = try CalibrationMarginsFile.load(file: margins)
            let table = try SurveyTable.read(file: file)
            if table.column(named: name) != nil {
                throw InputError(file: file, line: 1, field: name, kind: .duplicate,
                                 "the data already has a column \(InputExcerpt.quoted(name)); choose another --name for the calibrated weights")
            }
            let (weights, design) = try marginsFile.design(for: table, weight: weight, household: household)
            let result: CalibrationResult
            do {
                result = try Calibration.calibrate(weights: weights, design: design, options: options)
            } catch let error as CalibrationError {
                throw marginsFile.inputError(error, table: table, weight: weight, household: household)
            }
            // Interrupted while writing: the temporary file goes, --out is as it was.
            var registration: Int?
            defer { registration.map(InterruptCleanup.shared.unregister) }
            try table.writeCSV(to: out, adding: [(name, result.weights)]) { temporary in
                registration = InterruptCleanup.shared.register { unlink(temporary) }
                InterruptCleanup.pauseForTests()
            }
            let report = CalibrationReport(result: result, options: options, rows: table.rowCount,
                                           households: design.households.map { Set($0).count }, out: out, column: name)
            switch format {
            case .json: try StandardOutput.write(report.json + "\n")
            case .text: if !quiet { Diagnostics.write(report.text) }
            }
        }
    }
}

extension CalibrationMethod: ExpressibleByArgument {}

/// The diagnostics of a calibration, as text lines or JSON.
struct CalibrationReport {
    let result: CalibrationResult
    let options: CalibrationOptions
    let rows: Int
    let households: Int?
    let out: String
    let column: String

    static let quantileNames = ["min", "p01", "p05", "median", "p95", "p99", "max"]

    var text: String {
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

    var json: String {
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
