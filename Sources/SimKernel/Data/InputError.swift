/// A defect in data that came from outside simrun: a survey file, a column
/// map, a scenario or a system file.
///
/// Every case names where the defect is (file, line, and column or key) and
/// what was expected, so that an analyst can fix the input without reading
/// the code. The command-line tool prints `description` and exits with
/// status 65 (`EX_DATAERR`).
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the defect is in, as the user named it.
    public var file: String
    /// The 1-based line, when the defect has one.
    public var line: Int?
    /// The column (CSV) or key (YAML) the defect concerns, when there is one.
    public var field: String?
    /// What is wrong and what was expected.
    public var message: String

    /// Creates an input error.
    ///
    /// - Parameters:
    ///   - file: The file as the user named it.
    ///   - line: The 1-based line number, if known.
    ///   - field: The CSV column or YAML key, if any.
    ///   - message: What is wrong, what was expected, and how to fix it.
    public init(file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let field { location += " (\(field))" }
        return "\(location): \(message)"
    }
}
