/// Sorting of doubles in linear time.
///
/// Large inputs are sorted by a least-significant-digit radix sort on the
/// IEEE-754 bits (mapped so that unsigned order is numeric order: negative
/// numbers have all bits flipped, others the sign bit set), 16 bits per pass,
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
        var keys = [UInt64](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = key(values[i]) }
            c = n
        }
        var order = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = Int32(i) }
            c = n
        }
        var keysOut = [UInt64](repeating: 0, count: n)
        var orderOut = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            counts.withUnsafeMutableBufferPointer { c in
                c.update(repeating: 0)
                keys.withUnsafeBufferPointer { k in
                    for i in 0..<n { c[Int((k[i] >> shift) & 0xFFFF)] += 1 }
                }
            }
            if counts.contains(n) { continue }  // every key has the same digit: nothing to do
            var sum = 0
            for d in 0..<counts.count {
                let c = counts[d]
                counts[d] = sum
                sum += c
            }
            counts.withUnsafeMutableBufferPointer { c in
                keys.withUnsafeBufferPointer { k in
                    order.withUnsafeBufferPointer { o in
                        keysOut.withUnsafeMutableBufferPointer { ko in
                            orderOut.withUnsafeMutableBufferPointer { oo in
                                for i in 0..<n {
                                    let d = Int((k[i] >> shift) & 0xFFFF)
                                    let at = c[d]
                                    c[d] = at + 1
                                    ko[at] = k[i]
                                    oo[at] = o[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&order, &orderOut)
        }
        return order
    }
}
