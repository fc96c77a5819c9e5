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

/// Sorts weighted welfare values by a bucket (MSD radix) sort, handing them
/// over in ascending order of `y`, stably (equal values in the order placed).
///
/// Use: ``place(_:)`` every unit (in a pass of the caller's, which may
/// compute other things on the way), then ``visitSorted(_:)``. No counting
/// pass is needed before placing.
///
/// The bucket key of `y` is the top bits (at most 22) of the IEEE-754
/// pattern of `(y − minimum) + 1` (at least 1, so the bits rise with the
/// value and spread like its logarithm, which suits incomes); the
/// subtraction and the addition are both monotone, so `key(a) < key(b)`
/// implies `a < b`. ``place(_:)`` appends the unit (16 bytes) to its bucket,
/// chosen by the key's high 11 bits; a bucket is a chain of blocks of
/// ``blockSize`` units taken in turn from one pool, so the buckets need not
/// be counted beforehand (at most one partly filled block per bucket is
/// wasted; blocks are handed out in order, so the memory written is one
/// contiguous stretch of the pool). ``visitSorted(_:)`` then takes the
/// buckets in order; each, in cache, is counting-sorted from its blocks into
/// a spare buffer on the top bits of the key's low part (`⌊log₂ m⌋ + 2` bits
/// for a bucket of m units, two to four slots a unit, at most all the low
/// bits), and the result is put in
/// the exact order by `y` with a stable insertion sort over the whole bucket
/// (the counting sort leaves inversions only among units of equal coarse
/// key) or, when some coarse key has more than 32 units, run by run (insertion
/// for short runs, a stable comparison sort for long ones). The order is
/// therefore exactly a stable sort by `y`, whatever the data. Small inputs
/// (below ``WelfareSort/radixThreshold``) or non-finite ranges use a single
/// bucket, sorted by a stable comparison sort.
struct BucketSort {
    /// Units per block of a bucket's chain (4 KiB).
    static let blockShift = 8
    static let blockSize = 1 << blockShift
    /// Longest run of equal coarse keys for which one insertion sort over the whole bucket is used.
    static let insertionRun = 32

    private let minimum: Double
    private let one = (1.0).bitPattern
    /// key = ((y − minimum) + 1).bitPattern − 1.bitPattern) >> shift.
    private let shift: UInt64
    /// Bits of the key below the bucket number.
    private let lowBits: Int
    private let lowMask: UInt64
    /// The bucket is the key >> lowBits, at most `buckets − 1`.
    private let bucketShift: UInt64
    private let buckets: Int
    /// Per bucket: the pool index where its next unit goes; a multiple of
    /// ``blockSize`` when its last block is full (or it has none yet).
    private let cursor: UnsafeMutablePointer<Int>
    /// Per bucket: its first and last block and how many blocks it has.
    private let firstBlock: UnsafeMutablePointer<Int32>
    private let lastBlock: UnsafeMutablePointer<Int32>
    private let blockCount: UnsafeMutablePointer<Int32>
    /// Per block: the next block of the same bucket.
    private let nextBlock: UnsafeMutablePointer<Int32>
    private let pool: UnsafeMutableBufferPointer<WeightedWelfare>
    /// Blocks the pool holds, and blocks handed out so far.
    private let blockCapacity: Int
    private var blocksUsed = 0

    /// - Parameters:
    ///   - n: The number of units (at most; placing more than the pool can hold traps instead of writing out of bounds).
    ///   - minimum: The smallest `y` (exactly).
    ///   - maximum: The largest `y` (exactly).
    init(count n: Int, minimum: Double, maximum: Double) {
        precondition(n >= 0 && n < Int(Int32.max), "too many units to sort")
        self.minimum = minimum
        let top = (maximum - minimum) + 1
        let span = top.bitPattern &- (1.0).bitPattern
        // Radix path, else one bucket sorted by a comparison sort.
        let radix = n >= WelfareSort.radixThreshold && minimum.isFinite && top.isFinite && span > 0
        let needed = radix ? UInt64.bitWidth - span.leadingZeroBitCount : 0
        shift = UInt64(max(0, needed - 22))
        let keyBits = needed - Int(shift)
        let highBits = min(keyBits, 11)
        lowBits = keyBits - highBits
        lowMask = (UInt64(1) << UInt64(lowBits)) - 1
        bucketShift = shift + UInt64(lowBits)
        buckets = 1 << highBits
        cursor = .allocate(capacity: buckets)
        cursor.initialize(repeating: 0, count: buckets)
        firstBlock = .allocate(capacity: buckets)
        lastBlock = .allocate(capacity: buckets)
        blockCount = .allocate(capacity: buckets)
        blockCount.initialize(repeating: 0, count: buckets)
        // Every full block plus at most one partly filled one per bucket.
        let blocks = n / Self.blockSize + min(buckets, n) + 1
        blockCapacity = blocks
        nextBlock = .allocate(capacity: blocks)
        pool = LargeAllocation.allocate(WeightedWelfare.self, count: blocks << Self.blockShift)
    }

    /// The bucket of `y`; clamped, so that a value outside the declared range
    /// (a NaN) cannot write outside the buckets: it lands in the last one. On
    /// the comparison path (`buckets == 1`) always 0.
    @inline(__always) private func bucket(_ y: Double) -> Int {
        Int(min((((y - minimum) + 1).bitPattern &- one) >> bucketShift, UInt64(buckets - 1)))
    }

    /// Places the next unit (every unit once; ties are visited in this order).
    @inline(__always) mutating func place(_ unit: WeightedWelfare) {
        let d = bucket(unit.y)
        var at = cursor[d]
        if at & (Self.blockSize - 1) == 0 { at = newBlock(d) }
        pool[at] = unit
        cursor[d] = at &+ 1
    }

    /// Chains a fresh block to bucket `d`; returns its first pool index.
    @inline(never) private mutating func newBlock(_ d: Int) -> Int {
        precondition(blocksUsed < blockCapacity, "more units placed than counted")
        let b = Int32(blocksUsed)
        blocksUsed += 1
        if blockCount[d] == 0 { firstBlock[d] = b } else { nextBlock[Int(lastBlock[d])] = b }
        lastBlock[d] = b
        blockCount[d] += 1
        return Int(b) << Self.blockShift
    }

    /// Units in bucket `d`.
    @inline(__always) private func units(in d: Int) -> Int {
        let blocks = Int(blockCount[d])
        guard blocks > 0 else { return 0 }
        let tail = cursor[d] - (Int(lastBlock[d]) << Self.blockShift)  // 1...blockSize
        return (blocks - 1) << Self.blockShift + tail
    }

    /// Calls `body` with each block of bucket `d` (its filled part), in placing order.
    @inline(__always) private func forEachBlock(of d: Int, _ count: Int, _ body: (UnsafeMutableBufferPointer<WeightedWelfare>) -> Void) {
        var b = Int(firstBlock[d]), left = count
        while left > 0 {
            let take = min(left, Self.blockSize)
            body(UnsafeMutableBufferPointer(rebasing: pool[(b << Self.blockShift)..<((b << Self.blockShift) + take)]))
            left -= take
            if left > 0 { b = Int(nextBlock[b]) }
        }
    }

    /// Calls `visit` with the units in ascending order of `y`, in consecutive
    /// slices (one or more per bucket; each valid only during the call);
    /// frees the buffers. Call once.
    mutating func visitSorted(_ visit: (UnsafeBufferPointer<WeightedWelfare>) -> Void) {
        var largest = 0
        for d in 0..<buckets { largest = max(largest, units(in: d)) }
        let spare = LargeAllocation.allocate(WeightedWelfare.self, count: max(largest, 1))
        let slots = UnsafeMutablePointer<Int32>.allocate(capacity: 1 << lowBits)
        defer {
            LargeAllocation.release(spare)
            slots.deallocate()
            cursor.deallocate()
            firstBlock.deallocate()
            lastBlock.deallocate()
            blockCount.deallocate()
            nextBlock.deallocate()
            LargeAllocation.release(pool)
        }
        let lowMask = self.lowMask, minimum = self.minimum, one = self.one, shift = self.shift
        for d in 0..<buckets {
            let m = units(in: d)
            guard m > 0 else { continue }
            let sorted = UnsafeMutableBufferPointer(rebasing: spare[0..<m])
            if m <= Self.insertionRun || lowBits == 0 {
                // Few units, or no key bits left: copy out and sort by y.
                var at = 0
                forEachBlock(of: d, m) { block in
                    _ = UnsafeMutableBufferPointer(rebasing: spare[at..<(at + block.count)]).update(fromContentsOf: block)
                    at += block.count
                }
                Self.sortRun(sorted, 0..<m)
            } else {
                // Counting sort on the top `bits` of the low key: two to four slots a unit.
                let bits = min(lowBits, Int.bitWidth - m.leadingZeroBitCount + 1)
                let coarse = UInt64(lowBits - bits) + shift
                let slotMask = lowMask >> UInt64(lowBits - bits)
                let slotCount = 1 << bits
                slots.update(repeating: 0, count: slotCount)
                @inline(__always) func slot(_ y: Double) -> Int {
                    Int(((((y - minimum) + 1).bitPattern &- one) >> coarse) & slotMask)
                }
                forEachBlock(of: d, m) { block in
                    for v in block { slots[slot(v.y)] &+= 1 }
                }
                var sum: Int32 = 0, longest: Int32 = 0
                for k in 0..<slotCount {
                    let c = slots[k]
                    slots[k] = sum
                    sum &+= c
                    longest = max(longest, c)
                }
                let out = spare.baseAddress!
                forEachBlock(of: d, m) { block in
                    for v in block {
                        let k = slot(v.y)
                        let at = slots[k]
                        out[Int(at)] = v
                        slots[k] = at &+ 1
                    }
                }
                if longest <= Int32(Self.insertionRun) {
                    Self.insertionSort(sorted, 0..<m)
                } else {
                    // slots[k] is now the end of run k.
                    var runStart = 0
                    for k in 0..<slotCount {
                        let end = Int(slots[k])
                        if end - runStart > 1 { Self.sortRun(sorted, runStart..<end) }
                        runStart = end
                    }
                }
            }
            visit(UnsafeBufferPointer(sorted))
        }
    }

    /// Calls `visit` with every unit in ascending order of `y` (see ``visitSorted(_:)``).
    mutating func visitSorted(eachUnit visit: (WeightedWelfare) -> Void) {
        visitSorted { slice in for v in slice { visit(v) } }
    }

    /// Sorts `values[range]` by `y`, stably: insertion for short runs, else a stable comparison sort.
    @inline(__always)
    private static func sortRun(_ values: UnsafeMutableBufferPointer<WeightedWelfare>, _ range: Range<Int>) {
        if range.count > insertionRun {
            var run = UnsafeMutableBufferPointer(rebasing: values[range])
            run.sort { $0.y < $1.y }  // stable
            return
        }
        insertionSort(values, range)
    }

    /// Stable insertion sort of `values[range]` by `y` (linear on nearly sorted input).
    @inline(__always)
    private static func insertionSort(_ values: UnsafeMutableBufferPointer<WeightedWelfare>, _ range: Range<Int>) {
        guard range.count > 1 else { return }
        let p = values.baseAddress!
        for a in (range.lowerBound + 1)..<range.upperBound {
            let x = p[a]
            guard p[a - 1].y > x.y else { continue }
            var b = a
            repeat {
                p[b] = p[b - 1]
                b -= 1
            } while b > range.lowerBound && p[b - 1].y > x.y
            p[b] = x
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
        var u = unit
        withUnsafePointer(to: &u) { add(contentsOf: UnsafeBufferPointer(start: $0, count: 1)) }
    }

    /// Adds the next units, in order (each `y` at least the previous one's):
    /// the same operations as adding them one by one, with the running state
    /// in registers.
    mutating func add(contentsOf units: UnsafeBufferPointer<WeightedWelfare>) {
        var i = 0
        let count = units.count
        while i < count {
            let end = min(count, i + (4096 - inBlock))
            var c = cumulative, k = carry
            var sw = bw, ss = bs, st = bt, sc = bc
            for j in i..<end {
                let w = units[j].w, y = units[j].y
                let t = c + w
                // Neumaier's correction, as a select of the two candidates (no branch).
                let big = (c - t) + w, small = (w - t) + c
                k += c >= w ? big : small
                c = t
                let wy = w * y
                sw += wy * (c + k)
                ss += w * wy
                st += wy
                sc += w
            }
            cumulative = c
            carry = k
            bw = sw; bs = ss; bt = st; bc = sc
            inBlock += end - i
            if inBlock == 4096 { flush() }
            i = end
        }
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
