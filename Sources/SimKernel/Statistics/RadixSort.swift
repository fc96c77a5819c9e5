/// Sorting of doubles in linear time.
///
/// Large inputs are sorted by a least-significant-digit radix sort on the
/// IEEE-754 bits (mapped so that unsigned order is numeric order: negative
/// numbers have all bits flipped, others the sign bit set), 11 bits per pass,
/// passes whose digit is the same for every key skipped. Small inputs go to
/// GSL's sort. Both are deterministic: the same input gives the same order.
enum WelfareSort {
    /// Inputs below this size are sorted by GSL.
    static let radixThreshold = 1 << 12

    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The permutation that sorts `values` ascending.
    /// - Complexity: O(n) for large n (four passes at most), O(n log n) below ``radixThreshold``.
    static func permutation(_ values: UnsafeBufferPointer<Double>) -> [Int32] {
        let n = values.count
        if n < radixThreshold {
            return GSL.sortPermutation(values).map { Int32($0) }
        }
        precondition(n < Int(Int32.max), "too many values to sort")
        // 11-bit digits (2,048 buckets: the counters stay in L1 cache and the
        // scatter touches few pages at a time); all six histograms in one pass;
        // a pass whose digit is the same for every key is skipped.
        let bits = 11, buckets = 1 << 11, passes = 6
        var keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        var keysOut = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        var order = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        var orderOut = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: buckets * passes)
        defer {
            keys.deallocate(); keysOut.deallocate(); order.deallocate(); orderOut.deallocate(); counts.deallocate()
        }
        counts.update(repeating: 0)
        let mask = UInt64(buckets - 1)
        for i in 0..<n {
            let k = key(values[i])
            keys[i] = k
            order[i] = Int32(i)
            for pass in 0..<passes { counts[pass * buckets + Int((k >> UInt64(pass * bits)) & mask)] += 1 }
        }
        for pass in 0..<passes {
            let shift = UInt64(pass * bits)
            let base = pass * buckets
            var sum = 0
            var trivial = false
            for d in 0..<buckets {
                let c = counts[base + d]
                if c == n { trivial = true }
                counts[base + d] = sum
                sum += c
            }
            if trivial { continue }  // every key has the same digit here
            for i in 0..<n {
                let k = keys[i]
                let d = base + Int((k >> shift) & mask)
                let at = counts[d]
                counts[d] = at + 1
                keysOut[at] = k
                orderOut[at] = order[i]
            }
            swap(&keys, &keysOut)
            swap(&order, &orderOut)
        }
        return Array(order)
    }
}
