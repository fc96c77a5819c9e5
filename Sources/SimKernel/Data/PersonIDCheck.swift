/// Finds a repeated person id when the ids do not simply rise through the
/// file (the loader checks that case while parsing, at no cost).
///
/// The ids are read again from the file (one field per row), sorted as
/// compact keys (id minus the smallest id) by an LSD radix sort on 11-bit
/// digits, skipping the digits all keys share, and equal neighbours reveal
/// which ids repeat. Only if some do are the ids read once more and scanned
/// in file order, with just those ids in a dictionary, for the first row
/// whose id was seen before. Time O(rows); memory two 8-byte words per row,
/// only for this check.
enum PersonIDCheck {
    /// The first row (in file order) whose id appeared on an earlier row, that
    /// earlier row and the id; `nil` if every id is unique.
    static func firstRepeat(table: CSVTable, field: Int, fieldCount: Int, firstRow: [Int],
                            plan: ParallelPlan) -> (row: Int, earlier: Int, id: Int64)? {
        let rows = firstRow[table.pieces.count]
        guard rows > 1 else { return nil }
        let ids = UnsafeMutableBufferPointer<Int64>.allocate(capacity: rows)
        defer { ids.deallocate() }
        let out = DisjointBuffer(ids)
        func read() {
            plan.forEach(pieces: table.pieces.count) { k in
                let slice = out.slice(firstRow[k]..<firstRow[k + 1])
                table.identifiers(inField: field, fieldCount: fieldCount, piece: k, into: slice)
                table.mapped.release(table.pieces[k])
            }
        }
        read()
        let repeated = repeatedIDs(sorting: ids)
        if repeated.isEmpty { return nil }
        // A defect: read the ids again, in file order, for the first repeated line.
        read()
        var seen: [Int64: Int] = [:]
        for row in 0..<rows where repeated.contains(ids[row]) {
            if let earlier = seen[ids[row]] { return (row, earlier, ids[row]) }
            seen[ids[row]] = row
        }
        return nil
    }

    /// The ids that occur more than once; `ids` is left sorted as keys (not ids).
    static func repeatedIDs(sorting ids: UnsafeMutableBufferPointer<Int64>) -> Set<Int64> {
        guard let smallest = ids.min() else { return [] }
        return ids.withMemoryRebound(to: UInt64.self) { keys in
            for i in keys.indices { keys[i] = UInt64(bitPattern: Int64(bitPattern: keys[i]) &- smallest) }
            sort(keys)
            var repeated = Set<Int64>()
            for i in 1..<keys.count where keys[i] == keys[i - 1] {
                repeated.insert(Int64(bitPattern: keys[i]) &+ smallest)
            }
            return repeated
        }
    }

    /// Sorts `keys` in place: LSD radix sort, 11-bit digits, one counting pass
    /// for all digits, digits on which every key agrees skipped.
    static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>) {
        let n = keys.count
        guard n > 1 else { return }
        let bits = 11, radix = 1 << 11, digits = (64 + bits - 1) / bits
        var counts = [Int](repeating: 0, count: digits * radix)
        for key in keys {
            for d in 0..<digits { counts[d * radix + Int((key >> UInt64(d * bits)) & UInt64(radix - 1))] += 1 }
        }
        let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        defer { buffer.deallocate() }
        var source = keys, target = buffer
        for d in 0..<digits {
            let histogram = counts[(d * radix)..<((d + 1) * radix)]
            if histogram.contains(n) { continue }  // every key has the same digit d
            var position = [Int](repeating: 0, count: radix)
            var total = 0
            for (b, c) in histogram.enumerated() { position[b] = total; total += c }
            let shift = UInt64(d * bits)
            for key in source {
                let b = Int((key >> shift) & UInt64(radix - 1))
                target[position[b]] = key
                position[b] += 1
            }
            swap(&source, &target)
        }
        if source.baseAddress != keys.baseAddress { _ = keys.update(fromContentsOf: source) }
    }
}

extension CSVTable {
    /// The whole numbers in field `field` of every row of piece `k`, in row
    /// order, for a file already parsed without defect (so every row has
    /// `fieldCount` fields and the field holds a whole number).
    func identifiers(inField field: Int, fieldCount: Int, piece k: Int, into out: UnsafeMutableBufferPointer<Int64>) {
        let base = mapped.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let end = pieces[k].upperBound
        var p = pieces[k].lowerBound
        var row = 0
        while p < end, row < out.count {
            for f in 0..<fieldCount {
                var start = p, stop: Int
                if p < end, base[p] == 0x22 {
                    var q = p + 1
                    while q < end, !(base[q] == 0x22 && (q + 1 >= end || base[q + 1] != 0x22)) { q += base[q] == 0x22 ? 2 : 1 }
                    start = p + 1
                    stop = q
                    p = q + 1
                    while p < end, base[p] != 0x2C, base[p] != 0x0A { p += 1 }
                } else {
                    p = CSVScan.delimiter(base, p, end)
                    stop = p
                    if stop > start, base[stop - 1] == 0x0D, p >= end || base[p] == 0x0A { stop -= 1 }
                }
                if f == field { out[row] = DecimalParser.integer(base + start, stop - start) ?? 0 }
                p += 1  // past the comma or line feed
            }
            row += 1
        }
    }
}
