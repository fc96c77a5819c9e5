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

/// The reform's components shared with the baseline are computed once; the
/// reform's outcome must be exactly what running it alone gives.
@Suite("Shared baseline components")
struct SharedComponentTests {
    func bits(_ o: SystemOutcome) -> [UInt64] {
        var out = o.disposableIncome.values.map(\.bitPattern) + o.benefitRecipients.values.map { UInt64(bitPattern: Int64($0)) }
        out += (o.componentMask?.values.map { UInt64($0) } ?? [])
        for c in o.components {
            out += c.amount.values.map(\.bitPattern) + c.recipients.values.map { UInt64(bitPattern: Int64($0)) }
            out += (c.personAmount?.values.map(\.bitPattern) ?? [])
            for counter in c.counters { out += counter.values.values.map(\.bitPattern) }
        }
        return out
    }

    @Test("a reform run beside its baseline equals the reform run alone, bit for bit",
          arguments: ["inputs/scenarios/universal-child-grant.yaml", "inputs/scenarios/package-child-grant-pension-tax.yaml",
                      "inputs/scenarios/unemployment-insurance-extension.yaml", "inputs/scenarios/contribution-subsidy.yaml"])
    func sharedEqualsAlone(_ file: String) throws {
        let scenario = try ScenarioDefinition(file: TestSupport.path(file), catalog: ScenarioCatalog.standard)
        #expect(Simulator.sharedPrefix(scenario.reform, scenario.baseline) >= 1)
        let population = try SurveyLoader().load(file: TestSupport.exampleData, variables: ScenarioRun.variables(of: scenario))
        var simulator = Simulator(plan: ParallelPlan(threads: 2), chunkSize: 333)
        simulator.recordCoverage = true
        simulator.recordPersonAmounts = true
        let context = RunContext(seed: 7)
        let pair = simulator.run([scenario.baseline, scenario.reform], on: population, context: context)
        let alone = simulator.run([scenario.reform], on: population, context: context)
        let baselineAlone = simulator.run([scenario.baseline], on: population, context: context)
        #expect(bits(pair[1]) == bits(alone[0]))
        #expect(bits(pair[0]) == bits(baselineAlone[0]))
    }
}
