/// Reads a person-level CSV survey file into a ``Population``.
///
/// The file has a header line of column names and one row per person; all
/// members of a household are on adjacent rows. The loader:
/// 1. maps the file read-only and splits it into pieces of about
///    ``pieceBytes`` bytes at line ends (the split depends on the file only);
/// 2. counts the rows of every piece in parallel, so every row's line number
///    is known before parsing;
/// 3. parses the pieces in parallel straight into the final columns, reading
///    only the requested variables and checking every value's type and range;
/// 4. checks the household structure (adjacent members, the same weight on
///    every member, unique person ids).
///
/// Nothing is dropped, coerced or guessed: the first defect in file order
/// stops the load with an ``InputError`` naming the file, the line, the
/// column and what was expected.
///
/// - Complexity: O(file size) time; memory is the requested columns plus
///   three temporary person-level columns (ids and weight).
public struct SurveyLoader: Sendable {
    /// Which file column holds each model variable.
    public var columnMap: ColumnMap
    /// Threads used for counting and parsing.
    public var plan: ParallelPlan
    /// Target size of the pieces parsed in parallel.
    public var pieceBytes: Int
    /// How rows form households.
    public var households: HouseholdStructure

    /// How the rows of a file form households.
    public enum HouseholdStructure: Sendable {
        /// Rows are persons grouped by the `hh_id` variable and identified by
        /// `person_id` (unique); a simulation needs this.
        case grouped
        /// Every row is a unit of its own (its household id is its row number
        /// and no person id is read): for statistics on a welfare variable
        /// already in the data, e.g. one row per person with equivalised income.
        case rowPerUnit
    }

    public init(columnMap: ColumnMap = ColumnMap(), plan: ParallelPlan = ParallelPlan(), pieceBytes: Int = 1 << 21,
                households: HouseholdStructure = .grouped) {
        self.columnMap = columnMap
        self.plan = plan
        self.pieceBytes = max(1, pieceBytes)
        self.households = households
    }

    /// The variables every run reads, whatever its modules.
    public static let alwaysRead: [VariableRequest] = [
        VariableRequest(.householdID, neededBy: "every run (households)"),
        VariableRequest(.personID, neededBy: "every run (checks of the data)"),
        VariableRequest(.weight, neededBy: "every run (weighting)"),
    ]

    /// Loads `file`, reading the requested variables.
    ///
    /// - Parameters:
    ///   - file: Path of the CSV file.
    ///   - variables: What the run needs; duplicates are merged.
    /// - Returns: The population, grouped by household.
    /// - Throws: ``InputError`` for any defect of the file (see the type's description).
    public func load(file: String, variables: [VariableRequest]) throws -> Population {
        if SurveyCache.isCache(file) {
            guard households == .grouped else {
                throw InputError(file: file, "a binary survey file holds households; give the CSV for row-per-unit statistics")
            }
            if columnMap.source != nil {
                throw InputError(file: file, "a column map applies when importing; this binary survey was already mapped (drop --columns)")
            }
            return try SurveyCache.load(file: file, variables: variables, plan: plan)
        }
        let mapped = try MappedFile(path: file)
        let table = try CSVTable(mapped: mapped, pieceBytes: pieceBytes)
        let always = households == .grouped ? Self.alwaysRead : [Self.alwaysRead[2]]
        let requests = Self.merge(always + variables)
        let layout = try FieldLayout(header: table.header, requests: requests, columnMap: columnMap, file: file)
        // Count, then let the pages go: peak memory stays near the size of the
        // columns instead of columns plus the whole file.
        let rowCounts = plan.map(pieces: table.pieces.count) { piece -> Int in
            let n = table.countRows(piece: piece)
            mapped.release(table.pieces[piece])
            return n
        }
        var rowOffsets = [Int](repeating: 0, count: rowCounts.count + 1)
        for (k, n) in rowCounts.enumerated() { rowOffsets[k + 1] = rowOffsets[k] + n }
        let firstRow = rowOffsets
        let rows = firstRow.last!
        let columns = ParsedColumns(layout: layout, rows: rows)
        let results = plan.map(pieces: table.pieces.count) { piece -> PieceResult in
            let result = table.parse(piece: piece, firstRow: firstRow[piece], layout: layout, into: columns)
            mapped.release(table.pieces[piece])
            return result
        }
        if let failure = results.compactMap(\.failure).min(by: { $0.row < $1.row }) {
            throw InputError(file: file, line: failure.row + 2, field: failure.column, failure.message)
        }
        let labels = Self.renumberCategories(results, firstRow: firstRow, columns: columns)
        return try HouseholdAssembler(file: file, layout: layout, columns: columns, rows: rows, labels: labels,
                                      rowPerUnit: households == .rowPerUnit).assemble()
    }

    /// Replaces each piece's local category codes by codes into the sorted
    /// list of all labels (numeric order when every label is a number,
    /// otherwise byte order), so codes do not depend on how the file was cut.
    static func renumberCategories(_ results: [PieceResult], firstRow: [Int], columns: ParsedColumns) -> [[String]] {
        var all: [[String]] = []
        for (c, builder) in columns.categories.enumerated() {
            let distinct = Set(results.flatMap { $0.labels[c] })
            let numeric = distinct.allSatisfy { Double($0) != nil }
            let sorted = numeric
                ? distinct.sorted { (Double($0)!, $0) < (Double($1)!, $1) }
                : distinct.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            var global: [String: Int32] = [:]
            for (i, label) in sorted.enumerated() { global[label] = Int32(i) }
            for (piece, result) in results.enumerated() {
                let remap = result.labels[c].map { global[$0]! }
                let codes = builder.buffer
                for row in firstRow[piece]..<firstRow[piece + 1] { codes[row] = remap[Int(codes[row])] }
            }
            all.append(sorted)
        }
        return all
    }

    /// The model variables `file` can provide (a CSV's header read through
    /// the column map, or a binary survey's stored variables), for commands
    /// that use optional variables only when present.
    public func availableVariables(in file: String) throws -> Set<String> {
        if SurveyCache.isCache(file) { return try SurveyCache.variableNames(file: file) }
        let header = Set(try Self.header(of: file))
        var names = Set(header)
        for (variable, column) in columnMap.columns where header.contains(column) { names.insert(variable) }
        return names
    }

    /// The column names in the header of the CSV `file`.
    public static func header(of file: String) throws -> [String] {
        try CSVTable(mapped: try MappedFile(path: file), pieceBytes: 1 << 30, headerOnly: true).header
    }

    /// Merges requests for the same variable, keeping every requester's name.
    static func merge(_ requests: [VariableRequest]) -> [VariableRequest] {
        var order: [String] = []
        var byName: [String: (Variable, [String])] = [:]
        for r in requests {
            if var entry = byName[r.variable.name] {
                if !entry.1.contains(r.neededBy) { entry.1.append(r.neededBy) }
                byName[r.variable.name] = entry
            } else {
                order.append(r.variable.name)
                byName[r.variable.name] = (r.variable, [r.neededBy])
            }
        }
        return order.map { name in
            let (variable, who) = byName[name]!
            return VariableRequest(variable, neededBy: who.joined(separator: ", "))
        }
    }
}

/// A parse failure on one row, located by row index (line = row + 2).
struct RowFailure: Sendable {
    let row: Int
    let column: String?
    let message: String
}
