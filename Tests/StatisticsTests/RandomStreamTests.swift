import Testing
@testable import SimKernel

@Suite("RandomStream: seeded GSL draws")
struct RandomStreamTests {
    @Test("reseeding with the same (seed, purpose, unit) repeats the draws exactly")
    func reseedRepeats() {
        let stream = RandomStream()
        let seed = RandomStream.seed(42, RandomStream.purpose("test.take_up"), 1234)
        stream.reseed(seed)
        let first = (0..<10).map { _ in stream.uniform() }
        _ = (0..<7).map { _ in stream.gaussian() }
        stream.reseed(seed)
        #expect((0..<10).map { _ in stream.uniform() } == first)
    }

    @Test("different purposes and units give different streams")
    func purposesDiffer() {
        let a = RandomStream(seed: RandomStream.seed(1, RandomStream.purpose("a"), 7))
        let b = RandomStream(seed: RandomStream.seed(1, RandomStream.purpose("b"), 7))
        let c = RandomStream(seed: RandomStream.seed(1, RandomStream.purpose("a"), 8))
        let x = a.uniform(), y = b.uniform(), z = c.uniform()
        #expect(x != y && x != z && y != z)
    }

    @Test("uniform draws have mean 1/2 and variance 1/12 within sampling error")
    func uniformMoments() {
        // 200,000 draws: the mean's SD is sqrt(1/12/n) ≈ 0.00065; allow 5 SD.
        let stream = RandomStream(seed: 2024)
        let n = 200_000
        var sum = CompensatedSum(), squares = CompensatedSum()
        for _ in 0..<n {
            let u = stream.uniform()
            #expect(u >= 0 && u < 1)
            sum.add(u)
            squares.add(u * u)
        }
        let mean = sum.value / Double(n)
        let variance = squares.value / Double(n) - mean * mean
        #expect(abs(mean - 0.5) < 5 * (1.0 / 12 / Double(n)).squareRoot())
        #expect(abs(variance - 1.0 / 12) < 0.002)
    }
}

@Suite("CompensatedSum")
struct CompensatedSumTests {
    @Test("recovers small terms that plain summation loses")
    func recoversSmallTerms() {
        // 1e16 + 1 + 1 + ... (1,000 ones) − 1e16 = 1000 exactly; plain summation gives 0
        // because 1e16 + 1 rounds back to 1e16 (the spacing of doubles there is 2).
        var s = CompensatedSum()
        var plain = 0.0
        s.add(1e16)
        plain += 1e16
        for _ in 0..<1000 {
            s.add(1)
            plain += 1
        }
        s.add(-1e16)
        plain += -1e16
        #expect(s.value == 1000)
        #expect(plain != 1000)
    }
}

@Suite("ReplicationSummary")
struct ReplicationSummaryTests {
    @Test("mean and 2.5-97.5% band by R's type-7 quantiles")
    func byHand() {
        // R: mean(1:5) = 3; quantile(1:5, c(0.025, 0.975)) = 1.1, 4.9 (h = 4 × 0.025 = 0.1; h = 3.9).
        let s = ReplicationSummary([5, 1, 4, 2, 3])
        #expect(s.mean == 3)
        #expect(abs(s.low - 1.1) < 1e-15 && abs(s.high - 4.9) < 1e-15)
        // One replication: the band collapses to the value.
        #expect(ReplicationSummary([7.5]) == ReplicationSummary([7.5]) && ReplicationSummary([7.5]).low == 7.5)
    }
}
