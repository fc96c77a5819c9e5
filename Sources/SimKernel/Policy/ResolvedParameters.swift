/// A module's parameters as they apply in one year, read from a scenario or
/// system file and checked against the module's ``ParameterSpec`` list.
///
/// A parameter is written either as a plain value or as dated values with a
/// unit, as legislation changes:
///
/// ```yaml
/// rate: 0.07
/// amount_per_child:
///   unit: currency_per_month
///   reference: "Child Grant Act, s. 4"
///   values:
///     2025-01-01: 30
///     2027-01-01: 35
/// ```
///
/// For a simulation year `Y` the value used is the one in force on 1 January
/// of `Y` (the latest date on or before `Y-01-01`). With no year, the latest
/// value is used.
public struct ResolvedParameters: Sendable {
    /// The module's name, for messages.
    public let module: String
    /// Where the component stands in its file, for messages about it as a whole.
    public let location: InputError
    private let values: [String: ParameterValue]
    private let lines: [String: (file: String, line: Int, path: String)]
    /// Where each parameter's value comes from (see ``sources``); empty for parameters given by a program.
    private var origins: [String: ParameterSource] = [:]
    /// What the variable names of each variable-valued parameter must be (from the specs).
    private let requirements: [String: VariableRequirement]

    /// Reads and checks `node` (the `parameters:` mapping, or `nil` if absent) against `specs`.
    ///
    /// - Throws: ``InputError`` naming the file, line and key for an unknown
    ///   key (with the closest valid key), a missing required parameter, a
    ///   value of the wrong type or out of range, a unit that differs from the
    ///   parameter's, or no value in force in `year`.
    public init(module: String, specs: [ParameterSpec], node: YAMLNode?, owner: YAMLNode, year: Int?) throws {
        self.module = module
        self.location = owner.error("")
        var values: [String: ParameterValue] = [:]
        var lines: [String: (file: String, line: Int, path: String)] = [:]
        try Self.readEntries(of: node, module: module, specs: specs, year: year, into: &values, lines: &lines)
        for spec in specs where values[spec.key] == nil {
            guard let value = spec.defaultValue else {
                throw owner.error("module \(module) needs the parameter '\(spec.key)' (\(spec.type.description), \(spec.unit)): \(spec.summary)")
            }
            values[spec.key] = value
        }
        self.values = values
        self.lines = lines
        self.requirements = Self.requirements(of: specs)
        self.origins = try Self.sources(of: node, specs: specs, year: year)
    }

    /// A component's parameters with some of them given anew: `base` (every
    /// parameter's value, as ``all`` of the component's parameters) with the
    /// entries of `node` read over it, each checked as in a scenario file
    /// (known key, type, unit, range, dated values in force in `year`).
    ///
    /// Errors the module raises later about an overridden key name its line
    /// in `node`'s file; about another key, `node` itself.
    ///
    /// - Throws: ``InputError`` naming the file, line and key, as ``init(module:specs:node:owner:year:)``.
    init(module: String, specs: [ParameterSpec], base: [String: ParameterValue], overrides node: YAMLNode, year: Int?) throws {
        self.module = module
        self.location = node.error("")
        var values = base
        var lines: [String: (file: String, line: Int, path: String)] = [:]
        try Self.readEntries(of: node, module: module, specs: specs, year: year, into: &values, lines: &lines)
        self.values = values
        self.lines = lines
        self.requirements = Self.requirements(of: specs)
    }

    /// Reads every entry of the `parameters:` mapping `node` into `values`, noting where each came from.
    private static func readEntries(of node: YAMLNode?, module: String, specs: [ParameterSpec], year: Int?,
                                    into values: inout [String: ParameterValue],
                                    lines: inout [String: (file: String, line: Int, path: String)]) throws {
        for entry in try node?.entries() ?? [] {
            guard let spec = specs.first(where: { $0.key == entry.key }) else {
                let keys = specs.map(\.key)
                var message = "unknown parameter '\(entry.key)' for module \(module)"
                if let near = closestMatch(to: entry.key, in: keys) { message += "; did you mean '\(near)'?" }
                message += " (valid: \(keys.joined(separator: ", ")); `simrun scenario describe \(module)` lists them)"
                throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path, kind: .unknownKey, message)
            }
            values[spec.key] = try Self.read(spec, entry.value, year: year)
            lines[spec.key] = (entry.value.file, entry.keyLine, entry.value.path)
        }
    }

    /// Parameters given directly (for tests and programs), unchecked.
    public init(module: String, values: [String: ParameterValue]) {
        self.module = module
        self.location = InputError(file: "(program)", "")
        self.values = values
        self.lines = [:]
        self.requirements = [:]
    }

    /// Parameters given directly (for tests and programs), with each variable
    /// name checked against its spec's ``VariableRequirement`` as a file's would be.
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/wrongType``) naming the key for a variable of the wrong measure.
    public init(module: String, specs: [ParameterSpec], values: [String: ParameterValue]) throws {
        let requirements = Self.requirements(of: specs)
        for (key, requirement) in requirements {
            let names: [String]
            switch values[key] {
            case .text(let name)?: names = [name]
            case .textList(let list)?: names = list
            case .keyedNumbers(let entries)?: names = entries.map(\.key)
            default: names = []
            }
            for (i, name) in names.enumerated() {
                if let problem = requirement.problem(with: name, for: key) {
                    throw InputError(file: "(program)", field: key, kind: .wrongType, problem)
                }
                if names[..<i].contains(name) {
                    throw InputError(file: "(program)", field: key, kind: .duplicate, "'\(name)' is listed twice in \(key); list each variable once")
                }
            }
        }
        self.init(module: module, values: values, requirements: requirements)
    }

    private init(module: String, values: [String: ParameterValue], requirements: [String: VariableRequirement]) {
        self.module = module
        self.location = InputError(file: "(program)", "")
        self.values = values
        self.lines = [:]
        self.requirements = requirements
    }

    private static func requirements(of specs: [ParameterSpec]) -> [String: VariableRequirement] {
        var result: [String: VariableRequirement] = [:]
        for spec in specs { if let r = spec.type.variableRequirement { result[spec.key] = r } }
        return result
    }

    /// An error about parameter `key`, located at its line in the file.
    public func error(_ key: String, _ message: String) -> InputError {
        if let l = lines[key] { return InputError(file: l.file, line: l.line, field: l.path, message) }
        var e = location
        e.message = "\(key): \(message)"
        return e
    }

    /// The number `key`.
    public func number(_ key: String) -> Double {
        guard case .number(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a number") }
        return x
    }

    /// The whole-number list `key`.
    public func integers(_ key: String) -> [Int] {
        guard case .integerList(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a list") }
        return x
    }

    /// The schedule `key`.
    public func schedule(_ key: String) -> [Bracket] {
        guard case .schedule(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a schedule") }
        return x
    }

    /// The word or variable name `key`.
    public func text(_ key: String) -> String {
        guard case .text(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not text") }
        return x
    }

    /// The variable named by parameter `key`, as its spec's requirement reads it
    /// (a custom column as the requirement implies; see ``VariableRequirement``).
    public func variable(_ key: String) -> Variable {
        variable(named: text(key), for: key)
    }

    /// The variables named by list parameter `key`, as its spec's requirement reads them.
    public func variables(_ key: String) -> [Variable] {
        texts(key).map { variable(named: $0, for: key) }
    }

    /// The variable `name`, given for parameter `key` (e.g. a key of a
    /// variable mapping), as that parameter's requirement reads it; without
    /// a spec (parameters given unchecked), ``Variable/named(_:)``.
    public func variable(named name: String, for key: String) -> Variable {
        requirements[key]?.variable(named: name) ?? Variable.named(name)
    }

    /// The list of words or variable names `key`.
    public func texts(_ key: String) -> [String] {
        guard case .textList(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a list of names") }
        return x
    }

    /// The list of numbers `key`.
    public func numbers(_ key: String) -> [Double] {
        guard case .numberList(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a list of numbers") }
        return x
    }

    /// The records `key`, each as a field-name-to-value dictionary, in file order.
    public func records(_ key: String) -> [[String: Double]] {
        guard case .records(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a list of records") }
        return x.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value) }) }
    }

    /// The mapping `key` (category code or variable name to a number), in file order.
    public func keyedNumbers(_ key: String) -> [KeyedNumber] {
        guard case .keyedNumbers(let x) = values[key] else { preconditionFailure("parameter \(key) of \(module) is not a mapping") }
        return x
    }

    /// Every parameter's value, for provenance and `describe`.
    public var all: [String: ParameterValue] { values }

    /// Where each parameter's value comes from: the file and line of the
    /// value in force (for dated values, the line of the date chosen, with
    /// that date), or ``ParameterSource/moduleDefault`` for a parameter the
    /// file leaves out. Empty for parameters given directly by a program.
    public var sources: [String: ParameterSource] { origins }

    /// The source of every parameter of `specs`: an entry of the `parameters:`
    /// mapping `node` (already read and checked), else the module default.
    private static func sources(of node: YAMLNode?, specs: [ParameterSpec], year: Int?) throws -> [String: ParameterSource] {
        var result: [String: ParameterSource] = [:]
        for spec in specs { result[spec.key] = .moduleDefault }
        for entry in try node?.entries() ?? [] {
            guard let spec = specs.first(where: { $0.key == entry.key }) else { continue }
            let dated = try readDated(spec, entry.value, year: year).dated
            result[spec.key] = ParameterSource(file: entry.value.file, line: dated?.line ?? entry.keyLine, date: dated?.date)
        }
        return result
    }

    // MARK: - Reading one value

    /// Reads one parameter written plainly or as dated values (see the type's description).
    static func value(of spec: ParameterSpec, node: YAMLNode, year: Int?) throws -> ParameterValue {
        try read(spec, node, year: year)
    }

    private static func read(_ spec: ParameterSpec, _ node: YAMLNode, year: Int?) throws -> ParameterValue {
        try readDated(spec, node, year: year).value
    }

    /// Reads one parameter as ``read(_:_:year:)`` and, for dated values, the date and line of the value in force.
    private static func readDated(_ spec: ParameterSpec, _ node: YAMLNode, year: Int?) throws
        -> (value: ParameterValue, dated: (date: String, line: Int)?) {
        let isDated = node.isMapping && node["values"] != nil
        if node.isMapping && !isDated && spec.type.isMapping { return (try readValue(spec, node), nil) }
        if node.isMapping && !isDated {
            throw node.error("expected \(spec.type.description) (\(spec.unit)), or a mapping with 'values' by date; found a mapping without 'values'")
        }
        guard isDated else { return (try readValue(spec, node), nil) }
        for entry in try node.entries() where !["values", "unit", "reference", "description", "note"].contains(entry.key) {
            var message = "unknown key '\(entry.key)' in a dated parameter"
            if let near = closestMatch(to: entry.key, in: ["values", "unit", "reference", "description"]) { message += "; did you mean '\(near)'?" }
            throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path, kind: .unknownKey, message + " (expected values, unit, reference, description)")
        }
        if let unitNode = node["unit"] {
            let unit = try unitNode.text()
            if unit != spec.unit {
                throw unitNode.error("'\(spec.key)' is in \(spec.unit), but the file says \(InputExcerpt.quoted(unit)); convert the values to \(spec.unit)")
            }
        }
        let dated = try node["values"]!.entries()
        guard !dated.isEmpty else { throw node["values"]!.error("no dated values; expected at least one 'YYYY-MM-DD: value'") }
        var chosen: (date: String, node: YAMLNode, line: Int)?
        var previous = ""
        for entry in dated {
            guard isDate(entry.key) else {
                throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path,
                    "'\(entry.key)' is not a date; expected YYYY-MM-DD (the day the value takes effect)")
            }
            guard entry.key > previous else {
                throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path, kind: .inconsistent,
                    "dates must be in increasing order (\(entry.key) follows \(previous))")
            }
            previous = entry.key
            let value = try readValue(spec, entry.value)  // every dated value is checked, used or not
            _ = value
            if let year {
                if entry.key <= "\(year)-01-01" { chosen = (entry.key, entry.value, entry.keyLine) }
            } else {
                chosen = (entry.key, entry.value, entry.keyLine)
            }
        }
        guard let chosen else {
            throw node.error("no value of '\(spec.key)' is in force on 1 January \(year!) (the first takes effect on \(dated[0].key)); choose a later --year or add a value")
        }
        return (try readValue(spec, chosen.node), (chosen.date, chosen.line))
    }

    private static func isDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !(0x30...0x39).contains(u[i]) { return false }
        let year = Int(s.prefix(4))!, month = Int(s.dropFirst(5).prefix(2))!, day = Int(s.suffix(2))!
        guard (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    private static func checkRange(_ spec: ParameterSpec, _ x: Double, _ node: YAMLNode) throws {
        if let r = spec.range, !r.contains(x) {
            throw node.error("\(ParameterValue.number(x)) is out of range for '\(spec.key)'; expected \(spec.rangeText) (\(spec.unit))")
        }
    }

    private static func readValue(_ spec: ParameterSpec, _ node: YAMLNode) throws -> ParameterValue {
        switch spec.type {
        case .number:
            let x = try node.number()
            try checkRange(spec, x, node)
            return .number(x)
        case .integer:
            let x = Double(try node.integer())
            try checkRange(spec, x, node)
            return .number(x)
        case .integerList:
            let items: [YAMLNode]
            if case .scalar = node.content { items = [node] } else { items = try node.items() }
            return .integerList(try items.map { item in
                let x = try item.integer()
                try checkRange(spec, Double(x), item)
                return x
            })
        case .schedule:
            var brackets: [Bracket] = []
            for item in try node.items() {
                for e in try item.entries() where e.key != "threshold" && e.key != "rate" {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .unknownKey,
                        "unknown key '\(e.key)' in a bracket; expected threshold and rate")
                }
                guard let t = item["threshold"], let r = item["rate"] else {
                    throw item.error("a bracket needs both 'threshold' (\(spec.unit)) and 'rate' (share, 0 to 1)")
                }
                let threshold = try t.number()
                let rate = try r.number()
                guard threshold >= 0 else { throw t.error("a bracket threshold must be >= 0") }
                guard (0...1).contains(rate) else { throw r.error("\(rate) is out of range for a bracket rate; expected 0 to 1 (a share)") }
                if let last = brackets.last, threshold <= last.threshold {
                    throw t.error("bracket thresholds must rise (\(threshold) follows \(last.threshold))")
                }
                brackets.append(Bracket(threshold: threshold, rate: rate))
            }
            guard !brackets.isEmpty else { throw node.error("a schedule needs at least one bracket") }
            return .schedule(brackets)
        case .choice(let options):
            let s = try node.text()
            guard options.contains(s) else {
                var message = "\(InputExcerpt.quoted(s)) is not a valid value of '\(spec.key)'; expected one of \(options.joined(separator: ", "))"
                if let near = closestMatch(to: s, in: options) { message += " (did you mean '\(near)'?)" }
                throw node.error(message)
            }
            return .text(s)
        case .variable(let requirement):
            return .text(try variableName(node, requirement, key: spec.key))
        case .variableList(let requirement):
            let items: [YAMLNode]
            if case .scalar = node.content { items = [node] } else { items = try node.items() }
            return .textList(try variableNames(items, requirement, key: spec.key))
        case .numberList:
            let items: [YAMLNode]
            if case .scalar = node.content { items = [node] } else { items = try node.items() }
            return .numberList(try items.map { item in
                let x = try item.number()
                try checkRange(spec, x, item)
                return x
            })
        case .records(let fields):
            return .records(try node.items().map { try readRecord(spec, fields, $0) })
        case .codeMap, .variableMap:
            var entries: [KeyedNumber] = []
            for e in try node.entries() {
                if case .variableMap(let requirement) = spec.type, isIdentifier(e.key),
                    let problem = requirement.problem(with: e.key, for: spec.key) {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .wrongType, problem)
                }
                if spec.type == .codeMap {
                    guard let code = Int(e.key), String(code) == e.key else {
                        throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .wrongType,
                            "'\(e.key)' is not a category code in '\(spec.key)'; expected a whole number such as 0 or 1 (the value in the data column)")
                    }
                } else if !isIdentifier(e.key) {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .wrongType,
                        "'\(e.key)' is not a variable name in '\(spec.key)'; expected a snake_case name such as urban")
                }
                let x = try e.value.number()
                try checkRange(spec, x, e.value)
                entries.append(KeyedNumber(key: e.key, value: x))
            }
            return .keyedNumbers(entries)
        }
    }

    /// One record of a `.records` parameter: exactly the declared fields, each in its range.
    private static func readRecord(_ spec: ParameterSpec, _ fields: [RecordField], _ item: YAMLNode) throws -> [KeyedNumber] {
        let keys = fields.map(\.key)
        let expected = "{" + keys.joined(separator: ", ") + "}"
        guard item.isMapping else {
            throw item.error("each entry of '\(spec.key)' is a mapping \(expected); found \(item.shapeName)")
        }
        for e in try item.entries() where !keys.contains(e.key) {
            var message = "unknown key '\(e.key)' in an entry of '\(spec.key)'"
            if let near = closestMatch(to: e.key, in: keys) { message += "; did you mean '\(near)'?" }
            throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, message + " (expected \(expected))")
        }
        return try fields.map { f in
            guard let v = item[f.key] else {
                throw item.error("an entry of '\(spec.key)' needs '\(f.key)' (\(f.unit)); expected \(expected)")
            }
            let x = f.wholeNumber ? Double(try v.integer()) : try v.number()
            if let r = f.range, !r.contains(x) {
                throw v.error("\(ParameterValue.number(x)) is out of range for '\(f.key)' in '\(spec.key)'; expected \(f.description)")
            }
            return KeyedNumber(key: f.key, value: x)
        }
    }

    /// The variable names a list holds, given for `key`, each checked
    /// against `requirement` (see ``variableName(_:_:key:)``) and none twice
    /// (a variable listed twice would be counted twice).
    static func variableNames(_ items: [YAMLNode], _ requirement: VariableRequirement, key: String) throws -> [String] {
        var names: [String] = []
        for item in items {
            let name = try variableName(item, requirement, key: key)
            if names.contains(name) {
                var error = item.error("\(InputExcerpt.quoted(name)) is listed twice in \(key); list each variable once")
                error.kind = .duplicate
                throw error
            }
            names.append(name)
        }
        return names
    }

    /// The variable name `node` holds, given for `key`, checked against `requirement`.
    ///
    /// - Throws: ``InputError`` located at `node`: a text that is not a
    ///   name, or (``InputError/Kind/wrongType``) a variable of a measure
    ///   the requirement does not accept.
    static func variableName(_ node: YAMLNode, _ requirement: VariableRequirement, key: String) throws -> String {
        let s = try node.text()
        guard isIdentifier(s) else { throw node.error("\(InputExcerpt.quoted(s)) is not a variable name; expected a snake_case name such as earnings") }
        if let problem = requirement.problem(with: s, for: key) {
            var error = node.error(problem)
            error.kind = .wrongType
            throw error
        }
        return s
    }

    /// A snake_case name of at most ``InputExcerpt/limit`` characters (so that messages quoting it quote it whole).
    static func isIdentifier(_ s: String) -> Bool {
        guard s.utf8.count <= InputExcerpt.limit, let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
public func closestMatch(to word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
    // A typo of a name is about as long as the name: no suggestion for a long text (and no quadratic work on it).
    guard word.count <= InputExcerpt.limit else { return nil }
    let w = Array(word.lowercased())
    let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, w.count / 3) ? best.0 : nil
}
