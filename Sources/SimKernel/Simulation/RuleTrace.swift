/// One step of how a rule reached a household's amounts, as `simrun
/// household` and `simrun scenario explain` print it: a condition's truth, an
/// intermediate amount, the result.
public struct RuleTraceStep: Sendable, Equatable {
    /// What the step is ("eligible", "amount", "means-test income", "take-up").
    public let label: String
    /// The expression as written in the file, if the step evaluates one.
    public let expression: String?
    /// Where the expression (or the declaration) is written.
    public let location: RuleLocation?
    /// Whether the values are conditions (1 true, 0 false).
    public let isCondition: Bool
    /// ``RuleType/Level/person``: one value per member, in member order;
    /// ``RuleType/Level/household``: one value.
    public let level: RuleType.Level
    /// The values (money per month, unless the step says otherwise).
    public let values: [Double]

    /// A step; see the properties.
    public init(label: String, expression: String? = nil, location: RuleLocation? = nil, isCondition: Bool = false,
                level: RuleType.Level, values: [Double]) {
        precondition(level != .constant, "a step has one value per member or one per household")
        self.label = label
        self.expression = expression
        self.location = location
        self.isCondition = isCondition
        self.level = level
        self.values = values
    }
}

/// A household rule that can say how it reached a household's amounts.
///
/// Tracing runs on one household at a time, off the kernel's hot path.
public protocol TracingRule: HouseholdRule {
    /// Applies the rule to `batch`, which holds exactly one household, as
    /// ``HouseholdRule/apply(batch:amounts:)`` does (the same amounts, bit
    /// for bit), and returns the steps in the order they were computed.
    func trace(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) -> [RuleTraceStep]
}
