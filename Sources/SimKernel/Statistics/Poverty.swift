import Foundation

extension WelfareDistribution {
    /// The Foster-Greer-Thorbecke poverty index FGT(α) at poverty line `z`.
    ///
    /// Definition (SPEC.md; Foster, Greer and Thorbecke 1984), over persons
    /// each carrying its household's weight `w`, welfare `y`:
    ///
    ///     FGT(α) = Σ_{y_i < z} w_i ((z − y_i) / z)^α  /  Σ_i w_i
    ///
    /// The poor are those strictly below the line (`y < z`); a person exactly
    /// on the line is not poor. FGT(0) is the headcount ratio, FGT(1) the
    /// poverty gap index, FGT(2) the severity index. Negative welfare gives a
    /// normalised gap above 1 and is counted as it is (no truncation).
    ///
    /// - Parameters:
    ///   - alpha: The poverty aversion parameter, α ≥ 0 (0, 1 and 2 are computed
    ///     without `pow`).
    ///   - z: The poverty line z > 0 (`line:`), in the unit of the welfare measure.
    /// - Returns: A share of persons in 0...1 for α = 0; in general ≥ 0.
    /// - Complexity: O(households).
    public func fgt(alpha: Double, line z: Double) -> Double {
        precondition(alpha >= 0, "FGT needs alpha >= 0")
        precondition(z > 0, "FGT needs a positive poverty line")
        var poor = CompensatedSum(), total = CompensatedSum()
        for h in 0..<welfare.count {
            let w = personWeight[h]
            total.add(w)
            let y = welfare[h]
            guard y < z else { continue }
            let gap = (z - y) / z
            switch alpha {
            case 0: poor.add(w)
            case 1: poor.add(w * gap)
            case 2: poor.add(w * gap * gap)
            default: poor.add(w * pow(gap, alpha))
            }
        }
        return poor.value / total.value
    }
}

extension WelfareDistribution {
    /// The headline figures of the distribution in one pass: the weighted
    /// population `W = Σ w`, the mean `Σ w y / W`, and FGT(0), FGT(1), FGT(2)
    /// at line `z`, each exactly as defined in ``fgt(alpha:line:)`` and ``mean``
    /// (sums in blocks of 4,096 units, blocks combined with compensation).
    public func headline(line z: Double) -> (population: Double, mean: Double, fgt0: Double, fgt1: Double, fgt2: Double) {
        precondition(z > 0, "FGT needs a positive poverty line")
        return welfare.withUnsafeBufferPointer { y in
            personWeight.withUnsafeBufferPointer { w in
                HeadlineSums(count: y.count, line: z) { h in (y[h], w[h]) }.figures
            }
        }
    }
}

/// The sums behind ``WelfareDistribution/headline(line:)``: `Σ w`, `Σ w y`
/// and `Σ w ((z − y)/z)^a [y < z]` for a = 0, 1, 2, over units `0..<count`
/// in order, plain within blocks of 4,096 units (``Block``) and the blocks
/// combined with Neumaier compensation (the order of operations depends on
/// the count alone).
struct HeadlineSums {
    /// Units per block of plain sums.
    static let blockSize = 4096

    var total = CompensatedSum(), income = CompensatedSum()
    var f0 = CompensatedSum(), f1 = CompensatedSum(), f2 = CompensatedSum()

    /// The plain sums of one block of units.
    struct Block {
        var bt = 0.0, bi = 0.0, b0 = 0.0, b1 = 0.0, b2 = 0.0

        /// Adds unit (`y`, `w`) at line `z`, without a branch on `y < z`.
        ///
        /// A unit on or above the line adds `+0.0` to the three poverty sums,
        /// which leaves them bit for bit as skipping it would: a sum that
        /// starts at `+0.0` is never `−0.0` (in round-to-nearest, `a + b` is
        /// `−0.0` only when both are), and `x + 0.0 == x` for every other `x`,
        /// NaN included. The terms are masked (`bits & mask`, the mask all
        /// ones for a poor unit), so a gap that is infinite or NaN for a unit
        /// above the line cannot leak in. The mask is read from `masks`
        /// (``PoorMasks``) at index `y < z`: as a load from memory it cannot be
        /// turned back into a `select`, which LLVM would lower to a branch
        /// that mispredicts on unsorted incomes (that branch cost more than
        /// the rest of the pass).
        @inline(__always)
        mutating func add(y: Double, w: Double, line z: Double, masks: PoorMasks) {
            bt += w
            bi += w * y
            let poor = masks.table[y < z ? 1 : 0]
            let gap = (z - y) / z
            let g1 = w * gap
            let g2 = g1 * gap
            b0 += Double(bitPattern: w.bitPattern & poor)
            b1 += Double(bitPattern: g1.bitPattern & poor)
            b2 += Double(bitPattern: g2.bitPattern & poor)
        }
    }

    /// The two masks of ``Block/add(y:w:line:masks:)``, `[0, all ones]`, in
    /// allocated memory (a constant array would be folded into a `select`).
    struct PoorMasks {
        let table: UnsafeMutablePointer<UInt64>

        /// Runs `body` with a table, freed afterwards.
        @inline(__always)
        static func with<R>(_ body: (PoorMasks) throws -> R) rethrows -> R {
            let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
            table[0] = 0
            table[1] = ~0
            defer { table.deallocate() }
            return try body(PoorMasks(table: table))
        }
    }

    /// No units yet: add blocks with ``add(_:)``.
    init() {}

    /// - Parameter unit: Unit `h`'s welfare `y` and weight `w`; called once per unit, in order.
    @inline(__always)
    init(count n: Int, line z: Double, _ unit: (Int) -> (y: Double, w: Double)) {
        PoorMasks.with { masks in
            var start = 0
            while start < n {
                let end = min(n, start + Self.blockSize)
                var block = Block()
                for h in start..<end {
                    let (yh, wh) = unit(h)
                    block.add(y: yh, w: wh, line: z, masks: masks)
                }
                add(block)
                start = end
            }
        }
    }

    /// Adds a finished block (a full one of ``blockSize`` units, or the last).
    @inline(__always)
    mutating func add(_ block: Block) {
        total.add(block.bt)
        income.add(block.bi)
        f0.add(block.b0)
        f1.add(block.b1)
        f2.add(block.b2)
    }

    /// Population, mean and FGT(0-2).
    var figures: (population: Double, mean: Double, fgt0: Double, fgt1: Double, fgt2: Double) {
        let W = total.value
        return (W, income.value / W, f0.value / W, f1.value / W, f2.value / W)
    }
}
