import Foundation
import SimAnalysis
import SimKernel

extension FuzzTargets {
    /// Sweep files (`SweepSpec`, docs/solve-and-sweep.md): the input is written as
    /// `scenarios/sweep.yaml` (so `scenario: universal-child-grant.yaml` names the copied
    /// example), read, and, when accepted, its first, last and up to 64 rows between are
    /// enumerated, every varied path and value is checked against every option
    /// (`SweepRunner.check`, as `simrun sweep` does before anything runs) and the first and
    /// last variants are set into their option's scenario and read with every check.
    public static func sweep(_ input: UnsafeRawBufferPointer) {
        begin(input)
        let file = workspace.write(input, to: "scenarios/sweep.yaml")
        expectingInputErrors("sweep") {
            let spec = try SweepSpec(file: file)
            let rows = spec.rowCount
            guard rows >= 1, rows <= SweepSpec.maxRows else { fatalError("sweep: accepted with \(rows) rows (1 to \(SweepSpec.maxRows) expected)") }
            let step = max(1, rows / 64)
            var seen: [Int] = []
            for index in Set(Array(stride(from: 0, to: rows, by: step)) + [rows - 1]).sorted() {
                let variant = spec.variant(at: index)
                guard variant.index == index, variant.option >= 0, variant.option < spec.options.count,
                    variant.values.count == spec.dimensions.count, variant.values.allSatisfy(\.isFinite),
                    (1...spec.replications).contains(variant.replication)
                else { fatalError("sweep: row \(index) of \(rows) is not a variant of the sweep: \(variant)") }
                seen.append(index)
            }
            let documents = try spec.options.map { try ScenarioDocument(file: $0) }
            try SweepRunner.check(spec, documents: documents, year: nil)
            for index in [0, rows - 1] {
                let variant = spec.variant(at: index)
                var document = documents[variant.option]
                for (dimension, value) in zip(spec.dimensions, variant.values) {
                    document = try document.setting(dimension.path, to: value)
                }
                _ = try document.definition()
            }
        }
    }

    /// The shard folder the merge inputs are put in: a two-shard run of
    /// `Tests/Fixtures/sweep/small-grid.yaml` (`Fuzz/Resources/sweep-shards/`), copied afresh for each input.
    static let shardFolder = workspace.root.appendingPathComponent("shards").path
    static let shardTemplate = ["manifest.json", "shard-1-of-2.json", "shard-2-of-2.json"].map { name in
        (name, FileManager.default.contents(atPath: workspace.repositoryFile("Fuzz/Resources/sweep-shards/\(name)")) ?? Data())
    }

    /// Sweep results and shard folders, as `report --sweep` and `sweep merge` read them: the
    /// input's first byte says what the rest is. 0 mod 3: a result file (CSV or JSON, by its first
    /// character: `SweepResult.read`); accepted, it is written again as JSON, which must read back
    /// and give the same JSON (simrun reads what it writes). 1 mod 3: the `manifest.json` of a
    /// folder holding two good shards; 2 mod 3: its `shard-1-of-2.json` beside a good manifest and
    /// shard 2 (`SweepMerge.merge`); a merged result must hold the manifest's rows in order.
    public static func sweepResult(_ input: UnsafeRawBufferPointer) {
        guard let mode = input.first else { return }
        let rest = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        begin(rest)
        switch mode % 3 {
        case 0:
            let file = workspace.write(rest, to: "data/result.txt")
            expectingInputErrors("sweepresult") {
                let result = try SweepResult.read(file: file)
                _ = result.csv()
                let json = result.json()
                try Data(json.utf8).write(to: URL(fileURLWithPath: workspace.root.appendingPathComponent("data/again.json").path))
                let again: SweepResult
                do {
                    again = try SweepResult.read(file: workspace.root.appendingPathComponent("data/again.json").path)
                } catch {
                    fatalError("sweepresult: simrun cannot read the JSON it wrote for an accepted result: \(error)")
                }
                guard again.json() == json else {
                    fatalError("sweepresult: the JSON written, read again, is written differently: \(json.prefix(400)) / \(again.json().prefix(400))")
                }
            }
        default:
            let fm = FileManager.default
            try? fm.removeItem(atPath: shardFolder)
            try? fm.createDirectory(atPath: shardFolder, withIntermediateDirectories: true)
            for (name, bytes) in shardTemplate { fm.createFile(atPath: shardFolder + "/" + name, contents: bytes) }
            _ = workspace.write(rest, to: "shards/" + (mode % 3 == 1 ? "manifest.json" : "shard-1-of-2.json"))
            expectingInputErrors("sweepresult") {
                let merged = try SweepMerge.merge(folder: shardFolder)
                guard merged.rows.map(\.index) == Array(0..<merged.rows.count) else {
                    fatalError("sweepresult: merged rows out of order: \(merged.rows.map(\.index).prefix(20))")
                }
                _ = merged.csv()
                _ = merged.json()
            }
        }
    }
}
