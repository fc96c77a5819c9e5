import Foundation
import SimKernel

/// Finds the parameter value at which a comparison figure takes a target value
/// (`simrun solve`): a bracket from the parameter's valid range, then GSL's Brent
/// solver (`BrentRootFinder`) for a continuous parameter or bisection on whole
/// numbers, with the figure's monotonicity checked on every evaluation.
///
/// Stopping rule (continuous): the figure is within ``relativeTolerance`` × |target| of the
/// target (× the largest |figure| at the bracket's ends when the target is 0), or the
/// bracket has shrunk to a few ulps, which means the figure jumps across the target there
/// (a headcount is a step function of a benefit amount): ``Solution/Status/step(below:above:)``.
package struct TargetSolver {
    /// 1e-7: ten times tighter than the 1e-6 the issue asks for, so a solved value written to
    /// a scenario file at full precision reproduces the target to 1e-6 relative.
    package static let relativeTolerance = 1e-7
    package static let maxIterations = 200
    /// Doublings of the search step where the parameter's range is open.
    package static let maxExpansions = 60

    /// The parameter being solved for.
    package struct Parameter {
        package var name: String
        /// The current value (the start of an open-ended search).
        package var value: Double
        package var minimum: Double?
        package var maximum: Double?
        package var wholeNumber: Bool

        /// The memberwise initializer, visible to the package's other targets.
        package init(name: String, value: Double, minimum: Double?, maximum: Double?, wholeNumber: Bool) {
            self.name = name
            self.value = value
            self.minimum = minimum
            self.maximum = maximum
            self.wholeNumber = wholeNumber
        }
    }

    /// One evaluation: the parameter's value and the figure there.
    package struct Iteration: Sendable, Equatable {
        package var value: Double
        package var figure: Double

        /// The memberwise initializer, visible to the package's other targets.
        package init(value: Double, figure: Double) {
            self.value = value
            self.figure = figure
        }
    }

    package struct Solution: Sendable, Equatable {
        package enum Status: Sendable, Equatable {
            /// The figure meets the target to the tolerance.
            case met
            /// The figure jumps across the target between these parameter values (it is a step
            /// function there); ``Solution/value`` is the one whose figure is nearer the target.
            case step(below: Iteration, above: Iteration)
        }
        package var value: Double
        package var status: Status
        package var iterations: [Iteration]
        /// The first evaluations that contradict monotonicity, when any did.
        package var notMonotone: [Iteration]?

        /// The memberwise initializer, visible to the package's other targets.
        package init(value: Double, status: Status, iterations: [Iteration], notMonotone: [Iteration]?) {
            self.value = value
            self.status = status
            self.iterations = iterations
            self.notMonotone = notMonotone
        }
    }

    /// Why there is no solution.
    package enum Failure: Error, Equatable {
        /// The figure ranges only over `range` as the parameter goes over `over`.
        case unreachable(figureRange: ClosedRange<Double>, over: ClosedRange<Double>)
        /// The figure is not a number at this value.
        case undefined(at: Double)
        case noConvergence(String)
    }

    package let parameter: Parameter
    package let target: Double
    /// The figure at a parameter value (a simulation: each value is evaluated once).
    package let figure: (Double) throws -> Double

    private final class Record {
        package var cache: [Double: Double] = [:]
        package var order: [Iteration] = []
        package var violation: [Iteration]?
    }

    /// Solves; see the type's description.
    /// - Throws: ``Failure``, or whatever `figure` throws.
    package func solve() throws -> Solution {
        let record = Record()
        func g(_ x: Double) throws -> Double {
            if let y = record.cache[x] { return y }
            let y = try figure(x)
            guard y.isFinite else { throw Failure.undefined(at: x) }
            record.cache[x] = y
            record.order.append(Iteration(value: x, figure: y))
            if record.violation == nil { record.violation = Self.monotonicityViolation(record.order) }
            return y
        }
        let (lo, hi) = try bracket(g)
        let flo = try g(lo), fhi = try g(hi)
        var result: (value: Double, status: Solution.Status)
        if flo == target {
            result = (lo, .met)
        } else if fhi == target {
            result = (hi, .met)
        } else if parameter.wholeNumber {
            result = try wholeNumberSearch(lo, hi, g)
        } else {
            let scale = target != 0 ? abs(target) : max(abs(flo), abs(fhi))
            let tolerance = Self.relativeTolerance * scale
            var step: Solution.Status?
            do {
                let root = try BrentRootFinder.solve(lower: lo, upper: hi, maxIterations: Self.maxIterations,
                                                     f: { try g($0) - target }) { x, a, b in
                    if let y = record.cache[x], abs(y - target) <= tolerance { return true }
                    // A bracket a few ulps wide that still straddles the target: a jump.
                    if b - a <= 8 * max(abs(a), abs(b)).ulp, let ya = record.cache[a], let yb = record.cache[b] {
                        step = .step(below: Iteration(value: a, figure: ya), above: Iteration(value: b, figure: yb))
                        return true
                    }
                    return false
                }
                if let step, case .step(let below, let above) = step {
                    let nearer = abs(below.figure - target) <= abs(above.figure - target) ? below : above
                    result = (nearer.value, step)
                } else {
                    result = (root.value, .met)
                }
            } catch let failure as BrentRootFinder.Failure {
                throw Failure.noConvergence(failure.description)
            }
        }
        // The value is evaluated (Brent's estimate is always its last evaluation, and ends and search points are).
        _ = try g(result.value)
        return Solution(value: result.value, status: result.status, iterations: record.order, notMonotone: record.violation)
    }

    /// Bisection on whole numbers between `lo` and `hi` (integers bracketing the target).
    private func wholeNumberSearch(_ lo: Double, _ hi: Double, _ g: (Double) throws -> Double) throws -> (Double, Solution.Status) {
        var a = lo, b = hi
        let below = try g(a) < target
        while b - a > 1 {
            let m = ((a + b) / 2).rounded(.down)
            let y = try g(m)
            if y == target { return (m, .met) }
            if (y < target) == below { a = m } else { b = m }
        }
        let ya = try g(a), yb = try g(b)
        if ya == target { return (a, .met) }
        if yb == target { return (b, .met) }
        let first = Iteration(value: a, figure: ya), second = Iteration(value: b, figure: yb)
        let nearer = abs(ya - target) <= abs(yb - target) ? a : b
        return (nearer, .step(below: first, above: second))
    }

    /// The search interval: the parameter's valid range (whole numbers rounded inwards), an
    /// open end searched by doubling steps from the current value until the figure passes
    /// the target.
    private func bracket(_ g: (Double) throws -> Double) throws -> (Double, Double) {
        let p = parameter
        var lo = p.minimum, hi = p.maximum
        if p.wholeNumber {
            lo = lo.map { $0.rounded(.up) }
            hi = hi.map { $0.rounded(.down) }
        }
        if let lo, let hi {
            guard lo < hi else { throw Failure.unreachable(figureRange: try g(lo)...g(lo), over: lo...hi) }
            try checkReachable(lo, hi, g)
            return (lo, hi)
        }
        let start = p.value.isFinite ? p.value : 0
        var step = max(abs(start), 1)
        if p.wholeNumber { step = step.rounded(.up) }
        var a = lo ?? start, b = hi ?? start
        if a == b {
            if lo == nil { a -= step } else { b += step }
        }
        for _ in 0..<Self.maxExpansions {
            let ya = try g(a), yb = try g(b)
            if (ya - target) * (yb - target) <= 0 { return (a, b) }
            step *= 2
            // Move the open end(s) outwards; a closed end stays.
            if hi == nil { b = (lo == nil ? start : a) + step }
            if lo == nil { a = (hi == nil ? start : b) - step }
        }
        try checkReachable(a, b, g)
        return (a, b)
    }

    private func checkReachable(_ lo: Double, _ hi: Double, _ g: (Double) throws -> Double) throws {
        let ylo = try g(lo), yhi = try g(hi)
        guard (ylo - target) * (yhi - target) <= 0 else {
            throw Failure.unreachable(figureRange: min(ylo, yhi)...max(ylo, yhi), over: lo...hi)
        }
    }

    /// The first three evaluations, in parameter order, at which the figure turns (rises then
    /// falls or the reverse), or `nil` while it is monotone (ties allowed).
    package static func monotonicityViolation(_ points: [Iteration]) -> [Iteration]? {
        let sorted = points.sorted { $0.value < $1.value }
        var direction = 0.0
        for i in sorted.indices.dropFirst() {
            let d = sorted[i].figure - sorted[i - 1].figure
            guard d != 0 else { continue }
            if direction == 0 {
                direction = d
            } else if (d > 0) != (direction > 0) {
                return [sorted[max(0, i - 2)], sorted[i - 1], sorted[i]]
            }
        }
        return nil
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(parameter: Parameter, target: Double, figure: @escaping (Double) throws -> Double) {
        self.parameter = parameter
        self.target = target
        self.figure = figure
    }
}
