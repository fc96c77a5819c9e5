import Foundation

/// The K-th of N shards of a sweep (`--shard K/N`): a contiguous block of its rows.
///
/// Shard `k` (1-based) of `n` holds rows `⌊(k−1)·T/n⌋ ..< ⌊k·T/n⌋` of the `T` rows in the
/// sweep's order: the blocks are disjoint, cover every row exactly once, differ in size by at
/// most one row, and depend only on `T`, `k` and `n` (not on the machine or the thread count).
package struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    package let index: Int
    package let count: Int

    /// The largest number of shards: 1,000,000 (far above any Slurm `MaxArraySize`).
    package static let maxCount = 1_000_000

    /// Reads `K/N`.
    /// - Returns: `nil` unless it is two whole numbers with `1 <= K <= N <= maxCount`.
    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= Self.maxCount, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    package init(index: Int, count: Int) {
        precondition(index >= 1 && index <= count, "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// The rows (0-based) this shard holds out of `total`.
    package func rows(of total: Int) -> Range<Int> {
        Self.start(index - 1, count, total)..<Self.start(index, count, total)
    }

    /// ⌊i·T/n⌋: with T ≤ 10⁷ rows (``SweepSpec/maxRows``) and n ≤ 10⁶ shards the product fits in 64 bits.
    private static func start(_ i: Int, _ n: Int, _ total: Int) -> Int { i * total / n }

    /// `shard-K-of-N.json`, the shard's file in the output folder.
    package var fileName: String { "shard-\(index)-of-\(count).json" }

    package var description: String { "\(index)/\(count)" }
}

/// The `--array=` list of Slurm task ids: ranges joined, e.g. `2,5-7` (sorted, no repeats).
package enum SlurmArrayList {
    package static func text(_ ids: [Int]) -> String {
        let sorted = Array(Set(ids)).sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
