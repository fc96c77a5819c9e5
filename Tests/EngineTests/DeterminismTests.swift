import Foundation
import Testing
@testable import SimKernel
import Scenarios

/// Results are bit-for-bit identical for every thread count, chunk size and
/// parsing piece size, on a synthetic population of over 100,000 persons.
@Suite("Determinism across threads and chunk sizes")
struct DeterminismTests {
    static let data: String = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("simrun-determinism-\(getpid()).csv")
        // 22,500 households of 1-9 members: about 112,000 persons.
        try! TestSupport.syntheticCSV(households: 22_500, seed: 7).write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }()

    /// Every number the run produces, as bit patterns.
    func fingerprint(_ run: ScenarioRun) -> [UInt64] {
        var bits: [UInt64] = []
        for s in [run.baseline, run.reform, run.change] {
            bits += [s.costAnnual, s.revenueAnnual, s.beneficiaries, s.fgt0, s.fgt1, s.fgt2, s.gini, s.meanIncome,
                     s.weightedPersons].map(\.bitPattern)
            bits += s.components.flatMap { [$0.annualAmount.bitPattern, $0.persons.bitPattern] }
        }
        for outcome in [run.outcomes.baseline, run.outcomes.reform] {
            bits += outcome.disposableIncome.values.map(\.bitPattern)
        }
        return bits
    }

    @Test("threads 1 to 4, chunk sizes 1 to 100,000 and parse pieces of 64 bytes to 2 MiB give identical bits")
    func identicalEverywhere() throws {
        let scenario = try ScenarioDefinition(file: TestSupport.exampleScenario, catalog: ScenarioCatalog.standard)
        let (population, reference) = try TestSupport.run(scenario: scenario, data: Self.data, threads: 1)
        #expect(population.personCount >= 100_000)
        let expected = fingerprint(reference)
        for (threads, chunk, piece) in [(2, 4096, 1 << 21), (3, 1, 64), (4, 7, 1000), (2, 100_000, 1 << 16), (1, 333, 4096)] {
            let (_, run) = try TestSupport.run(scenario: scenario, data: Self.data, threads: threads,
                                               chunkSize: chunk, pieceBytes: piece)
            #expect(fingerprint(run) == expected, "threads \(threads), chunk \(chunk), piece \(piece)")
        }
    }
}
