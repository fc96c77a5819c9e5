import SimKernel
import Dispatch
import Foundation

/// Removes partial output when simrun is interrupted (SIGINT: Ctrl-C;
/// SIGTERM: `kill`), then exits with 128 plus the signal number (130, 143).
///
/// A command that writes something that must appear whole (a report's
/// staging folder, a binary survey's temporary file) registers an action
/// that removes it, and does its renames inside ``critical(_:)``, so an
/// interruption sees either the state before a rename step or after it,
/// never half of one. The first registration switches the two signals from
/// their default action (kill the process at once) to a dispatch source on
/// a queue of its own, which runs every registered action under the same
/// lock and then exits.
///
/// Safety of `@unchecked Sendable`: `actions` is read and written only while
/// holding `lock`.
package final class InterruptCleanup: @unchecked Sendable {
    /// The one instance (signal dispositions are process-wide).
    package static let shared = InterruptCleanup()

    private let lock = NSRecursiveLock()
    private var actions: [Int: () -> Void] = [:]
    private var next = 0
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "simrun.interrupt")

    /// Registers `action`, run if the process is interrupted before ``unregister(_:)``.
    ///
    /// - Returns: A token for ``unregister(_:)``.
    package func register(_ action: @escaping () -> Void) -> Int {
        critical {
            installIfNeeded()
            next += 1
            actions[next] = action
            return next
        }
    }

    /// Forgets the action registered under `token`.
    package func unregister(_ token: Int) {
        critical { _ = actions.removeValue(forKey: token) }
    }

    /// Runs `body` so that no interruption's clean-up runs in the middle of it.
    package func critical<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `write`, which writes a file through a temporary file beside it and reports the temporary
    /// file's path once it exists: an interruption from then until `write` returns removes that file,
    /// so the destination is either as it was or whole (`data import`, `data calibrate`).
    ///
    /// ```swift
    /// try InterruptCleanup.shared.removingTemporaryFile { created in
    ///     try table.writeCSV(to: out, temporaryCreated: created)
    /// }
    /// ```
    package func removingTemporaryFile<T>(_ write: (_ created: (String) -> Void) throws -> T) rethrows -> T {
        var registration: Int?
        defer { registration.map(unregister) }
        return try write { temporary in
            registration = register { unlink(temporary) }
            Self.pauseForTests()
        }
    }

    /// Test hook: `SIMRUN_TEST_PAUSE_BEFORE_RENAME=<seconds>` (at most 60)
    /// waits where partial output exists and is about to be renamed into
    /// place (a report's staging folder, a binary survey's temporary file),
    /// so a test can interrupt simrun at the moment it matters. Unset in
    /// normal use.
    package static func pauseForTests() {
        if let text = ProcessInfo.processInfo.environment["SIMRUN_TEST_PAUSE_BEFORE_RENAME"],
            let seconds = Double(text), seconds > 0, seconds <= 60
        {
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    private func installIfNeeded() {
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)  // the dispatch source receives it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [unowned self] in self.interrupted(by: signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    private func interrupted(by signalNumber: Int32) {
        lock.lock()  // held until exit: nothing else renames or registers any more
        let pending = actions.sorted { $0.key > $1.key }.map(\.value)
        for action in pending { action() }
        let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
        try? FileHandle.standardError.write(contentsOf: Data("simrun: interrupted (\(name)); partial output removed\n".utf8))
        exit(128 + signalNumber)
    }
}
