import Foundation

/// The scratch memory of one chunk: every array the stages of the household
/// pass work in, in one place.
///
/// Carved from an arena that the chunks of a run pass on to each other (see
/// ``ScratchArenas``): no allocation per household, sub-batch or chunk, so no
/// fresh pages for the operating system to zero chunk after chunk. Person
/// arrays are indexed from the sub-batch's first person (`widest` slots: the
/// persons of the chunk's largest sub-batch); the saved state of the shared
/// components from the chunk's first person.
///
/// The pointers are valid until the chunk gives its arena back.
struct ChunkScratch {
    /// The chunk's households.
    let households: Range<Int>
    /// The chunk's first person.
    let firstPerson: Int
    /// Households per sub-batch.
    let subBatchSize: Int
    /// Persons in the chunk's largest sub-batch (at least 1): the stride of ``amounts``.
    let widest: Int
    /// The running incomes of a sub-batch's persons (when not in the saved state's place).
    let income: UnsafeMutablePointer<Double>
    /// Per person of a sub-batch, 1 when a benefit recipient (stays 0 when no
    /// system has a benefit).
    let receives: UnsafeMutablePointer<UInt8>
    /// Each component of the pass's amounts for a sub-batch's persons, component
    /// `k` of the pass at `amounts + k × widest`.
    let amounts: UnsafeMutablePointer<Double>
    /// A sub-batch's counters (`households × counterCount` of one component).
    let counterSlots: UnsafeMutableBufferPointer<Double>
    /// The chunk's running incomes after the shared components (when any are shared).
    let savedIncome: UnsafeMutablePointer<Double>
    /// The chunk's benefit marks after the shared components.
    let savedReceives: UnsafeMutablePointer<UInt8>
    /// `widest` zeros: the amounts of an unused SIMD lane.
    let zeros: UnsafeMutablePointer<Double>
    /// Per component of the pass, where the finishing pass writes a sub-batch's
    /// household amounts (indexed from the sub-batch's first household).
    let amountOut: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    /// Per component of the pass, where it writes the household recipients.
    let recipientOut: UnsafeMutablePointer<UnsafeMutablePointer<Int32>>
    /// The component totals' destination when the columns are not kept
    /// (`subBatchSize` households per component).
    let amountScratch: UnsafeMutablePointer<Double>
    /// The recipients' destination when the columns are not kept.
    let recipientScratch: UnsafeMutablePointer<Int32>
    /// Per component of the pass, whether it is paid to the whole household.
    let wholeHousehold: UnsafeMutablePointer<Bool>
    /// Per component of the pass, its running block sums.
    let block: UnsafeMutablePointer<ComponentBlockSums>
    /// The chunk's households (offsets from its first), ordered by size within
    /// each sub-batch (``orderBySize(starts:)``).
    let bySize: UnsafeMutablePointer<Int32>
    /// 17 counts: the counting sort's buckets.
    let sizeBuckets: UnsafeMutablePointer<Int>
    /// The chunk's random generator (rules' take-up and draws).
    let random: RandomStream

    /// Takes the chunk's arrays from `carver`, always the same arrays in the same order.
    init(carving carver: inout ScratchCarver, households: Range<Int>, starts: UnsafePointer<Int>, layout: KernelLayout) {
        self.households = households
        let subBatch = layout.subBatch, maxRules = layout.maxRules, maxCounters = layout.maxCounters
        subBatchSize = subBatch
        firstPerson = starts[households.lowerBound]
        let persons = starts[households.upperBound] &- firstPerson
        var widest = 1  // persons in the largest sub-batch
        var h0 = households.lowerBound
        while h0 < households.upperBound {
            let h1 = min(h0 + subBatch, households.upperBound)
            widest = max(widest, starts[h1] - starts[h0])
            h0 = h1
        }
        self.widest = widest
        let personSlots = layout.snapshotAt > 0 ? max(persons, 1) : 1
        income = carver.take(Double.self, widest)
        receives = carver.take(UInt8.self, widest)
        receives.initialize(repeating: 0, count: widest)  // stays 0 when no system has a benefit
        amounts = carver.take(Double.self, widest * maxRules)
        counterSlots = UnsafeMutableBufferPointer(start: carver.take(Double.self, max(1, subBatch * maxCounters)),
                                                  count: max(1, subBatch * maxCounters))
        savedIncome = carver.take(Double.self, personSlots)
        savedReceives = carver.take(UInt8.self, personSlots)
        zeros = carver.take(Double.self, widest)
        zeros.initialize(repeating: 0, count: widest)
        amountOut = carver.take(UnsafeMutablePointer<Double>.self, maxRules)
        recipientOut = carver.take(UnsafeMutablePointer<Int32>.self, maxRules)
        amountScratch = carver.take(Double.self, maxRules * subBatch)
        recipientScratch = carver.take(Int32.self, maxRules * subBatch)
        wholeHousehold = carver.take(Bool.self, maxRules)
        block = carver.take(ComponentBlockSums.self, maxRules)
        bySize = carver.take(Int32.self, max(1, households.count))
        sizeBuckets = carver.take(Int.self, 17)
        random = RandomStream()
    }

    /// The chunk's sub-batches: consecutive ranges of ``subBatchSize``
    /// households (the last shorter), in order.
    var subBatches: SubBatchRanges { SubBatchRanges(households: households, size: subBatchSize) }

    /// Stage: orders the chunk's households by size within each sub-batch
    /// into ``bySize``.
    ///
    /// A stable counting sort by member count, sizes above 15 together (bucket
    /// 16). The finishing pass visits the households in this order, so that its
    /// loop over members runs the same number of times for long stretches and
    /// its exit branch is predicted. It changes no household's operations, so
    /// no result; no floating-point operation here.
    func orderBySize(starts: UnsafePointer<Int>) {
        let next = sizeBuckets
        for range in subBatches {
            for k in 0..<17 { next[k] = 0 }
            for h in range { next[min(starts[h + 1] - starts[h], 16)] += 1 }
            var at = range.lowerBound - households.lowerBound
            for k in 0..<17 {
                let c = next[k]
                next[k] = at
                at += c
            }
            for h in range {
                let k = min(starts[h + 1] - starts[h], 16)
                bySize[next[k]] = Int32(truncatingIfNeeded: h - households.lowerBound)
                next[k] += 1
            }
        }
    }
}

/// Consecutive ranges of at most `size` households covering `households`, in order.
struct SubBatchRanges: Sequence, IteratorProtocol {
    private var start: Int
    private let end: Int
    private let size: Int

    init(households: Range<Int>, size: Int) {
        start = households.lowerBound
        end = households.upperBound
        self.size = size
    }

    mutating func next() -> Range<Int>? {
        guard start < end else { return nil }
        let range = start..<Swift.min(start + size, end)
        start = range.upperBound
        return range
    }
}

/// Scratch memory handed from chunk to chunk within one run: a worker takes
/// an arena when it starts a chunk and gives it back when done, so a run
/// allocates about one arena per worker thread instead of one per chunk.
final class ScratchArenas: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: `spare` is read and written under `lock`.
    private let lock = NSLock()
    private var spare: [ScratchArena] = []

    /// An arena (its blocks grow as ``ScratchCarver/take(_:_:)`` needs).
    func take() -> ScratchArena {
        lock.lock()
        defer { lock.unlock() }
        return spare.popLast() ?? ScratchArena()
    }

    func give(_ arena: ScratchArena) {
        lock.lock()
        spare.append(arena)
        lock.unlock()
    }

    /// Frees every arena (after the run's chunks have all returned theirs).
    func free() {
        for arena in spare { for block in arena.blocks { block.base.deallocate() } }
        spare = []
    }
}

/// The blocks of one arena, one per array a chunk takes, in the order taken.
struct ScratchArena {
    var blocks: [(base: UnsafeMutableRawPointer, bytes: Int)] = []
}

/// Hands out typed, 64-byte-aligned, uninitialised arrays from an arena: the
/// n-th array taken reuses the arena's n-th block when it is large enough
/// (chunks take the same arrays in the same order), else replaces it.
struct ScratchCarver {
    private(set) var arena: ScratchArena
    private var next = 0

    init(arena: ScratchArena) { self.arena = arena }

    /// The next array of `count` elements (at least one).
    mutating func take<T>(_: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = MemoryLayout<T>.stride * max(count, 1)
        if next == arena.blocks.count {
            arena.blocks.append((.allocate(byteCount: bytes, alignment: 64), bytes))
        } else if arena.blocks[next].bytes < bytes {
            arena.blocks[next].base.deallocate()
            arena.blocks[next] = (.allocate(byteCount: bytes, alignment: 64), bytes)
        }
        defer { next += 1 }
        return arena.blocks[next].base.bindMemory(to: T.self, capacity: max(count, 1))
    }
}
