import Foundation

/// Hands out a file's pieces in order and places each parsed piece's rows
/// once the rows of every earlier piece are known.
///
/// The rows of piece k start after those of pieces 0..<k, which are only
/// counted by parsing them. Rather than counting the whole file in a pass
/// of its own, each worker parses a piece into its own scratch columns and
/// reports its row count; as soon as the pieces before it are counted, its
/// first row is known and its scratch is copied to its place in the final
/// columns. A piece finished before its predecessors waits (its scratch
/// parked, the worker moving on with a fresh one) until the chain of counts
/// reaches it; whoever extends the chain copies the parked pieces it
/// reaches. At most ``parkLimit`` pieces wait; a worker that would exceed it
/// waits for the chain to move instead (it always does: the earliest
/// unfinished piece is being parsed by a worker that is not waiting).
///
/// Which worker parses or copies a piece never changes what is written
/// where, so the columns are the same with any number of threads.
final class PieceSequencer: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: every field below is read and written
    // only while `condition` is locked.
    private let condition = NSCondition()
    private let pieces: Int
    private let parkLimit: Int
    private var next = 0
    /// First row of each piece, once known (`firstRow[pieces]` is the row count).
    private var firstRow: [Int?]
    private var rowCount: [Int?]
    private var parked: [Int: PieceScratch] = [:]
    private var spare: [PieceScratch] = []
    /// The earliest piece with a defect: no later piece needs parsing.
    private var failedPiece = Int.max
    private let makeScratch: @Sendable () -> PieceScratch

    init(pieces: Int, parkLimit: Int, makeScratch: @escaping @Sendable () -> PieceScratch) {
        self.pieces = pieces
        self.parkLimit = max(1, parkLimit)
        self.makeScratch = makeScratch
        firstRow = [Int?](repeating: nil, count: pieces + 1)
        firstRow[0] = 0
        rowCount = [Int?](repeating: nil, count: pieces)
    }

    /// The next piece to parse, in file order; `nil` when there is none left
    /// (or a defect was found in an earlier piece).
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard next < pieces, next < failedPiece else { return nil }
        next += 1
        return next - 1
    }

    /// A scratch for a worker to parse into (a spare one when there is one).
    func scratch() -> PieceScratch {
        condition.lock()
        let reused = spare.popLast()
        condition.unlock()
        return reused ?? makeScratch()
    }

    /// Gives back a scratch that is no longer in use.
    func recycle(_ scratch: PieceScratch) {
        condition.lock()
        spare.append(scratch)
        condition.unlock()
    }

    /// Records that piece `piece` has a defect: later pieces are not needed.
    func fail(_ piece: Int) {
        condition.lock()
        failedPiece = min(failedPiece, piece)
        condition.broadcast()
        condition.unlock()
    }

    /// Records that `piece` parsed into `scratch` has `rows` rows.
    ///
    /// - Returns: The pieces whose first row is now known, with their scratch
    ///   and first row, for the caller to copy (possibly none, if `piece`
    ///   waits for an earlier one). The caller owns each returned scratch
    ///   (and no longer owns `scratch` unless it is among them).
    func finished(_ piece: Int, rows: Int, scratch: PieceScratch) -> [Placement] {
        condition.lock()
        defer { condition.unlock() }
        rowCount[piece] = rows
        guard let start = firstRow[piece] else {
            parked[piece] = scratch
            while parked.count > parkLimit, failedPiece == Int.max, firstRow[piece] == nil { condition.wait() }
            return []
        }
        var ready = [Placement(piece: piece, firstRow: start, rows: rows, scratch: scratch)]
        var k = piece
        while let n = rowCount[k], let s = firstRow[k] {
            firstRow[k + 1] = s + n
            k += 1
            guard k < pieces, rowCount[k] != nil, let waiting = parked.removeValue(forKey: k) else { break }
            ready.append(Placement(piece: k, firstRow: s + n, rows: rowCount[k]!, scratch: waiting))
        }
        condition.broadcast()
        return ready
    }

    /// A parsed piece whose rows can be copied to their place.
    struct Placement {
        let piece: Int
        let firstRow: Int
        let rows: Int
        let scratch: PieceScratch
    }

    /// Each piece's first row and, last, the number of rows; `nil` for the
    /// pieces after a defect. Call once every worker has returned.
    var firstRows: [Int?] {
        condition.lock()
        defer { condition.unlock() }
        return firstRow
    }
}
