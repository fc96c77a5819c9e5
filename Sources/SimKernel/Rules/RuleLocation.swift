/// Where a rule expression's text is: the file, and the line and column of
/// its first character, as the YAML reader saw them.
///
/// Every error the expression language reports is an ``InputError`` at this
/// file and line, with the column of the offending token in its message
/// ("column 17"), so that an analyst can find it in the scenario file.
///
/// ```swift
/// let at = RuleLocation(file: "rural-grant.yaml", line: 12, column: 16)
/// at.advanced(by: 4).column   // 20
/// ```
public struct RuleLocation: Sendable, Hashable {
    /// The file as the user named it.
    public var file: String
    /// The 1-based line of the expression.
    public var line: Int
    /// The 1-based column of the expression's first character on that line.
    public var column: Int

    /// A location in `file` at `line` and `column` (both 1-based).
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The location `offset` characters further along the same line.
    public func advanced(by offset: Int) -> RuleLocation {
        RuleLocation(file: file, line: line, column: column + offset)
    }

    /// An input error at this location: `message` is prefixed with "column N: ".
    ///
    /// - Parameters:
    ///   - kind: What sort of defect it is (``InputError/Kind/wrongType`` for
    ///     type and unit errors, ``InputError/Kind/unknownKey`` for unknown names).
    ///   - message: What is wrong and what was expected.
    public func error(_ kind: InputError.Kind, _ message: String) -> InputError {
        InputError(file: file, line: line, kind: kind, "column \(column): \(message)")
    }
}
