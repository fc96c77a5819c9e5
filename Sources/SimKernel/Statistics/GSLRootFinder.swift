internal import CGSL

/// GSL's Brent–Dekker bracketing root finder (`gsl_root_fsolver_brent`).
///
/// Brent's method keeps a bracket `[lower, upper]` on which the function
/// changes sign and, at each step, tries inverse quadratic interpolation or
/// the secant, falling back to bisection whenever those would leave the
/// bracket or shrink it too slowly: it never diverges and converges
/// superlinearly on smooth functions (GSL manual, "One Dimensional Root-Finding",
/// Brent-Dekker method). simrun's solver (`simrun solve`) wraps it with its
/// own stopping rule on the figure, since a figure can be a step function.
///
/// ```swift
/// let root = try BrentRootFinder.solve(lower: 0, upper: 2, maxIterations: 100,
///     f: { $0 * $0 - 2 }, converged: { x, lo, hi in hi - lo < 1e-12 })
/// // root.value ≈ 1.41421356...
/// ```
public enum BrentRootFinder {
    /// The outcome of ``solve(lower:upper:maxIterations:f:converged:)``.
    public struct Root: Sendable, Equatable {
        /// GSL's current estimate when the stopping rule held.
        public let value: Double
        /// The bracket GSL held at that point.
        public let lower: Double
        public let upper: Double
        /// Brent iterations taken (each evaluates `f` once).
        public let iterations: Int
    }

    /// Why the solver stopped without a root.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// `f(lower)` and `f(upper)` have the same sign (or a bound is not finite): no bracket.
        case notBracketed(lower: Double, upper: Double)
        /// `f` returned NaN or an infinity at `x`.
        case notFinite(x: Double)
        /// The stopping rule did not hold within the iteration limit.
        case noConvergence(iterations: Int, lower: Double, upper: Double)
        /// Another GSL status, with GSL's message.
        case gsl(String)

        public var description: String {
            switch self {
            case .notBracketed(let lo, let hi): return "the function does not change sign between \(lo) and \(hi)"
            case .notFinite(let x): return "the function is not a finite number at \(x)"
            case .noConvergence(let n, let lo, let hi): return "no convergence after \(n) iterations (bracket [\(lo), \(hi)])"
            case .gsl(let message): return "GSL root finder: \(message)"
            }
        }
    }

    /// Finds `x` in `[lower, upper]` where `f` changes sign.
    ///
    /// - Parameters:
    ///   - lower: The lower end of the bracket (finite, below `upper`).
    ///   - upper: The upper end.
    ///   - maxIterations: At most this many Brent steps.
    ///   - f: The function; it may throw (the error is rethrown as is) and is called on the caller's thread.
    ///     GSL calls it at both ends first, then once per step.
    ///   - converged: The stopping rule, asked after every step with GSL's estimate and bracket.
    /// - Returns: The estimate and bracket when `converged` first held.
    /// - Throws: whatever `f` throws; ``Failure`` if there is no sign change, `f` is not finite or the rule never held.
    /// - Complexity: `maxIterations + 2` calls of `f` at most.
    public static func solve(lower: Double, upper: Double, maxIterations: Int,
                             f: (Double) throws -> Double,
                             converged: (_ x: Double, _ lower: Double, _ upper: Double) -> Bool) throws -> Root {
        guard lower.isFinite, upper.isFinite, lower < upper else { throw Failure.notBracketed(lower: lower, upper: upper) }
        GSL.prepare()
        return try withoutActuallyEscaping(f) { f in
            let box = Evaluation(f)
            let solver = gsl_root_fsolver_alloc(cgsl_root_fsolver_brent())
            guard let solver else { throw Failure.gsl("cannot allocate the solver") }
            defer { gsl_root_fsolver_free(solver) }
            return try withExtendedLifetime(box) {
                var function = gsl_function(
                    function: { x, params in
                        // `params` is the `Evaluation` kept alive by `withExtendedLifetime` for this whole call.
                        let box = Unmanaged<Evaluation>.fromOpaque(params!).takeUnretainedValue()
                        return box.call(x)
                    },
                    params: Unmanaged.passUnretained(box).toOpaque())
                let status = gsl_root_fsolver_set(solver, &function, lower, upper)
                if let error = box.error { throw error }
                if let x = box.nonFinite { throw Failure.notFinite(x: x) }
                guard status == GSL_SUCCESS else {
                    if status == GSL_EINVAL { throw Failure.notBracketed(lower: lower, upper: upper) }
                    throw Failure.gsl(GSL.message(status))
                }
                var lo = lower, hi = upper
                for iteration in 1...max(1, maxIterations) {
                    let step = gsl_root_fsolver_iterate(solver)
                    if let error = box.error { throw error }
                    if let x = box.nonFinite { throw Failure.notFinite(x: x) }
                    guard step == GSL_SUCCESS else { throw Failure.gsl(GSL.message(step)) }
                    let x = gsl_root_fsolver_root(solver)
                    lo = gsl_root_fsolver_x_lower(solver)
                    hi = gsl_root_fsolver_x_upper(solver)
                    if converged(x, lo, hi) { return Root(value: x, lower: lo, upper: hi, iterations: iteration) }
                }
                throw Failure.noConvergence(iterations: maxIterations, lower: lo, upper: hi)
            }
        }
    }

    /// The Swift function behind GSL's C callback, and what went wrong in it.
    ///
    /// Used on the caller's thread only, for the duration of one ``solve``; GSL
    /// cannot propagate a Swift error, so the first one is kept here and NaN is
    /// returned to GSL, which then stops with `GSL_EBADFUNC`.
    private final class Evaluation {
        let f: (Double) throws -> Double
        var error: (any Error)?
        var nonFinite: Double?

        init(_ f: @escaping (Double) throws -> Double) { self.f = f }

        func call(_ x: Double) -> Double {
            guard error == nil, nonFinite == nil else { return .nan }
            do {
                let y = try f(x)
                if !y.isFinite { nonFinite = x }
                return y.isFinite ? y : .nan
            } catch {
                self.error = error
                return .nan
            }
        }
    }
}
