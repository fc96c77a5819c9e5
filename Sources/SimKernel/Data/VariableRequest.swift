/// A variable some part of a run needs from the data, and who needs it.
///
/// The loader reads exactly the requested variables (plus the household
/// identifier, person identifier and weight, which every run needs), so a
/// missing column is reported before anything is computed, naming the
/// module that wanted it.
public struct VariableRequest: Sendable, Hashable {
    public let variable: Variable
    /// Who asked, for the error message ("module universal_child_grant").
    public let neededBy: String

    public init(_ variable: Variable, neededBy: String) {
        self.variable = variable
        self.neededBy = neededBy
    }

    /// A request for the known variable called `name` (or a real-valued one if unknown).
    public init(_ name: String, neededBy: String) {
        self.init(Variable.named(name), neededBy: neededBy)
    }
}
