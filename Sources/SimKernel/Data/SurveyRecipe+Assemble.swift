/// What a recipe did to the survey, for every output's provenance: the
/// recipe's and the files' checksums, and each step that dropped rows.
public struct DataPreparation: Sendable, Equatable, Codable {
    /// One input file.
    public struct Input: Sendable, Equatable, Codable {
        /// The recipe's name for it.
        public let name: String
        public let file: String
        public let sha256: String
        public let rows: Int
    }

    /// One step that dropped rows: a missing rule `drop`, a filter, or households left without members.
    public struct Drop: Sendable, Equatable, Codable {
        /// Why, in words ("missing consumption (.): drop the row", a filter's `because:`).
        public let reason: String
        public let households: Int
        public let persons: Int
    }

    /// The recipe file.
    public let recipe: String
    /// The SHA-256 of the recipe's bytes.
    public let recipeSHA256: String
    public let inputs: [Input]
    public let drops: [Drop]
    /// The SHA-256 of the recipe's and every input's SHA-256 (in recipe
    /// order): changes whenever the recipe or any of its files does.
    public let digest: String
    /// Households and persons in the result.
    public let households: Int
    public let persons: Int
}

/// The result of a recipe: one row per person, grouped by household.
public struct PreparedSurvey: Sendable {
    /// The person-level table (column names are model variables).
    public let table: SurveyTable
    /// Where each value came from (the original file and row), for messages.
    public let origin: SurveyTable.RowOrigin
    public let preparation: DataPreparation
    /// The households: household h's persons are the rows `householdStart[h] ..< householdStart[h + 1]`.
    public let householdStart: [Int]
}

extension SurveyRecipe {

    /// Reads the files, joins them, applies the missing rules and filters,
    /// and computes the variables.
    ///
    /// Order: (1) every file read; (2) keys checked (unique household and
    /// lookup keys; every person has a household, every household a person)
    /// and the files joined; (3) rows with a missing value whose rule is
    /// `drop` dropped, column by column in recipe order; (4) filters in
    /// order; (5) households left without members dropped; (6) variables
    /// computed in recipe order (each may use the ones above it). A missing
    /// value whose rule is `error` is an error where it is read; `zero` or a
    /// number replace it. Every drop is counted in ``DataPreparation/drops``.
    ///
    /// - Throws: ``InputError`` naming the recipe's line or the data file, row and column.
    public func assemble() throws -> PreparedSurvey {
        var tables: [String: SurveyTable] = [:]
        var inputs: [DataPreparation.Input] = []
        for f in files {
            let t = try SurveyTable.read(file: f.path, encoding: f.encoding)
            tables[f.name] = t
            inputs.append(.init(name: f.name, file: f.path, sha256: try FileDigest.sha256(of: f.path), rows: t.rowCount))
        }
        let householdFile = files.first { $0.level == .household }
        let personFile = files.first { $0.level == .person }

        // Households and persons.
        var hhRow: [Int] = []              // per household: its row in the household file (or first person's row)
        var personRow: [Int] = []          // per person: its row in the person file
        var offsets: [Int] = [0]
        var householdKeys: RowKeys         // the key of each household's row (in hhRow's file)
        var joinDrops: [DataPreparation.Drop] = []
        if let hf = householdFile {
            let t = tables[hf.name]!
            var keys = try rowKeys(t, columns: hf.key, file: hf)
            if let pf = personFile {
                let pt = tables[pf.name]!
                var links = try rowKeys(pt, columns: pf.household ?? hf.key, file: pf)
                RowKeys.unify(&keys, &links)
                let index = try KeyIndex(keys) { duplicates, a, b in
                    InputError(file: t.file, line: t.errorLine(b), field: hf.key.joined(separator: ","), kind: .duplicate,
                        "the household key is not unique: \(duplicates) row\(duplicates == 1 ? "" : "s") repeat an earlier key (first: \(InputExcerpt.quoted(keys.text(b))) on \(t.rowDescription(a)) and \(t.rowDescription(b)))")
                }
                // Persons by household (counting sort: each household's persons in person-file order).
                var householdOf = [Int](repeating: -1, count: pt.rowCount)
                var size = [Int](repeating: 0, count: t.rowCount)
                var orphans = 0
                var orphan: Int?
                for row in 0..<pt.rowCount {
                    if let h = index.row(of: links, row) {
                        householdOf[row] = h
                        size[h] += 1
                    } else {
                        orphans += 1
                        if orphan == nil { orphan = row }
                    }
                }
                if let row = orphan {
                    throw InputError(file: pt.file, line: pt.errorLine(row), field: (pf.household ?? hf.key).joined(separator: ","), kind: .inconsistent,
                        "\(orphans) person\(orphans == 1 ? " has" : "s have") no household in \(t.file) (first: household key \(InputExcerpt.quoted(links.text(row))) on \(pt.rowDescription(row))); every person needs a household")
                }
                // Households without a person: an error, or dropped (counted) when the household file says so.
                let empty = size.indices.filter { size[$0] == 0 }
                if let h = empty.first, !hf.dropWithoutPersons {
                    throw InputError(file: t.file, line: t.errorLine(h), field: hf.key.joined(separator: ","), kind: .inconsistent,
                        "\(empty.count) household\(empty.count == 1 ? " has" : "s have") no person in \(pt.file) (first: household key \(InputExcerpt.quoted(keys.text(h))) on \(t.rowDescription(h))); every household needs a person: if such households are out of scope (non-response), say 'without_persons: drop' in the household file's entry")
                }
                if !empty.isEmpty {
                    joinDrops.append(.init(reason: "households without a person in \(pt.file)", households: empty.count, persons: 0))
                }
                offsets = [Int](repeating: 0, count: t.rowCount + 1)
                for h in 0..<t.rowCount { offsets[h + 1] = offsets[h] + size[h] }
                var next = Array(offsets.dropLast())
                personRow = [Int](repeating: 0, count: pt.rowCount)
                for row in 0..<pt.rowCount {
                    let h = householdOf[row]
                    personRow[next[h]] = row
                    next[h] += 1
                }
                hhRow = (0..<t.rowCount).filter { size[$0] > 0 }
                offsets = [0]
                for h in hhRow { offsets.append(offsets[offsets.count - 1] + size[h]) }
            } else {
                // A household-level survey: each household one row of the result.
                _ = try KeyIndex(keys) { duplicates, a, b in
                    InputError(file: t.file, line: t.errorLine(b), field: hf.key.joined(separator: ","), kind: .duplicate,
                        "the household key is not unique: \(duplicates) row\(duplicates == 1 ? "" : "s") repeat an earlier key (first: \(InputExcerpt.quoted(keys.text(b))) on \(t.rowDescription(a)) and \(t.rowDescription(b)))")
                }
                hhRow = Array(0..<t.rowCount)
                personRow = hhRow
                offsets = Array(0...t.rowCount)
            }
            householdKeys = keys
        } else {
            let pf = personFile!
            let pt = tables[pf.name]!
            let links = try rowKeys(pt, columns: pf.household!, file: pf)
            // Households in order of first appearance, each with its persons in file order.
            var first: [Int] = []
            var householdOf = [Int](repeating: 0, count: pt.rowCount)
            var size: [Int] = []
            links.group { row, h, isNew in
                if isNew { first.append(row); size.append(0) }
                householdOf[row] = h
                size[h] += 1
            }
            offsets = [Int](repeating: 0, count: size.count + 1)
            for h in size.indices { offsets[h + 1] = offsets[h] + size[h] }
            var next = Array(offsets.dropLast())
            personRow = [Int](repeating: 0, count: pt.rowCount)
            for row in 0..<pt.rowCount {
                personRow[next[householdOf[row]]] = row
                next[householdOf[row]] += 1
            }
            hhRow = first
            householdKeys = links
        }

        // Every column by its (prefixed) name.
        var sources: [String: RecipeSource] = [:]
        func add(_ f: File, level: Level, lookupRow: [Int]?) throws {
            let t = tables[f.name]!
            for c in t.columns {
                // A lookup's key is the joined file's column.
                if f.level == .lookup, f.key.contains(c.name) { continue }
                let name = f.prefix + c.name
                if let other = sources[name] {
                    // The person file's link column holds the household key: the household file's key column of the same name stands for it.
                    if f.level == .person, other.file.level == .household, (f.household ?? householdFile?.key ?? []).contains(c.name),
                       householdFile?.key.contains(c.name) == true { continue }
                    throw f.node.error(kind: .duplicate,
                        "column '\(InputExcerpt.text(name))' is in both \(other.table.file) and \(t.file); give one file a 'prefix:' (e.g. prefix: \(f.name.prefix(2))_) to tell them apart")
                }
                sources[name] = RecipeSource(file: f, table: t, column: c, level: level, lookupRow: lookupRow)
            }
        }
        if let hf = householdFile { try add(hf, level: .household, lookupRow: nil) }
        if let pf = personFile { try add(pf, level: householdFile == nil ? .person : .person, lookupRow: nil) }
        for f in files where f.level == .lookup {
            let lt = tables[f.name]!
            let target = files.first { $0.name == f.joinedTo }!
            let tt = tables[target.name]!
            var keys = try rowKeys(lt, columns: f.key, file: f)
            var targetKeys = try rowKeys(tt, columns: f.key, file: target, lookup: f)
            RowKeys.unify(&keys, &targetKeys)
            let index = try KeyIndex(keys) { _, a, b in
                InputError(file: lt.file, line: lt.errorLine(b), field: f.key.joined(separator: ","), kind: .duplicate,
                    "the lookup key \(InputExcerpt.quoted(keys.text(b))) appears twice (\(lt.rowDescription(a)) and \(lt.rowDescription(b))); a lookup's key must be unique")
            }
            let map = (0..<tt.rowCount).map { index.row(of: targetKeys, $0) ?? -1 }
            let level: Level = target.level == .household || personFile == nil ? .household : .person
            try add(f, level: level, lookupRow: map)
        }
        // Without a person file every column is one value per household (and the household is one row).
        if personFile == nil {
            for (k, s) in sources where s.level == .person { sources[k] = RecipeSource(file: s.file, table: s.table, column: s.column, level: .household, lookupRow: s.lookupRow) }
        }
        var assembly = RecipeAssembly(recipe: self, sources: sources, hhRow: hhRow, personRow: personRow, offsets: offsets,
                                      householdKeys: householdKeys, personFile: personFile, householdFile: householdFile)
        assembly.drops = joinDrops
        return try assembly.run(inputs: inputs)
    }

    /// Each row's key from the key columns; a missing key is an error naming the row.
    private func rowKeys(_ t: SurveyTable, columns: [String], file: File, lookup: File? = nil) throws -> RowKeys {
        let cols = try columns.map { name -> SurveyTableColumn in
            guard let c = t.column(named: name) else {
                let node = (lookup ?? file).node
                throw node.error(kind: .missingColumn, "the key column '\(InputExcerpt.text(name))' is not in \(t.file)\(lookup != nil ? " (a lookup is joined by columns of the same name)" : "")")
            }
            return c
        }
        for c in cols {
            if let m = c.missing, let row = m.firstIndex(where: \.isMissing) {
                throw InputError(file: t.file, line: t.errorLine(row), field: c.name, kind: .badValue,
                    "the key column '\(c.name)' has a missing value (\(m[row])); every row needs its key")
            }
        }
        if cols.count == 1, case .numbers(let v, _) = cols[0].values { return RowKeys(numbers: v) }
        var out = [String](repeating: "", count: t.rowCount)
        for (i, c) in cols.enumerated() {
            for row in 0..<t.rowCount {
                let text: String
                switch c.values {
                case .numbers(let v, _): text = SurveyTable.text(v[row])
                case .text(let s): text = s[row]
                }
                out[row] = i == 0 ? text : out[row] + "\u{1F}" + text
            }
        }
        return RowKeys(texts: out)
    }
}

/// A column available to expressions and copies: a file's column at household or person level.
struct RecipeSource {
    let file: SurveyRecipe.File
    let table: SurveyTable
    let column: SurveyTableColumn
    /// ``SurveyRecipe/Level/household`` (one value per household) or ``SurveyRecipe/Level/person``.
    let level: SurveyRecipe.Level
    /// For a lookup: the lookup row of each row of the target file (-1 when the key is not in the lookup).
    let lookupRow: [Int]?

    /// The row of ``table`` for a row of the file it is joined to (itself when not a lookup); -1 when a lookup has no row.
    @inline(__always) func row(_ r: Int) -> Int { lookupRow.map { $0[r] } ?? r }
}

/// The working state of one recipe run: the households and persons kept so
/// far (as rows of the household and person files) and the variables computed.
struct RecipeAssembly {
    typealias Level = SurveyRecipe.Level
    let recipe: SurveyRecipe
    let sources: [String: RecipeSource]
    /// Per household: its row in the household file (or its first person's row in the person file).
    var hhRow: [Int]
    /// Per person: its row in the person file (the household's row when there is no person file).
    var personRow: [Int]
    /// Household h's persons are `offsets[h] ..< offsets[h + 1]`.
    var offsets: [Int]
    /// The household key of each row of the file ``hhRow`` indexes.
    let householdKeys: RowKeys
    let personFile: SurveyRecipe.File?
    let householdFile: SurveyRecipe.File?
    var drops: [DataPreparation.Drop] = []
    /// Computed variables, one value per household or per person, with their labels (a copied labelled column).
    var derived: [String: (values: [Double], level: Level, labels: [String: [Double]]?, labelsOnly: Bool)] = [:]
    /// Names an expression may not use yet, with the reason (a later variable, a copy with missing values).
    var unavailable: [String: String] = [:]

    /// Text columns as category codes for expressions: each distinct text's code (its place among
    /// the sorted texts) and each file row's code.
    var textCodes: [String: (labels: [String: [Double]], codes: [Double])] = [:]

    init(recipe: SurveyRecipe, sources: [String: RecipeSource], hhRow: [Int], personRow: [Int], offsets: [Int], householdKeys: RowKeys,
         personFile: SurveyRecipe.File?, householdFile: SurveyRecipe.File?) {
        self.recipe = recipe
        self.sources = sources
        self.hhRow = hhRow
        self.personRow = personRow
        self.offsets = offsets
        self.householdKeys = householdKeys
        self.personFile = personFile
        self.householdFile = householdFile
        for (name, source) in sources {
            guard case .text(let texts) = source.column.values else { continue }
            let distinct = SurveyLoader.sortedLabels(Array(Set(texts.enumerated().compactMap { source.column.missingCode($0.offset).isMissing ? nil : $0.element })))
            var labels: [String: [Double]] = [:]
            for (i, l) in distinct.enumerated() { labels[l] = [Double(i)] }
            let codes = texts.enumerated().map { source.column.missingCode($0.offset).isMissing ? Double.nan : labels[$0.element]![0] }
            textCodes[name] = (labels, codes)
        }
    }

    /// The labels of a labelled numeric column, label to its values (ascending; several when values share a label).
    static func inverse(_ valueLabels: [Double: String]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (value, label) in valueLabels.sorted(by: { $0.key < $1.key }) { out[label, default: []].append(value) }
        return out
    }

    var householdCount: Int { hhRow.count }
    var personCount: Int { personRow.count }

    /// The source row of unit `i` at `level` (a household or a person).
    @inline(__always) func fileRow(_ s: RecipeSource, _ i: Int) -> Int {
        s.row(s.level == .household ? hhRow[i] : personRow[i])
    }

    /// The number of units of a level.
    func count(_ level: Level) -> Int { level == .household ? householdCount : personCount }

    // MARK: Steps

    mutating func run(inputs: [DataPreparation.Input]) throws -> PreparedSurvey {
        // A text column's missing values can be an error or dropped, not given a number (it would be taken for a text's code).
        for rules in recipe.missing {
            guard let s = sources[rules.column], case .text = s.column.values else { continue }
            if case .value = rules.otherwise {
                throw rules.node.error(kind: .wrongType, "'\(InputExcerpt.text(rules.column))' is a text column: its missing values can be an error or dropped, not given a number")
            }
            if rules.byKind.values.contains(where: { if case .value = $0 { return true } else { return false } }) {
                throw rules.node.error(kind: .wrongType, "'\(InputExcerpt.text(rules.column))' is a text column: its missing values can be an error or dropped, not given a number")
            }
        }
        // The recipe's variables are not there yet: filters and earlier variables cannot use them.
        for output in recipe.outputs where sources[output.name] == nil {
            unavailable[output.name] = "it is made under 'variables:' at line \(output.node.line) of \(recipe.file); filters and the variables above it cannot use it"
        }
        try applyDropRules()
        for filter in recipe.filters { try apply(filter) }

        guard householdCount > 0 else {
            throw InputError(file: recipe.file, kind: .inconsistent, "no household is left after the recipe's missing rules and filters (\(drops.map { "\($0.reason): \($0.households) households, \($0.persons) persons" }.joined(separator: "; ")))")
        }
        return try output(inputs: inputs)
    }

    /// Drops the rows whose value is missing where the column's rule for that kind is `drop`.
    mutating func applyDropRules() throws {
        for rules in recipe.missing {
            guard let s = sources[rules.column] else {
                throw rules.node.error(kind: .unknownKey, "no file of the recipe has a column '\(InputExcerpt.text(rules.column))'\(suggestion(rules.column))")
            }
            let hasDrop = rules.otherwise == .drop || rules.byKind.values.contains(.drop)
            guard hasDrop, s.column.missing != nil || s.lookupRow != nil else { continue }
            let n = count(s.level)
            var keepUnit = [Bool](repeating: true, count: n)
            var byKind: [MissingCode: Int] = [:]
            for i in 0..<n {
                let code = missingCode(s, fileRow(s, i))
                if code.isMissing, rules.rule(for: code) == .drop {
                    keepUnit[i] = false
                    byKind[code, default: 0] += 1
                }
            }
            let kinds = byKind.keys.sorted().map(\.description).joined(separator: ", ")
            let reason = "missing \(rules.column) (\(kinds.isEmpty ? "none" : kinds)): drop the row"
            if s.level == .household {
                try keep(households: keepUnit, persons: nil, reason: reason)
            } else {
                try keep(households: nil, persons: keepUnit, reason: reason)
            }
        }
    }

    /// The missing code of a source at a file row (a lookup without a row for the key is `.`).
    func missingCode(_ s: RecipeSource, _ row: Int) -> MissingCode {
        row < 0 ? .system : s.column.missingCode(row)
    }

    /// Keeps the households and persons marked (both when given), recording the drop under `reason` if any.
    mutating func keep(households: [Bool]?, persons: [Bool]?, reason: String) throws {
        var newHH: [Int] = [], newPR: [Int] = [], newOff: [Int] = [0]
        var droppedH = 0, droppedP = 0, emptied = 0
        for h in 0..<householdCount {
            let membersBefore = offsets[h + 1] - offsets[h]
            if let households, !households[h] {
                droppedH += 1
                droppedP += membersBefore
                continue
            }
            var kept = 0
            for p in offsets[h]..<offsets[h + 1] {
                if let persons, !persons[p] { droppedP += 1; continue }
                newPR.append(personRow[p])
                kept += 1
            }
            // A household whose members were all dropped goes too (counted apart: rules and
            // expressions need at least one member per household).
            if kept == 0 { emptied += 1; continue }
            newHH.append(hhRow[h])
            newOff.append(newPR.count)
        }
        hhRow = newHH; personRow = newPR; offsets = newOff
        if !reason.isEmpty { drops.append(.init(reason: reason, households: droppedH, persons: droppedP)) }
        if emptied > 0 { drops.append(.init(reason: "households left without members by: \(reason)", households: emptied, persons: 0)) }
    }

    mutating func apply(_ filter: SurveyRecipe.Filter) throws {
        let level: Level = filter.level == .household || personFile == nil ? .household : .person
        let expression = try compile(filter.condition, at: filter.location, level: level, expecting: .boolean)
        let values = try evaluate(expression.program)
        let keepUnit = values.map { $0 != 0 }
        let reason = filter.because
        if level == .household {
            try keep(households: keepUnit, persons: nil, reason: reason)
        } else {
            try keep(households: nil, persons: keepUnit, reason: reason)
        }
    }

    // MARK: Expressions

    /// The names expressions may use: every numeric column (value-labelled ones as category codes) and the variables computed so far.
    func environment() -> RuleEnvironment {
        var env = RuleEnvironment()
        for (name, s) in sources {
            let level: Variable.Level = s.level == .household ? .household : .person
            let labels = textCodes[name]?.labels ?? (s.column.valueLabels.isEmpty ? nil : Self.inverse(s.column.valueLabels))
            env.variables[name] = Variable(name, kind: .real, measure: labels == nil ? .number : .code, level: level,
                                           unit: "", summary: "column \(s.column.name) of \(s.table.file)")
            if let labels { env.categoryLabels[name] = labels }
            if textCodes[name] != nil { env.labelsOnly.insert(name) }
        }
        for (name, d) in derived {
            env.variables[name] = Variable(name, kind: .real, measure: d.labels == nil ? .number : .code,
                                           level: d.level == .household ? .household : .person, unit: "", summary: "variable \(name) of the recipe")
            env.categoryLabels[name] = d.labels
            if d.labelsOnly { env.labelsOnly.insert(name) } else { env.labelsOnly.remove(name) }
        }
        for (name, reason) in unavailable where derived[name] == nil {
            env.variables[name] = nil
            env.categoryLabels[name] = nil
            env.unavailable[name] = reason
        }
        return env
    }

    func compile(_ text: String, at location: RuleLocation, level: Level, expecting: RuleType.Kind?) throws -> RuleExpression {
        try RuleExpression(text, at: location, environment: environment(), level: level == .household ? .household : .person, expecting: expecting)
    }

    /// The values of a name at `level` (household values repeated for each member when `level` is person).
    func values(_ name: String, level: Level) throws -> [Double] {
        var base: [Double]
        let baseLevel: Level
        if let d = derived[name] {
            base = d.values
            baseLevel = d.level
        } else {
            guard let s = sources[name] else { preconditionFailure("the checker let through an unknown name '\(name)'") }
            baseLevel = s.level
            base = try numbers(s)
        }
        guard baseLevel == .household, level == .person else { return base }
        var out = [Double](repeating: 0, count: personCount)
        for h in 0..<householdCount { for p in offsets[h]..<offsets[h + 1] { out[p] = base[h] } }
        return out
    }

    /// A numeric source's values, one per unit of its level, missing values replaced as the recipe says.
    func numbers(_ s: RecipeSource) throws -> [Double] {
        let v: [Double]
        switch s.column.values {
        case .numbers(let numbers, _): v = numbers
        case .text: v = textCodes[s.file.prefix + s.column.name]!.codes
        }
        let n = count(s.level)
        var out = [Double](repeating: 0, count: n)
        let rules = recipe.missingRules(of: s.file.prefix + s.column.name)
        for i in 0..<n {
            let row = fileRow(s, i)
            let code = missingCode(s, row)
            if !code.isMissing { out[i] = v[row]; continue }
            switch rules?.rule(for: code) ?? .error {
            case .value(let x): out[i] = x
            case .drop, .error: throw missingError(s, unit: i, code: code)
            }
        }
        return out
    }

    func missingError(_ s: RecipeSource, unit i: Int, code: MissingCode) -> InputError {
        let name = s.file.prefix + s.column.name
        if s.lookupRow != nil, fileRow(s, i) < 0 {
            let target = recipe.files.first { $0.name == s.file.joinedTo }!
            let targetRow = s.level == .household ? hhRow[i] : personRow[i]
            return InputError(file: target.path, line: (target.level == .household ? householdTable : personTable).map { $0.errorLine(targetRow) },
                              field: s.file.key.joined(separator: ","), kind: .inconsistent,
                              "the lookup \(s.table.file) has no row for this key, so '\(name)' is missing here; add the key to the lookup, or say what a missing '\(name)' means under 'missing:' in \(recipe.file)")
        }
        let row = fileRow(s, i)
        return InputError(file: s.table.file, line: s.table.errorLine(row), field: s.column.name, kind: .badValue,
            "a missing value (\(code == .system && s.table.format == .csv ? "empty" : code.description)) in column '\(s.column.name)'; say what it means under 'missing:' in \(recipe.file) (error, zero, a number or drop; docs/data.md)")
    }

    var householdTable: SurveyTable? { householdFile.flatMap { f in sources.values.first { $0.file.name == f.name }?.table } }
    var personTable: SurveyTable? { personFile.flatMap { f in sources.values.first { $0.file.name == f.name }?.table } }

    /// Evaluates a program over all households, in batches of 4,096 households.
    func evaluate(_ program: ExpressionProgram) throws -> [Double] {
        let columns = try program.inputs.map { input in
            try values(input.name, level: input.level == .household ? .household : .person)
        }
        let personLevel = program.type.level == .person
        var out = [Double](repeating: 0, count: personLevel ? personCount : householdCount)
        let batch = 4096
        var registers = [Double](repeating: 0, count: 1)
        var h0 = 0
        while h0 < householdCount {
            let h1 = min(householdCount, h0 + batch)
            let p0 = offsets[h0], p1 = offsets[h1]
            let local = offsets[h0...h1].map { $0 - p0 }
            let needed = program.registerCount(persons: p1 - p0, households: h1 - h0)
            if registers.count < needed { registers = [Double](repeating: 0, count: needed) }
            let slices: [[Double]] = zip(program.inputs, columns).map { input, c in
                input.level == .household ? Array(c[h0..<h1]) : Array(c[p0..<p1])
            }
            var result = [Double](repeating: 0, count: personLevel ? p1 - p0 : h1 - h0)
            local.withUnsafeBufferPointer { o in
                withBuffers(slices) { buffers in
                    result.withUnsafeMutableBufferPointer { r in
                        registers.withUnsafeMutableBufferPointer { reg in
                            program.evaluate(householdOffsets: o, columns: buffers.map { .real($0) }, into: r, registers: reg)
                        }
                    }
                }
            }
            out.replaceSubrange(personLevel ? p0..<p1 : h0..<h1, with: result)
            h0 = h1
        }
        return out
    }

    // MARK: Output

    mutating func output(inputs: [DataPreparation.Input]) throws -> PreparedSurvey {
        var columns: [SurveyTableColumn] = []
        // Per output column: where each person's value came from (computed only for a message).
        var origins: [String: RecipeOrigin] = [:]
        var sourceNames: [String: String] = [:]
        let mainTable = personTable ?? householdTable!
        func personOrigin(_ s: RecipeSource?) -> RecipeOrigin {
            guard let s else { return RecipeOrigin(file: mainTable.file, csv: mainTable.format == .csv, household: false, lookupRow: nil) }
            var o = RecipeOrigin(file: s.table.file, csv: s.table.format == .csv, household: s.level == .household, lookupRow: s.lookupRow)
            if s.lookupRow != nil, let target = recipe.files.first(where: { $0.name == s.file.joinedTo }),
               let t = (target.level == .household ? householdTable : personTable) {
                o.lookupTarget = (t.file, t.format == .csv)
            }
            return o
        }
        func broadcast(_ values: [Double], _ level: Level) -> [Double] {
            guard level == .household else { return values }
            var out = [Double](repeating: 0, count: personCount)
            for h in 0..<householdCount { for p in offsets[h]..<offsets[h + 1] { out[p] = values[h] } }
            return out
        }
        for output in recipe.outputs {
            var copy: String?
            var recode = output.recode
            switch output.source {
            case .column(let c):
                guard sources[c] != nil || derived[c] != nil else {
                    throw output.node.error(kind: .unknownKey, "no file of the recipe has a column '\(InputExcerpt.text(c))'\(suggestion(c))")
                }
                if recode != nil, derived[c] != nil {
                    throw output.node.error(kind: .inconsistent, "'recode:' applies to a file's column, and '\(InputExcerpt.text(c))' is a variable of the recipe above; recode the file's column, or write the recode as an expression (if(...))")
                }
                copy = c
            case .expression(let text, _):
                let trimmed = text.trimmingSpaces
                if sources[trimmed] != nil || derived[trimmed] != nil { copy = trimmed; recode = nil }
            }
            let column: SurveyTableColumn
            if let name = copy, let s = sources[name], derived[name] == nil {
                column = try copyColumn(s, as: output.name, recode: recode, node: output.node)
                sourceNames[output.name] = s.column.name
                origins[output.name] = personOrigin(s)
                // Usable by later expressions too, at the source's level: numbers, or a text column's codes.
                var perPerson: [Double]?
                var labels = column.valueLabels.isEmpty ? nil : Self.inverse(column.valueLabels)
                var labelsOnly = false
                switch column.values {
                case .numbers(let v, _): perPerson = v
                case .text(let t):
                    if let codes = textCodes[name], recode == nil {
                        labels = codes.labels
                        labelsOnly = true
                        perPerson = t.map { codes.labels[$0]?.first ?? .nan }
                    }
                }
                if column.missing != nil {
                    unavailable[output.name] = "it has missing values in \(s.table.file) that no rule under 'missing:' gives a value to (say what they mean there)"
                } else if let v = perPerson {
                    if recode != nil { labels = nil }
                    if s.level == .household {
                        derived[output.name] = ((0..<householdCount).map { v[offsets[$0]] }, .household, labels, labelsOnly)
                    } else {
                        derived[output.name] = (v, .person, labels, labelsOnly)
                    }
                }
            } else {
                let values: [Double]
                let level: Level
                if let name = copy, let d = derived[name] {
                    values = d.values; level = d.level
                } else {
                    guard case .expression(let text, let location) = output.source else { preconditionFailure() }
                    let expression: RuleExpression
                    if let e = try? compile(text, at: location, level: .household, expecting: nil) {
                        expression = e
                    } else {
                        expression = try compile(text, at: location, level: .person, expecting: nil)
                    }
                    level = expression.program.type.level == .person ? .person : .household
                    values = try evaluate(expression.program)
                    if let bad = values.firstIndex(where: { !$0.isFinite }) {
                        let table = level == .household ? (householdTable ?? personTable!) : (personTable ?? householdTable!)
                        let row = level == .household ? hhRow[bad] : personRow[bad]
                        let where_ = "the \(level == .household ? "household" : "person") on \(table.file) \(table.rowDescription(row))"
                        throw output.node.error(kind: .outOfRange, "the expression gives \(values[bad]) (not a finite number) for \(where_); guard the division or the size of the numbers")
                    }
                }
                derived[output.name] = (values, level, nil, false)
                let perPerson = broadcast(values, level)
                column = SurveyTableColumn(name: output.name, values: .numbers(perPerson, integerStorage: perPerson.allSatisfy { $0 == $0.rounded() }))
                var o = personOrigin(nil)
                o.computedLine = output.node.line
                origins[output.name] = o
            }
            columns.append(column)
        }
        let names = Set(recipe.outputs.map(\.name))
        if !names.contains(Variable.householdID.name) {
            // The household key when it is one whole number; otherwise households are numbered 1, 2, ... in the household file's order.
            let keys = householdKeys.numbers.map { n in hhRow.map { n[$0] } }
            let ids: [Double] = keys.flatMap { k in k.allSatisfy { $0 == $0.rounded() && abs($0) <= 9_007_199_254_740_992 } ? k : nil }
                ?? (1...householdCount).map(Double.init)
            columns.append(SurveyTableColumn(name: Variable.householdID.name, values: .numbers(broadcast(ids, .household), integerStorage: true)))
            origins[Variable.householdID.name] = personOrigin(nil)
        }
        if !names.contains(Variable.personID.name) {
            columns.append(SurveyTableColumn(name: Variable.personID.name, values: .numbers((1...max(1, personCount)).prefix(personCount).map(Double.init), integerStorage: true)))
            origins[Variable.personID.name] = personOrigin(nil)
        }
        let table = SurveyTable(file: recipe.file, format: .recipe, rowCount: personCount, columns: columns)
        let frozen = origins, copied = sourceNames
        let layout = (offsets: offsets, hhRow: hhRow, personRow: personRow)
        // The row of the file a column's value came from, for person p (before a lookup's map).
        @Sendable func targetRow(_ o: RecipeOrigin, _ p: Int) -> Int {
            guard o.household else { return layout.personRow[p] }
            // The household of person p: the last h with offsets[h] <= p.
            var low = 0, high = layout.offsets.count - 1
            while high - low > 1 {
                let mid = (low + high) / 2
                if layout.offsets[mid] <= p { low = mid } else { high = mid }
            }
            return layout.hhRow[low]
        }
        let recipeFile = recipe.file
        let main = (file: mainTable.file, csv: mainTable.format == .csv)
        let origin = SurveyTable.RowOrigin(
            locate: { column, p in
                guard let o = frozen[column] else { return (table.file, p + 1) }
                if let line = o.computedLine { return (recipeFile, line) }
                var row = targetRow(o, p)
                if let map = o.lookupRow {
                    guard map[row] >= 0 else {
                        // The key has no row in the lookup: the row of the file it is joined to.
                        let target = o.lookupTarget ?? (o.file, o.csv)
                        return (target.file, target.csv ? row + 2 : row + 1)
                    }
                    row = map[row]
                }
                return (o.file, o.csv ? row + 2 : row + 1)
            },
            lineWord: { column in
                guard let o = frozen[column], o.computedLine == nil else { return "line" }
                return o.csv ? "line" : "row"
            },
            sourceColumn: { copied[$0] ?? $0 },
            context: { column, p in
                guard let o = frozen[column] else { return nil }
                if o.computedLine != nil {
                    let row = layout.personRow[p]
                    return "computed for the person on \(main.file) \(main.csv ? "line \(row + 2)" : "row \(row + 1)")"
                }
                if let map = o.lookupRow, map[targetRow(o, p)] < 0 { return "the lookup \(o.file) has no row for this key" }
                return nil
            })
        let digest = SurveyRecipe.digest(recipeSHA256: recipe.sha256, inputs: inputs.map(\.sha256))
        let preparation = DataPreparation(recipe: recipe.file, recipeSHA256: recipe.sha256, inputs: inputs, drops: drops,
                                          digest: digest, households: householdCount, persons: personCount)
        return PreparedSurvey(table: table, origin: origin, preparation: preparation, householdStart: offsets)
    }

    /// A source column copied for every person: numbers (missing values replaced by the rules, or kept
    /// missing for the population reader to report if the variable is used), text, or recoded labels.
    func copyColumn(_ s: RecipeSource, as name: String, recode: [String: Double]?, node: YAMLNode) throws -> SurveyTableColumn {
        let rules = recipe.missingRules(of: s.file.prefix + s.column.name)
        if recode == nil, case .numbers(let v, let whole) = s.column.values {
            // Numbers copied as they are: one pass, no per-person work beyond the copy.
            var out = [Double](repeating: .nan, count: personCount)
            var missing: [MissingCode]?
            var replacedWhole = true
            out.withUnsafeMutableBufferPointer { o in
                v.withUnsafeBufferPointer { values in
                    for h in 0..<householdCount {
                        for p in offsets[h]..<offsets[h + 1] {
                            let row = s.row(s.level == .household ? hhRow[h] : personRow[p])
                            let code = missingCode(s, row)
                            if !code.isMissing { o[p] = values[row]; continue }
                            if case .value(let x) = rules?.rule(for: code) ?? .error {
                                o[p] = x
                                replacedWhole = replacedWhole && x == x.rounded()
                            } else {
                                if missing == nil { missing = [MissingCode](repeating: .present, count: personCount) }
                                missing![p] = code
                            }
                        }
                    }
                }
            }
            return SurveyTableColumn(name: name, label: s.column.label, values: .numbers(out, integerStorage: whole && replacedWhole),
                                     missing: missing, valueLabels: s.column.valueLabels)
        }
        var rows = [Int](repeating: 0, count: personCount)
        for h in 0..<householdCount {
            for p in offsets[h]..<offsets[h + 1] { rows[p] = s.level == .household ? s.row(hhRow[h]) : s.row(personRow[p]) }
        }
        var missing = [MissingCode](repeating: .present, count: personCount)
        var replaced = [Double?](repeating: nil, count: personCount)
        for (p, row) in rows.enumerated() {
            let code = missingCode(s, row)
            guard code.isMissing else { continue }
            if case .value(let x) = rules?.rule(for: code) ?? .error { replaced[p] = x } else { missing[p] = code }
        }
        if let recode {
            var out = [Double](repeating: 0, count: personCount)
            for (p, row) in rows.enumerated() {
                if let x = replaced[p] { out[p] = x; continue }
                if missing[p].isMissing { out[p] = .nan; continue }
                let text: String
                switch s.column.values {
                case .text(let t): text = t[row]
                case .numbers(let v, _): text = s.column.valueLabels[v[row]] ?? SurveyTable.text(v[row])
                }
                guard let x = recode[text] ?? {
                    if case .numbers(let v, _) = s.column.values { return recode[SurveyTable.text(v[row])] }
                    return nil
                }() else {
                    throw InputError(file: s.table.file, line: s.table.errorLine(row), field: s.column.name, kind: .badValue,
                        "\(InputExcerpt.quoted(text)) in column '\(s.column.name)' is not in the recode of '\(name)' (\(node.file):\(node.line)); the recode has \(recode.keys.sorted().map { InputExcerpt.quoted($0) }.joined(separator: ", "))")
                }
                out[p] = x
            }
            return SurveyTableColumn(name: name, label: s.column.label, values: .numbers(out, integerStorage: out.allSatisfy { $0.isNaN || $0 == $0.rounded() }), missing: missing)
        }
        switch s.column.values {
        case .numbers:
            preconditionFailure("numbers without a recode take the path above")
        case .text(let t):
            var out = [String](repeating: "", count: personCount)
            for (p, row) in rows.enumerated() where row >= 0 && !missing[p].isMissing { out[p] = replaced[p].map(SurveyTable.text) ?? t[row] }
            return SurveyTableColumn(name: name, label: s.column.label, values: .text(out), missing: missing)
        }
    }

    func suggestion(_ name: String) -> String {
        let all = Array(sources.keys).sorted()
        let lower = name.lowercased()
        if let near = all.first(where: { $0.lowercased() == lower }) { return "; did you mean '\(near)'?" }
        return " (columns: \(all.prefix(15).joined(separator: ", "))\(all.count > 15 ? ", ..." : ""))"
    }
}

/// Calls `body` with a buffer pointer to each array.
private func withBuffers<R>(_ arrays: [[Double]], _ body: ([UnsafeBufferPointer<Double>]) -> R) -> R {
    func go(_ i: Int, _ acc: [UnsafeBufferPointer<Double>]) -> R {
        if i == arrays.count { return body(acc) }
        return arrays[i].withUnsafeBufferPointer { go(i + 1, acc + [$0]) }
    }
    return go(0, [])
}

/// The key of every row of a file: one number (a single numeric key column), or text (a text or composite key: the values joined by U+001F).
struct RowKeys: Sendable {
    private(set) var numbers: [Double]?
    private(set) var texts: [String]?

    init(numbers: [Double]) { self.numbers = numbers }
    init(texts: [String]) { self.texts = texts }

    var count: Int { numbers?.count ?? texts!.count }

    /// Row `row`'s key as the analyst reads it (composite keys comma-separated).
    func text(_ row: Int) -> String {
        if let numbers { return SurveyTable.text(numbers[row]) }
        return texts![row].replacingOccurrences(of: "\u{1F}", with: ",")
    }

    /// Makes two key lists comparable: both numbers, or both text (a numeric key then written as the reader writes numbers).
    static func unify(_ a: inout RowKeys, _ b: inout RowKeys) {
        guard (a.numbers == nil) != (b.numbers == nil) else { return }
        if let n = a.numbers { a = RowKeys(texts: n.map(SurveyTable.text)) }
        if let n = b.numbers { b = RowKeys(texts: n.map(SurveyTable.text)) }
    }

    /// Calls `body(row, group, isNew)` for each row, numbering distinct keys 0, 1, ... in order of first appearance.
    func group(_ body: (Int, Int, Bool) -> Void) {
        if let numbers {
            var seen: [Double: Int] = [:]
            seen.reserveCapacity(numbers.count / 2)
            for (row, k) in numbers.enumerated() {
                if let g = seen[k] { body(row, g, false) } else { seen[k] = seen.count; body(row, seen.count - 1, true) }
            }
        } else {
            var seen: [String: Int] = [:]
            for (row, k) in texts!.enumerated() {
                if let g = seen[k] { body(row, g, false) } else { seen[k] = seen.count; body(row, seen.count - 1, true) }
            }
        }
    }
}

/// The row of each key of a file whose keys are unique.
struct KeyIndex {
    private var numbers: [Double: Int] = [:]
    private var texts: [String: Int] = [:]

    /// Indexes `keys`; a repeated key throws `duplicate(count of repeating rows, first row, repeating row)`.
    init(_ keys: RowKeys, duplicate: (Int, Int, Int) -> InputError) throws {
        var repeats = 0
        var example: (Int, Int)?
        if let n = keys.numbers {
            numbers.reserveCapacity(n.count)
            for (row, k) in n.enumerated() {
                if let earlier = numbers[k] { repeats += 1; if example == nil { example = (earlier, row) } } else { numbers[k] = row }
            }
        } else if let t = keys.texts {
            texts.reserveCapacity(t.count)
            for (row, k) in t.enumerated() {
                if let earlier = texts[k] { repeats += 1; if example == nil { example = (earlier, row) } } else { texts[k] = row }
            }
        }
        if let (a, b) = example { throw duplicate(repeats, a, b) }
    }

    /// The indexed row holding row `row` of `keys`' key (made comparable with ``RowKeys/unify(_:_:)``), or `nil`.
    func row(of keys: RowKeys, _ row: Int) -> Int? {
        if let n = keys.numbers { return numbers[n[row]] }
        return texts[keys.texts![row]]
    }
}

/// Where a recipe's output column came from: a file, and whether its rows are households (else persons), through a lookup or not.
struct RecipeOrigin: Sendable {
    let file: String
    let csv: Bool
    let household: Bool
    let lookupRow: [Int]?
    /// For a lookup: the file it is joined to (named when a key has no row in the lookup).
    var lookupTarget: (file: String, csv: Bool)? = nil
    /// For a computed variable: its line in the recipe (the value is named there).
    var computedLine: Int? = nil
}
