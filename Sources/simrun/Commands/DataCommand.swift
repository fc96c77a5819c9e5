import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import SimKernel

/// `simrun data`: prepare survey data.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Prepare survey data: import a file or recipe into simrun's binary survey format, describe it, calibrate its weights.",
        discussion: ExitStatus.help,
        subcommands: [DataImportCommand.self, DataDescribeCommand.self, DataCalibrateCommand.self])
}

/// `simrun data import persons.csv --out survey.simdata`.
struct DataImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check a person-level CSV and write it as a binary survey file that runs load in milliseconds.",
        discussion: """
            Every column of the CSV is checked and stored: SPEC.md's variables with their kinds and ranges, \
            other numeric columns as numbers, other columns as categories. The binary file (format: \
            docs/performance.md) holds the columns as they lie in memory, each with a checksum, and records \
            the CSV's path, size, modification time and SHA-256; `scenario run --data survey.simdata` refuses \
            it if that CSV has changed since. A column map (--columns) is applied now, once. \
            The file is written to a temporary file beside it and renamed into place, so --out never holds \
            half a file; --out may be a new path or an existing regular file, and anything else there (a \
            symbolic link, folder, FIFO or device) is refused and left as it was (exit 73).
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The person-level survey CSV.", valueName: "persons.csv"))
    var csv: String

    @Option(name: .long, help: ArgumentHelp("The binary survey file to write (by convention *.simdata): a new path or a regular file to replace.", valueName: "file"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("YAML map from model variables to the CSV's column names. Default: none.", valueName: "map.yaml"))
    var columns: String?

    @Option(name: .long, help: ArgumentHelp("Worker threads. Default: all cores.", valueName: "n"))
    var threads: Int?

    @Flag(name: .long, help: "Print nothing on standard error but errors.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        if out.isEmpty { throw ValidationError("--out needs a file name") }
        if out == csv { throw ValidationError("--out must differ from the input file") }
        var input = stat(), output = stat()
        if stat(csv, &input) == 0, stat(out, &output) == 0, input.st_dev == output.st_dev, input.st_ino == output.st_ino {
            throw ValidationError("--out \(out) is the input file \(csv); write the binary survey file elsewhere")
        }
    }

    func run() throws {
        try ErrorFunnel.run {
            var request = DataImportRequest(csv: csv, out: out, columnMapFile: columns)
            request.plan = ParallelPlan(threads: threads)
            let result = try request.run()
            if !quiet { Diagnostics.note(result.summary) }
        }
    }
}
