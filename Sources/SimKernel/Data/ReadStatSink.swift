internal import CReadStat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes ReadStat parses: a read-only mapping, read through ReadStat's
/// I/O handlers (one `memcpy` per request instead of one `read` system call
/// per row, as ReadStat's default I/O does).
struct ReadStatMemoryIO {
    var base: UnsafeRawPointer?
    var count: Int
    var position: Int = 0
}

/// How a column's values are written while ReadStat reads them.
enum ReadStatColumnKind: UInt8 {
    /// Numbers; Stata's `.` and `.a`-`.z`, SPSS's system-missing value are missing.
    case numbers = 0
    /// Numbers with SPSS user-missing values or ranges (checked per value).
    case numbersWithUserMissing = 1
    /// Text.
    case text = 2
}

/// Why the value handler stopped ReadStat.
enum ReadStatSinkFailure: UInt8 {
    case none = 0
    /// A row index past the rows the header announced.
    case tooManyRows
    /// A variable index past the variables the header announced.
    case unknownVariable
    /// More text than the file could hold (a strL referenced by very many rows).
    case textBudget
    /// Memory could not be allocated.
    case memory
    /// A value of another type than its variable's.
    case typeMismatch
}

/// One column's buffers for one piece of rows.
struct ReadStatColumnSink {
    var kind: ReadStatColumnKind
    /// Values (numeric columns): where the piece's row 0 goes. Either the
    /// table's own column (``ownsNumbers`` false: written in place, no copy)
    /// or a buffer of this piece.
    var numbers: UnsafeMutablePointer<Double>?
    var ownsNumbers: Bool = true
    /// Missing codes (``MissingCode`` raw values), zero-filled by `calloc`:
    /// only missing values are written, so a column without any never
    /// touches its pages.
    var missing: UnsafeMutablePointer<UInt8>?
    /// The number of missing values written.
    var missingCount: Int = 0
    /// Text columns: the bytes of every value, one after another.
    var arena: UnsafeMutablePointer<UInt8>?
    var arenaCount: Int = 0
    var arenaCapacity: Int = 0
    /// Text columns: per row, the start of its bytes in `arena` and their length.
    var starts: UnsafeMutablePointer<Int>?
    var lengths: UnsafeMutablePointer<Int>?
}

/// What ReadStat's value handler writes into: the buffers of every column for
/// one piece of rows (rows `0..<capacity` of the piece), reached through the
/// parser's context pointer, so that the handler does no Swift allocation,
/// reference counting or dictionary lookup per value.
struct ReadStatPieceSink {
    var columns: UnsafeMutablePointer<ReadStatColumnSink>
    var columnCount: Int
    var capacity: Int
    /// Whether the buffers may grow (an SPSS file whose header gives no row count).
    var growable: Bool
    /// Bytes of text this piece may still store.
    var textBudget: Int
    /// The highest row written, plus one.
    var rowsSeen: Int = 0
    /// The last value handed over (row, column), for error messages.
    var lastRow: Int = -1
    var lastColumn: Int = -1
    var failure: ReadStatSinkFailure = .none
    /// Numbers of a block of rows, row after row (`stageRows` × `columnCount`): the value handler
    /// writes here, next to the value before, and ``flush(next:)`` moves each column's values out
    /// together, so the columns are written in long runs instead of one value in each per row.
    var stage: UnsafeMutablePointer<Double>
    var stageRows: Int
    /// The piece row of the block's first row.
    var stageFirst: Int = 0
    /// The block's rows written so far (from `stageFirst`).
    var stageCount: Int = 0

    /// Moves the staged rows into their columns and starts an empty block at `next`.
    mutating func flush(next: Int) {
        let n = stageCount
        if n > 0 {
            for c in 0..<columnCount where columns[c].kind != .text {
                let out = columns[c].numbers! + stageFirst
                var from = stage + c
                for i in 0..<n {
                    out[i] = from.pointee
                    from += columnCount
                }
            }
        }
        stageFirst = next
        stageCount = 0
    }

    /// Allocates buffers for `capacity` rows of columns of the given kinds;
    /// numeric column `c` writes into `numbers[c]` when given (never growable then).
    /// Returns nil when memory cannot be had.
    static func allocate(kinds: [ReadStatColumnKind], capacity: Int, growable: Bool, textBudget: Int,
                         numbers: [UnsafeMutablePointer<Double>?]? = nil) -> UnsafeMutablePointer<ReadStatPieceSink>? {
        precondition(numbers == nil || !growable, "a growable piece owns its buffers")
        let columns = UnsafeMutablePointer<ReadStatColumnSink>.allocate(capacity: max(1, kinds.count))
        for (c, kind) in kinds.enumerated() {
            columns[c] = ReadStatColumnSink(kind: kind)
            if let p = numbers?[c], kind != .text {
                columns[c].numbers = p
                columns[c].ownsNumbers = false
            }
        }
        let sink = UnsafeMutablePointer<ReadStatPieceSink>.allocate(capacity: 1)
        // About 32 KB of staged numbers (a first-level cache), at least one row.
        let stageRows = max(1, min(2048, 4096 / max(1, kinds.count)))
        sink.initialize(to: ReadStatPieceSink(columns: columns, columnCount: kinds.count, capacity: 0,
                                              growable: growable, textBudget: textBudget,
                                              stage: .allocate(capacity: stageRows * max(1, kinds.count)), stageRows: stageRows))
        guard sink.pointee.resize(to: capacity) else {
            sink.pointee.free()
            sink.deallocate()
            return nil
        }
        return sink
    }

    /// Resizes every column's row buffers to `rows` (new missing codes are 0); false when memory cannot be had.
    mutating func resize(to rows: Int) -> Bool {
        let n = max(1, rows)
        let old = capacity
        for c in 0..<columnCount {
            var col = columns[c]
            defer { columns[c] = col }
            func grow<T>(_ p: UnsafeMutablePointer<T>?, _: T.Type) -> UnsafeMutablePointer<T>? {
                let (bytes, overflow) = n.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
                guard !overflow, let raw = realloc(p, bytes) else { return nil }
                return raw.bindMemory(to: T.self, capacity: n)
            }
            if col.kind == .text {
                guard let s = grow(col.starts, Int.self) else { return false }
                col.starts = s
                guard let l = grow(col.lengths, Int.self) else { return false }
                col.lengths = l
            } else if col.ownsNumbers {
                guard let v = grow(col.numbers, Double.self) else { return false }
                col.numbers = v
            }
            if col.missing == nil {
                guard let m = calloc(n, 1) else { return false }
                col.missing = m.bindMemory(to: UInt8.self, capacity: n)
            } else {
                guard let m = grow(col.missing, UInt8.self) else { return false }
                col.missing = m
                if n > old { (m + old).initialize(repeating: 0, count: n - old) }
            }
        }
        capacity = rows
        return true
    }

    /// Frees every buffer this piece owns (not `self`).
    func free() {
        stage.deallocate()
        for c in 0..<columnCount {
            if columns[c].ownsNumbers { Glibc_free(columns[c].numbers) }
            Glibc_free(columns[c].missing)
            Glibc_free(columns[c].arena)
            Glibc_free(columns[c].starts)
            Glibc_free(columns[c].lengths)
        }
        columns.deallocate()
    }
}

@inline(__always) private func Glibc_free(_ p: UnsafeMutableRawPointer?) {
    if let p { free(p) }
}

/// Appends `count` bytes to a text column's arena; false when the piece's text budget or memory runs out.
@inline(__always)
private func appendText(_ col: UnsafeMutablePointer<ReadStatColumnSink>, _ bytes: UnsafePointer<CChar>, _ count: Int,
                        budget: inout Int) -> ReadStatSinkFailure {
    if count == 0 { return .none }
    guard count <= budget else { return .textBudget }
    budget -= count
    let needed = col.pointee.arenaCount + count
    if needed > col.pointee.arenaCapacity {
        var capacity = max(4096, col.pointee.arenaCapacity)
        while capacity < needed { capacity *= 2 }
        guard let raw = realloc(col.pointee.arena, capacity) else { return .memory }
        col.pointee.arena = raw.assumingMemoryBound(to: UInt8.self)
        col.pointee.arenaCapacity = capacity
    }
    UnsafeMutableRawPointer(col.pointee.arena! + col.pointee.arenaCount).copyMemory(from: bytes, byteCount: count)
    col.pointee.arenaCount = needed
    return .none
}

/// ReadStat's value handler: writes one value into its column's buffers.
///
/// A C function pointer (no captures); all state is in the ``ReadStatPieceSink`` behind `ctx`,
/// which only this piece's parse touches.
let readStatValueHandler: readstat_value_handler = { obsIndex, variable, value, ctx in
    let sink = ctx!.assumingMemoryBound(to: ReadStatPieceSink.self)
    guard let variable else { sink.pointee.failure = .unknownVariable; return Int32(READSTAT_HANDLER_ABORT) }
    let c = Int(variable.pointee.index)
    let row = Int(obsIndex)
    guard c >= 0, c < sink.pointee.columnCount, row >= 0 else {
        sink.pointee.failure = .unknownVariable
        return Int32(READSTAT_HANDLER_ABORT)
    }
    if row >= sink.pointee.capacity {
        guard sink.pointee.growable, row < Int.max / 4 else {
            sink.pointee.failure = .tooManyRows
            return Int32(READSTAT_HANDLER_ABORT)
        }
        guard sink.pointee.resize(to: max(1024, 2 * sink.pointee.capacity, row + 1)) else {
            sink.pointee.failure = .memory
            return Int32(READSTAT_HANDLER_ABORT)
        }
    }
    sink.pointee.lastRow = row
    sink.pointee.lastColumn = c
    if row >= sink.pointee.rowsSeen { sink.pointee.rowsSeen = row + 1 }
    let col = sink.pointee.columns + c
    let type = value.type
    switch col.pointee.kind {
    case .text:
        guard type == READSTAT_TYPE_STRING || type == READSTAT_TYPE_STRING_REF else {
            sink.pointee.failure = .typeMismatch
            return Int32(READSTAT_HANDLER_ABORT)
        }
        let start = col.pointee.arenaCount
        var length = 0
        if let text = value.v.string_value {
            length = strlen(text)
            let failure = appendText(col, text, length, budget: &sink.pointee.textBudget)
            if failure != .none {
                sink.pointee.failure = failure
                return Int32(READSTAT_HANDLER_ABORT)
            }
        }
        col.pointee.starts![row] = start
        col.pointee.lengths![row] = length
        if length == 0 {
            col.pointee.missing![row] = MissingCode.system.rawValue
            col.pointee.missingCount += 1
        }
    case .numbers, .numbersWithUserMissing:
        var x: Double
        switch type {
        case READSTAT_TYPE_DOUBLE: x = value.v.double_value
        case READSTAT_TYPE_INT32: x = Double(value.v.i32_value)
        case READSTAT_TYPE_INT16: x = Double(value.v.i16_value)
        case READSTAT_TYPE_INT8: x = Double(value.v.i8_value)
        case READSTAT_TYPE_FLOAT: x = Double(value.v.float_value)
        default:
            sink.pointee.failure = .typeMismatch
            return Int32(READSTAT_HANDLER_ABORT)
        }
        var code: UInt8 = 0
        if creadstat_value_is_system_missing(value) != 0 {
            code = MissingCode.system.rawValue
        } else if creadstat_value_is_tagged_missing(value) != 0 {
            let tag = UInt8(bitPattern: value.tag)
            code = tag >= 0x61 && tag <= 0x7A ? 2 + (tag - 0x61) : MissingCode.system.rawValue
        } else if col.pointee.kind == .numbersWithUserMissing, readstat_value_is_defined_missing(value, variable) != 0 {
            code = MissingCode.user.rawValue
        } else if !x.isFinite {
            // SPSS's highest and lowest values and any stored NaN are not numbers: missing.
            code = MissingCode.system.rawValue
        }
        if code != 0 && code != MissingCode.user.rawValue { x = .nan }
        var staged = row - sink.pointee.stageFirst
        if staged < 0 || staged >= sink.pointee.stageRows {
            // Rows arrive in order: a row past the block starts the next one.
            sink.pointee.flush(next: row)
            staged = 0
        }
        if staged >= sink.pointee.stageCount { sink.pointee.stageCount = staged + 1 }
        sink.pointee.stage[staged &* sink.pointee.columnCount &+ c] = x
        if code != 0 {
            col.pointee.missing![row] = code
            col.pointee.missingCount += 1
        }
    }
    return Int32(READSTAT_HANDLER_OK)
}

/// The data parses' variable handler: every variable is read (the metadata parse described them).
let readStatAcceptVariable: readstat_variable_handler = { _, _, _, _ in Int32(READSTAT_HANDLER_OK) }

// ReadStat's I/O handlers over a ReadStatMemoryIO (the parser's io_ctx).

let readStatOpenHandler: readstat_open_handler = { _, ioCtx in
    ioCtx!.assumingMemoryBound(to: ReadStatMemoryIO.self).pointee.position = 0
    return 0
}

let readStatCloseHandler: readstat_close_handler = { _ in 0 }

let readStatSeekHandler: readstat_seek_handler = { offset, whence, ioCtx in
    let io = ioCtx!.assumingMemoryBound(to: ReadStatMemoryIO.self)
    let base: Int
    switch whence {
    case READSTAT_SEEK_SET: base = 0
    case READSTAT_SEEK_CUR: base = io.pointee.position
    case READSTAT_SEEK_END: base = io.pointee.count
    default: return -1
    }
    let (target, overflow) = base.addingReportingOverflow(Int(offset))
    guard !overflow, target >= 0, target <= io.pointee.count else { return -1 }
    io.pointee.position = target
    return readstat_off_t(target)
}

let readStatReadHandler: readstat_read_handler = { buffer, count, ioCtx in
    let io = ioCtx!.assumingMemoryBound(to: ReadStatMemoryIO.self)
    let available = io.pointee.count - io.pointee.position
    let n = min(Int(clamping: count), available)
    if n > 0, let buffer, let base = io.pointee.base {
        buffer.copyMemory(from: base + io.pointee.position, byteCount: n)
        io.pointee.position += n
    }
    return max(0, n)
}

let readStatUpdateHandler: readstat_update_handler = { _, _, _, _ in READSTAT_OK }

/// Installs the memory I/O handlers on `parser`, reading `io`.
func readStatUseMemoryIO(_ parser: UnsafeMutablePointer<readstat_parser_t>, _ io: UnsafeMutablePointer<ReadStatMemoryIO>) {
    readstat_set_open_handler(parser, readStatOpenHandler)
    readstat_set_close_handler(parser, readStatCloseHandler)
    readstat_set_seek_handler(parser, readStatSeekHandler)
    readstat_set_read_handler(parser, readStatReadHandler)
    readstat_set_update_handler(parser, readStatUpdateHandler)
    readstat_set_io_ctx(parser, UnsafeMutableRawPointer(io))
}
