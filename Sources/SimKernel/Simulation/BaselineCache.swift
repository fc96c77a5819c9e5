import Foundation

/// Baselines simulated once and reused by every run that has the same one:
/// what lets the workshop page, `solve` and `sweep` re-run only the reform
/// when an option's parameter changes.
///
/// A baseline is reused only when everything it depends on is the same: the
/// system file (its path and SHA-256, read for the same year), the seed and
/// replication, the simulator's chunking and what it records, the poverty
/// line and the welfare concept (for its indicators), and the population
/// (one cache serves one population: ``AnalysisSession`` drops it when the
/// survey is reloaded). A system not read from a file is never cached.
/// Reused or not, the figures are bit-identical (tested).
public final class BaselineCache: @unchecked Sendable {
    /// A simulated baseline and its indicators.
    public struct Entry: Sendable {
        public let outcome: SystemOutcome
        /// `nil` with a welfare concept other than the default (then computed with the reform's welfare data).
        public let indicators: SystemIndicators?
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var rankings: [String: OptionAssessment.BaselineRanking] = [:]
    /// How many runs found their baseline in the cache (for tests and `--timings`).
    public private(set) var hits = 0

    public init() {}

    /// The key of `scenario`'s baseline under `simulator` and `context`, or `nil` when it cannot be cached.
    func key(_ scenario: ScenarioDefinition, simulator: Simulator, context: RunContext) -> String? {
        guard let source = scenario.baseline.source, let digest = try? FileDigest.sha256(of: source) else { return nil }
        return [source, digest, scenario.year.map(String.init) ?? "-", String(context.seed), String(context.replication),
                String(simulator.chunkSize), String(simulator.recordPersonAmounts), String(simulator.recordCoverage),
                String(simulator.keepComponentColumns), String(scenario.povertyLine.bitPattern),
                scenario.welfare.isDefault ? "default" : "concept:\(scenario.file):\(scenario.welfare)"].joined(separator: "\u{1F}")
    }

    func entry(_ key: String) -> Entry? {
        lock.lock(); defer { lock.unlock() }
        if let e = entries[key] { hits += 1; return e }
        return nil
    }

    func store(_ entry: Entry, _ key: String) {
        lock.lock(); defer { lock.unlock() }
        entries[key] = entry
    }

    func ranking(_ key: String) -> OptionAssessment.BaselineRanking? {
        lock.lock(); defer { lock.unlock() }
        return rankings[key]
    }

    func store(_ ranking: OptionAssessment.BaselineRanking, _ key: String) {
        lock.lock(); defer { lock.unlock() }
        rankings[key] = ranking
    }

    /// Forgets every baseline (the population changed).
    public func removeAll() {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll()
        rankings.removeAll()
    }
}
