/// A defect in data that came from outside simrun: a survey file, a column
/// map, a scenario or a system file.
///
/// Every case names where the defect is (file, line, and column or key) and
/// what was expected, so that an analyst can fix the input without reading
/// the code. Its ``kind`` says what sort of defect it is, so that tests and
/// other front ends (a web page) can tell errors apart without matching text,
/// and decides the exit status (``exitStatus``): 65 (`EX_DATAERR`) for bad
/// content, 66 (`EX_NOINPUT`) for an input that cannot be opened, 73
/// (`EX_CANTCREAT`) for an output that cannot be created, 74 (`EX_IOERR`)
/// for a failure while reading or writing.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What sort of defect an ``InputError`` reports.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A key that the file format does not know (with "did you mean" where one is close).
        case unknownKey = "unknown_key"
        /// A required key is absent.
        case missingKey = "missing_key"
        /// A value of the wrong type (a string where a number is expected, a sequence for a mapping, a variable of the wrong kind).
        case wrongType = "wrong_type"
        /// A number outside its valid range.
        case outOfRange = "out_of_range"
        /// A column the run needs is absent from the data.
        case missingColumn = "missing_column"
        /// A value that cannot be read or is not allowed (the catch-all for bad content).
        case badValue = "bad_value"
        /// A value that must be unique appears twice (a key, a person id, a column name).
        case duplicate = "duplicate"
        /// Records that disagree with each other (row lengths, household structure, checksums, stale caches).
        case inconsistent = "inconsistent"
        /// A YAML or file feature simrun refuses on purpose (anchors, aliases, tags) or an input past a size limit.
        case unsupported = "unsupported"
        /// An input file that does not exist or cannot be opened (exit 66).
        case noInput = "no_input"
        /// An output that cannot be created (exit 73).
        case cannotCreate = "cannot_create"
        /// A read or write that failed part-way (exit 74).
        case io = "io"
    }

    /// The file the defect is in, as the user named it.
    public var file: String
    /// The 1-based line, when the defect has one.
    public var line: Int?
    /// The column (CSV) or key (YAML) the defect concerns, when there is one.
    public var field: String?
    /// What is wrong and what was expected.
    public var message: String
    /// What sort of defect this is.
    public var kind: Kind

    /// Creates an input error.
    ///
    /// - Parameters:
    ///   - file: The file as the user named it.
    ///   - line: The 1-based line number, if known.
    ///   - field: The CSV column or YAML key, if any.
    ///   - kind: What sort of defect it is (default ``Kind/badValue``).
    ///   - message: What is wrong, what was expected, and how to fix it.
    public init(file: String, line: Int? = nil, field: String? = nil, kind: Kind = .badValue, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.kind = kind
        self.message = message
    }

    /// The process exit status for this error (sysexits.h): 66 no input, 73 cannot create, 74 I/O error, else 65.
    public var exitStatus: Int32 {
        switch kind {
        case .noInput: return 66
        case .cannotCreate: return 73
        case .io: return 74
        default: return 65
        }
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let field { location += " (\(field))" }
        return "\(location): \(message)"
    }
}
