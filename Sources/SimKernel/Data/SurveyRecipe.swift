/// A data recipe: how a survey as delivered (household file, person file,
/// lookup tables; CSV, Stata or SPSS) becomes simrun's person-level data.
///
/// A recipe is a YAML file (reference: docs/data.md "Data recipes"):
///
/// ```yaml
/// files:
///   households: {file: hh.dta, level: household, key: hhid}
///   persons:    {file: persons.dta, level: person, household: hhid}
///   communes:   {file: communes.csv, level: lookup, key: commune, to: households}
/// missing:
///   earnings_y: {".a": 0}          # Stata's .a means "not asked": 0
///   consumption: drop              # households without a consumption record are dropped
/// filters:
///   - households: "size > 0"
///     because: "empty households"
/// variables:
///   hh_id: hhid
///   weight: wt
///   earnings: "earnings_y / 12"
/// ```
///
/// It is read and checked whole before any data file is opened: unknown
/// keys, a file named twice, a lookup joined to an unknown file, a missing
/// rule of an unknown kind, each an ``InputError`` naming the recipe's line.
/// Expressions are checked against the files' columns when the files are
/// read (``SurveyRecipe/assemble()``).
public struct SurveyRecipe: Sendable {
    /// The level of a file's rows.
    public enum Level: String, Sendable, Equatable {
        /// One row per household.
        case household
        /// One row per person, linked to its household.
        case person
        /// A small table joined by a key to another file's rows (e.g. commune to region).
        case lookup
    }

    /// One input file.
    public struct File: Sendable {
        /// The name the recipe gives the file (a key of `files:`).
        public let name: String
        /// The path, relative to the recipe's folder unless absolute.
        public let path: String
        public let level: Level
        /// Key columns: a household file's household key, a lookup table's key (unique in the file).
        public let key: [String]
        /// A person file's columns holding its household's key (default: the household file's key names).
        public let household: [String]?
        /// A lookup's target file (its rows get the lookup's columns by the key).
        public let joinedTo: String?
        /// Prepended to every column name of the file (to tell apart columns of the same name in two files).
        public let prefix: String
        /// The text encoding of an older Stata file or an SPSS file, if not the default.
        public let encoding: String?
        /// A household file's households without a person in the person file are dropped (counted) instead of an error.
        public let dropWithoutPersons: Bool
        /// Where the file's entry is in the recipe.
        public let node: YAMLNode
    }

    /// What a missing value of a column means.
    public enum MissingRule: Sendable, Equatable, CustomStringConvertible {
        /// Stop with an error naming the file, row and column (the default).
        case error
        /// The value given (0 for `zero`).
        case value(Double)
        /// The row is dropped (a household row drops the household, a person row the person); counted.
        case drop

        public var description: String {
            switch self {
            case .error: return "error"
            case .value(let v): return v == 0 ? "zero" : "the value \(SurveyTable.text(v))"
            case .drop: return "drop the row"
            }
        }
    }

    /// A column's missing rules: one for every kind, or one per kind.
    public struct MissingRules: Sendable {
        /// The column (a file's column name, after its file's prefix).
        public let column: String
        /// The rule for each kind written.
        public let byKind: [MissingCode: MissingRule]
        /// The rule for kinds not listed.
        public let otherwise: MissingRule
        public let node: YAMLNode

        /// The rule for a missing value of kind `code`.
        public func rule(for code: MissingCode) -> MissingRule { byKind[code] ?? otherwise }
    }

    /// A filter: rows for which the condition is false are dropped.
    public struct Filter: Sendable {
        /// Whether whole households or single persons are kept or dropped.
        public let level: Level
        public let condition: String
        public let because: String
        public let node: YAMLNode
        /// Where the condition's text starts (for expression errors).
        public let location: RuleLocation
    }

    /// One output variable.
    public struct Output: Sendable {
        /// The model variable's name (`hh_id`, `earnings`, a scenario's own variable).
        public let name: String
        /// A column copied as it is (text and value labels kept), or an expression.
        public let source: Source
        /// Text values (or value labels) recoded to numbers, for a copied column.
        public let recode: [String: Double]?
        public let node: YAMLNode

        public enum Source: Sendable {
            case column(String)
            case expression(String, RuleLocation)
        }
    }

    /// The recipe file, as the user named it.
    public let file: String
    /// The files, in recipe order.
    public let files: [File]
    /// Missing rules, in recipe order (a column's name after its file's prefix).
    public let missing: [MissingRules]
    public let filters: [Filter]
    /// The output variables, in recipe order.
    public let outputs: [Output]
    /// The SHA-256 of the recipe's bytes.
    public let sha256: String

    /// The missing rules of `column`, if the recipe has any.
    public func missingRules(of column: String) -> MissingRules? { missing.first { $0.column == column } }

    /// Whether `file` names a recipe (by extension: `.yaml`, `.yml`).
    public static func isRecipe(_ file: String) -> Bool {
        let lower = file.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// The identity of a prepared survey (``DataPreparation/digest``): the SHA-256 (hex) of the
    /// recipe's SHA-256 and each input file's, one per line, in the recipe's order of `files:`.
    /// It changes whenever the recipe or any file it reads does; a sweep's manifest records it
    /// before anything is read.
    public static func digest(recipeSHA256: String, inputs: [String]) -> String {
        let joined = Array(([recipeSHA256] + inputs).joined(separator: "\n").utf8)
        return joined.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
    }

    /// Reads and checks a recipe file.
    /// - Throws: ``InputError`` naming the recipe's line and key.
    public init(file: String) throws {
        let root = try YAMLNode.load(file: file)
        self.file = file
        self.sha256 = try FileDigest.sha256(of: file)
        let allowed: Set<String> = ["files", "missing", "filters", "variables", "description"]
        for entry in try root.entries() where !allowed.contains(entry.key) {
            throw entry.value.error(kind: .unknownKey, "unknown key '\(InputExcerpt.text(entry.key))'; a recipe has files, missing, filters, variables (and description)")
        }
        guard let filesNode = root["files"] else { throw root.error(kind: .missingKey, "the recipe needs 'files:' (the survey's files and their levels)") }
        let folder = file.pathFolder
        var files: [File] = []
        for entry in try filesNode.entries() {
            files.append(try Self.file(entry, folder: folder))
        }
        let households = files.filter { $0.level == .household }
        let persons = files.filter { $0.level == .person }
        guard households.count <= 1, persons.count <= 1 else {
            throw filesNode.error(kind: .inconsistent, "a recipe has at most one household file and one person file (lookups may be many)")
        }
        guard !households.isEmpty || !persons.isEmpty else {
            throw filesNode.error(kind: .missingKey, "the recipe needs a household file (level: household) or a person file (level: person)")
        }
        if let p = persons.first, p.household == nil, households.isEmpty {
            throw p.node.error(kind: .missingKey, "a person file without a household file needs 'household:', the column(s) holding the household key")
        }
        for f in files where f.level == .lookup {
            guard let target = files.first(where: { $0.name == f.joinedTo }), target.level != .lookup else {
                throw f.node.error(kind: .inconsistent, "'to: \(InputExcerpt.text(f.joinedTo ?? ""))' must name the recipe's household or person file (\(files.filter { $0.level != .lookup }.map(\.name).joined(separator: ", ")))")
            }
        }
        self.files = files

        var missing: [MissingRules] = []
        if let node = root["missing"] {
            for entry in try node.entries() {
                missing.append(try Self.missingRules(entry.value, column: entry.key))
            }
        }
        self.missing = missing

        var filters: [Filter] = []
        if let node = root["filters"] {
            for item in try node.items() {
                let entries = try item.entries()
                for e in entries where !["households", "persons", "because"].contains(e.key) {
                    throw e.value.error(kind: .unknownKey, "unknown key '\(InputExcerpt.text(e.key))'; a filter is 'households: CONDITION' or 'persons: CONDITION' with 'because: REASON'")
                }
                let level: Level
                let conditionNode: YAMLNode
                switch (item["households"], item["persons"]) {
                case (let h?, nil): level = .household; conditionNode = h
                case (nil, let p?): level = .person; conditionNode = p
                default: throw item.error(kind: .missingKey, "a filter has exactly one of 'households:' (whole households kept where true) or 'persons:' (persons kept where true)")
                }
                guard let because = item["because"] else {
                    throw item.error(kind: .missingKey, "a filter needs 'because:', the reason reported with the number of rows it drops")
                }
                filters.append(Filter(level: level, condition: try Self.expression(conditionNode), because: try because.text(), node: item,
                                      location: Self.location(of: conditionNode)))
            }
        }
        self.filters = filters

        guard let variablesNode = root["variables"] else {
            throw root.error(kind: .missingKey, "the recipe needs 'variables:', the model variables it makes (name: column or expression)")
        }
        var outputs: [Output] = []
        for entry in try variablesNode.entries() {
            outputs.append(try Self.output(entry))
        }
        guard outputs.contains(where: { $0.name == Variable.weight.name }) else {
            throw variablesNode.error(kind: .missingKey, "the recipe's variables need 'weight' (the household sampling weight)")
        }
        self.outputs = outputs
    }

    /// An expression's text: one line, so that an error in it can be placed (YAML joins a longer value's lines).
    private static func expression(_ node: YAMLNode) throws -> String {
        let text = try node.text()
        guard !text.contains("\n"), !node.spansLines else {
            throw node.error(kind: .badValue, "write the expression on one line (in quotes if you like): YAML joins the lines of a longer value (or keeps their ends in a block > or |), so no error in it could be placed")
        }
        return text
    }

    private static func location(of node: YAMLNode) -> RuleLocation {
        // A quoted scalar starts at its quote; the expression one column later.
        let quoted: Bool
        if case .scalar(_, let plain) = node.content { quoted = !plain } else { quoted = false }
        return RuleLocation(file: node.file, line: node.line, column: node.column + (quoted ? 1 : 0))
    }

    private static func names(_ node: YAMLNode) throws -> [String] {
        if case .sequence = node.content {
            let names = try node.items().map { try $0.text() }
            guard !names.isEmpty else { throw node.error(kind: .badValue, "expected one or more column names, found an empty list") }
            return names
        }
        return [try node.text()]
    }

    private static func file(_ entry: YAMLNode.Entry, folder: String) throws -> File {
        let node = entry.value
        let keys: Set<String> = ["file", "level", "key", "household", "to", "prefix", "encoding", "without_persons"]
        for e in try node.entries() where !keys.contains(e.key) {
            throw e.value.error(kind: .unknownKey, "unknown key '\(InputExcerpt.text(e.key))'; a file has file, level, key, household, to, prefix, encoding, without_persons")
        }
        var dropWithoutPersons = false
        if let w = node["without_persons"] {
            guard node["level"].map({ (try? $0.text()) == "household" }) ?? false else {
                throw w.error(kind: .unknownKey, "'without_persons:' is for the household file only")
            }
            guard case .scalar(let t, _) = w.content, t == "drop" || t == "error" else {
                throw w.error(kind: .badValue, "expected drop or error, found \(w.shapeName)")
            }
            dropWithoutPersons = t == "drop"
        }
        guard let pathNode = node["file"] else { throw node.error(kind: .missingKey, "missing 'file:', the data file's path (relative to the recipe)") }
        let path = try pathNode.text()
        guard let levelNode = node["level"] else { throw node.error(kind: .missingKey, "missing 'level:' (household, person or lookup)") }
        guard let level = Level(rawValue: try levelNode.text()) else {
            throw levelNode.error(kind: .badValue, "expected household, person or lookup, found \(levelNode.shapeName)")
        }
        let key = try node["key"].map(names) ?? []
        switch level {
        case .household, .lookup:
            guard !key.isEmpty else { throw node.error(kind: .missingKey, "a \(level.rawValue) file needs 'key:', the column(s) that identify its rows") }
        case .person:
            break
        }
        if level == .lookup, node["to"] == nil {
            throw node.error(kind: .missingKey, "a lookup needs 'to:', the file whose rows it is joined to by its key")
        }
        if level != .lookup, let to = node["to"] { throw to.error(kind: .unknownKey, "'to:' is for lookups only") }
        if level != .person, let h = node["household"] { throw h.error(kind: .unknownKey, "'household:' is for the person file only") }
        let resolved = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
        return File(name: entry.key, path: resolved, level: level, key: key, household: try node["household"].map(names),
                    joinedTo: try node["to"]?.text(), prefix: try node["prefix"]?.text() ?? "", encoding: try node["encoding"]?.text(),
                    dropWithoutPersons: dropWithoutPersons, node: node)
    }

    private static func rule(_ node: YAMLNode) throws -> MissingRule {
        if case .scalar(let s, let plain) = node.content, plain {
            switch s {
            case "error": return .error
            case "zero": return .value(0)
            case "drop": return .drop
            default:
                if let v = try? node.number() { return .value(v) }
            }
        }
        throw node.error(kind: .badValue, "expected error, zero, drop or a number, found \(node.shapeName)")
    }

    private static func missingRules(_ node: YAMLNode, column: String) throws -> MissingRules {
        guard node.isMapping else { return MissingRules(column: column, byKind: [:], otherwise: try rule(node), node: node) }
        var byKind: [MissingCode: MissingRule] = [:]
        var otherwise = MissingRule.error
        for e in try node.entries() {
            let r = try rule(e.value)
            switch e.key {
            case ".", "system", "empty": byKind[.system] = r
            case "user": byKind[.user] = r
            case "other": otherwise = r
            default:
                let chars = Array(e.key)
                guard chars.count == 2, chars[0] == ".", let l = chars[1].asciiValue, l >= 0x61, l <= 0x7A else {
                    throw e.value.error(kind: .unknownKey, "unknown kind of missing value '\(InputExcerpt.text(e.key))'; expected '.', '.a' to '.z', 'user' (SPSS user-missing) or 'other'")
                }
                byKind[.extended(chars[1])] = r
            }
        }
        return MissingRules(column: column, byKind: byKind, otherwise: otherwise, node: node)
    }

    private static func output(_ entry: YAMLNode.Entry) throws -> Output {
        let node = entry.value
        if node.isMapping {
            for e in try node.entries() where !["column", "expression", "recode"].contains(e.key) {
                throw e.value.error(kind: .unknownKey, "unknown key '\(InputExcerpt.text(e.key))'; a variable is a column name, an expression, or {column, recode} / {expression}")
            }
            switch (node["column"], node["expression"]) {
            case (let c?, nil):
                var recode: [String: Double]?
                if let r = node["recode"] {
                    var map: [String: Double] = [:]
                    for e in try r.entries() { map[e.key] = try e.value.number() }
                    recode = map
                }
                return Output(name: entry.key, source: .column(try c.text()), recode: recode, node: node)
            case (nil, let x?):
                if let r = node["recode"] { throw r.error(kind: .unknownKey, "'recode:' applies to a column; write the recode in the expression (if(...))") }
                return Output(name: entry.key, source: .expression(try expression(x), location(of: x)), recode: nil, node: node)
            default:
                throw node.error(kind: .missingKey, "a variable has exactly one of 'column:' and 'expression:'")
            }
        }
        // A bare name of a column is a copy (decided when the files are read); anything else an expression.
        return Output(name: entry.key, source: .expression(try expression(node), location(of: node)), recode: nil, node: node)
    }
}

extension String {
    /// The folder part of a path ("" for a bare name, "/" for a file at the root).
    var pathFolder: String {
        guard let slash = lastIndex(of: "/") else { return "" }
        return slash == startIndex ? "/" : String(self[..<slash])
    }
}
