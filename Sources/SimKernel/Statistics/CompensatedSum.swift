/// A running sum with Neumaier's compensation: the error of each addition is
/// carried and added back at the end, so a sum of millions of weighted
/// amounts is accurate to about one rounding of the result rather than
/// growing with the number of terms.
///
/// Deterministic: the same terms in the same order give the same bits.
public struct CompensatedSum: Sendable {
    private var sum = 0.0
    private var compensation = 0.0

    public init() {}

    /// Adds `x`.
    @inline(__always)
    public mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    /// The sum of everything added.
    @inline(__always)
    public var value: Double { sum + compensation }
}
