/// Something an analyst must know about a result that is not an error:
/// units left out of an index where it is undefined, bootstrap replicates
/// where an indicator was undefined, SEs that a method cannot give.
///
/// The engine returns warnings with the results; the command-line tool
/// prints them on standard error.
public struct AnalysisWarning: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The group the warning concerns (`"db040 = Vienna"`), or `nil` for the whole population.
    public var group: String?
    /// What happened, with counts.
    public var message: String

    /// A warning about `group` (`nil`: the whole population).
    public init(group: String? = nil, _ message: String) {
        self.group = group
        self.message = message
    }

    public var description: String {
        group.map { "\($0): \(message)" } ?? message
    }
}
