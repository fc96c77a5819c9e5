import Foundation
import SimKernel

/// `DIR/sweep.sbatch`: a Slurm job array in which task `k` runs shard `k` of `N`
/// (`simrun sweep SWEEP.yaml --shard $SLURM_ARRAY_TASK_ID/N --out DIR`).
///
/// The task changes to the folder `--slurm` was run in and calls simrun with the
/// arguments as given there, so the shards' provenance (file names) is the one a
/// one-machine run in that folder prints, and the merge is byte-identical to it.
/// The cluster must see that folder, the data and simrun at the same paths (a
/// shared file system: docs/scale-out.md).
package struct SlurmBatchScript: Equatable {
    package static let fileName = "sweep.sbatch"

    /// The number of array tasks (shards).
    package var shards: Int
    /// `%M`: at most this many tasks at once.
    package var maxRunning: Int?
    /// `--time` (Slurm's formats: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`).
    package var time: String?
    package var cpusPerTask: Int?
    /// The absolute folder the shards are written to.
    package var folder: String
    /// The absolute folder the tasks run in.
    package var workingDirectory: String
    /// The absolute path of the simrun executable.
    package var executable: String
    /// The arguments after `simrun sweep` other than `--shard`, `--out` and `--threads`.
    package var arguments: [String]
    /// The sweep's rows, for the comment.
    package var rows: Int

    /// Whether `text` is a Slurm time limit (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`, `UNLIMITED`).
    package static func isTimeLimit(_ text: String) -> Bool {
        if text == "UNLIMITED" || text == "infinite" { return true }
        func digits(_ s: Substring) -> Bool { !s.isEmpty && s.count <= 6 && s.allSatisfy { $0.isASCII && $0.isNumber } }
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { return false }
        if dayParts.count == 2 && !digits(dayParts[0]) { return false }
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false)
        return (1...3).contains(clock.count) && clock.allSatisfy(digits)
    }

    /// Whether a path can stand in an `#SBATCH` line, which Slurm does not read as the shell does:
    /// no white space, quotes, `%` (a Slurm file-name pattern), `\`, `$` or control characters.
    package static func isPlainPath(_ path: String) -> Bool {
        !path.isEmpty && !path.unicodeScalars.contains { u in
            u.value < 0x21 || u.value == 0x7f || "%\"'\\$`".unicodeScalars.contains(u)
        }
    }

    /// `text` in single quotes for a POSIX shell (a quote inside as `'\''`), bare when it is plain.
    package static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { u in
            CharacterSet.alphanumerics.contains(u) && u.isASCII || "-_./=:,+@%".unicodeScalars.contains(u)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The script's text.
    package func text() -> String {
        let limit = maxRunning.map { "%\($0)" } ?? ""
        var lines = [
            "#!/bin/bash",
            "# simrun sweep on a Slurm cluster: \(shards) array tasks, task k computes shard k of \(shards) (\(rows) rows in all).",
            "# Submit: sbatch \(Self.shellQuoted(folder + "/" + Self.fileName))",
            "# Then:   simrun sweep merge \(Self.shellQuoted(folder)) --out RESULT (names failed shards and the sbatch --array= line rerunning them)",
            "#SBATCH --job-name=simrun-sweep",
            "#SBATCH --array=1-\(shards)\(limit)",
        ]
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)") }
        lines += [
            "#SBATCH --output=\(folder)/slurm-%A_%a.out",
            "set -eu",
            "cd \(Self.shellQuoted(workingDirectory))",
            "exec \(Self.shellQuoted(executable)) sweep " + arguments.map(Self.shellQuoted).joined(separator: " ")
                + " --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --out \(Self.shellQuoted(folder))"
                + " --threads \"${SLURM_CPUS_PER_TASK:-1}\" --quiet",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The running simrun's absolute path (`/proc/self/exe` on Linux, else the first argument made absolute).
    package static func currentExecutable() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        let first = CommandLine.arguments.first ?? "simrun"
        if first.hasPrefix("/") { return first }
        return URL(fileURLWithPath: first, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/"))
            .standardizedFileURL.path
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(shards: Int, maxRunning: Int?, time: String?, cpusPerTask: Int?, folder: String, workingDirectory: String, executable: String, arguments: [String], rows: Int) {
        self.shards = shards
        self.maxRunning = maxRunning
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.folder = folder
        self.workingDirectory = workingDirectory
        self.executable = executable
        self.arguments = arguments
        self.rows = rows
    }
}
