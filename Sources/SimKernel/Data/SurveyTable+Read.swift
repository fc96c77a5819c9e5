extension SurveyTable {
    /// The file formats ``read(file:)`` knows, by file extension (lower case).
    public static let readableExtensions = ["csv"]

    /// Reads a whole data file as delivered, choosing the reader by the
    /// file's extension (``readableExtensions``; a file with any other
    /// extension is read as a CSV).
    ///
    /// - Throws: ``InputError`` naming the file, line or row, and column of the
    ///   first defect; ``InputError/Kind/noInput`` when the file cannot be opened.
    public static func read(file: String) throws -> SurveyTable {
        try readCSV(file: file)
    }

    /// ``read(file:)`` with a text encoding for formats that need one (older Stata files, SPSS); ignored for a CSV (UTF-8).
    public static func read(file: String, encoding: String?) throws -> SurveyTable {
        try read(file: file)
    }
}
