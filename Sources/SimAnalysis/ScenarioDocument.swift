import Foundation
import Scenarios
import SimKernel

/// One numeric parameter of an option that an analyst can change: what the
/// workshop page draws a control for, `solve` solves for and `sweep` varies.
///
/// docs/scenarios.md, "Parameter paths", says how paths are written.
public struct EditableParameter: Sendable, Codable, Equatable {
    /// How the parameter is addressed: `amount_per_child` (a name unique in the option),
    /// `COMPONENT.NAME`, or `COMPONENT.brackets[2].rate` (0-based bracket).
    public let path: String
    /// The component (its `name:`, or the module's name for a `scenario:` file).
    public let component: String
    /// The parameter's key (`amount_per_child`, or `brackets[2].rate`).
    public let name: String
    /// What it means (the module's parameter summary; the key for a declared rule).
    public let description: String
    /// The unit as scenario files write it (`currency_per_month`, `years`, `share`).
    public let unit: String
    /// The valid range from the parameter's specification (`nil`: no bound on that side).
    public let minimum: Double?
    public let maximum: Double?
    /// Whether only whole numbers are valid (ages, counts).
    public let wholeNumber: Bool
    /// The value in force in the simulated year.
    public let value: Double
    /// Whether the scenario file writes the parameter (`false`: the module's default, which the
    /// workshop page shows apart, under "more parameters").
    public let written: Bool

    public init(path: String, component: String, name: String, description: String, unit: String,
                minimum: Double?, maximum: Double?, wholeNumber: Bool, value: Double, written: Bool = true) {
        self.path = path
        self.component = component
        self.name = name
        self.description = description
        self.unit = unit
        self.minimum = minimum
        self.maximum = maximum
        self.wholeNumber = wholeNumber
        self.value = value
        self.written = written
    }
}

/// A scenario file as an editable YAML tree: list its numeric parameters,
/// set one, read it as a `ScenarioDefinition` (with every check a file
/// gets) and write it back out as a scenario file.
///
/// ```swift
/// let doc = try ScenarioDocument(file: "inputs/scenarios/universal-child-grant.yaml")
/// let richer = try doc.setting("amount_per_child", to: 40, year: nil)
/// let scenario = try richer.definition(year: nil)     // as if the file said 40 from 2025-01-01
/// ```
///
/// A value is set "in force from 1 January of the year on": in dated
/// `values:` the entry of that date is replaced or added (later dated
/// entries keep their own values); a plain value or `value:` is replaced;
/// a module parameter the file leaves at its default is added.
public struct ScenarioDocument: Sendable {
    /// The file the document was read from; relative references in it (`baseline`, `data`,
    /// `costing.country`) are resolved against its folder.
    public let file: String
    /// The document's tree.
    public private(set) var tree: EditableYAML

    /// Reads a scenario file (checked as a scenario by ``definition(year:catalog:)``, not here).
    /// - Throws: `InputError` when the file cannot be read or is not YAML.
    public init(file: String) throws {
        let root = try YAMLNode.load(file: file)
        self.init(file: file, tree: EditableYAML(root))
    }

    /// A document with the given tree, resolved as if it were `file`.
    public init(file: String, tree: EditableYAML) {
        self.file = file
        self.tree = tree
    }

    /// The scenario this document describes, read with every check a scenario file gets.
    ///
    /// - Parameters:
    ///   - year: A year overriding the document's `year` (as `--year`).
    ///   - catalog: The modules the scenario may use.
    /// - Throws: `InputError` naming the key (and `file`) of any defect.
    public func definition(year: Int? = nil, catalog: ModuleCatalog = ScenarioCatalog.standard) throws -> ScenarioDefinition {
        try ScenarioDefinition(root: try YAMLNode.parse(tree.text(), file: file), catalog: catalog, year: year)
    }

    /// The document as a scenario file.
    ///
    /// - Parameter destination: Where the text will be saved. When given, the document's relative
    ///   references (`baseline`, `data`, `costing.country`) are rewritten relative to the destination's
    ///   folder, so the saved file reads the same systems, data and profile; `nil` writes them as they are.
    /// - Throws: `InputError` when the document is not a valid scenario (references cannot be resolved).
    public func yaml(for destination: String? = nil) throws -> String {
        guard let destination else { return tree.text() }
        let scenario = try definition()
        var out = tree
        let target = URL(fileURLWithPath: destination).deletingLastPathComponent().standardizedFileURL.path
        if let source = scenario.baseline.source {
            out = out.setting("baseline", to: .scalar(Self.path(source, relativeTo: target), plain: false))
        }
        if let data = scenario.defaultData, out["data"] != nil {
            out = out.setting("data", to: .scalar(Self.path(data, relativeTo: target), plain: false))
        }
        if let country = scenario.costing.country, let costing = out["costing"], costing["country"] != nil {
            out = out.setting("costing", to: costing.setting("country", to: .scalar(Self.path(country, relativeTo: target), plain: false)))
        }
        return out.text()
    }

    /// `path` (absolute, or relative to the working directory) relative to the folder `base` (absolute).
    static func path(_ path: String, relativeTo base: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let folder = URL(fileURLWithPath: base, isDirectory: true).standardizedFileURL.pathComponents
        var common = 0
        while common < absolute.count - 1, common < folder.count, absolute[common] == folder[common] { common += 1 }
        let up = Array(repeating: "..", count: folder.count - common)
        let relative = (up + absolute[common...]).joined(separator: "/")
        // A reference without "/" (and without .yaml) would be read as a system or profile *name*.
        return relative.contains("/") ? relative : "./" + relative
    }

    // MARK: Parameters

    enum PathStep: Equatable { case key(String), index(Int) }

    /// Every numeric parameter of the option (the reform's changed components): module
    /// parameters (numbers and whole numbers, with their spec's range), each bracket's threshold
    /// and rate of a schedule, and declared rules' parameters.
    ///
    /// - Parameters:
    ///   - year: The simulated year (`nil`: the document's `year`).
    ///   - catalog: The modules the scenario may use.
    /// - Throws: `InputError` when the document is not a valid scenario.
    public func parameters(year: Int? = nil, catalog: ModuleCatalog = ScenarioCatalog.standard) throws -> [EditableParameter] {
        let scenario = try definition(year: year, catalog: catalog)
        var found: [EditableParameter] = []
        for (component, parametersPath, declared) in componentEntries() {
            guard let compiled = scenario.reform.components.first(where: { $0.name == component }) else { continue }
            if declared {
                guard case .mapping(let entries)? = node(at: parametersPath) else { continue }
                for (key, value) in entries {
                    guard case .number(let x)? = compiled.parameters[key] else { continue }
                    let unit = value["unit"].flatMap { if case .scalar(let t, _) = $0 { return t } else { return nil } } ?? ""
                    let nonNegative = unit == RuleUnit.years.rawValue || unit == RuleUnit.count.rawValue
                    found.append(EditableParameter(path: "", component: component, name: key, description: key, unit: unit,
                                                   minimum: nonNegative ? 0 : nil, maximum: nil, wholeNumber: false, value: x))
                }
                continue
            }
            guard let type = catalog.module(named: compiled.moduleName) else { continue }
            let written = Set({ () -> [String] in
                if case .mapping(let entries)? = node(at: parametersPath) { return entries.map(\.key) }
                return []
            }())
            for spec in type.parameters {
                switch (spec.type, compiled.parameters[spec.key]) {
                case (.number, .number(let x)?), (.integer, .number(let x)?):
                    found.append(EditableParameter(path: "", component: component, name: spec.key, description: spec.summary,
                                                   unit: spec.unit, minimum: spec.range?.lowerBound, maximum: Self.upper(spec.range),
                                                   wholeNumber: spec.type == .integer, value: x, written: written.contains(spec.key)))
                case (.schedule, .schedule(let brackets)?):
                    for (i, b) in brackets.enumerated() {
                        // The reader (ResolvedParameters) wants thresholds >= 0 that rise strictly: a
                        // threshold lies above the one before it and below the one after it, the
                        // closest doubles to each (`nextUp`, `nextDown`) being the range's ends.
                        let below = i > 0 ? brackets[i - 1].threshold.nextUp : 0
                        let above = i + 1 < brackets.count ? brackets[i + 1].threshold.nextDown : nil
                        found.append(EditableParameter(path: "", component: component, name: "\(spec.key)[\(i)].threshold",
                                                       description: "\(spec.summary): threshold of bracket \(i + 1)", unit: spec.unit,
                                                       minimum: below, maximum: above, wholeNumber: false, value: b.threshold,
                                                       written: written.contains(spec.key)))
                        found.append(EditableParameter(path: "", component: component, name: "\(spec.key)[\(i)].rate",
                                                       description: "\(spec.summary): rate of bracket \(i + 1)", unit: "share",
                                                       // A bracket's rate is a share whatever the schedule's range
                                                       // (ResolvedParameters refuses a rate outside 0 to 1).
                                                       minimum: 0, maximum: 1,
                                                       wholeNumber: false, value: b.rate, written: written.contains(spec.key)))
                    }
                default: continue
                }
            }
        }
        // The shortest unambiguous path: the name alone when no other component has it.
        return found.map { p in
            let unique = found.filter { $0.name == p.name }.count == 1
            return EditableParameter(path: unique ? p.name : "\(p.component).\(p.name)", component: p.component, name: p.name,
                                     description: p.description, unit: p.unit, minimum: p.minimum, maximum: p.maximum,
                                     wholeNumber: p.wholeNumber, value: p.value, written: p.written)
        }
    }

    private static func upper(_ range: ClosedRange<Double>?) -> Double? {
        guard let u = range?.upperBound, u < Double.greatestFiniteMagnitude else { return nil }
        return u
    }

    /// A copy with the parameter at `path` in force at `value` from 1 January of `year` on.
    ///
    /// - Parameters:
    ///   - path: A path of ``parameters(year:catalog:)`` (docs/scenarios.md, "Parameter paths").
    ///   - value: The new value (finite, and within the parameter's range).
    ///   - year: The year from which the value is in force (`nil`: the document's `year`; a document
    ///     without one sets the latest dated value).
    ///   - catalog: The modules the scenario may use.
    /// - Throws: `InputError` naming the parameter when the path is unknown, and whatever reading
    ///   the changed scenario throws (a value out of the spec's range, a whole number expected, ...),
    ///   with the CLI's text.
    public func setting(_ path: String, to value: Double, year: Int? = nil,
                        catalog: ModuleCatalog = ScenarioCatalog.standard) throws -> ScenarioDocument {
        guard value.isFinite else {
            throw InputError(file: file, field: path, kind: .badValue, "the value must be a finite number")
        }
        let known = try parameters(year: year, catalog: catalog)
        guard let parameter = known.first(where: { $0.path == path }) ?? known.first(where: { "\($0.component).\($0.name)" == path }) else {
            let names = known.map(\.path)
            var message = "no numeric parameter \(InputExcerpt.quoted(path)) in this option"
            if let near = closestMatch(to: path, in: names) { message += "; did you mean '\(near)'?" }
            message += names.isEmpty ? "" : " (parameters: \(names.joined(separator: ", ")))"
            throw InputError(file: file, field: path, kind: .unknownKey, message)
        }
        if parameter.wholeNumber, value != value.rounded() {
            throw InputError(file: file, field: path, kind: .wrongType, "\(parameter.name) must be a whole number (got \(value))")
        }
        let inForceYear = try year ?? definition(catalog: catalog).year
        guard let (_, parametersPath, _) = componentEntries().first(where: { $0.component == parameter.component }) else {
            throw InputError(file: file, field: path, kind: .unknownKey, "no component \(InputExcerpt.quoted(parameter.component))")
        }
        var key = parameter.name
        var bracket: (Int, String)?
        if let open = key.firstIndex(of: "["), let close = key.firstIndex(of: "]"), let i = Int(key[key.index(after: open)..<close]) {
            bracket = (i, String(key[key.index(close, offsetBy: 2)...]))
            key = String(key[..<open])
        }
        let parametersNode = node(at: parametersPath) ?? .mapping([])
        let current = parametersNode[key]
        let updated = Self.set(current, to: value, bracket: bracket, year: inForceYear)
        var copy = self
        copy.tree = Self.replace(tree, at: parametersPath, with: parametersNode.setting(key, to: updated))
        _ = try copy.definition(year: year, catalog: catalog)
        return copy
    }

    /// The parameter node `current` (nil: absent, the module default) with the value in force from `year` set.
    private static func set(_ current: EditableYAML?, to value: Double, bracket: (Int, String)?, year: Int?) -> EditableYAML {
        func leaf(_ old: EditableYAML?) -> EditableYAML {
            guard let (index, field) = bracket else { return .number(value) }
            guard case .sequence(var items)? = old, index < items.count else { return old ?? .number(value) }
            items[index] = items[index].setting(field, to: .number(value))
            return .sequence(items)
        }
        guard let current else { return leaf(nil) }
        guard case .mapping = current else { return leaf(current) }
        if let plain = current["value"] { return current.setting("value", to: leaf(plain)) }
        guard case .mapping(var dated)? = current["values"] else { return leaf(current) }
        let date = year.map { String(format: "%04d-01-01", $0) }
        // The entry in force: the latest date on or before 1 January of `year` (the latest of all without a year).
        let inForce = dated.indices.filter { date == nil || dated[$0].key <= date! }.max { dated[$0].key < dated[$1].key }
        if let date {
            if let i = dated.firstIndex(where: { $0.key == date }) {
                dated[i].value = leaf(dated[i].value)
            } else {
                let base = inForce.map { dated[$0].value }
                dated.append((date, leaf(base)))
                dated.sort { $0.key < $1.key }
            }
        } else if let i = inForce {
            dated[i].value = leaf(dated[i].value)
        }
        return current.setting("values", to: .mapping(dated))
    }

    /// Each changed component: its name, the path of its parameters mapping, and whether it is declared.
    private func componentEntries() -> [(component: String, parametersPath: [PathStep], declared: Bool)] {
        if case .scalar(let module, _)? = tree["scenario"] {
            return [(module, [.key("parameters")], false)]
        }
        guard case .sequence(let items)? = tree["components"] else { return [] }
        return items.enumerated().compactMap { i, item in
            func text(_ node: EditableYAML?) -> String? { if case .scalar(let t, _)? = node { return t } else { return nil } }
            if item["declare"] != nil {
                guard let name = text(item["name"]) else { return nil }
                return (name, [.key("components"), .index(i), .key("declare"), .key("parameters")], true)
            }
            guard let module = text(item["module"]) else { return nil }
            return (text(item["name"]) ?? module, [.key("components"), .index(i), .key("parameters")], false)
        }
    }

    private func node(at path: [PathStep]) -> EditableYAML? {
        var node: EditableYAML? = tree
        for step in path {
            switch step {
            case .key(let k): node = node?[k]
            case .index(let i):
                guard case .sequence(let items)? = node, i < items.count else { return nil }
                node = items[i]
            }
        }
        return node
    }

    private static func replace(_ node: EditableYAML, at path: [PathStep], with value: EditableYAML) -> EditableYAML {
        guard let step = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch step {
        case .key(let k):
            return node.setting(k, to: replace(node[k] ?? .mapping([]), at: rest, with: value))
        case .index(let i):
            guard case .sequence(var items) = node, i < items.count else { return node }
            items[i] = replace(items[i], at: rest, with: value)
            return .sequence(items)
        }
    }
}
