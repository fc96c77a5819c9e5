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

/// Four independent ``CompensatedSum``s in SIMD lanes: lane by lane exactly
/// the operations of ``CompensatedSum/add(_:)`` (its branch on the larger
/// magnitude becomes a lane-wise select of the same two expressions), so
/// each lane's value has the same bits as a scalar ``CompensatedSum`` of
/// that lane's numbers added in the same order.
struct CompensatedSum4 {
    private var sum = SIMD4<Double>(repeating: 0)
    private var compensation = SIMD4<Double>(repeating: 0)

    init() {}

    @inline(__always)
    private static func magnitude(_ x: SIMD4<Double>) -> SIMD4<Double> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt64>.self) & SIMD4(repeating: ~(1 << 63)), to: SIMD4<Double>.self)
    }

    /// Adds `x[j]` to lane `j`.
    @inline(__always)
    mutating func add(_ x: SIMD4<Double>) {
        let t = sum + x
        let larger = (sum - t) + x, smaller = (x - t) + sum
        compensation += smaller.replacing(with: larger, where: Self.magnitude(sum) .>= Self.magnitude(x))
        sum = t
    }

    /// Lane `j`'s sum.
    @inline(__always)
    subscript(j: Int) -> Double { sum[j] + compensation[j] }
}
