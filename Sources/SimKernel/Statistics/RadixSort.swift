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

/// A welfare value and the persons it stands for, moved together when sorting.
struct WeightedWelfare {
    /// Welfare of the unit's members.
    var y: Double
    /// Persons the unit represents (household weight × members).
    var w: Double
}

/// Sorts weighted welfare values by a bucket (MSD radix) sort, feeding them
/// in ascending order of `y`, stably (equal values in the order placed).
///
/// Use: ``count(_:)`` every value (a pass of the caller's, which may compute
/// other things on the way), ``prepare()``, ``place(_:)`` every unit in the
/// same order, then ``visitSorted(_:)``.
///
/// The bucket key of `y` is the top bits (at most 22) of the IEEE-754
/// pattern of `(y − minimum) + 1` (at least 1, so the bits rise with the
/// value and spread like its logarithm, which suits incomes); the
/// subtraction and the addition are both monotone, so `key(a) < key(b)`
/// implies `a < b`. Units are scattered by the key's high 11 bits into one
/// buffer (16 bytes a unit); then bucket by bucket (in cache) a counting sort
/// on the low bits and, within runs of equal keys, an exact stable sort by
/// `y` (insertion, or a stable comparison sort for a long run) give the
/// exact order. Small inputs (below ``WelfareSort/radixThreshold``) or
/// non-finite ranges are sorted by a stable comparison sort instead.
struct BucketSort {
    private let n: Int
    private let minimum: Double
    private let one = (1.0).bitPattern
    private let shift: UInt64
    private let lowBits: UInt64
    private let lowMask: UInt64
    private let buckets: Int
    /// Radix path (else: one comparison sort of everything).
    private let radix: Bool
    private var start: UnsafeMutableBufferPointer<Int>
    private var next: UnsafeMutableBufferPointer<Int>
    private var units: UnsafeMutableBufferPointer<WeightedWelfare>
    private var placed = 0

    /// - Parameters:
    ///   - n: The number of units.
    ///   - minimum: The smallest `y` (exactly).
    ///   - maximum: The largest `y` (exactly).
    init(count n: Int, minimum: Double, maximum: Double) {
        self.n = n
        self.minimum = minimum
        let top = (maximum - minimum) + 1
        let span = top.bitPattern &- (1.0).bitPattern
        radix = n >= WelfareSort.radixThreshold && minimum.isFinite && top.isFinite && span > 0
        let needed = radix ? UInt64.bitWidth - span.leadingZeroBitCount : 0
        shift = UInt64(max(0, needed - 22))
        let keyBits = needed - Int(shift)
        let highBits = min(keyBits, 11)
        lowBits = UInt64(keyBits - highBits)
        lowMask = (UInt64(1) << lowBits) - 1
        buckets = 1 << highBits
        start = .allocate(capacity: buckets + 1)
        start.update(repeating: 0)
        next = .allocate(capacity: buckets)
        units = LargeAllocation.allocate(WeightedWelfare.self, count: n)
    }

    @inline(__always) private func key(_ y: Double) -> UInt64 { (((y - minimum) + 1).bitPattern &- one) >> shift }

    /// The bucket of `y`; clamped, so that a value outside the declared range
    /// (a NaN) cannot write outside the counts: it lands in the last bucket.
    @inline(__always) private func bucket(_ y: Double) -> Int { Int(min(key(y) >> lowBits, UInt64(buckets - 1))) }

    /// Counts one value (every unit once, before ``prepare()``).
    @inline(__always) func count(_ y: Double) {
        if radix { start[bucket(y) + 1] += 1 }
    }

    /// Turns the counts into bucket positions.
    func prepare() {
        for d in 0..<buckets { start[d + 1] += start[d] }
        _ = next.update(fromContentsOf: start[0..<buckets])
    }

    /// Places the next unit (every unit once, in the order counted).
    @inline(__always) mutating func place(_ unit: WeightedWelfare) {
        if radix {
            let d = bucket(unit.y)
            units[next[d]] = unit
            next[d] += 1
        } else {
            units[placed] = unit
            placed += 1
        }
    }

    /// Calls `visit` with every unit in ascending order of `y`; frees the buffers.
    mutating func visitSorted(_ visit: (WeightedWelfare) -> Void) {
        defer {
            start.deallocate()
            next.deallocate()
            LargeAllocation.release(units)
        }
        guard radix else {
            var all = UnsafeMutableBufferPointer(rebasing: units[0..<n])
            all.sort { $0.y < $1.y }  // stable
            for v in all { visit(v) }
            return
        }
        var largest = 0
        for d in 0..<buckets { largest = max(largest, start[d + 1] - start[d]) }
        let spare = UnsafeMutableBufferPointer<WeightedWelfare>.allocate(capacity: max(largest, 1))
        let lowCount = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1 << lowBits)
        defer {
            spare.deallocate()
            lowCount.deallocate()
        }
        for d in 0..<buckets {
            let first = start[d], m = start[d + 1] - first
            guard m > 0 else { continue }
            let bucket = UnsafeMutableBufferPointer(rebasing: units[first..<(first + m)])
            var sorted = bucket
            if m <= 32 {
                Self.sortRun(bucket, 0..<m)
            } else if lowBits == 0 {
                Self.sortRun(bucket, 0..<m)
            } else {
                // Counting sort on the low bits, then exact order within equal keys.
                lowCount.update(repeating: 0)
                for j in 0..<m { lowCount[Int(key(bucket[j].y) & lowMask)] += 1 }
                var sum = 0
                for k in 0..<lowCount.count {
                    let c = lowCount[k]
                    lowCount[k] = sum
                    sum += c
                }
                for j in 0..<m {
                    let v = bucket[j]
                    let k = Int(key(v.y) & lowMask)
                    spare[lowCount[k]] = v
                    lowCount[k] += 1
                }
                sorted = UnsafeMutableBufferPointer(rebasing: spare[0..<m])
                var runStart = 0
                var runKey = key(spare[0].y)
                for j in 1...m {
                    let k = j < m ? key(spare[j].y) : ~runKey
                    guard k != runKey else { continue }
                    if j - runStart > 1 { Self.sortRun(sorted, runStart..<j) }
                    runStart = j
                    runKey = k
                }
            }
            for v in sorted { visit(v) }
        }
    }

    /// Sorts `values[range]` by `y`, stably: insertion for short runs.
    @inline(__always)
    private static func sortRun(_ values: UnsafeMutableBufferPointer<WeightedWelfare>, _ range: Range<Int>) {
        if range.count > 32 {
            var run = UnsafeMutableBufferPointer(rebasing: values[range])
            run.sort { $0.y < $1.y }  // stable
            return
        }
        for a in (range.lowerBound + 1)..<range.upperBound {
            let x = values[a]
            var b = a
            while b > range.lowerBound && values[b - 1].y > x.y {
                values[b] = values[b - 1]
                b -= 1
            }
            values[b] = x
        }
    }
}

/// The Gini coefficient of units added in ascending order of `y` (see
/// ``WelfareDistribution/gini`` for the definition):
/// `(2 Σ w_i y_i C_i − Σ w_i² y_i) / (W Σ w_i y_i) − 1`, `C_i` the cumulative
/// weight up to and including `i`. Plain sums within blocks of 4,096 units,
/// blocks combined with Neumaier compensation, and `C_i` carried with
/// compensation: the order of operations depends on the count alone.
struct GiniAccumulator {
    private var cumulative = 0.0               // C_i, running, with Neumaier's compensation in `carry`
    private var carry = 0.0
    private var weighted = CompensatedSum()    // Σ w y C
    private var squares = CompensatedSum()     // Σ w² y
    private var totalIncome = CompensatedSum() // Σ w y
    private var total = CompensatedSum()       // W
    private var bw = 0.0, bs = 0.0, bt = 0.0, bc = 0.0
    private var inBlock = 0

    /// Adds the next unit (its `y` at least the previous one's).
    @inline(__always)
    mutating func add(_ unit: WeightedWelfare) {
        let w = unit.w, y = unit.y
        let t = cumulative + w
        carry += cumulative >= w ? (cumulative - t) + w : (w - t) + cumulative
        cumulative = t
        let wy = w * y
        bw += wy * (cumulative + carry)
        bs += w * wy
        bt += wy
        bc += w
        inBlock += 1
        if inBlock == 4096 { flush() }
    }

    private mutating func flush() {
        weighted.add(bw)
        squares.add(bs)
        totalIncome.add(bt)
        total.add(bc)
        bw = 0; bs = 0; bt = 0; bc = 0
        inBlock = 0
    }

    /// The Gini of the units added; `nan` when total income is zero.
    mutating func value() -> Double {
        if inBlock > 0 { flush() }
        guard totalIncome.value != 0 else { return .nan }
        return (2 * weighted.value - squares.value) / (total.value * totalIncome.value) - 1
    }
}
