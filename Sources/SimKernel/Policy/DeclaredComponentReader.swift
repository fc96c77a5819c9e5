/// Reads and compiles a `declare:` block (``DeclaredModule``; docs/rules.md,
/// "Declared components").
///
/// Reading happens in two steps: a components list keeps each declaration
/// as it was written (``PendingDeclaration``), and once the system's final
/// order is known (a reform replaces or appends components) every
/// declaration is compiled against the components before it
/// (``TaxBenefitSystem/compilingDeclarations(year:)``). Every defect is an
/// ``InputError`` with the file, line and (inside an expression) column;
/// nothing is computed.
enum DeclaredComponentReader {
    static let keys = ["kind", "unit", "paid_to", "variables", "parameters", "income_lists", "eligible", "amount", "schedule",
                       "means_test", "cap", "household_cap", "take_up", "phase_in", "target_group", "counters", "revenue_of",
                       "description"]
    /// The income concepts every declared rule may read (person values, money per month).
    static let concepts: [(String, DeclaredModule.Source)] = [
        ("market_income", .marketIncome), ("gross_income", .grossIncome), ("disposable_income", .disposableIncome),
    ]
    /// The keys of a component's own figures in every output (JSON, CSV, tables), which a counter cannot take.
    static let reservedCounterNames = ["module", "kind", "annual_amount", "persons", "households"]
    static let measures: [String: Variable.Measure] = [
        "money": .money, "count": .count, "code": .code, "flag": .flag, "age": .age, "number": .number,
    ]

    /// The key of the declaration's own setting `key` (`kind`, `phase_in`, ...) among the component's
    /// parameters (``DeclaredModule/provenance``): `declare.KEY`, which no parameter can be named
    /// (``checkName(_:_:line:)`` allows no '.'), so a parameter called `phase_in` or `kind` keeps its
    /// own value beside the setting of the same name.
    static func setting(_ key: String) -> String { "declare." + key }

    /// Compiles the declaration `node` of component `name`, which comes after `earlier` in a system whose market income is `marketIncome`.
    static func compile(_ node: YAMLNode, name: String, earlier: [TaxBenefitSystem.Component], later: [String],
                        marketIncome: [String], year: Int?) throws -> DeclaredModule {
        let entries = try node.entries()
        try ScenarioDefinition.checkKeys(entries, allowed: keys)
        var provenance: [String: ParameterValue] = [:]

        guard let kindNode = node["kind"] else {
            throw node.error(kind: .missingKey, "a declared component needs 'kind': one of \(DeclaredModule.DeclaredKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let kind = try choice(kindNode, DeclaredModule.DeclaredKind.self, key: "kind")
        let unit = try node["unit"].map { try choice($0, DeclaredModule.AssessmentUnit.self, key: "unit") } ?? .person
        let payee = try node["paid_to"].map { try choice($0, DeclaredModule.Payee.self, key: "paid_to") }
            ?? (unit == .person ? .each : .household)
        if unit == .household && payee == .each, let n = node["paid_to"] {
            throw n.error(kind: .inconsistent, "paid_to: each needs unit: person (a household amount goes to the head: paid_to: head or household)")
        }
        provenance[setting("kind")] = .text(kind.rawValue)
        provenance[setting("unit")] = .text(unit.rawValue)
        provenance[setting("paid_to")] = .text(payee.rawValue)
        var budget = true
        if let r = node["revenue_of"] {
            let v = try r.text()
            guard kind == .tax || kind == .contribution else {
                throw r.error(kind: .inconsistent, "revenue_of applies to a tax or a contribution, not to a \(kind.rawValue)")
            }
            guard v == "budget" || v == "fund" else { throw r.error(kind: .badValue, "revenue_of must be budget or fund, found \(InputExcerpt.quoted(v))") }
            budget = v == "budget"
            provenance[setting("revenue_of")] = .text(v)
        }

        // Names: data variables, earlier components, income concepts, parameters, income lists.
        var env = RuleEnvironment()
        var sources: [String: DeclaredModule.Source] = [:]
        for v in Variable.known + Variable.optionalColumns where v.measure != .identifier && v.name != Variable.weight.name {
            env.variables[v.name] = v
        }
        if let block = node["variables"] {
            for e in try block.entries() {
                let word = try e.value.text()
                guard let measure = measures[word] else {
                    throw e.value.error(kind: .badValue, "\(InputExcerpt.quoted(word)) is not a measure; expected one of \(measures.keys.sorted().joined(separator: ", "))")
                }
                if let known = Variable.declared(e.key) {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate,
                                     "'\(e.key)' is a variable simrun knows (\(known.measure.phrase)); do not declare it again")
                }
                try checkName(e.key, e.value, line: e.keyLine)
                if concepts.contains(where: { $0.0 == e.key }) {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate,
                                     "'\(e.key)' is an income concept of the rule language (computed, not read from the data); map your column to another name with --columns")
                }
                env.variables[e.key] = Variable.custom(e.key, measure: measure)
                provenance["variables.\(e.key)"] = .text(word)
            }
        }
        var benefits: [Int] = []
        // An earlier component named as an income concept or a data variable: a rule
        // naming it could mean either, so reading that name is refused (``rule``).
        var ambiguous: [String: String] = [:]
        for (i, c) in earlier.enumerated() {
            if concepts.contains(where: { $0.0 == c.name }) {
                ambiguous[c.name] = "an income concept"
            } else if env.variables[c.name] != nil {
                ambiguous[c.name] = "a data variable"
            }
            env.components[c.name] = .init(unit: .currencyPerMonth, level: .person)
            sources[c.name] = .component(i)
            if c.module.kind == .benefit { benefits.append(i) }
        }
        for n in later { env.unavailable[n] = "it is a later component of the system (a rule reads only the components before it)" }
        env.unavailable[name] = "it is this component itself (a rule reads only the components before it)"
        for (n, s) in concepts {
            env.components[n] = .init(unit: .currencyPerMonth, level: .person)
            sources[n] = s
        }
        var schedules: [String: [Bracket]] = [:]
        var locations: [String: ParameterSource] = [:]
        if let block = node["parameters"] {
            for e in try block.entries() {
                try checkName(e.key, e.value, line: e.keyLine)
                locations[e.key] = source(of: e.value, year: year)
                if env.components[e.key] != nil || env.variables[e.key] != nil {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate,
                                     "the parameter '\(e.key)' has the name of a \(env.components[e.key] != nil ? "component or income concept" : "data variable"); rename it")
                }
                if let brackets = try bracketParameter(e.key, e.value, year: year) {
                    schedules[e.key] = brackets
                    provenance[e.key] = .schedule(brackets)
                    env.unavailable[e.key] = "it is a schedule of brackets; name it as a schedule's bands (bands: \(e.key))"
                    continue
                }
                let (value, unit) = try parameter(e.key, e.value, year: year)
                // A safe divisor only when every dated value is > 0 (so that the file is valid for any year).
                let dated = try e.value["values"]?.entries().map { try $0.value.number() } ?? []
                env.parameters[e.key] = .init(value: value, unit: unit, isValidatedPositive: value > 0 && dated.allSatisfy { $0 > 0 })
                provenance[e.key] = .number(value)
            }
        }
        var rules = DeclaredModule.Rules()
        let unitLevel: RuleType.Level = unit == .person ? .person : .household
        func rule(_ n: YAMLNode, _ key: String, level: RuleType.Level, expecting: RuleType.Kind?) throws -> RuleExpression {
            let text: String
            let plain: Bool
            switch n.content {
            case .scalar(let t, let p): (text, plain) = (t, p)
            default: throw n.error(kind: .wrongType, "'\(key)' must be an expression (one line of text), found \(n.shapeName)")
            }
            guard !text.contains("\n"), !n.spansLines else {
                throw n.error(kind: .badValue, "'\(key)' must be written on one line, after '\(key.split(separator: ".").last ?? "")': "
                    + "YAML joins the lines of a longer value (or, in a block > or |, keeps their ends), so no error in it could be placed; "
                    + "write the expression on one line (in quotes if you like) or name parts as income_lists")
            }
            let r = try RuleExpression(text, at: RuleLocation(file: n.file, line: n.line, column: n.column + (plain ? 0 : 1)),
                                       environment: env, level: level, expecting: expecting)
            if let clash = r.program.inputs.lazy.compactMap({ input in ambiguous[input.name].map { (input.name, $0) } }).first {
                throw n.error(kind: .inconsistent, "'\(key)' reads '\(clash.0)', which is both \(clash.1) and the name of an earlier component of the system; rename that component so that the rule says which one it means")
            }
            provenance["rule.\(key)"] = .text(text)
            return r
        }
        if let block = node["income_lists"] {
            for e in try block.entries() {
                try checkName(e.key, e.value, line: e.keyLine)
                if env.components[e.key] != nil || env.variables[e.key] != nil || env.parameters[e.key] != nil {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate,
                                     "the income list '\(e.key)' has the name of a component, concept, variable or parameter; rename it")
                }
                env.unavailable[e.key] = "an income list reads only the lists before it"
                let r = try rule(e.value, "income_lists.\(e.key)", level: .person, expecting: .number(.currencyPerMonth))
                env.unavailable[e.key] = nil
                rules.incomeLists.append((e.key, r))
                env.components[e.key] = .init(unit: .currencyPerMonth, level: .person)
                sources[e.key] = .incomeList(rules.incomeLists.count - 1)
            }
        }
        if let n = node["eligible"] { rules.eligible = try rule(n, "eligible", level: unitLevel, expecting: .boolean) }
        switch (node["amount"], node["schedule"]) {
        case (let a?, nil):
            rules.amount = try rule(a, "amount", level: unitLevel, expecting: .number(.currencyPerMonth))
        case (nil, let s?):
            try ScenarioDefinition.checkKeys(try s.entries(), allowed: ["base", "method", "bands"])
            let method = try s["method"].map { try choice($0, DeclaredModule.ScheduleMethod.self, key: "schedule.method") } ?? .marginal
            guard let baseNode = s["base"] else { throw s.error(kind: .missingKey, "a schedule needs 'base': the expression its bands apply to") }
            rules.scheduleBase = try rule(baseNode, "schedule.base", level: unitLevel,
                                          expecting: method == .amount ? nil : .number(.currencyPerMonth))
            if method == .amount, !rules.scheduleBase!.type.isNumber {
                throw baseNode.error(kind: .wrongType, "a schedule's base must be a number, found \(rules.scheduleBase!.type.kindPhrase)")
            }
            guard let bandsNode = s["bands"] else { throw s.error(kind: .missingKey, "a schedule needs 'bands': a list of {from, \(method == .amount ? "amount" : "rate")}") }
            let valueKey = method == .amount ? "amount" : "rate"
            var from: [Double] = [], values: [Double] = []
            if case .scalar(let named, _) = bandsNode.content {
                // A schedule parameter by name: its brackets, {threshold, rate}.
                guard let brackets = schedules[named] else {
                    var message = "\(InputExcerpt.quoted(named)) is not a schedule parameter of this component"
                    if let near = closestMatch(to: named, in: Array(schedules.keys)) { message += "; did you mean '\(near)'?" }
                    throw bandsNode.error(kind: .unknownKey, message + " (give bands as a list, or name a parameter whose value is a list of {threshold, rate})")
                }
                guard method != .amount else {
                    throw bandsNode.error(kind: .inconsistent, "a schedule parameter holds rates; method: amount needs bands of {from, amount}")
                }
                from = brackets.map(\.threshold)
                values = brackets.map(\.rate)
            }
            for band in from.isEmpty ? try bandsNode.items() : [] {
                try ScenarioDefinition.checkKeys(try band.entries(), allowed: ["from", valueKey])
                guard let f = band["from"], let v = band[valueKey] else {
                    throw band.error(kind: .missingKey, "a band needs 'from' and '\(valueKey)'")
                }
                let lower = try constant(f, env, unit: method == .amount ? nil : .currencyPerMonth)
                let value = try constant(v, env, unit: method == .amount ? .currencyPerMonth : .share)
                if let last = from.last, lower <= last {
                    throw f.error(kind: .inconsistent, "band thresholds must rise (\(ParameterValue.number(lower)) follows \(ParameterValue.number(last)))")
                }
                from.append(lower)
                values.append(value)
            }
            guard !from.isEmpty else { throw bandsNode.error(kind: .missingKey, "a schedule needs at least one band") }
            rules.schedule = DeclaredModule.Schedule(method: method, from: from, values: values)
            provenance[setting("schedule")] = .text("\(method.rawValue): " + zip(from, values).map { "\(ParameterValue.number($0).description): \(ParameterValue.number($1).description)" }.joined(separator: "; "))
        case (.some, .some(let s)):
            throw s.error(kind: .inconsistent, "give either 'amount' or 'schedule', not both")
        case (nil, nil):
            throw node.error(kind: .missingKey, "a declared component needs 'amount' (an expression) or 'schedule' (bands)")
        }
        if let m = node["means_test"] {
            try ScenarioDefinition.checkKeys(try m.entries(), allowed: ["method", "income", "threshold", "withdrawal_rate"])
            let method = try m["method"].map { try choice($0, DeclaredModule.MeansTestMethod.self, key: "means_test.method") } ?? .taper
            guard let i = m["income"], let t = m["threshold"] else {
                throw m.error(kind: .missingKey, "a means test needs 'income' and 'threshold' (household money per month)")
            }
            rules.meansTest = method
            provenance["means_test.method"] = .text(method.rawValue)
            rules.meansIncome = try rule(i, "means_test.income", level: .household, expecting: .number(.currencyPerMonth))
            rules.meansThreshold = try rule(t, "means_test.threshold", level: .household, expecting: .number(.currencyPerMonth))
            if method == .taper {
                guard let w = m["withdrawal_rate"] else { throw m.error(kind: .missingKey, "a taper needs 'withdrawal_rate' (a share)") }
                rules.meansRate = try rule(w, "means_test.withdrawal_rate", level: .household, expecting: .number(.share))
            } else if let w = m["withdrawal_rate"] {
                throw w.error(kind: .inconsistent, "a cliff withdraws everything above the threshold; withdrawal_rate belongs to method: taper")
            }
        }
        if let n = node["cap"] { rules.cap = try rule(n, "cap", level: unitLevel, expecting: .number(.currencyPerMonth)) }
        if let n = node["household_cap"] {
            guard unit == .person else {
                throw n.error(kind: .inconsistent, "household_cap applies to a person unit; for unit: household use cap")
            }
            rules.householdCap = try rule(n, "household_cap", level: .household, expecting: .number(.currencyPerMonth))
        }
        if let n = node["take_up"] { rules.takeUp = try rule(n, "take_up", level: unitLevel, expecting: .number(.share)) }
        var phaseIn = 1.0
        if let n = node["phase_in"] {
            let spec = ParameterSpec("phase_in", .number, unit: "share", range: 0...1, summary: "share of the amount paid in the year")
            guard case .number(let x) = try ResolvedParameters.value(of: spec, node: n, year: year) else {
                throw n.error(kind: .wrongType, "expected a share from 0 to 1")
            }
            phaseIn = x
            provenance[setting("phase_in")] = .number(x)
        }
        // Units entitled before take-up: a counter only when take-up can leave some unpaid.
        var counters = rules.takeUp == nil ? [] : ["entitled_units"]
        if let block = node["counters"] {
            for e in try block.entries() {
                try checkName(e.key, e.value, line: e.keyLine)
                guard !counters.contains(e.key), e.key != "state_cost_annual" else {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate,
                                     "'\(e.key)' is a counter simrun keeps itself; choose another name")
                }
                // A counter is printed beside the component's own figures, under its name.
                guard !reservedCounterNames.contains(e.key) else {
                    throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .duplicate,
                                     "'\(e.key)' is a figure every component has in the output (\(reservedCounterNames.joined(separator: ", "))); choose another name for the counter")
                }
                let r = try rule(e.value, "counters.\(e.key)", level: .household, expecting: nil)
                guard r.type.isNumber || r.type.kind == .boolean else {
                    throw e.value.error(kind: .wrongType, "a counter must be a number or a condition, found \(r.type.kindPhrase)")
                }
                rules.counters.append((e.key, r))
                counters.append(e.key)
            }
        }
        if kind == .state_cost { counters.append("state_cost_annual") }
        let target = try node["target_group"].map { try targetGroup($0) }
        if let target { provenance[setting("target_group")] = .text(target.description) }

        // Only the names the rules read are bound.
        let all = rules.incomeLists.map(\.rule) + [rules.eligible, rules.amount, rules.scheduleBase, rules.meansIncome, rules.meansThreshold,
                                                   rules.meansRate, rules.cap, rules.householdCap, rules.takeUp].compactMap { $0 }
            + rules.counters.map(\.rule)
        var used: [String: DeclaredModule.Source] = [:]
        for r in all {
            for input in r.program.inputs {
                if let s = sources[input.name] {
                    used[input.name] = s
                } else if let v = env.variables[input.name] {
                    used[input.name] = .variable(v)
                }
            }
        }
        var module = DeclaredModule(declaredKind: kind, unit: unit, payee: payee, rules: rules, phaseIn: phaseIn, sources: used,
                              marketIncome: marketIncome, earlierBenefits: benefits, targetGroup: target, counters: counters,
                              componentName: name, location: RuleLocation(file: node.file, line: node.line, column: node.column),
                              provenance: provenance, budgetRevenue: budget, declaration: node)
        module.parameterSources = locations
        return module
    }

    /// A dated parameter of a declaration: `{unit: U, value: X}` or `{unit: U, values: {DATE: X, ...}}`.
    static func parameter(_ key: String, _ node: YAMLNode, year: Int?) throws -> (Double, RuleUnit) {
        guard node.isMapping else {
            throw node.error(kind: .wrongType, "the parameter '\(key)' needs its unit: write {unit: currency_per_month, value: 300} or {unit: ..., values: {2025-01-01: 300}}")
        }
        guard let unitNode = node["unit"] else {
            throw node.error(kind: .missingKey, "the parameter '\(key)' needs 'unit': one of \(RuleUnit.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let word = try unitNode.text()
        guard let unit = RuleUnit(rawValue: word) else {
            var message = "\(InputExcerpt.quoted(word)) is not a unit"
            if let near = closestMatch(to: word, in: RuleUnit.allCases.map(\.rawValue)) { message += "; did you mean '\(near)'?" }
            throw unitNode.error(kind: .badValue, message + " (units: \(RuleUnit.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let spec = ParameterSpec(key, .number, unit: word, range: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, summary: key)
        let value: ParameterValue
        switch (node["value"], node["values"]) {
        case (let v?, nil):
            try ScenarioDefinition.checkKeys(try node.entries(), allowed: ["unit", "value", "reference", "description", "note"])
            value = try ResolvedParameters.value(of: spec, node: v, year: year)
        case (nil, .some):
            value = try ResolvedParameters.value(of: spec, node: node, year: year)
        case (.some, .some):
            throw node.error(kind: .inconsistent, "give 'value' or dated 'values', not both")
        case (nil, nil):
            throw node.error(kind: .missingKey, "the parameter '\(key)' needs 'value' or dated 'values'")
        }
        guard case .number(let x) = value else { throw node.error(kind: .wrongType, "expected a number") }
        return (x, unit)
    }

    /// A schedule parameter (`{unit: currency_per_month, values: {DATE: [{threshold, rate}, ...]}}`, or
    /// `value:` with the list), or `nil` when the parameter's value is not a list.
    static func bracketParameter(_ key: String, _ node: YAMLNode, year: Int?) throws -> [Bracket]? {
        guard node.isMapping, let unitNode = node["unit"] else { return nil }
        let sample = node["value"] ?? node["values"].flatMap { try? $0.entries().first?.value }
        guard let sample, case .sequence = sample.content else { return nil }
        let word = try unitNode.text()
        guard word == RuleUnit.currencyPerMonth.rawValue else {
            throw unitNode.error(kind: .badValue, "a schedule's thresholds are money per month: its unit must be currency_per_month, found \(InputExcerpt.quoted(word))")
        }
        let spec = ParameterSpec(key, .schedule, unit: word, summary: key)
        let value: ParameterValue
        if let v = node["value"] {
            try ScenarioDefinition.checkKeys(try node.entries(), allowed: ["unit", "value", "reference", "description", "note"])
            value = try ResolvedParameters.value(of: spec, node: v, year: year)
        } else {
            value = try ResolvedParameters.value(of: spec, node: node, year: year)
        }
        guard case .schedule(let brackets) = value else { throw node.error(kind: .wrongType, "expected a list of {threshold, rate}") }
        return brackets
    }

    /// Where a declared parameter's value in force in `year` is written: the
    /// line of `value:`, or of the last date of `values:` on or before 1 January (the last date without a year).
    static func source(of node: YAMLNode, year: Int?) -> ParameterSource {
        if let v = node["value"] { return ParameterSource(file: v.file, line: v.line) }
        guard let dated = try? node["values"]?.entries() else { return ParameterSource(file: node.file, line: node.line) }
        var chosen: YAMLNode.Entry?
        for e in dated where year.map({ e.key <= "\($0)-01-01" }) ?? true { chosen = e }
        guard let chosen else { return ParameterSource(file: node.file, line: node.line) }
        return ParameterSource(file: chosen.value.file, line: chosen.keyLine, date: chosen.key)
    }

    /// A band's threshold or value: a number, or a parameter of the declaration (in the unit given, when given).
    static func constant(_ node: YAMLNode, _ env: RuleEnvironment, unit: RuleUnit?) throws -> Double {
        let text = try node.text()
        if let p = env.parameters[text] {
            if let unit, p.unit != unit, !(unit == .share && p.unit == .dimensionless) {
                throw node.error(kind: .wrongType, "the parameter '\(text)' is \(p.unit.phrase), but here \(unit.phrase) is expected")
            }
            return p.value
        }
        guard let x = Double(text), x.isFinite else {
            var message = "\(InputExcerpt.quoted(text)) is neither a number nor a parameter of this component"
            if let near = closestMatch(to: text, in: Array(env.parameters.keys)) { message += "; did you mean '\(near)'?" }
            throw node.error(kind: .badValue, message)
        }
        return x
    }

    static func targetGroup(_ node: YAMLNode) throws -> TargetGroup {
        try ScenarioDefinition.checkKeys(try node.entries(), allowed: ["ages", "condition"])
        var ages: ClosedRange<Int>?
        if let a = node["ages"] {
            let items = try a.items()
            guard items.count == 2 else { throw a.error(kind: .badValue, "ages is [youngest, oldest], e.g. [0, 4]") }
            let lo = try items[0].integer(), hi = try items[1].integer()
            guard 0 <= lo, lo <= hi, hi <= TargetGroup.oldestAge else {
                throw a.error(kind: .outOfRange, "ages must run from youngest to oldest within 0 to \(TargetGroup.oldestAge)")
            }
            ages = lo...hi
        }
        let condition = try node["condition"].map { try choice($0, TargetGroup.Condition.self, key: "target_group.condition") }
        return TargetGroup(ages: ages, condition: condition)
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _: T.Type, key: String) throws -> T where T.RawValue == String {
        let word = try node.text()
        if let v = T(rawValue: word) { return v }
        let options = T.allCases.map(\.rawValue)
        var message = "\(InputExcerpt.quoted(word)) is not a valid \(key)"
        if let near = closestMatch(to: word, in: options) { message += "; did you mean '\(near)'?" }
        throw node.error(kind: .badValue, message + " (expected one of \(options.joined(separator: ", ")))")
    }

    static func checkName(_ name: String, _ node: YAMLNode, line: Int) throws {
        let ok = !name.isEmpty && name.utf8.count <= 60
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && !(name.utf8.first! >= 0x30 && name.utf8.first! <= 0x39)
        guard ok else {
            throw InputError(file: node.file, line: line, field: node.path, kind: .badValue,
                             "\(InputExcerpt.quoted(name)) is not a name; expected snake_case letters, digits and _ (e.g. poverty_line)")
        }
        if ["and", "or", "not", "in", "true", "false"].contains(name) || ExpressionFunction(rawValue: name) != nil {
            throw InputError(file: node.file, line: line, field: node.path, kind: .badValue,
                             "'\(name)' is a word of the rule language; choose another name")
        }
    }
}

/// A declared component as written, before its system's order is final.
struct PendingDeclaration: PolicyModule {
    static let name = "declared"
    static let summary = DeclaredModule.summary
    static let parameters: [ParameterSpec] = []
    let node: YAMLNode
    let componentName: String
    init(parameters p: ResolvedParameters) throws { throw p.error("declare", "not a module") }
    init(node: YAMLNode, componentName: String) {
        self.node = node
        self.componentName = componentName
    }
    var kind: ComponentKind { .benefit }
    var variables: [VariableRequest] { [] }
    func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        preconditionFailure("declared component '\(componentName)' was not compiled (TaxBenefitSystem.compilingDeclarations)")
    }
}

extension TaxBenefitSystem {
    /// This system with every declaration compiled against the components
    /// before it (`DeclaredComponentReader`).
    ///
    /// - Throws: ``InputError`` for any defect of a declaration.
    public func compilingDeclarations(year: Int?) throws -> TaxBenefitSystem {
        guard components.contains(where: { $0.module is PendingDeclaration || $0.module is DeclaredModule }) else { return self }
        var compiled: [Component] = []
        for (i, c) in components.enumerated() {
            let node: YAMLNode
            if let pending = c.module as? PendingDeclaration {
                node = pending.node
            } else if let declared = c.module as? DeclaredModule {
                node = declared.declaration  // compiled again: the components before it may have changed
            } else {
                compiled.append(c)
                continue
            }
            let module = try DeclaredComponentReader.compile(
                node, name: c.name, earlier: compiled, later: components[(i + 1)...].map(\.name),
                marketIncome: marketIncome, year: year)
            compiled.append(Component(name: c.name, moduleName: DeclaredModule.name, module: module, parameters: module.provenance,
                                      parameterSources: module.parameterSources))
        }
        return TaxBenefitSystem(name: name, title: title, source: source, marketIncome: marketIncome, components: compiled)
    }
}
