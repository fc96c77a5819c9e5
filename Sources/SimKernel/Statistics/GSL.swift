internal import CGSL

/// The thin layer over the GNU Scientific Library.
///
/// No GSL type leaves this file: callers pass Swift arrays or buffers and
/// get Swift values back. GSL's default error handler aborts the process;
/// ``GSL/prepare()`` switches it off, and every status is checked here.
public enum GSL {
    /// Switches GSL's aborting error handler off. Call once, on the main
    /// thread, before any other GSL use (the command-line tool does it at
    /// start-up; the kernel calls it before statistics, which is harmless
    /// to repeat because it only ever stores the same value).
    public static func prepare() {
        cgsl_disable_abort_handler()
    }

    /// GSL's message for a status code.
    static func message(_ status: Int32) -> String {
        String(cString: gsl_strerror(status))
    }

    /// The permutation that sorts `values` ascending (GSL's heapsort on indices).
    ///
    /// Ties keep no particular order; every statistic simrun computes from a
    /// sort is invariant to the order of tied values.
    /// - Complexity: O(n log n).
    static func sortPermutation(_ values: UnsafeBufferPointer<Double>) -> [Int] {
        let n = values.count
        guard n > 0 else { return [] }
        var permutation = [Int](repeating: 0, count: n)
        // Swift imports size_t as Int, so the permutation is written straight into the array.
        permutation.withUnsafeMutableBufferPointer { p in
            gsl_sort_index(p.baseAddress!, values.baseAddress!, 1, n)
        }
        return permutation
    }

    /// The weighted mean `sum(w x) / sum(w)`, computed by GSL.
    /// - Throws: ``StatisticsError`` if the lengths differ or the input is empty.
    public static func weightedMean(_ values: [Double], weights: [Double]) throws -> Double {
        guard values.count == weights.count else { throw StatisticsError.lengthMismatch(values.count, weights.count) }
        guard !values.isEmpty else { throw StatisticsError.empty("weighted mean") }
        return weights.withUnsafeBufferPointer { w in
            values.withUnsafeBufferPointer { x in
                gsl_stats_wmean(w.baseAddress!, 1, x.baseAddress!, 1, x.count)
            }
        }
    }
}

/// A statistic asked of data it is not defined on.
public enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    case lengthMismatch(Int, Int)
    case empty(String)
    case zeroTotal(String)
    case gsl(String)

    public var description: String {
        switch self {
        case .lengthMismatch(let a, let b): return "values and weights differ in length (\(a) and \(b))"
        case .empty(let what): return "\(what) of no observations is undefined"
        case .zeroTotal(let what): return "\(what) is undefined when the total is zero"
        case .gsl(let message): return "GSL: \(message)"
        }
    }
}
