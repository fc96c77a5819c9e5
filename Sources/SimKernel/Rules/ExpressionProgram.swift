/// A checked rule expression lowered to a straight-line program over
/// register columns, evaluated over a batch of households and their members.
///
/// Each instruction reads and writes whole registers: a register holds one
/// `Double` per person, one per household, or a single constant (booleans
/// are 1 and 0, category codes their whole number). Evaluation dispatches
/// once per instruction and then runs a plain loop over contiguous buffers,
/// as DuckDB's expression executor runs an expression tree over vectors: no
/// allocation, dictionary look-up or dynamic dispatch per person. The
/// program is fixed at load time, so results depend only on the inputs
/// (members are aggregated in row order).
///
/// The instructions are lowered once, when the program is built, to the
/// steps that run (constants folded, inputs read in place: `Lowered`).
///
/// Build one with ``RuleExpression``; evaluate it with
/// ``evaluate(householdOffsets:columns:into:)``.
public struct ExpressionProgram: Sendable {
    /// A column the program reads: a data variable or an earlier component's amount.
    public struct Input: Sendable, Hashable {
        /// The variable's or component's name.
        public let name: String
        /// ``RuleType/Level/person`` (one value per person) or
        /// ``RuleType/Level/household`` (one value per household).
        public let level: RuleType.Level
    }

    /// One step of the program; operands and destinations are register numbers.
    enum Instruction: Sendable {
        case load(Int, input: Int)
        case fill(Int, Double)
        /// Copies a constant or household register into a finer register.
        case broadcast(Int, from: Int)
        case unary(CheckedNode.UnaryOperation, Int, Int)
        case binary(CheckedNode.BinaryOperation, Int, Int, Int)
        case divideOrDefault(Int, Int, Int, fallback: Int)
        case select(Int, Int, Int, Int)
        case clamp(Int, Int, Int, Int)
        case membership(Int, Int, [Double])
        /// Person registers `value` and `condition` to household register `destination`.
        case aggregate(CheckedNode.Aggregate, Int, value: Int?, condition: Int?, fallback: Int?)
    }

    /// The columns the program reads, in the order ``evaluate(householdOffsets:columns:into:)`` takes them.
    public let inputs: [Input]
    /// The type of the result; its level is the level the program was compiled for.
    public let type: RuleType
    let instructions: [Instruction]
    let registerLevels: [RuleType.Level]
    let result: Int
    /// The instructions as they run (``Lowered``).
    let lowered: Lowered

    init(inputs: [Input], type: RuleType, instructions: [Instruction], registerLevels: [RuleType.Level], result: Int) {
        precondition(registerLevels[result] == type.level, "the result register is at the program's level")
        self.inputs = inputs
        self.type = type
        self.instructions = instructions
        self.registerLevels = registerLevels
        self.result = result
        lowered = Self.lower(instructions, levels: registerLevels, result: result)
    }

    /// The number of instructions (for tests and traces).
    public var instructionCount: Int { instructions.count }
}
