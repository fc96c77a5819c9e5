import Foundation
import SimAnalysis
import Testing

@testable import simrun

@Suite("Slurm batch script")
struct SlurmBatchScriptTests {
    @Test("the script is a job array whose task k runs shard k of N in the submitting folder")
    func script() {
        let script = SlurmBatchScript(shards: 12, maxRunning: 4, time: "00:30:00", cpusPerTask: 2, folder: "/scratch/run1",
                                      workingDirectory: "/home/ana/study", executable: "/opt/simrun/bin/simrun",
                                      arguments: ["sweeps/grid.yaml", "--data", "survey's.csv"], rows: 1000)
        let text = script.text()
        #expect(text.hasPrefix("#!/bin/bash\n"))
        #expect(text.contains("\n#SBATCH --array=1-12%4\n"))
        #expect(text.contains("\n#SBATCH --time=00:30:00\n"))
        #expect(text.contains("\n#SBATCH --cpus-per-task=2\n"))
        #expect(text.contains("\ncd /home/ana/study\n"))
        #expect(text.contains("exec /opt/simrun/bin/simrun sweep sweeps/grid.yaml --data 'survey'\\''s.csv' --shard \"${SLURM_ARRAY_TASK_ID}/12\" --out /scratch/run1 --threads \"${SLURM_CPUS_PER_TASK:-1}\" --quiet\n"))
    }

    @Test("without limits the array is 1-N and no time or CPU line is written")
    func minimal() {
        let text = SlurmBatchScript(shards: 3, maxRunning: nil, time: nil, cpusPerTask: nil, folder: "/d", workingDirectory: "/w",
                                    executable: "/s", arguments: ["x.yaml"], rows: 3).text()
        #expect(text.contains("\n#SBATCH --array=1-3\n"))
        #expect(!text.contains("--time") && !text.contains("--cpus-per-task"))
    }

    @Test("Slurm time limits", arguments: [
        ("30", true), ("30:00", true), ("1:00:00", true), ("2-12", true), ("2-12:30", true), ("2-12:30:00", true), ("UNLIMITED", true),
        ("", false), ("1h", false), ("1:2:3:4", false), ("-5", false), ("1-", false), ("a-1", false), ("1;rm", false),
    ])
    func timeLimits(text: String, valid: Bool) {
        #expect(SlurmBatchScript.isTimeLimit(text) == valid)
    }

    @Test("paths Slurm cannot read in an #SBATCH line are refused", arguments: [
        ("/scratch/run1", true), ("/scratch/run 1", false), ("/scratch/100%", false), ("/a\"b", false), ("/a\nb", false),
    ])
    func plainPaths(path: String, plain: Bool) {
        #expect(SlurmBatchScript.isPlainPath(path) == plain)
    }
}
