import Foundation
import Testing
@testable import SimKernel
import Scenarios

/// ``HouseholdBlockSum`` and its users: compensated (exact to about one
/// rounding of the result) and independent of how a block is cut into pieces.
@Suite("Block sums of household terms")
struct BlockSumTests {
    /// The exact sum of `terms` that are whole multiples of 2⁻¹⁰ below 2⁵⁰ in
    /// magnitude (so every partial sum is an exact integer count of 2⁻¹⁰ in Int64).
    static func exact(_ terms: [Double]) -> Double {
        Double(terms.reduce(Int64(0)) { $0 + Int64($1 * 1024) }) / 1024
    }

    @Test("cancellation that a plain sum gets wrong: [2^52, 1, -2^52, 1, ...] sums exactly")
    func cancellation() {
        let big = 4_503_599_627_370_496.0  // 2^52
        var terms: [Double] = []
        for _ in 0..<50 { terms += [big, 0.5, -big, 0.25] }
        var plain = 0.0
        for t in terms { plain += t }
        #expect(plain != 37.5, "a plain sum loses the small terms here")
        var sum = HouseholdBlockSum()
        var i = 0
        while i < terms.count {
            sum.add(SIMD2(terms[i], i + 1 < terms.count ? terms[i + 1] : 0))
            i += 2
        }
        #expect(sum.value == 37.5)  // 50 × 0.75, by hand
    }

    @Test("weighted component sums equal exact sums on representable data; pieces give the same bits as the whole block")
    func components() {
        var state: UInt64 = 11
        func next(_ n: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % n
        }
        let n = 4_095  // odd: the last household is paired with zeros
        let weight = (0..<n).map { _ in Double(next(4_000)) / 8 }        // multiples of 1/8
        let amount = (0..<n).map { _ in next(3) == 0 ? 0 : Double(next(100_000)) / 128 - 100 }  // some negative
        let recipients = (0..<n).map { _ in Int32(next(6)) }
        var whole = ComponentBlockSums()
        weight.withUnsafeBufferPointer { w in
            amount.withUnsafeBufferPointer { a in
                recipients.withUnsafeBufferPointer { r in
                    whole.add(amount: a.baseAddress!, recipients: r.baseAddress!, weight: w.baseAddress!, range: 0..<n)
                    // In pieces of even length from the block's start, as the kernel's sub-batches.
                    for piece in [2, 6, 1024] {
                        var parts = ComponentBlockSums()
                        var start = 0
                        while start < n {
                            let end = min(n, start + piece)
                            parts.add(amount: a.baseAddress!, recipients: r.baseAddress!, weight: w.baseAddress!, range: start..<end)
                            start = end
                        }
                        #expect(parts.amount.value.bitPattern == whole.amount.value.bitPattern)
                        #expect(parts.persons.value.bitPattern == whole.persons.value.bitPattern)
                        #expect(parts.households.value.bitPattern == whole.households.value.bitPattern)
                    }
                }
            }
        }
        #expect(whole.amount.value == Self.exact(zip(weight, amount).map { $0 * $1 }))
        #expect(whole.persons.value == Self.exact(zip(weight, recipients).map { $0 * Double($1) }))
        #expect(whole.households.value == Self.exact(zip(weight, amount).map { $1 > 0 ? $0 : 0 }))
        var count = CountBlockSum()
        weight.withUnsafeBufferPointer { w in
            recipients.withUnsafeBufferPointer { r in count.add(count: r.baseAddress!, weight: w.baseAddress!, range: 0..<n) }
        }
        #expect(count.total.value.bitPattern == whole.persons.value.bitPattern)
    }
}

@Suite("Runs without per-household component columns")
struct ComponentColumnTests {
    @Test("the indicators are the same bits with or without the columns; chunks off the block size keep them")
    func sameIndicators() throws {
        let scenario = try ScenarioDefinition(file: TestSupport.exampleScenario, catalog: ScenarioCatalog.standard)
        let csv = TestSupport.syntheticCSV(households: 9_000, seed: 5)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-columns-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let population = try SurveyLoader().load(file: file.path, variables: ScenarioRun.variables(of: scenario))
        var kept = Simulator(plan: ParallelPlan(threads: 2))
        kept.keepComponentColumns = true
        var dropped = kept
        dropped.keepComponentColumns = false
        let a = ScenarioRun(scenario: scenario, population: population, simulator: kept)
        let b = ScenarioRun(scenario: scenario, population: population, simulator: dropped)
        #expect(a.baseline == b.baseline && a.reform == b.reform && a.change == b.change)
        #expect(a.baseline.costAnnual.bitPattern == b.baseline.costAnnual.bitPattern)
        #expect(a.outcomes.reform.components.allSatisfy { $0.householdAmount != nil && $0.householdRecipients != nil })
        #expect(b.outcomes.reform.components.allSatisfy { $0.householdAmount == nil && $0.householdRecipients == nil })
        #expect(a.outcomes.reform.disposableIncome.values.map(\.bitPattern) == b.outcomes.reform.disposableIncome.values.map(\.bitPattern))
        // 1,000 households a chunk: the indicators sum the columns, so they are kept.
        var offBlock = Simulator(plan: ParallelPlan(threads: 2), chunkSize: 1_000)
        offBlock.keepComponentColumns = false
        let c = ScenarioRun(scenario: scenario, population: population, simulator: offBlock)
        #expect(c.outcomes.reform.components.allSatisfy { $0.householdAmount != nil })
        #expect(c.reform == a.reform && c.baseline == a.baseline)
    }
}
