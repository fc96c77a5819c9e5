import Dispatch

/// Work split into fixed pieces and spread over threads, with results kept
/// in piece order.
///
/// Every parallel loop in simrun goes through this type, so the rules that
/// make results independent of the thread count live in one place:
/// - the pieces are fixed by the caller (from the data size, never from the
///   number of threads);
/// - each piece writes only its own slot (or its own disjoint range of an
///   output buffer), and
/// - anything combined across pieces is combined afterwards, in piece order.
///
/// Worker `t` of `T` takes pieces `t, t + T, t + 2T, ...`; which worker runs
/// a piece never changes what the piece computes.
public struct ParallelPlan: Sendable {
    /// Number of worker threads (at least 1).
    public let threads: Int

    /// Creates a plan for `threads` workers; `nil` means one per active core.
    public init(threads: Int? = nil) {
        self.threads = max(1, threads ?? ProcessInfoCores.active)
    }

    /// Runs `body(piece)` for every piece in `0..<pieces` and returns the
    /// results in piece order.
    ///
    /// - Parameters:
    ///   - pieces: The number of pieces of work.
    ///   - body: The work for one piece; it must not touch memory another
    ///     piece writes.
    /// - Returns: `body`'s results, indexed by piece.
    /// - Complexity: O(pieces) bookkeeping plus the work itself.
    public func map<R: Sendable>(pieces: Int, _ body: @Sendable (Int) -> R) -> [R] {
        if pieces == 0 { return [] }
        let slots = DisjointSlots<R?>(count: pieces, initial: nil)
        let workers = min(threads, pieces)
        if workers == 1 {
            for piece in 0..<pieces { slots.write(piece, body(piece)) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var piece = worker
                while piece < pieces {
                    slots.write(piece, body(piece))
                    piece += workers
                }
            }
        }
        return slots.finish().map { $0! }
    }

    /// Runs `body(piece)` for every piece in `0..<pieces`, for work that
    /// writes its results in place (through a ``DisjointBuffer``).
    public func forEach(pieces: Int, _ body: @Sendable (Int) -> Void) {
        _ = map(pieces: pieces) { body($0) }
    }
}

/// The number of cores this process may use.
enum ProcessInfoCores {
    static var active: Int {
        #if canImport(Glibc)
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(1, n)
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A fixed array of result slots that concurrent pieces fill, one slot each.
///
/// Safety: `write(_:_:)` is called at most once per index, by the one piece
/// that owns that index, and `finish()` is called only after every piece has
/// returned (`concurrentPerform` returns after all iterations complete), so
/// no two threads ever touch the same element and no read races a write.
final class DisjointSlots<T>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T>
    private let count: Int

    init(count: Int, initial: T) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: initial, count: count)
    }

    func write(_ index: Int, _ value: T) {
        precondition(index >= 0 && index < count, "slot out of range")
        base[index] = value
    }

    func finish() -> [T] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// A view of a contiguous buffer that parallel pieces write in disjoint
/// ranges.
///
/// Swift 6 rejects capturing a mutable buffer pointer in a `@Sendable`
/// closure (swiftlang/swift#76652). This wrapper is the one place that
/// allows it. Safety: callers give each piece a range no other piece writes
/// (household ranges of distinct chunks never overlap), and read the buffer
/// only after ``ParallelPlan/map(pieces:_:)`` has returned.
public struct DisjointBuffer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    public let count: Int

    public init(_ buffer: UnsafeMutableBufferPointer<T>) {
        // An empty buffer has no address; any aligned non-null pointer serves, as
        // it is never dereferenced (count is 0).
        base = buffer.baseAddress ?? UnsafeMutablePointer<T>(bitPattern: MemoryLayout<T>.alignment)!
        count = buffer.count
    }

    /// The sub-range `range` as a buffer, for one piece to write.
    @inline(__always)
    public func slice(_ range: Range<Int>) -> UnsafeMutableBufferPointer<T> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
        return UnsafeMutableBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    @inline(__always)
    public subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Splits `0..<count` into consecutive pieces of at most `size` elements.
///
/// The split depends only on `count` and `size`, never on the thread count.
@inlinable
public func pieceRanges(count: Int, size: Int) -> [Range<Int>] {
    precondition(size > 0, "piece size must be positive")
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity((count + size - 1) / size)
    var start = 0
    while start < count {
        let end = min(count, start + size)
        ranges.append(start..<end)
        start = end
    }
    return ranges
}
