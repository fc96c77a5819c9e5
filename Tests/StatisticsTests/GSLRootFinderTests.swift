import Foundation
import SimKernel
import Testing

@Suite("GSL Brent root finder")
struct GSLRootFinderTests {
    @Test("x² − 2 on [0, 2] gives √2 to the requested width")
    func squareRoot() throws {
        let root = try BrentRootFinder.solve(lower: 0, upper: 2, maxIterations: 100, f: { $0 * $0 - 2 }) { _, lo, hi in hi - lo < 1e-12 }
        // √2 = 1.41421356237309504880... (hand value); the bracket holds it and is narrower than 1e-12.
        #expect(abs(root.value - 2.0.squareRoot()) < 1e-12)
        #expect(root.lower <= 2.0.squareRoot() && 2.0.squareRoot() <= root.upper)
        #expect(root.iterations < 20)
    }

    @Test("no sign change is refused before any iteration")
    func notBracketed() {
        #expect(throws: BrentRootFinder.Failure.notBracketed(lower: 0, upper: 1)) {
            try BrentRootFinder.solve(lower: 0, upper: 1, maxIterations: 10, f: { $0 + 1 }) { _, _, _ in true }
        }
    }

    @Test("an error thrown by the function comes back unchanged; a NaN is named with its x")
    func errorsPropagate() {
        struct Boom: Error, Equatable {}
        var calls = 0
        #expect(throws: Boom()) {
            try BrentRootFinder.solve(lower: -1, upper: 1, maxIterations: 10, f: { x in
                calls += 1
                if calls == 3 { throw Boom() }
                return x
            }) { _, _, _ in false }
        }
        #expect(calls == 3)
        #expect(throws: BrentRootFinder.Failure.notFinite(x: 1)) {
            try BrentRootFinder.solve(lower: -1, upper: 1, maxIterations: 10, f: { x in x == 1 ? .nan : x }) { _, _, _ in false }
        }
    }

    @Test("a rule that never holds stops at the iteration limit")
    func limit() {
        #expect {
            try BrentRootFinder.solve(lower: -1, upper: 3, maxIterations: 5, f: { $0 }) { _, _, _ in false }
        } throws: { error in
            if case .noConvergence(let n, _, _) = error as? BrentRootFinder.Failure { return n == 5 }
            return false
        }
    }
}
