/// Where a parameter's value comes from: a line of a scenario or system
/// file, or the module's default.
///
/// `simrun household` and `simrun scenario explain` print it beside each
/// value a component uses, as OpenFisca's trace names the parameter file.
///
/// ```swift
/// let source = component.parameterSources["amount_per_child"]
/// print(source?.description ?? "")   // inputs/scenarios/universal-child-grant.yaml:18 (in force from 2025-01-01)
/// ```
public struct ParameterSource: Sendable, Equatable, CustomStringConvertible {
    /// The file the value is written in; `nil` for a module default.
    public let file: String?
    /// The 1-based line of the value (of the date in force, for dated values); `nil` for a module default.
    public let line: Int?
    /// The date (YYYY-MM-DD) from which the value is in force, for dated values.
    public let date: String?

    /// A value written at `line` of `file`, in force from `date` when dated.
    public init(file: String, line: Int, date: String? = nil) {
        self.file = file
        self.line = line
        self.date = date
    }

    private init() {
        file = nil
        line = nil
        date = nil
    }

    /// The module's default value (the file does not give the parameter).
    public static let moduleDefault = ParameterSource()

    /// Whether the value is the module's default.
    public var isDefault: Bool { file == nil }

    /// `file:line` (with the date in force, for dated values), or `default`.
    public var description: String {
        guard let file, let line else { return "default" }
        return "\(file):\(line)" + (date.map { " (in force from \($0))" } ?? "")
    }
}
