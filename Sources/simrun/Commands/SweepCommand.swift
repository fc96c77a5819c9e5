import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// What `sweep` writes: CSV (one line per row) or JSON.
enum SweepFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json
    var output: OutputFormat { self == .csv ? .csv : .json }
}

/// `simrun sweep`: `sweep SWEEP.yaml` (``SweepRunCommand``, the default) and `sweep merge DIR`.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every variant of a grid of parameter values: one row of comparison figures per variant.",
        discussion: "simrun sweep SWEEP.yaml runs a sweep (see 'simrun sweep run --help'); simrun sweep merge DIR joins its shards. docs/solve-and-sweep.md."
            + ExitStatus.paragraph,
        subcommands: [SweepRunCommand.self, SweepMergeCommand.self],
        defaultSubcommand: SweepRunCommand.self)
}

/// `simrun sweep [run] SWEEP.yaml`: every variant of a grid of parameter values, on one machine,
/// one shard of it, or a Slurm job array.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a sweep (the default: simrun sweep SWEEP.yaml), one shard of it, or write its Slurm job array.",
        discussion: """
            SWEEP.yaml names an option (scenario: FILE) or several (options: [A, B]), relative to the sweep file, \
            the parameters to vary (vary: NAME: [values] or {from, to, step}: the cartesian product) and \
            replications (Monte Carlo draws per variant; default 1). Each row holds the option, the parameter values, \
            the replication and every figure of scenario compare by its JSON key, in a fixed order (options, then the \
            parameters in file order, the last fastest, then replications), identical for any --threads. The survey \
            and each baseline are loaded and simulated once. docs/solve-and-sweep.md.

            --shard K/N computes the K-th of N blocks of rows into --out DIR (shard-K-of-N.json and manifest.json); \
            --slurm DIR writes DIR/sweep.sbatch, a job array running those shards, and the manifest; \
            'simrun sweep merge DIR' checks and joins the shards into exactly what one machine prints.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The sweep file (YAML).", valueName: "sweep.yaml"))
    var sweepFile: String

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "Output format: csv (one line per row) or json (docs/solve-and-sweep.md). Default: csv.")
    var format: SweepFormat = .csv

    @Option(name: .long, help: ArgumentHelp(
        "Write the result to this file (atomically) instead of standard output; with --shard, the folder of the shards.",
        valueName: "file|dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Compute only the K-th of N blocks of rows (1 <= K <= N) into --out DIR.", valueName: "K/N"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Write DIR/sweep.sbatch (a Slurm job array of the shards) and DIR/manifest.json; compute nothing.",
                                            valueName: "dir"))
    var slurm: String?

    @Option(name: .long, help: ArgumentHelp("With --slurm: the number of shards (array tasks). Default: the number of rows, at most 100.",
                                            valueName: "N"))
    var shards: Int?

    @Option(name: .customLong("max-running"), help: ArgumentHelp("With --slurm: at most M array tasks at once (--array=1-N%M). Default: no limit.",
                                                                 valueName: "M"))
    var maxRunning: Int?

    @Option(name: .long, help: ArgumentHelp("With --slurm: each task's time limit (Slurm's format, e.g. 30, 1:00:00, 2-00:00:00). Default: the partition's.",
                                            valueName: "time"))
    var time: String?

    @Option(name: .customLong("cpus-per-task"), help: ArgumentHelp("With --slurm: CPUs per task (each task uses that many threads). Default: Slurm's (1).",
                                                                   valueName: "C"))
    var cpusPerTask: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Country profile: a name under inputs/countries or a YAML path. Default: the first option's costing.country; without one, costs are in currency only.",
        valueName: "name|file"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("Simulation year for every variant (values set in force from 1 January). Default: each scenario's year.",
                                            valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw (replication r uses a seed derived from it). Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold: figures from fewer unweighted observations are flagged (or withheld). Default: 30.",
                                            valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Withhold (leave empty) figures below --min-cell instead of flagging them.")
    var suppressSmallCells = false

    @Flag(name: .long, help: "Print load and compute times to standard error.")
    var timings = false

    @Flag(name: .long, help: "Print nothing on standard error but errors.")
    var quiet = false

    func validate() throws {
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
        if let shard, SweepShard(shard) == nil {
            throw ValidationError("--shard must be K/N with 1 <= K <= N <= \(SweepShard.maxCount) (got '\(shard.prefix(40))')")
        }
        if shard != nil && out == nil { throw ValidationError("--shard needs --out DIR (the folder the shards are written to)") }
        if shard != nil && slurm != nil { throw ValidationError("--shard and --slurm exclude each other (--slurm writes the script that runs the shards)") }
        if slurm == nil {
            for (given, name) in [(shards != nil, "--shards"), (maxRunning != nil, "--max-running"), (time != nil, "--time"),
                                  (cpusPerTask != nil, "--cpus-per-task")] where given {
                throw ValidationError("\(name) goes with --slurm DIR")
            }
        } else if out != nil {
            throw ValidationError("--slurm writes a script, not results: drop --out (merge the shards with 'simrun sweep merge DIR --out FILE')")
        }
        if let shards, !(1...SweepShard.maxCount).contains(shards) { throw ValidationError("--shards must be from 1 to \(SweepShard.maxCount) (got \(shards))") }
        if let maxRunning, maxRunning < 1 { throw ValidationError("--max-running must be at least 1 (got \(maxRunning))") }
        if let cpusPerTask, !(1...4096).contains(cpusPerTask) { throw ValidationError("--cpus-per-task must be from 1 to 4096 (got \(cpusPerTask))") }
        if let time, !SlurmBatchScript.isTimeLimit(time) {
            throw ValidationError("--time must be a Slurm time limit: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (got '\(time.prefix(40))')")
        }
    }

    func run() throws {
        GSL.prepare()
        FreedMemoryReuse.enable()
        try ErrorFunnel.run {
            var clock = Stopwatch()
            var request = SweepRequest(sweepFile: sweepFile)
            (request.data, request.columns, request.country, request.year, request.seed, request.plan) =
                (dataOptions.data, dataOptions.columns, country, year, seed, dataOptions.plan)
            request.rule = DisclosureRule(minimumObservations: minCell, suppress: suppressSmallCells)
            let sweep = try request.prepare()
            if let slurm {
                let job = try sweep.writeSlurm(folder: slurm, shards: shards, maxRunning: maxRunning, time: time, cpusPerTask: cpusPerTask,
                                               arguments: taskArguments)
                if !quiet { for note in job.notes { Diagnostics.note(note) } }
                return
            }
            let run = try sweep.run(shard: shard.flatMap(SweepShard.init), out: out, progress: TerminalProgress(quiet: quiet)) { clock.lap($0) }
            if let file = run.shardFile {
                if !quiet, let part = shard.flatMap(SweepShard.init) {
                    Diagnostics.note("shard \(part) (rows \(run.rows.lowerBound + 1)-\(run.rows.upperBound)) written to \(file)")
                }
            } else if let out {
                try AtomicFile.write(run.result.render(format.output), to: out)
            } else {
                try StandardOutput.write(run.result.render(format.output))
            }
            if timings {
                clock.report()
                let seconds = clock.laps.last?.1 ?? 0
                Diagnostics.note(String(format: "throughput: %d rows in %.3f s, %.1f rows/s (after the load); baselines reused %d times",
                                        run.rows.count, seconds, Double(run.rows.count) / max(seconds, 1e-9), run.baselineHits))
            }
        }
    }

    /// A Slurm task's arguments: those of this command but for the --slurm options, --out and --threads.
    var taskArguments: [String] {
        var arguments = [sweepFile]
        if let data = dataOptions.data { arguments += ["--data", data] }
        if let columns = dataOptions.columns { arguments += ["--columns", columns] }
        if let country { arguments += ["--country", country] }
        if let year { arguments += ["--year", String(year)] }
        arguments += ["--seed", String(seed), "--min-cell", String(minCell)]
        if suppressSmallCells { arguments.append("--suppress-small-cells") }
        return arguments
    }
}

/// `simrun sweep merge DIR --out FILE`: the shards joined into the one-machine result.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Check and join a folder of sweep shards into the result one machine would print.",
        discussion: """
            Checks that every shard of DIR's manifest is present, complete and from the same sweep, data and simrun \
            version; names any missing, incomplete or stale one and prints the 'sbatch --array=' line that reruns \
            exactly those (exit 65). The merged output is byte-identical to 'simrun sweep SWEEP.yaml' with the same \
            options and --format.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("The folder of the shards (--shard K/N --out DIR, or --slurm DIR).", valueName: "dir"))
    var folder: String

    @Option(name: .long, help: ArgumentHelp("Write the merged result to this file (atomically). Default: standard output.", valueName: "file"))
    var out: String?

    @Option(name: .long, help: "Output format: csv or json. Default: csv.")
    var format: SweepFormat = .csv

    func run() throws {
        try ErrorFunnel.run {
            let result = try SweepMerge.merge(folder: folder)
            let text = result.render(format.output)
            if let out { try AtomicFile.write(text, to: out) } else { try StandardOutput.write(text) }
        }
    }
}
