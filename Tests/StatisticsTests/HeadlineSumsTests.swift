import Foundation
import Testing
@testable import SimKernel

/// ``HeadlineSums`` adds a unit above the line as `+0.0` terms (masked, no
/// branch); the sums must equal, bit for bit, those that skip such units, on
/// ordinary and on special values.
@Suite("Branch-free headline sums")
struct HeadlineSumsTests {
    /// The sums as defined: poverty terms only for units below the line (the former, branching code).
    func reference(_ y: [Double], _ w: [Double], line z: Double) -> [Double] {
        var total = CompensatedSum(), income = CompensatedSum()
        var f0 = CompensatedSum(), f1 = CompensatedSum(), f2 = CompensatedSum()
        var start = 0
        while start < y.count {
            let end = min(y.count, start + 4096)
            var bt = 0.0, bi = 0.0, b0 = 0.0, b1 = 0.0, b2 = 0.0
            for h in start..<end {
                bt += w[h]
                bi += w[h] * y[h]
                if y[h] < z {
                    let gap = (z - y[h]) / z
                    b0 += w[h]
                    b1 += w[h] * gap
                    b2 += w[h] * gap * gap
                }
            }
            total.add(bt); income.add(bi); f0.add(b0); f1.add(b1); f2.add(b2)
            start = end
        }
        return [total.value, income.value, f0.value, f1.value, f2.value]
    }

    func got(_ y: [Double], _ w: [Double], line z: Double) -> [Double] {
        let s = HeadlineSums(count: y.count, line: z) { h in (y[h], w[h]) }
        return [s.total.value, s.income.value, s.f0.value, s.f1.value, s.f2.value]
    }

    @Test("random incomes around the line, several blocks")
    func random() {
        var draws = BucketSortTests.Draws(state: 11)
        let n = 20_000
        let y = (0..<n).map { i -> Double in i % 13 == 0 ? 150 : (draws.next() * 600 - 100).rounded() / 3 }
        let w = (0..<n).map { _ in 1 + (draws.next() * 900).rounded() }
        #expect(got(y, w, line: 150).map(\.bitPattern) == reference(y, w, line: 150).map(\.bitPattern))
    }

    @Test("special values: ±0, on the line, huge, infinite and NaN welfare; zero and negative weights")
    func special() {
        let y: [Double] = [0, -0.0, 150, 149.99999999999997, 1e308, -1e308, .infinity, -.infinity, .nan, 3, 200, -.nan]
        for weights in [[Double](repeating: 2, count: y.count), y.indices.map { $0 % 3 == 0 ? 0 : -Double($0) }] {
            // One special value per run, so that NaN or infinity from one does not hide another's effect.
            for i in y.indices {
                let ys = [10, 500, y[i], 20], ws = [1, 1, weights[i], 1]
                #expect(got(ys, ws, line: 150).map(\.bitPattern) == reference(ys, ws, line: 150).map(\.bitPattern),
                        "y = \(y[i]), w = \(weights[i])")
            }
            #expect(got(y, weights, line: 150).map(\.bitPattern) == reference(y, weights, line: 150).map(\.bitPattern))
        }
    }
}
