#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for large per-household or per-person arrays (outputs, sort
/// buffers), left uninitialised.
///
/// Large arrays are aligned to 2 MiB and marked for transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`, where the system offers it), so that the first
/// write to a fresh 2 MiB range costs one page fault instead of 512. No
/// zero-fill: the memory is first touched by whichever worker writes it, so
/// the kernel's page faults are spread over the threads instead of a serial
/// `memset`. Every caller writes every element before reading it.
enum LargeAllocation {
    /// Arrays of at least this many bytes get huge-page treatment.
    static let hugeThreshold = 1 << 21

    /// An uninitialised buffer of `count` elements (at least one, so that it has an address).
    /// Free it with `deallocate()`.
    static func allocate<T>(_: T.Type, count: Int) -> UnsafeMutableBufferPointer<T> {
        let capacity = max(count, 1)
        let bytes = capacity * MemoryLayout<T>.stride
        guard bytes >= hugeThreshold, getenv("SIMRUN_NO_HUGE") == nil else { return .allocate(capacity: capacity) }
        var raw: UnsafeMutableRawPointer?
        let page = 1 << 21
        let rounded = (bytes + page - 1) / page * page
        guard posix_memalign(&raw, page, rounded) == 0, let raw else { return .allocate(capacity: capacity) }
        #if os(Linux)
        _ = madvise(raw, rounded, 14)  // MADV_HUGEPAGE; a hint, its failure is harmless
        #endif
        // posix_memalign's memory is released by free(), which is what
        // UnsafeMutableBufferPointer.deallocate() calls on Linux and Darwin.
        return UnsafeMutableBufferPointer(start: raw.bindMemory(to: T.self, capacity: capacity), count: capacity)
    }
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
        let made = Column(adopting: UnsafeMutableBufferPointer(rebasing: allocation[0..<count]))
        column = made
        return made
    }

    deinit {
        if column == nil { allocation.deallocate() }
    }
}
