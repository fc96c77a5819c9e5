/// A rule expression after its names and types are checked: every node has
/// a ``RuleType`` and refers to inputs by slot, ready to be lowered into an
/// ``ExpressionProgram``.
struct CheckedNode: Sendable {
    /// An operation with two operands of the same level.
    enum BinaryOperation: Sendable, Hashable {
        case add, subtract, multiply, divide
        case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual
        case and, or, minimum, maximum
    }

    /// An operation with one operand.
    enum UnaryOperation: Sendable, Hashable {
        case negate, not, absolute, round, floor, ceil
        /// Multiply by a constant factor (unit conversions: `monthly`, `yearly`).
        case scale(Double)
    }

    /// A household aggregate over members.
    enum Aggregate: String, Sendable, Hashable, CaseIterable {
        case sum, count, any, all, min, max, mean
    }

    /// What the node computes.
    indirect enum Operation: Sendable {
        /// A literal or parameter value.
        case constant(Double)
        /// An input column, by slot in ``ExpressionProgram/inputs``.
        case input(Int)
        case unary(UnaryOperation, CheckedNode)
        case binary(BinaryOperation, CheckedNode, CheckedNode)
        /// `a / b`, or `fallback` where `b` is 0.
        case divideOrDefault(CheckedNode, CheckedNode, fallback: CheckedNode)
        /// `if(c, a, b)`.
        case select(CheckedNode, CheckedNode, CheckedNode)
        /// `clamp(x, lo, hi)`: `min(max(x, lo), hi)`.
        case clamp(CheckedNode, CheckedNode, CheckedNode)
        /// `x in [values]`.
        case membership(CheckedNode, [Double])
        /// An aggregate over each household's members of `value` (person
        /// level) where `condition` holds; `fallback` for an empty selection.
        case aggregate(Aggregate, value: CheckedNode?, condition: CheckedNode?, fallback: CheckedNode?)
    }

    /// What the node computes.
    let operation: Operation
    /// Its type.
    let type: RuleType
    /// Offset of its token in the expression text.
    let offset: Int

    /// The literal value when the node is a bare number literal (possibly negated).
    var literal: Double? {
        guard type.kind == .number(nil), case .constant(let v) = operation else { return nil }
        return v
    }
}
