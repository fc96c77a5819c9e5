#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation

/// Memory for large per-household or per-person arrays (outputs, sort
/// buffers), left uninitialised.
///
/// Large arrays (2 MiB and more) are aligned to 2 MiB and marked for
/// transparent huge pages (`madvise(MADV_HUGEPAGE)`, where the system offers
/// it), so that the first write to a fresh 2 MiB range costs one page fault
/// instead of 512. No zero-fill: the memory is first touched by whichever
/// worker writes it, so the kernel's page faults are spread over the threads
/// instead of a serial `memset`. Every caller writes every element before
/// reading it.
///
/// Released large arrays are kept for reuse (up to ``poolLimit`` bytes): a
/// process that runs several scenarios on the same data (`scenario compare`,
/// replications, a benchmark) then writes into memory the operating system
/// has already mapped and zeroed, instead of paying for fresh pages on every
/// run (on a virtual machine, first-touch zeroing can cost as much as the
/// simulation itself).
enum LargeAllocation {
    /// Arrays of at least this many bytes are large.
    static let hugeThreshold = 1 << 21
    /// The most bytes of released arrays kept for reuse.
    static let poolLimit = 1 << 30

    private static let pool = Pool()

    /// Released large blocks by size; guarded by `lock`.
    private final class Pool: @unchecked Sendable {
        let lock = NSLock()
        var blocks: [Int: [UnsafeMutableRawPointer]] = [:]
        var held = 0
    }

    private static func roundedBytes(_ bytes: Int) -> Int { (bytes + hugeThreshold - 1) / hugeThreshold * hugeThreshold }

    /// An uninitialised buffer of `count` elements (at least one, so that it has an address).
    /// Give it back with ``release(_:)``.
    static func allocate<T>(_: T.Type, count: Int) -> UnsafeMutableBufferPointer<T> {
        let capacity = max(count, 1)
        let bytes = capacity * MemoryLayout<T>.stride
        guard bytes >= hugeThreshold else { return .allocate(capacity: capacity) }
        let rounded = roundedBytes(bytes)
        pool.lock.lock()
        let reused = pool.blocks[rounded]?.popLast()
        if reused != nil { pool.held -= rounded }
        pool.lock.unlock()
        var raw = reused
        if raw == nil {
            guard posix_memalign(&raw, hugeThreshold, rounded) == 0, raw != nil else { return .allocate(capacity: capacity) }
            #if os(Linux)
            _ = madvise(raw, rounded, 14)  // MADV_HUGEPAGE; a hint, its failure is harmless
            #endif
        }
        return UnsafeMutableBufferPointer(start: raw!.bindMemory(to: T.self, capacity: capacity), count: capacity)
    }

    /// Gives back a buffer from ``allocate(_:count:)`` (the whole buffer it returned).
    static func release<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        let bytes = buffer.count * MemoryLayout<T>.stride
        guard bytes >= hugeThreshold, let base = buffer.baseAddress else {
            buffer.deallocate()
            return
        }
        let rounded = roundedBytes(bytes)
        let raw = UnsafeMutableRawPointer(base)
        pool.lock.lock()
        let keep = pool.held + rounded <= poolLimit
        if keep {
            pool.blocks[rounded, default: []].append(raw)
            pool.held += rounded
        }
        pool.lock.unlock()
        if !keep { free(raw) }
    }
}

/// Owns a buffer from ``LargeAllocation`` for a ``Column`` and gives it back when the column goes.
final class LargeAllocationOwner<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
    deinit { LargeAllocation.release(buffer) }
}

/// A column of simulation output whose every element the kernel writes
/// exactly once (disjoint household or person ranges per chunk), so it is
/// not pre-filled; ``finish()`` hands the memory to an immutable ``Column``
/// (the same one on every call: systems that share a component share its
/// output column).
final class OutputColumn<Element: BitwiseCopyable>: @unchecked Sendable {
    let buffer: DisjointBuffer<Element>
    private let allocation: UnsafeMutableBufferPointer<Element>
    private let count: Int
    private var column: Column<Element>?

    init(count: Int) {
        allocation = LargeAllocation.allocate(Element.self, count: count)
        self.count = count
        buffer = DisjointBuffer(UnsafeMutableBufferPointer(rebasing: allocation[0..<count]))
    }

    func finish() -> Column<Element> {
        if let column { return column }
        let made = Column(borrowing: UnsafeBufferPointer(rebasing: allocation[0..<count]),
                          owner: LargeAllocationOwner(allocation))
        column = made
        return made
    }

    deinit {
        if column == nil { LargeAllocation.release(allocation) }
    }
}
