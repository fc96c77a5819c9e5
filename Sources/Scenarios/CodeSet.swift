import SimKernel

/// A small set of category codes (0...63) tested in constant time, for hot loops.
struct CodeSet: Sendable {
    private let bits: UInt64
    /// The set's codes when there are one to four (repeated to fill four), else nil.
    private let few: (Int32, Int32, Int32, Int32)?
    init(_ codes: [Int32]) {
        var b: UInt64 = 0
        for c in codes where (0..<64).contains(c) { b |= 1 << UInt64(c) }
        bits = b
        var distinct: [Int32] = []
        for c in codes where (0..<64).contains(c) && !distinct.contains(c) { distinct.append(c) }
        if (1...4).contains(distinct.count) {
            let d = distinct + Array(repeating: distinct[0], count: 4 - distinct.count)
            few = (d[0], d[1], d[2], d[3])
        } else {
            few = nil
        }
    }

    /// Sets `values[k]` to `+0.0` where `codes[k]` is not in the set, for
    /// `k` in `0..<count`: with at most four codes by equality tests (which
    /// vectorise), else by ``membership(_:)``.
    func keepMembers(_ values: UnsafeMutablePointer<Double>, codes: UnsafePointer<Int32>, count: Int) {
        guard let (a, b, c, d) = few else {
            for k in 0..<count { values[k] = BranchFree.kept(values[k], if: membership(codes[k])) }
            return
        }
        for k in 0..<count {
            let s = codes[k]
            values[k] = BranchFree.kept(values[k], if: BranchFree.flag(s == a) | BranchFree.flag(s == b)
                | BranchFree.flag(s == c) | BranchFree.flag(s == d))
        }
    }
    /// Whether `code` is in the set.
    @inline(__always) func contains(_ code: Int32) -> Bool {
        code >= 0 && code < 64 && bits & (1 << UInt64(code)) != 0
    }
    /// ``contains(_:)`` as 1 or 0, by arithmetic alone (no comparison the
    /// compiler could turn into a branch): `(UInt64(c) − 64) >> 63` is 1
    /// exactly when the code, read as unsigned, is below 64.
    @inline(__always) func membership(_ code: Int32) -> UInt64 {
        let c = UInt64(UInt32(bitPattern: code))
        return (bits >> (c & 63)) & ((c &- 64) >> 63)
    }
}
