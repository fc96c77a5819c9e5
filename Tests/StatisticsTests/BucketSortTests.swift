import Foundation
import Testing
@testable import SimKernel

/// The bucket sort behind the Gini must visit units in exactly the order of a
/// stable comparison sort by value, on any data: ties, negative values,
/// zeros, one repeated value, values packed into a narrow band (long runs of
/// equal bucket keys), huge ranges, and non-finite values (comparison path).
@Suite("Bucket sort of weighted welfare")
struct BucketSortTests {
    /// SplitMix64 uniform draws in [0, 1).
    struct Draws {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / 9_007_199_254_740_992
        }
    }

    /// The units in visiting order, and the reference: a stable sort by y.
    func visited(_ y: [Double]) -> (got: [WeightedWelfare], want: [WeightedWelfare]) {
        // The weight records each unit's position, so any reordering of ties shows.
        let units = y.enumerated().map { WeightedWelfare(y: $1, w: Double($0)) }
        var low = Double.infinity, high = -Double.infinity
        for v in y {
            low = min(low, v)
            high = max(high, v)
        }
        var sorter = BucketSort(count: units.count, minimum: low, maximum: high)
        for u in units { sorter.place(u) }
        var got: [WeightedWelfare] = []
        sorter.visitSorted { got.append(contentsOf: $0) }
        let want = units.enumerated().sorted { a, b in a.1.y < b.1.y || (a.1.y == b.1.y && a.0 < b.0) }.map(\.1)
        return (got, want)
    }

    func expectSorted(_ y: [Double], _ label: String) {
        let (got, want) = visited(y)
        #expect(got.count == want.count, "\(label): count")
        #expect(got.map(\.y.bitPattern) == want.map(\.y.bitPattern), "\(label): values")
        #expect(got.map(\.w) == want.map(\.w), "\(label): ties in unit order")
    }

    @Test("log-normal incomes rounded to cents (many ties), with zeros and negatives")
    func incomes() {
        var draws = Draws(state: 1)
        let y = (0..<50_000).map { i -> Double in
            if i % 97 == 0 { return 0 }
            if i % 211 == 0 { return -(draws.next() * 300).rounded() }
            let u = max(draws.next(), 1e-12)
            return (exp(5 + 1.1 * sqrt(-2 * log(u)) * cos(2 * Double.pi * draws.next())) * 100).rounded() / 100
        }
        expectSorted(y, "incomes")
    }

    @Test("distinct values packed in a narrow band: long runs of equal keys")
    func narrowBand() {
        var draws = Draws(state: 2)
        // 20,000 values in [1000, 1000.001) beside 1e6: one key spans many of them.
        let y = (0..<20_000).map { _ in 1000 + draws.next() * 0.001 } + [1e6, -1e6]
        expectSorted(y, "narrow band")
    }

    @Test("large buckets spanning many blocks; short and long runs of equal coarse keys; many ties")
    func largeBuckets() {
        var draws = Draws(state: 6)
        // 200,000 values, most in a few buckets (chains of many blocks), cents and thirds (ties and near-ties).
        let y = (0..<200_000).map { i -> Double in
            switch i % 5 {
            case 0: return 100 + (draws.next() * 2).rounded() / 100          // a handful of values, many ties
            case 1: return (draws.next() * 300 * 100).rounded() / 300        // dense, near-ties
            case 2: return 1000 + draws.next() * 1e-6                        // distinct values under one key
            default: return (draws.next() * 5_000).rounded() / 100
            }
        }
        expectSorted(y, "large buckets")
        // Bucket sizes just around the insertion limit and the block size.
        for m in [31, 32, 33, 255, 256, 257, 513] {
            let small = (0..<5_000).map { (i: Int) -> Double in
                let k = Double((i * 37) % m)
                return i < m ? 7 + k * 1e-6 : 1e4 + Double(i)
            }
            expectSorted(small, "bucket of \(m)")
        }
    }

    @Test("every value equal; a huge range; few units; infinity")
    func edgeCases() {
        expectSorted([Double](repeating: 42.5, count: 10_000), "all equal")
        var draws = Draws(state: 3)
        expectSorted((0..<10_000).map { _ in pow(10, draws.next() * 600 - 300) * (draws.next() < 0.5 ? -1 : 1) }, "huge range")
        expectSorted([3, 1, 2, 1, -0.0, 0.0, 5], "few units")
        expectSorted((0..<10_000).map { Double($0 % 17) } + [.infinity], "infinity")
        // A NaN (outside any range) is visited, somewhere, and never written out of bounds.
        let (got, _) = visited((0..<10_000).map { Double($0 % 23) } + [.nan])
        #expect(got.count == 10_001)
        #expect(got.filter { $0.y.isNaN }.count == 1)
    }

    @Test("the Gini from the bucket sort equals the pairwise definition")
    func giniPairwise() {
        var draws = Draws(state: 4)
        let n = 6_000  // above the radix threshold
        let y = (0..<n).map { i in i % 50 == 0 ? 0 : (draws.next() * 1000).rounded() / 4 }
        let w = (0..<n).map { _ in 1 + (draws.next() * 20).rounded() }
        // By the definition: Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ), summed exactly enough in Double here.
        var pairs = 0.0, total = 0.0, income = 0.0
        for i in 0..<n {
            total += w[i]
            income += w[i] * y[i]
            var row = 0.0
            for j in 0..<n { row += w[j] * abs(y[i] - y[j]) }
            pairs += w[i] * row
        }
        let expected = pairs / (2 * total * income)
        let gini = WelfareDistribution(welfare: y, personWeight: w).gini
        #expect(abs(gini - expected) <= 1e-12 * expected)
    }

    @Test("per-capita headline from household incomes equals the distribution's figures, bit for bit")
    func perCapitaHeadline() {
        var draws = Draws(state: 5)
        let households = 9_000
        var starts = [0], income: [Double] = [], weight: [Double] = []
        for _ in 0..<households {
            starts.append(starts.last! + 1 + Int(draws.next() * 7))
            income.append((draws.next() * 2_000 - 100).rounded() / 2)
            weight.append(10 + (draws.next() * 400).rounded())
        }
        let welfare = (0..<households).map { income[$0] / Double(starts[$0 + 1] - starts[$0]) }
        let personWeight = (0..<households).map { weight[$0] * Double(starts[$0 + 1] - starts[$0]) }
        let distribution = WelfareDistribution(welfare: welfare, personWeight: personWeight)
        let expected = distribution.headline(line: 150)
        for bounds in [nil, (min: welfare.min()!, max: welfare.max()!)] as [(min: Double, max: Double)?] {
            let got = income.withUnsafeBufferPointer { i in
                starts.withUnsafeBufferPointer { s in
                    weight.withUnsafeBufferPointer { w in
                        PerCapitaHeadline(householdIncome: i, starts: s, weight: w, line: 150, bounds: bounds)
                    }
                }
            }
            #expect(got.population.bitPattern == expected.population.bitPattern)
            #expect(got.mean.bitPattern == expected.mean.bitPattern)
            #expect([got.fgt0, got.fgt1, got.fgt2].map(\.bitPattern)
                    == [expected.fgt0, expected.fgt1, expected.fgt2].map(\.bitPattern))
            #expect(got.gini.bitPattern == distribution.gini.bitPattern)
        }
    }
}
