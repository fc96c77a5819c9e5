import SimReport
import Foundation
import SimAnalysis

/// A progress bar on standard error, drawn only when standard error is a
/// terminal (never into a log file or a pipe) and not `--quiet`.
///
/// Safe to advance from several threads (the bootstrap's workers report
/// finished replicates): a lock serialises the count and the drawing.
final class ProgressBar: ProgressStage, @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let label: String
    private let enabled: Bool
    private var done = 0
    private var lastDrawn = -1

    init(total: Int, label: String, quiet: Bool) {
        self.total = max(total, 1)
        self.label = label
        enabled = !quiet && isatty(2) == 1
    }

    func advance(by n: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += n
        guard enabled else { return }
        let percent = min(100, done * 100 / total)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        Diagnostics.write("\r\(label) [\(bar)] \(percent)% (\(done)/\(total))")
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        Diagnostics.write("\r\u{1B}[K")
    }
}

/// The library's progress (``AnalysisProgress``) drawn as progress bars on standard error:
/// one bar per stage, only when standard error is a terminal and not `--quiet`.
struct TerminalProgress: AnalysisProgress {
    let quiet: Bool
    func stage(_ label: String, total: Int) -> any ProgressStage { ProgressBar(total: total, label: label, quiet: quiet) }
}
