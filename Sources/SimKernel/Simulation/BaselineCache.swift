import Foundation

/// Baselines simulated once and reused by every run that has the same one:
/// what lets the workshop page, `solve` and `sweep` re-run only the reform
/// when an option's parameter changes.
///
/// A baseline is reused only when everything it depends on is the same: the
/// system file (its path and SHA-256, read for the same year), the seed and
/// replication, the simulator's chunking and what it records, the poverty
/// line and the welfare concept (every setting of it), and the population
/// (its identity and size; `AnalysisSession` (SimAnalysis) also drops the cache when the
/// survey is reloaded). The system's digest is that of the bytes parsed
/// (``TaxBenefitSystem/sourceSHA256``), so a file edited during a session
/// is a different baseline. A system not read from a file is never cached.
/// At most ``capacity`` baselines are kept. It also keeps, for
/// ``WelfareAnalysis``, the last ``welfareCapacity`` baseline welfare
/// distributions sorted, split into groups and evaluated.
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
    /// Baselines prepared for ``WelfareAnalysis``, most recently used last.
    private var welfare: [WelfareAnalysis.PreparedBaseline] = []
    private var welfareHitCount = 0
    /// Keys in the order they were stored, oldest first (for eviction).
    private var order: [String] = []
    private var hitCount = 0
    /// The most baselines kept: the oldest is forgotten beyond it (8: a workshop's options, years and seeds).
    public let capacity: Int

    /// How many runs found their baseline in the cache (for tests and `--timings`).
    public var hits: Int {
        lock.lock(); defer { lock.unlock() }
        return hitCount
    }

    /// The most baselines kept prepared for ``WelfareAnalysis`` (sorted and split into groups: about
    /// 30 bytes per household and per household × group cell, some 100 MB at a million households).
    public let welfareCapacity: Int

    /// How many ``WelfareAnalysis`` comparisons found their baseline prepared in the cache.
    public var welfareHits: Int {
        lock.lock(); defer { lock.unlock() }
        return welfareHitCount
    }

    /// Memory grows with every distinct baseline (one income column per household, and per-person
    /// amounts when projecting); `capacity` bounds it, and `welfareCapacity` the baselines kept
    /// prepared for ``WelfareAnalysis/compare(baseline:reform:inference:plan:baselines:progress:)``.
    public init(capacity: Int = 8, welfareCapacity: Int = 2) {
        self.capacity = max(1, capacity)
        self.welfareCapacity = max(1, welfareCapacity)
    }

    /// The key of `scenario`'s baseline under `simulator` and `context` on `population`, or `nil` when it cannot
    /// be cached (a system not read from a file). A key that differs where nothing relevant differs only costs
    /// a miss; two keys that are equal must mean the same baseline.
    func key(_ scenario: ScenarioDefinition, population: Population, simulator: Simulator, context: RunContext) -> String? {
        guard let source = scenario.baseline.source, let digest = scenario.baseline.sourceSHA256 else { return nil }
        var concept = "default"
        if !scenario.welfare.isDefault {
            // Every stored property of the concept (price tables, area lines), not only its description.
            concept = ""
            dump(scenario.welfare, to: &concept)
        }
        let populationIdentity = population.weight.values.baseAddress.map { String(UInt(bitPattern: $0)) } ?? "-"
        return [source, digest, scenario.year.map(String.init) ?? "-", String(context.seed), String(context.replication),
                String(simulator.chunkSize), String(simulator.recordPersonAmounts), String(simulator.recordCoverage),
                String(simulator.keepComponentColumns), String(scenario.povertyLine.bitPattern),
                populationIdentity, String(population.householdCount), String(population.personCount),
                concept].joined(separator: "\u{1F}")
    }

    func entry(_ key: String) -> Entry? {
        lock.lock(); defer { lock.unlock() }
        if let e = entries[key] { hitCount += 1; return e }
        return nil
    }

    func store(_ entry: Entry, _ key: String) {
        lock.lock(); defer { lock.unlock() }
        if entries[key] == nil { order.append(key) }
        entries[key] = entry
        while order.count > capacity {
            let oldest = order.removeFirst()
            entries[oldest] = nil
            rankings[oldest] = nil
        }
    }

    func ranking(_ key: String) -> OptionAssessment.BaselineRanking? {
        lock.lock(); defer { lock.unlock() }
        return rankings[key]
    }

    func store(_ ranking: OptionAssessment.BaselineRanking, _ key: String) {
        lock.lock(); defer { lock.unlock() }
        // Kept only beside its baseline, so that eviction frees both.
        if entries[key] != nil { rankings[key] = ranking }
    }

    /// `baseline` prepared under `analysis`, if kept (the same bits; see ``WelfareAnalysis/PreparedBaseline``).
    func welfareBaseline(of baseline: WelfareDistribution, analysis: WelfareAnalysis) -> WelfareAnalysis.PreparedBaseline? {
        lock.lock(); defer { lock.unlock() }
        guard let i = welfare.lastIndex(where: { $0.matches(baseline, analysis: analysis) }) else { return nil }
        welfareHitCount += 1
        let found = welfare.remove(at: i)
        welfare.append(found)
        return found
    }

    /// Keeps a prepared baseline, forgetting the least recently used beyond ``welfareCapacity``.
    func store(_ prepared: WelfareAnalysis.PreparedBaseline) {
        lock.lock(); defer { lock.unlock() }
        welfare.append(prepared)
        if welfare.count > welfareCapacity { welfare.removeFirst(welfare.count - welfareCapacity) }
    }

    /// Forgets every baseline (the population changed).
    public func removeAll() {
        lock.lock(); defer { lock.unlock() }
        welfare.removeAll()
        entries.removeAll()
        rankings.removeAll()
        order.removeAll()
    }
}
