import SimReport
import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// How results are written to standard output.
extension OutputFormat: ExpressibleByArgument {}

/// Options every command that reads survey data shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The survey: a person-level CSV, Stata .dta or SPSS .sav/.zsav file (one row per person, members of a household adjacent), a data recipe (.yaml: household and person files, docs/data.md) or a binary survey (.simdata). Default: the example data the scenario names (its 'data:' key).",
        valueName: "file"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "YAML map from model variables to the file's column names, e.g. 'hh_id: hhid'. Default: every variable under its own name.",
        valueName: "map.yaml"))
    var columns: String?

    @Option(name: .long, help: ArgumentHelp(
        "Worker threads for loading and simulation (results are identical for any number). Default: all cores.",
        valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    var plan: ParallelPlan { ParallelPlan(threads: threads) }

    func columnMap() throws -> ColumnMap {
        guard let columns else { return ColumnMap() }
        return try ColumnMap(file: columns)
    }
}

/// Options for where results go and what else is said.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table (for people), json (for programs, see docs/output.md) or csv (for spreadsheets). Default: table.")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Print load, simulation and statistics times to standard error (never to the results).")
    var timings = false

    @Flag(name: .long, help: "Print nothing on standard error but errors.")
    var quiet = false
}

/// The one place errors become messages and exit codes.
enum ErrorFunnel {
    /// Runs `body`, turning input errors into a message on standard error and exit status 65.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            Diagnostics.error(error.description)
            throw ExitCode(error.exitStatus)
        } catch let error as UsageError {
            // A bad option value found by the library: the command line's usage error (exit 64).
            throw ValidationError(error.description)
        } catch let error as StatisticsError {
            Diagnostics.error(error.description)
            throw ExitCode(65)
        }
    }
}

/// Standard-error output. A failed write to standard error is ignored
/// (there is nowhere left to report it), never a crash.
enum Diagnostics {
    static func error(_ message: String) {
        write("simrun: error: \(message)\n")
    }

    static func note(_ message: String) {
        write("simrun: \(message)\n")
    }

    /// Writes `text` to standard error as it is.
    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

/// Standard output: the results.
enum StandardOutput {
    /// Writes `text` to standard output.
    ///
    /// - Throws: ``InputError`` of kind ``InputError/Kind/io`` (exit 74) if
    ///   the write fails (a full disk, a closed pipe), instead of crashing.
    static func write(_ text: String) throws {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            throw InputError(file: "standard output", kind: .io, "cannot write the results: \(ReportError.reason(error))")
        }
    }
}

/// A wall-clock stopwatch for `--timings`.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [(String, Double)] = []

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((name, Double(now - last) / 1e9))
        last = now
    }

    func report() {
        let total = laps.reduce(0) { $0 + $1.1 }
        let parts = laps.map { String(format: "%@ %.3f s", $0.0, $0.1) }.joined(separator: ", ")
        Diagnostics.note("timings: \(parts); total \(String(format: "%.3f", total)) s")
    }
}
