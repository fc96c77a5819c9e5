import Foundation

/// The per-process scratch folder the fuzz targets write their inputs to.
///
/// simrun's readers take file paths, so each input is written to a file of
/// this process's own folder (`$TMPDIR/simrun-fuzz-<pid>/`), which also holds
/// what a scenario or a case may refer to: the repository's `inputs/systems/*.yaml`
/// (under `systems/`), `inputs/countries/*.yaml` (under `countries/`),
/// `inputs/scenarios/*.yaml` (under `scenarios/`, for `cases/input.yaml`) and a
/// CSV (`data/persons.csv`, where a YAML file is expected it must be refused
/// without being echoed), so
/// `baseline: current_law` resolves from `scenarios/input.yaml` as it does in
/// the repository. Parallel fuzzing jobs (`-jobs`, `-fork`) are separate
/// processes and never share a folder. The folder is removed at a normal
/// exit and left after a crash (the reader's input file is then still there).
public final class FuzzWorkspace: @unchecked Sendable {
    // @unchecked Sendable: every stored property is a `let` set in `init`;
    // libFuzzer calls the entry point from one thread.

    /// The scratch folder.
    public let root: URL
    /// The repository the seeds and reference inputs come from.
    public let repository: URL

    /// The one workspace of this process.
    public static let shared = FuzzWorkspace()

    private init() {
        let environment = ProcessInfo.processInfo.environment
        if let repo = environment["SIMRUN_REPO"], !repo.isEmpty {
            repository = URL(fileURLWithPath: repo)
        } else {
            // This file is Fuzz/Sources/FuzzSupport/FuzzWorkspace.swift in the repository.
            repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
        }
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("simrun-fuzz-\(getpid())")
        let fm = FileManager.default
        try? fm.removeItem(at: root)
        for folder in ["scenarios", "systems", "countries", "data", "cases"] {
            try! fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for folder in ["systems", "countries", "scenarios"] {
            let source = repository.appendingPathComponent("inputs/\(folder)")
            for name in (try? fm.contentsOfDirectory(atPath: source.path)) ?? [] where name.hasSuffix(".yaml") {
                try! fm.copyItem(at: source.appendingPathComponent(name), to: root.appendingPathComponent("\(folder)/\(name)"))
            }
        }
        // A CSV where a scenario expects YAML (`baseline: ../data/persons.csv`).
        try? fm.copyItem(at: repository.appendingPathComponent("Fuzz/Resources/persons.csv"),
                         to: root.appendingPathComponent("data/persons.csv"))
        let path = root.path
        // A crash ends the process without running `atexit` handlers: the
        // file the reader was given stays here (for a repaired binary survey,
        // the file the reader actually saw).
        FileHandle.standardError.write(Data("simrun fuzz: inputs are written to \(path)/ (left there after a crash)\n".utf8))
        atexit_paths.append(path)
        atexit { for p in atexit_paths { try? FileManager.default.removeItem(atPath: p) } }
    }

    /// A file of the repository (e.g. `inputs/scenarios/universal-child-grant.yaml`).
    public func repositoryFile(_ relative: String) -> String {
        repository.appendingPathComponent(relative).path
    }

    /// Writes `bytes` to `relative` in the scratch folder and returns its path.
    public func write(_ bytes: UnsafeRawBufferPointer, to relative: String) -> String {
        let path = root.appendingPathComponent(relative).path
        let data = bytes.baseAddress.map { Data(bytes: $0, count: bytes.count) } ?? Data()
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            fatalError("fuzz harness: cannot write \(path)")
        }
        return path
    }
}

/// The folders removed at exit (a C `atexit` handler cannot capture context).
nonisolated(unsafe) private var atexit_paths: [String] = []
// nonisolated(unsafe): written once, from the single thread that creates the
// workspace, before libFuzzer runs any input; read only at exit.
