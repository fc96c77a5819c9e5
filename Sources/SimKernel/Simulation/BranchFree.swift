/// Conditions as bit masks, for loops that must not branch on the data.
///
/// LLVM turns a `select` whose condition or operand comes from loaded data
/// into a branch, which mispredicts on survey data and stops the loop from
/// vectorising. Reading a `Bool`'s byte as 0 or 1 and masking the bits of a
/// double leaves only integer arithmetic, which it keeps as it is.
public enum BranchFree {
    /// 1 for true, 0 for false, read from the Bool's byte.
    @inlinable @inline(__always)
    public static func flag(_ b: Bool) -> UInt64 { UInt64(unsafeBitCast(b, to: UInt8.self)) }

    /// `x` if `flag` is 1, `+0.0` if it is 0 (the bits of `x` masked with all
    /// ones or all zeros).
    @inlinable @inline(__always)
    public static func kept(_ x: Double, if flag: UInt64) -> Double {
        Double(bitPattern: x.bitPattern & (0 &- flag))
    }
}
