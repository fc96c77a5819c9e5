/// One variable's values for every person (or every household), stored
/// contiguously.
///
/// A column is written once, while the data is loaded, and never changed
/// afterwards; every thread of a run reads the same memory. Rules read it
/// through ``values``, an unsafe buffer, so the hot loop has no reference
/// counting or copy-on-write checks.
///
/// Safety of `@unchecked Sendable`: the memory is filled by the loader before
/// the column is created and is read-only from then on; the column owns the
/// memory (an allocation or a read-only file mapping) and frees it in
/// `deinit`, so `values` stays valid as long as anyone holds the column.
public final class Column<Element: BitwiseCopyable>: @unchecked Sendable {
    /// The values, in person (or household) order.
    public let values: UnsafeBufferPointer<Element>
    private let owned: UnsafeMutableBufferPointer<Element>?
    private let keepAlive: AnyObject?

    /// Takes ownership of `buffer`, which must have been allocated with
    /// `UnsafeMutableBufferPointer.allocate` and fully initialised.
    init(adopting buffer: UnsafeMutableBufferPointer<Element>) {
        values = UnsafeBufferPointer(buffer)
        owned = buffer
        keepAlive = nil
    }

    /// Wraps memory owned by `owner` (e.g. a mapped file), which is kept alive.
    init(borrowing buffer: UnsafeBufferPointer<Element>, owner: AnyObject) {
        values = buffer
        owned = nil
        keepAlive = owner
    }

    /// Copies `array` into a new column.
    public convenience init(_ array: [Element]) {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        self.init(adopting: buffer)
    }

    /// The number of values.
    @inline(__always) public var count: Int { values.count }

    /// The value at `index`.
    @inline(__always) public subscript(index: Int) -> Element { values[index] }

    /// The values as an array (a copy).
    public var array: [Element] { Array(values) }

    deinit {
        owned?.deallocate()
    }
}

/// An uninitialised column being filled by the loader.
///
/// Parallel pieces fill disjoint row ranges through ``buffer`` (a
/// ``DisjointBuffer``); ``finish()`` hands the memory to an immutable
/// ``Column``. If loading fails the builder frees the memory.
final class ColumnBuilder<Element: BitwiseCopyable>: @unchecked Sendable {
    let buffer: DisjointBuffer<Element>
    private let allocation: UnsafeMutableBufferPointer<Element>
    private let count: Int
    private var finished = false

    init(count: Int, filling value: Element) {
        // At least one element, so that the allocation has an address.
        allocation = .allocate(capacity: max(count, 1))
        allocation.initialize(repeating: value)
        self.count = count
        buffer = DisjointBuffer(UnsafeMutableBufferPointer(rebasing: allocation[0..<count]))
    }

    func finish() -> Column<Element> {
        precondition(!finished, "a column builder is finished once")
        finished = true
        return Column(adopting: UnsafeMutableBufferPointer(rebasing: allocation[0..<count]))
    }

    deinit {
        if !finished { allocation.deallocate() }
    }
}
