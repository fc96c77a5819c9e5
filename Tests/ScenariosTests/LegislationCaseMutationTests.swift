import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// Garbage in, an ``InputError`` out, for legislation case files: random
/// mutations of the shipped cases (`inputs/cases/`) and of the fuzz seeds
/// (`Tests/Fixtures/fuzz/cases/`) are read as case files and every case read
/// is run; each must give results or throw an ``InputError``, never crash,
/// hang or throw anything else. Bounded to about 2 seconds, from a seeded
/// generator (`SIMRUN_CASE_MUTATION_SECONDS`, `SIMRUN_CASE_MUTATION_SEED`
/// for a longer run); the libFuzzer target `cases` is the tool for real
/// campaigns (docs/fuzzing.md).
@Suite("legislation cases on mutated files")
struct LegislationCaseMutationTests {
    static let seeds: [[UInt8]] = (YAMLReaderMutationTests.files(in: "inputs/cases")
        + YAMLReaderMutationTests.files(in: "Tests/Fixtures/fuzz/cases"))
        .compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }

    @Test("every mutant is run or refused with an InputError")
    func mutants() throws {
        #expect(Self.seeds.count >= 10)
        // A scratch folder laid out as inputs/: cases/ beside scenarios/ and systems/.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-case-mutants-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("cases"), withIntermediateDirectories: true)
        for sub in ["scenarios", "systems"] {
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(sub),
                                                       withDestinationURL: URL(fileURLWithPath: TestHouseholds.path("inputs/\(sub)")))
        }
        let file = folder.appendingPathComponent("cases/mutant.yaml")
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["SIMRUN_CASE_MUTATION_SECONDS"].flatMap(Double.init) ?? 2
        var g = YAMLReaderMutationTests.SplitMix64(state: environment["SIMRUN_CASE_MUTATION_SEED"].flatMap(UInt64.init) ?? 5)
        let clock = ContinuousClock()
        let start = clock.now
        var mutants = 0, ran = 0
        while clock.now - start < .seconds(seconds), mutants < (seconds > 2 ? Int.max : 5_000) {
            let mutant = YAMLReaderMutationTests.mutate(Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &g)], &g)
            mutants += 1
            try Data(mutant).write(to: file)
            let outcome = YAMLReaderMutationTests.readsOrRefuses {
                for legislationCase in try LegislationCase.read(file: file.path, catalog: ScenarioCatalog.standard) {
                    _ = try legislationCase.run()
                    ran += 1
                }
            }
            #expect(outcome, "mutant \(mutants): \(String(decoding: mutant.prefix(300), as: UTF8.self))")
        }
        // Enough mutants to mean something, and some that get as far as a run.
        #expect(mutants >= 20)
        #expect(ran > 0)
        if seconds > 2 { print("case mutation: \(mutants) mutants, \(ran) cases run") }
    }
}
