#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable list of plain values in flat memory, for the parser's hot
/// loop (no reference counting, no exclusivity checks). The owner frees it
/// with ``free()``.
struct RawList<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow() }
        base[count] = value
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    func free() { base.deallocate() }
}

/// One piece's person-level values (one column per person variable, rows
/// numbered from the piece's first row), before they are copied to their
/// place in the final columns.
///
/// A worker reuses its scratch from piece to piece, so the memory stays
/// warm in its cache and is paged in once.
final class PieceScratch: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: a scratch is used by one thread at a
    // time; it changes hands only through ``PieceSequencer``'s lock.
    private(set) var capacity: Int
    private(set) var reals: [UnsafeMutablePointer<Double>]
    private(set) var integers: [UnsafeMutablePointer<Int32>]
    private(set) var categories: [UnsafeMutablePointer<Int32>]

    init(layout: FieldLayout, capacity: Int) {
        self.capacity = max(capacity, 64)
        reals = (0..<layout.personRealCount).map { _ in .allocate(capacity: max(capacity, 64)) }
        integers = (0..<layout.personIntegerCount).map { _ in .allocate(capacity: max(capacity, 64)) }
        categories = (0..<layout.categoryCount).map { _ in .allocate(capacity: max(capacity, 64)) }
    }

    /// Makes room for at least `rows` rows, keeping the first `kept` rows.
    func grow(to rows: Int, keeping kept: Int) {
        guard rows > capacity else { return }
        let size = max(rows, capacity * 2)
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: size)
            new.moveInitialize(from: old, count: kept)
            old.deallocate()
            return new
        }
        reals = reals.map(moved)
        integers = integers.map(moved)
        categories = categories.map(moved)
        capacity = size
    }

    /// Copies the first `rows` rows to rows `firstRow...` of `columns`.
    func copy(rows: Int, to columns: PersonColumns, at firstRow: Int) {
        let rowRange = firstRow..<(firstRow + rows)
        for (i, source) in reals.enumerated() { columns.reals[i].slice(rowRange).baseAddress!.update(from: source, count: rows) }
        for (i, source) in integers.enumerated() { columns.integers[i].slice(rowRange).baseAddress!.update(from: source, count: rows) }
        for (i, source) in categories.enumerated() {
            columns.categories[i].slice(rowRange).baseAddress!.update(from: source, count: rows)
        }
    }

    deinit {
        for p in reals { p.deallocate() }
        for p in integers { p.deallocate() }
        for p in categories { p.deallocate() }
    }
}

/// A column whose length is known only once the whole file is parsed: its
/// memory is reserved for `capacity` elements (an upper bound on the rows)
/// and not filled, so only the pages the workers write become resident; the
/// untouched tail is given back when the column is finished.
final class ReservedColumn<Element: BitwiseCopyable>: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: pieces write disjoint row ranges
    // through `buffer`; `finish` runs after every worker has returned.
    let buffer: DisjointBuffer<Element>
    private let memory: ReservedMemory

    init(capacity: Int) throws {
        memory = try ReservedMemory(bytes: max(capacity, 1) * MemoryLayout<Element>.stride)
        let start = memory.base.bindMemory(to: Element.self, capacity: max(capacity, 1))
        buffer = DisjointBuffer(UnsafeMutableBufferPointer(start: start, count: max(capacity, 1)))
    }

    /// The first `count` elements, all written, as an immutable column.
    func finish(count: Int) -> Column<Element> {
        precondition(count <= buffer.count, "a reserved column is finished within its capacity")
        memory.shrink(to: count * MemoryLayout<Element>.stride)
        return Column(borrowing: UnsafeBufferPointer(start: buffer.base, count: count), owner: memory)
    }
}

/// Anonymous memory mapped for writing but not committed (`MAP_NORESERVE`):
/// reserving an upper bound costs address space only, pages come into being
/// when first written. Unmapped when the last column using it goes.
final class ReservedMemory: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: the mapping is written only during the
    // load (disjoint ranges), shrunk once before the column is shared, and
    // read-only afterwards.
    let base: UnsafeMutableRawPointer
    private var length: Int

    /// - Throws: ``MemoryReservationError`` when the system refuses the mapping.
    init(bytes: Int) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        length = (max(bytes, 1) + page - 1) / page * page
        let p = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else {
            throw MemoryReservationError(bytes: length, reason: String(cString: strerror(errno)))
        }
        base = p
    }

    /// Gives back the whole pages after the first `bytes` bytes.
    func shrink(to bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let kept = max(page, (bytes + page - 1) / page * page)
        if kept < length {
            munmap(base + kept, length - kept)
            length = kept
        }
    }

    deinit { munmap(base, length) }
}

/// The final person columns, filled piece by piece at each piece's rows.
///
/// Not filled beforehand: every row is written exactly once (by the copy of
/// its piece), so the pages are first touched by the workers, in parallel,
/// instead of by a serial zero-fill.
final class PersonColumns: Sendable {
    let realColumns: [ReservedColumn<Double>]
    let integerColumns: [ReservedColumn<Int32>]
    let categoryColumns: [ReservedColumn<Int32>]
    let reals: [DisjointBuffer<Double>]
    let integers: [DisjointBuffer<Int32>]
    let categories: [DisjointBuffer<Int32>]

    init(layout: FieldLayout, capacity: Int) throws {
        realColumns = try (0..<layout.personRealCount).map { _ in try ReservedColumn(capacity: capacity) }
        integerColumns = try (0..<layout.personIntegerCount).map { _ in try ReservedColumn(capacity: capacity) }
        categoryColumns = try (0..<layout.categoryCount).map { _ in try ReservedColumn(capacity: capacity) }
        reals = realColumns.map(\.buffer)
        integers = integerColumns.map(\.buffer)
        categories = categoryColumns.map(\.buffer)
    }
}

/// What parsing one piece gives besides its person values: its row count,
/// its households, what the household checks need, or its first defect.
///
/// Households are kept as records of `stride` 64-bit words: in grouped
/// files the start row (within the piece) and the household id, then the
/// household reals (bit patterns) and household integers; with one
/// household per row, the values only.
final class PieceOutput: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: written by the one worker that parses
    // the piece, read only after every worker has finished.
    let rows: Int
    let failure: RowFailure?
    let records: RawList<UInt64>
    let stride: Int
    /// Per household real, the first member that differs from its household's first row within the piece.
    let realMismatch: [Mismatch<Double>?]
    /// Per household integer, the same.
    let integerMismatch: [Mismatch<Int32>?]
    /// Whether person ids rise strictly within the piece.
    let personIDsRise: Bool
    let firstPersonID: Int64
    let lastPersonID: Int64
    /// Per category variable, the labels in the order of their local codes.
    let labels: [[String]]

    init(rows: Int, failure: RowFailure?, records: RawList<UInt64>, stride: Int, realMismatch: [Mismatch<Double>?],
         integerMismatch: [Mismatch<Int32>?], personIDsRise: Bool, firstPersonID: Int64, lastPersonID: Int64,
         labels: [[String]]) {
        self.rows = rows
        self.failure = failure
        self.records = records
        self.stride = stride
        self.realMismatch = realMismatch
        self.integerMismatch = integerMismatch
        self.personIDsRise = personIDsRise
        self.firstPersonID = firstPersonID
        self.lastPersonID = lastPersonID
        self.labels = labels
    }

    /// The number of households that start in the piece (with one household
    /// per row, the rows).
    var householdCount: Int { stride == 0 ? rows : records.count / stride }

    /// Word `word` of household `h`'s record.
    @inline(__always)
    func record(_ h: Int, _ word: Int) -> UInt64 { records.base[h * stride + word] }

    deinit { records.free() }
}

/// A household member whose household-level value differs from the one on
/// the household's first row in the piece.
struct Mismatch<Value: Sendable>: Sendable {
    /// The member's row, within the piece.
    let row: Int
    /// The household, within the piece.
    let household: Int
    let value: Value
    let first: Value
}

/// A parse failure on one row, located by row index (within the piece
/// while parsing, in the file once reported; line = row + 2).
struct RowFailure: Sendable {
    let row: Int
    let column: String?
    let message: String
}

/// The system refused to reserve memory for a column (the loader reports it
/// as an ``InputError`` naming the file).
struct MemoryReservationError: Error {
    let bytes: Int
    let reason: String
}
