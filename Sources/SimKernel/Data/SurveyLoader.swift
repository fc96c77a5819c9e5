/// Reads a person-level CSV survey file into a ``Population``.
///
/// The file has a header line of column names and one row per person; all
/// members of a household are on adjacent rows. The loader:
/// 1. maps the file read-only and splits it into pieces of about
///    ``pieceBytes`` bytes at line ends (the split depends on the file only);
/// 2. parses the pieces in parallel, in one pass, reading only the requested
///    variables and checking every value's type and range: person values go
///    to a worker's scratch and are copied to their place in the final
///    columns as soon as the rows of the earlier pieces are counted
///    (`PieceSequencer`); household values (id, weight, stratum, PSU) are
///    kept once per household, each member checked against the household's;
///    the pages of a parsed piece are released at once;
/// 3. joins the pieces' households and checks the household structure
///    (adjacent members, the same weight on every member, unique person ids).
///
/// Nothing is dropped, coerced or guessed: a defect stops the load with an
/// ``InputError`` naming the file, the line, the column and what was
/// expected. Which defect is reported when a file has several is fixed
/// whatever the thread count or piece size: the first value that cannot be
/// read (in file order); if every value reads, the first household
/// structure defect, checked in this order: members not adjacent, repeated
/// person ids, household values differing between members.
///
/// - Complexity: O(file size) time; memory is the requested columns (person
///   columns and one value per household for household variables), plus a
///   scratch of about a piece per worker.
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
        try Self.checkOneMeaning(variables, file: file)
        do {
            return try loadFile(file, variables: variables)
        } catch let e as MemoryReservationError {
            throw InputError(file: file, kind: .unsupported, "not enough memory to load this file: reserving \(e.bytes) bytes for a column failed (\(e.reason))")
        }
    }

    private func loadFile(_ file: String, variables: [VariableRequest]) throws -> Population {
        if SurveyCache.isCache(file) {
            guard households == .grouped else {
                throw InputError(file: file, kind: .unsupported, "a binary survey file holds households; give the CSV for row-per-unit statistics")
            }
            if columnMap.source != nil {
                throw InputError(file: file, kind: .unsupported, "a column map applies when importing; this binary survey was already mapped (drop --columns)")
            }
            return try SurveyCache.load(file: file, variables: variables, plan: plan)
        }
        if SurveyRecipe.isRecipe(file) {
            if columnMap.source != nil {
                throw InputError(file: file, kind: .unsupported, "a data recipe names the model variables itself (its 'variables:'); drop --columns")
            }
            let prepared = try SurveyRecipe(file: file).assemble()
            var population = try prepared.table.population(variables: variables, households: households, origin: prepared.origin,
                                                           groups: households == .grouped ? prepared.householdStart : nil, source: file)
            population.preparation = prepared.preparation
            return population
        }
        if Self.isTableFile(file) {
            return try SurveyTable.read(file: file).population(variables: variables, columnMap: columnMap, households: households)
        }
        let mapped = try MappedFile(path: file)
        let table = try CSVTable(mapped: mapped, pieceBytes: pieceBytes)
        let grouped = households == .grouped
        let always = grouped ? Self.alwaysRead : [Self.alwaysRead[2]]
        let requests = Self.merge(always + variables)
        let layout = try FieldLayout(header: table.header, requests: requests, columnMap: columnMap, file: file,
                                     grouped: grouped)
        let parser = CSVPieceParser(table: table, layout: layout)
        let pieces = table.pieces
        let columns = try PersonColumns(layout: layout, capacity: table.rowBound(layout: layout))
        let largestPiece = pieces.map(\.count).max() ?? 0
        let sequencer = PieceSequencer(pieces: pieces.count, parkLimit: 2 * plan.threads) {
            PieceScratch(layout: layout, capacity: largestPiece / 40 + 64)
        }
        let outputs = DisjointSlots<PieceOutput?>(count: pieces.count, initial: nil)
        // One task per worker; each takes the next piece in file order until
        // none is left, so a slow worker never holds the others up.
        plan.forEach(pieces: min(plan.threads, pieces.count)) { _ in
            var scratch = sequencer.scratch()
            while let k = sequencer.claim() {
                let output = parser.parse(piece: k, into: scratch)
                // The pages are not read again: peak memory stays near the
                // size of the columns instead of columns plus the whole file.
                mapped.release(pieces[k])
                outputs.write(k, output)
                if output.failure != nil {
                    sequencer.fail(k)
                    continue
                }
                var kept: PieceScratch?
                for placement in sequencer.finished(k, rows: output.rows, scratch: scratch) {
                    placement.scratch.copy(rows: placement.rows, to: columns, at: placement.firstRow)
                    if kept == nil { kept = placement.scratch } else { sequencer.recycle(placement.scratch) }
                }
                scratch = kept ?? sequencer.scratch()
            }
            sequencer.recycle(scratch)
        }
        let parsed = outputs.finish()
        let firstRow = sequencer.firstRows
        if let k = parsed.firstIndex(where: { $0?.failure != nil }), let failure = parsed[k]?.failure {
            throw InputError(file: file, line: firstRow[k]! + failure.row + 2, field: failure.column, failure.message)
        }
        let starts = firstRow.map { $0! }
        let results = parsed.map { $0! }
        let rows = starts[pieces.count]
        let labels = Self.renumberCategories(results, firstRow: starts, columns: columns)
        return try HouseholdAssembler(
            file: file, layout: layout, table: table, plan: plan, outputs: results, firstRow: starts,
            personReals: columns.realColumns.map { $0.finish(count: rows) },
            personIntegers: columns.integerColumns.map { $0.finish(count: rows) },
            categories: zip(columns.categoryColumns, labels).map { CategoryColumn(codes: $0.finish(count: rows), labels: $1) }
        ).assemble()
    }

    /// Replaces each piece's local category codes by codes into the sorted
    /// list of all labels, so codes do not depend on how the file was cut
    /// or on the order of a hash table: when every label is a finite
    /// decimal number (as ``DecimalParser/real(_:_:)`` reads numbers; not
    /// `nan` or `inf`), by value and, for equal values (`1`, `1.0`), by bytes;
    /// otherwise by bytes. Labels are distinct by their bytes
    /// (``CategoryLabel``). Both orders are total, so the result is unique.
    static func renumberCategories(_ results: [PieceOutput], firstRow: [Int], columns: PersonColumns) -> [[String]] {
        var all: [[String]] = []
        for (c, codes) in columns.categories.enumerated() {
            let distinct = Array(Set(results.flatMap { $0.labels[c].map(CategoryLabel.init) })).map(\.text)
            let sorted = sortedLabels(distinct)
            var global: [CategoryLabel: Int32] = [:]
            for (i, label) in sorted.enumerated() { global[CategoryLabel(label)] = Int32(i) }
            for (piece, result) in results.enumerated() {
                let remap = result.labels[c].map { global[CategoryLabel($0)]! }
                for row in firstRow[piece]..<firstRow[piece + 1] { codes[row] = remap[Int(codes[row])] }
            }
            all.append(sorted)
        }
        return all
    }

    /// Distinct category labels in the order codes number them: by value
    /// when every label is a finite decimal number (equal values by bytes),
    /// otherwise by bytes (see ``renumberCategories(_:firstRow:columns:)``).
    static func sortedLabels(_ distinct: [String]) -> [String] {
        func bytesPrecede(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        let values = distinct.map { label -> Double? in
            var text = label
            return text.withUTF8 { $0.isEmpty ? nil : DecimalParser.real($0.baseAddress!, $0.count) }
        }
        if !distinct.isEmpty, values.allSatisfy({ $0 != nil }) {
            return zip(distinct, values).sorted { a, b in
                a.1! != b.1! ? a.1! < b.1! : bytesPrecede(a.0, b.0)
            }.map(\.0)
        }
        return distinct.sorted(by: bytesPrecede)
    }

    /// The model variables `file` can provide (a CSV's header read through
    /// the column map, or a binary survey's stored variables), for commands
    /// that use optional variables only when present.
    public func availableVariables(in file: String) throws -> Set<String> {
        if SurveyCache.isCache(file) { return try SurveyCache.variableNames(file: file) }
        if SurveyRecipe.isRecipe(file) {
            return Set(try SurveyRecipe(file: file).outputs.map(\.name) + [Variable.householdID.name, Variable.personID.name])
        }
        let header = Set(try Self.header(of: file))
        var names = Set(header)
        for (variable, column) in columnMap.columns where header.contains(column) { names.insert(variable) }
        return names
    }

    /// Whether `file` is read as a whole table (Stata, SPSS) rather than by the CSV parser: by extension.
    public static func isTableFile(_ file: String) -> Bool {
        SurveyTable.isStatFile(file)
    }

    /// The column names of `file`: a CSV's header, a Stata or SPSS file's variables, a recipe's variables.
    public static func header(of file: String) throws -> [String] {
        if SurveyRecipe.isRecipe(file) {
            let names = try SurveyRecipe(file: file).outputs.map(\.name)
            return names + [Variable.householdID.name, Variable.personID.name].filter { !names.contains($0) }
        }
        if isTableFile(file) { return try SurveyTable.read(file: file).columns.map(\.name) }
        return try csvHeader(of: file)
    }

    /// The column names in the header of the CSV `file`.
    static func csvHeader(of file: String) throws -> [String] {
        try CSVTable(mapped: try MappedFile(path: file), pieceBytes: 1 << 30, headerOnly: true).header
    }

    /// Fails when two requests give one variable different meanings: a column
    /// of the data that one place reads as a category code and another as
    /// money (names simrun does not know take their measure from where they
    /// are used, see ``VariableRequirement``). Checked before the data is
    /// read, for CSV and binary files alike, so that every reader of a column
    /// finds it stored as it expects; a scenario checks its own systems when
    /// it is read (so `scenario validate` names the scenario file), the loader
    /// again for several scenarios run together.
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/wrongType``) naming the variable and both users.
    static func checkOneMeaning(_ requests: [VariableRequest], file: String) throws {
        var first: [String: VariableRequest] = [:]
        for r in requests {
            guard let earlier = first[r.variable.name] else {
                first[r.variable.name] = r
                continue
            }
            let a = earlier.variable, b = r.variable
            if a.kind != b.kind || a.measure != b.measure || a.level != b.level {
                throw InputError(file: file, field: b.name, kind: .wrongType,
                    "variable '\(b.name)' is read as \(a.measure.phrase) by \(earlier.neededBy) and as \(b.measure.phrase) by \(r.neededBy); a column has one meaning: give each use a column of its own")
            }
        }
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
