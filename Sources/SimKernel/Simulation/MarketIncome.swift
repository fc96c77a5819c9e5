/// Each person's market income: a system's market-income columns summed in
/// order, as every part of simrun forms it (the kernel's first stage, a
/// declared rule's `market_income`, the single-household stepper), so that
/// the three give the same bits.
enum MarketIncome {
    /// Writes `out[i] = (0 + c₀[i]) + c₁[i] + c₂[i] + ...` for `i` in `0..<n`,
    /// where `c_k = column(k)` (the column's values from the first person to
    /// sum; +0 first, so that a column's −0 becomes +0 as in a sum into a
    /// zeroed buffer; the first two columns in one pass, which are the same
    /// additions in the same order); 0 with no column.
    @inline(__always)
    static func sum(columns count: Int, _ column: (Int) -> UnsafePointer<Double>, persons n: Int,
                    into out: UnsafeMutablePointer<Double>) {
        if count >= 2 {
            let x = column(0), y = column(1)
            for i in 0..<n { out[i] = (0 + x[i]) + y[i] }
        } else if count == 1 {
            let x = column(0)
            for i in 0..<n { out[i] = 0 + x[i] }
        } else {
            out.update(repeating: 0, count: n)
        }
        for k in 2..<max(2, count) {
            let x = column(k)
            for i in 0..<n { out[i] += x[i] }
        }
    }
}
