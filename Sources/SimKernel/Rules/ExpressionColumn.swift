/// One input column of a batch, as the caller stores it: real numbers
/// (money, weights) or whole numbers (ages, codes, flags), one value per
/// person or per household as the program's ``ExpressionProgram/Input``
/// says.
///
/// The buffers are borrowed for the duration of one evaluation only.
public enum ExpressionColumn {
    /// A column of `Double`.
    case real(UnsafeBufferPointer<Double>)
    /// A column of `Int32` (read as exact `Double`s).
    case integer(UnsafeBufferPointer<Int32>)

    /// The number of values.
    public var count: Int {
        switch self {
        case .real(let b): return b.count
        case .integer(let b): return b.count
        }
    }
}
