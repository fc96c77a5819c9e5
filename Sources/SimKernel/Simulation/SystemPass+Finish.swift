import Foundation

extension SystemPass {
    /// Stage: the finishing pass over the sub-batch's households.
    ///
    /// One pass over the households per group of up to four components of the
    /// pass: their amounts summed and recipients counted as SIMD lanes (two
    /// lanes when the group has at most two components: half the loads),
    /// members in order from 0 (lane by lane the same additions as a scalar
    /// sum from 0.0). A household's recipients of a component are its members
    /// with a positive amount, or all of them for a household benefit with a
    /// positive total. Each component's total and recipients go to
    /// ``ChunkScratch/amountOut`` and ``ChunkScratch/recipientOut``.
    ///
    /// The first group also finishes the household: disposable income (the
    /// members' running incomes summed in member order from 0.0), benefit
    /// recipients (members marked; 0 for a system without a benefit) and the
    /// per-capita range (disposable income / members, compared with `<` and
    /// `>`). Households are visited in ``ChunkScratch/bySize`` order; each
    /// household's own operations do not depend on it.
    mutating func finishHouseholds(_ b: SubBatch) {
        let amounts = scratch.amounts, widest = scratch.widest, zeros = scratch.zeros
        let wholeHousehold = scratch.wholeHousehold, bySize = scratch.bySize
        let amountOut = scratch.amountOut, recipientOut = scratch.recipientOut
        let disposableOut = disposableOut, benefitRecipientOut = benefitRecipientOut
        let hasBenefit = system.hasBenefit, active = active
        let startAt = columns.starts, income = b.income, receives = b.receives
        let first = b.first, batchHouseholds = b.households, h0 = batchHouseholds.lowerBound
        var low = low, high = high
        defer { self.low = low; self.high = high }
        let chunkStart = scratch.households.lowerBound
        var group = 0
        repeat {
            let lanes = min(4, active - group)
            @inline(__always) func lane(_ j: Int) -> UnsafeMutablePointer<Double> {
                j < lanes ? amounts + (group + j) * widest : zeros
            }
            let a0 = lane(0), a1 = lane(1), a2 = lane(2), a3 = lane(3)
            let finishing = group == 0
            var wholeMask = SIMDMask<SIMD4<Int64>>(repeating: false)
            for j in 0..<lanes { wholeMask[j] = wholeHousehold[group + j] }
            // A household's outputs, from its lanes' sums and counts (recipients:
            // members with a positive amount, or all of them for a household
            // benefit with a positive total, already set in `count`); the
            // group of the first components also finishes the household.
            @inline(__always)
            func finish(_ h: Int, size: Int, total: (Int) -> Double, count: (Int) -> Int64, y: Double, receiving: Int32) {
                for j in 0..<lanes {
                    amountOut[group &+ j][h &- h0] = total(j)
                    recipientOut[group &+ j][h &- h0] = Int32(truncatingIfNeeded: count(j))
                }
                guard finishing else { return }
                disposableOut[h] = y
                benefitRecipientOut[h] = hasBenefit ? receiving : 0
                let perCapita = y / Double(size)
                if perCapita < low { low = perCapita }
                if perCapita > high { high = perCapita }
            }
            let positions = (batchHouseholds.lowerBound - chunkStart)..<(batchHouseholds.upperBound - chunkStart)
            if lanes <= 2 {
                // At most two components: the same pass on two lanes (half the loads).
                var wholeMask2 = SIMDMask<SIMD2<Int64>>(repeating: false)
                for j in 0..<lanes { wholeMask2[j] = wholeHousehold[group + j] }
                for position in positions {
                    let h = chunkStart &+ Int(bySize[position])
                    let lo = startAt[h] &- first, hi = startAt[h &+ 1] &- first
                    var total = SIMD2<Double>(repeating: 0)
                    var count = SIMD2<Int64>(repeating: 0)
                    var y = 0.0
                    var receiving: Int32 = 0
                    var i = lo
                    while i < hi {
                        let x = SIMD2(a0[i], a1[i])
                        total += x
                        count.replace(with: count &+ 1, where: x .> 0)
                        y += income[i]
                        receiving &+= Int32(receives[i])
                        i &+= 1
                    }
                    count.replace(with: SIMD2(repeating: Int64(hi &- lo)), where: (total .> 0) .& wholeMask2)
                    finish(h, size: hi &- lo, total: { total[$0] }, count: { count[$0] }, y: y, receiving: receiving)
                }
                group += 4
                continue
            }
            for position in positions {
                let h = chunkStart &+ Int(bySize[position])
                let lo = startAt[h] &- first, hi = startAt[h &+ 1] &- first
                var total = SIMD4<Double>(repeating: 0)
                var count = SIMD4<Int64>(repeating: 0)
                var y = 0.0
                var receiving: Int32 = 0
                var i = lo
                while i < hi {
                    let x = SIMD4(a0[i], a1[i], a2[i], a3[i])
                    total += x
                    count.replace(with: count &+ 1, where: x .> 0)
                    y += income[i]
                    receiving &+= Int32(receives[i])  // kept only for systems with a benefit
                    i &+= 1
                }
                count.replace(with: SIMD4(repeating: Int64(hi &- lo)), where: (total .> 0) .& wholeMask)
                finish(h, size: hi &- lo, total: { total[$0] }, count: { count[$0] }, y: y, receiving: receiving)
            }
            group += 4
        } while group < active
    }

    /// Stage: the fused block sums. Adds the sub-batch's households, from its
    /// outputs (still in cache), to the running block sums (per component of
    /// the pass Σ w × amount, Σ w × recipients, Σ w × [amount > 0], then
    /// Σ w × benefit recipients; ``ComponentBlockSums/add(amount:recipients:weight:range:)``,
    /// households in order); when a block of ``BlockSums/blockSize``
    /// households ends with this sub-batch (sub-batches divide blocks when the
    /// sums are fused), or the chunk does, stores its sums and restarts them.
    mutating func addBlockSums(_ b: SubBatch, to sums: FusedBlockSums) {
        let block = scratch.block, amountOut = scratch.amountOut, recipientOut = scratch.recipientOut
        let weightAt = columns.weights
        let batchHouseholds = b.households, h0 = batchHouseholds.lowerBound
        let local = 0..<batchHouseholds.count
        for k in 0..<active {
            block[k].add(amount: amountOut[k], recipients: recipientOut[k], weight: weightAt + h0, range: local)
        }
        recipientBlock.add(count: benefitRecipientOut, weight: weightAt, range: batchHouseholds)
        let end = batchHouseholds.upperBound
        let blockSize = BlockSums.blockSize
        if end % blockSize == 0 || end == scratch.households.upperBound {
            let b = (end - 1) / blockSize
            for k in 0..<active {
                let c = firstComponent + k
                sums.store(block[k].amount.value, system: s, sum: 3 * c, block: b)
                sums.store(block[k].persons.value, system: s, sum: 3 * c + 1, block: b)
                sums.store(block[k].households.value, system: s, sum: 3 * c + 2, block: b)
                block[k] = ComponentBlockSums()
            }
            sums.store(recipientBlock.total.value, system: s, sum: 3 * ruleCount, block: b)
            recipientBlock = CountBlockSum()
        }
    }
}
