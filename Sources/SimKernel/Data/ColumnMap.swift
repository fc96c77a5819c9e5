/// Which column of a data file holds each model variable.
///
/// Analysts' survey exports rarely use simrun's names. A column map, given
/// on the command line as `--columns MAP.yaml`, is a YAML mapping
/// `model_variable: file_column`:
///
/// ```yaml
/// hh_id: hhid
/// weight: wgt_hh
/// age: ageyrs
/// ```
///
/// A variable not in the map is looked for under its own name.
public struct ColumnMap: Sendable, Equatable {
    /// Model variable name to file column name.
    public private(set) var columns: [String: String]
    /// Where the map came from, for messages (`nil` when there is no map).
    public let source: String?

    /// The identity map: every variable under its own name.
    public init() {
        columns = [:]
        source = nil
    }

    /// A map from explicit pairs (used by tests and other programs).
    public init(_ columns: [String: String], source: String? = nil) {
        self.columns = columns
        self.source = source
    }

    /// Reads a column map from a YAML file.
    ///
    /// - Throws: ``InputError`` naming the line if the file is not a mapping
    ///   of names to names (a column name is one line of at most
    ///   ``InputExcerpt/limit`` characters without control characters), or
    ///   maps one model variable twice.
    public init(file: String) throws {
        try self.init(root: try YAMLNode.load(file: file))
    }

    /// Reads a column map already parsed (``YAMLNode/parse(_:file:)``).
    /// - Throws: ``InputError`` as ``init(file:)``.
    public init(root: YAMLNode) throws {
        let file = root.file
        var columns: [String: String] = [:]
        for entry in try root.entries() {
            guard case .scalar(let column, _) = entry.value.content, !column.isEmpty else {
                throw entry.value.error(kind: .wrongType, "expected the name of a column in the data file, found \(entry.value.shapeName)")
            }
            // Names go into messages about the data whole: keep them short and printable.
            guard InputExcerpt.isShort(column) else {
                throw entry.value.error("expected the name of a column: one line of at most \(InputExcerpt.limit) characters without control characters; found \(entry.value.shapeName)")
            }
            columns[entry.key] = column
        }
        self.columns = columns
        self.source = file
    }

    /// The file column that holds `variable`.
    public func column(for variable: String) -> String {
        columns[variable] ?? variable
    }

    /// How the message for a missing column should suggest a fix.
    func howToMap(_ variable: String) -> String {
        if let source, let mapped = columns[variable] {
            return "the column map \(source) says '\(variable)' is in column \(InputExcerpt.quoted(mapped)); correct the map or the file"
        }
        return "add the column, or name the column that holds it with --columns MAP.yaml (a line '\(variable): your_column')"
    }
}
