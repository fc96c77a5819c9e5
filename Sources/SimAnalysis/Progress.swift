/// Where long work says how far it got: the terminal's progress bar (the command line, only when
/// standard error is a terminal), the workshop page's progress, or nowhere.
///
/// The library calls it; it never draws anything itself, so the same analysis runs behind a
/// command, the page and the tests.
package protocol AnalysisProgress: Sendable {
    /// A new stage of `total` steps named `label` (`replications`, `statistics`, `bootstrap`).
    func stage(_ label: String, total: Int) -> any ProgressStage
    /// Whether the watcher no longer wants the result (the page's options changed): long work checks it between
    /// steps and stops with `CancellationError`.
    var isCancelled: Bool { get }
}

extension AnalysisProgress {
    package var isCancelled: Bool { false }
}

/// One stage's counter. Safe to advance from several threads.
package protocol ProgressStage: Sendable {
    /// `n` more steps done.
    func advance(by n: Int)
    /// The stage is over (a bar is cleared).
    func finish()
}

extension ProgressStage {
    /// One more step done.
    package func advance() { advance(by: 1) }
    /// A callback advancing the stage, for work that reports from other threads (the bootstrap).
    package var reporter: @Sendable (Int) -> Void { { n in self.advance(by: n) } }
}

/// Progress nobody watches (tests, `--quiet` work inside another stage).
package struct NoProgress: AnalysisProgress, ProgressStage {
    package init() {}
    package func stage(_ label: String, total: Int) -> any ProgressStage { self }
    package func advance(by n: Int) {}
    package func finish() {}
}
