import Foundation
import SimKernel

/// What `simrun sweep SWEEP.yaml` asks: a sweep file's variants on a survey, with the country
/// profile, year, seed and disclosure rule of every row (docs/solve-and-sweep.md).
///
/// ``prepare()`` reads and checks everything before anything runs and fixes the sweep's
/// identity; the prepared sweep then runs all its rows or one shard's
/// (``PreparedSweep/run(shard:out:progress:lap:)``), or writes a Slurm job array of the
/// shards (``PreparedSweep/writeSlurm(folder:shards:maxRunning:time:cpusPerTask:arguments:)``).
package struct SweepRequest: Sendable {
    package var sweepFile: String
    /// `--data`; `nil`: the options' common example data.
    package var data: String?
    /// The column map file (`--columns`).
    package var columns: String?
    /// `--country`: a name under inputs/countries or a YAML path; `nil`: the first option's `costing.country`.
    package var country: String?
    package var year: Int?
    package var seed: UInt64 = 1
    package var rule = DisclosureRule(suppress: false)
    package var plan = ParallelPlan()

    package init(sweepFile: String) {
        self.sweepFile = sweepFile
    }

    /// Reads the sweep file and its options, checks every varied path and value against every option
    /// (``SweepRunner/check(_:documents:year:)``), resolves the data and the country profile, and hashes
    /// the sweep's identity and the data.
    /// - Throws: `InputError` for the sweep file, the scenarios, the profile and the data.
    package func prepare() throws -> PreparedSweep {
        let spec = try SweepSpec(file: sweepFile)
        let documents = try spec.options.map { try ScenarioDocument(file: $0) }
        let scenarios = try documents.map { try $0.definition(year: year) }
        try SweepRunner.check(spec, documents: documents, year: year)
        let dataFile = try data ?? AnalysisSession.commonData(of: scenarios)
        let profile = try AnalysisSession.profile(country, scenarios: scenarios)
        let identity = try SweepManifest.sweepHash(spec: spec, scenarios: scenarios, profile: profile, columnMap: columns, year: year,
                                                   seed: seed, minimumCell: rule.minimumObservations, suppress: rule.suppress)
        return PreparedSweep(request: self, spec: spec, documents: documents, scenarios: scenarios, dataFile: dataFile, profile: profile,
                             identity: identity, dataHash: try SweepManifest.dataHash(of: dataFile))
    }
}

/// A sweep read and checked (``SweepRequest/prepare()``): its options, data, profile and identity.
package struct PreparedSweep: Sendable {
    package let request: SweepRequest
    package let spec: SweepSpec
    package let documents: [ScenarioDocument]
    package let scenarios: [ScenarioDefinition]
    package let dataFile: String
    package let profile: CountryProfile?
    /// The sweep hash (``SweepManifest/sweepHash(spec:scenarios:profile:columnMap:year:seed:minimumCell:suppress:)``).
    package let identity: String
    /// The data's hash (``SweepManifest/dataHash(of:)``).
    package let dataHash: String

    /// What a run computed.
    package struct Run {
        package let result: SweepResult
        /// The rows computed (all, or the shard's).
        package let rows: Range<Int>
        /// Where the shard was written (`--shard`), else `nil`: the caller writes ``result``.
        package let shardFile: String?
        /// How often a simulated baseline was reused (`--timings`).
        package let baselineHits: Int
    }

    /// The manifest this sweep's shards carry.
    private func manifest(shards: Int, slurm: SweepManifest.Slurm? = nil) -> SweepManifest {
        SweepManifest(simrunVersion: SimrunVersion.current, sweepFile: request.sweepFile, sweepHash: identity, dataFile: dataFile,
                      dataHash: dataHash, rows: spec.rowCount, shards: shards, slurm: slurm)
    }

    /// Runs every row, or `shard`'s block into the folder `out` (its shard file, and the manifest
    /// if the folder has none; a folder holding another run's shards is refused before anything runs).
    /// Rows are identical for any number of threads.
    ///
    /// - Parameters:
    ///   - shard: The block of rows to compute (`--shard K/N`), or `nil` for every row.
    ///   - out: With a shard, the folder of the shards (needed); without, the file the caller will write
    ///     (its folder is checked first, so that a long run does not end in an error), or `nil`.
    ///   - progress: The `variants` stage, one step per row.
    ///   - lap: Called after `load` and `variants` (`--timings`).
    /// - Throws: ``UsageError`` for a shard count above the rows or a shard without a folder; `InputError`
    ///   for the folder, the data and the options.
    package func run(shard: SweepShard?, out: String?, progress: any AnalysisProgress = NoProgress(),
                     lap: (String) -> Void = { _ in }) throws -> Run {
        if let shard, shard.count > spec.rowCount {
            throw UsageError("--shard \(shard): the sweep has \(spec.rowCount) rows, fewer than \(shard.count) shards")
        }
        if shard != nil && out == nil { throw UsageError("--shard needs --out DIR (the folder the shards are written to)") }
        if shard == nil, let out { try AtomicFile.checkFolder(of: out) }
        var manifest: SweepManifest?
        if let shard, let out {
            try AtomicFile.makeFolder(out)
            let mine = self.manifest(shards: shard.count)
            if let existing = try SweepManifest.read(in: out) {
                let differences = existing.differences(from: mine)
                guard differences.isEmpty else {
                    throw InputError(file: out + "/" + SweepManifest.fileName, kind: .inconsistent,
                                     "this folder holds shards of another run; this shard would be from " + differences.joined(separator: "; ")
                                     + ". Use an empty folder, or remove the folder's shards and manifest.json")
                }
                manifest = existing
            } else {
                manifest = mine
            }
        }
        let columnMap = try request.columns.map { try ColumnMap(file: $0) } ?? ColumnMap()
        let session = try AnalysisSession(dataFile: dataFile, columnMap: columnMap, profile: profile, scenarios: scenarios,
                                          seed: request.seed, plan: request.plan, rule: request.rule)
        lap("load")
        let rows = shard?.rows(of: spec.rowCount) ?? 0..<spec.rowCount
        let evaluator = VariantEvaluator(session: session, documents: documents, year: request.year)
        let stage = progress.stage("variants", total: rows.count)
        let computed = try SweepRunner.rows(spec, rows, evaluator: evaluator) { stage.advance() }
        stage.finish()
        lap("variants")
        let result = SweepResult(
            provenance: .init(simrunVersion: SimrunVersion.current, sweepFile: request.sweepFile, sweepHash: identity, dataFile: dataFile,
                              dataHash: dataHash, households: session.population.householdCount,
                              persons: session.population.personCount, seed: request.seed, year: request.year, countryFile: profile?.file,
                              options: spec.optionLabels, replications: spec.replications),
            parameters: spec.dimensions.map(\.path), figures: computed.figures, rows: computed.rows)
        var shardFile: String?
        if let shard, let out, let manifest {
            if try SweepManifest.read(in: out) == nil { try manifest.write(in: out) }
            try SweepShardFile(simrunVersion: SimrunVersion.current, simrunBuild: SimrunBuild.current, sweepHash: identity, dataHash: dataHash,
                               shard: shard.index, shards: shard.count, firstRow: rows.lowerBound + 1, lastRow: rows.upperBound,
                               result: result).write(in: out)
            shardFile = "\(out)/\(shard.fileName)"
        }
        return Run(result: result, rows: rows, shardFile: shardFile, baselineHits: session.baselines.hits)
    }

    /// What `--slurm` wrote.
    package struct SlurmJob {
        /// The number of shards (array tasks).
        package let shards: Int
        /// The batch script's path (absolute).
        package let script: String
        /// What the user should know: how to submit and merge, and an array beyond Slurm's default size.
        package let notes: [String]
    }

    /// Writes `folder/sweep.sbatch`, a Slurm job array running the sweep's shards with `arguments` (the
    /// sweep file and its options as the command line gave them, without the Slurm options), and the manifest.
    ///
    /// - Parameters:
    ///   - folder: The folder of the script, the manifest and the shards (made if absent).
    ///   - shards: The number of shards (default: the rows, at most 100).
    ///   - maxRunning: At most this many array tasks at once (`--array=1-N%M`), or no limit.
    ///   - time: Each task's time limit in Slurm's format, or the partition's.
    ///   - cpusPerTask: CPUs (threads) per task, or Slurm's default.
    ///   - arguments: The sweep file and its options as each task passes them to `simrun sweep`.
    /// - Throws: ``UsageError`` for more shards than rows; `InputError` (cannot create) for a folder Slurm
    ///   cannot name in an `#SBATCH` line or that cannot be made.
    package func writeSlurm(folder: String, shards: Int?, maxRunning: Int?, time: String?, cpusPerTask: Int?,
                            arguments: [String]) throws -> SlurmJob {
        let count = shards ?? min(spec.rowCount, 100)
        guard count <= spec.rowCount else {
            throw UsageError("--shards \(count): the sweep has \(spec.rowCount) rows, fewer than the shards")
        }
        let absolute = URL(fileURLWithPath: folder).standardizedFileURL.path
        guard SlurmBatchScript.isPlainPath(absolute) else {
            throw InputError(file: folder, kind: .cannotCreate,
                             "Slurm cannot write task logs into a folder whose path holds spaces, quotes, %, $ or \\ (it is named in an #SBATCH line); choose a plain path")
        }
        try AtomicFile.makeFolder(folder)
        let script = SlurmBatchScript(shards: count, maxRunning: maxRunning, time: time, cpusPerTask: cpusPerTask, folder: absolute,
                                      workingDirectory: FileManager.default.currentDirectoryPath,
                                      executable: SlurmBatchScript.currentExecutable(), arguments: arguments, rows: spec.rowCount)
        let scriptPath = absolute + "/" + SlurmBatchScript.fileName
        let manifest = self.manifest(shards: count, slurm: .init(script: scriptPath, maxRunning: maxRunning, time: time, cpusPerTask: cpusPerTask))
        try AtomicFile.write(script.text(), to: scriptPath)
        try manifest.write(in: absolute)
        var notes = ["\(count) shards of \(spec.rowCount) rows: submit with 'sbatch \(SlurmBatchScript.shellQuoted(scriptPath))', then 'simrun sweep merge \(SlurmBatchScript.shellQuoted(folder)) --out FILE'"]
        if count > 1000 {
            notes.append("note: \(count) array tasks exceed Slurm's default MaxArraySize (1001: task ids up to 1000); ask your administrators or use fewer --shards")
        }
        return SlurmJob(shards: count, script: scriptPath, notes: notes)
    }
}
