import Foundation
import Scenarios
import SimKernel
import Yams

// Stand-in for SimAnalysis's ScenarioDocument / EditableParameter (shared-api.md) until it lands on main:
// the same names and calls, so the server switches to the library's types by deleting this file.

/// One numeric parameter of an option, as the page shows it: a control with its unit and valid range.
struct EditableParameter: Codable, Sendable, Equatable {
    /// Where it sits: `amount_per_child`, or `COMPONENT.PARAM` when the name is not unique in the option.
    let path: String
    let name: String
    let description: String
    let unit: String
    /// The parameter specification's range (nil when open).
    let minimum: Double?
    let maximum: Double?
    let wholeNumber: Bool
    /// The value in force in the simulated year.
    let value: Double
}

/// A scenario file as an editable YAML tree.
struct ScenarioDocument: @unchecked Sendable {
    let file: String
    private let root: Yams.Node

    init(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, kind: .noInput, "cannot read the scenario file")
        }
        // Every check a scenario file gets, before it is edited.
        _ = try ScenarioDefinition(root: try YAMLNode.parse(text, file: file), catalog: ScenarioCatalog.standard)
        guard let node = try Yams.compose(yaml: text), node.mapping != nil else {
            throw InputError(file: file, kind: .wrongType, "expected a mapping at the top of the scenario")
        }
        self.file = file
        root = node
    }

    private init(file: String, root: Yams.Node) {
        self.file = file
        self.root = root
    }

    /// A parameter found in the tree: its component, key, spec and the node's location.
    private struct Slot {
        let component: String
        let key: String
        let spec: ParameterSpec?
        /// Index of the component in `components:` (nil: the single `scenario:`).
        let index: Int?
        let declared: Bool
        let node: Yams.Node
    }

    private func slots() -> [Slot] {
        var found: [Slot] = []
        func collect(_ parameters: Yams.Node?, module: String?, component: String, index: Int?, declared: Bool) {
            guard let mapping = parameters?.mapping else { return }
            let specs = module.flatMap { ScenarioCatalog.standard.module(named: $0)?.parameters } ?? []
            for (k, v) in mapping {
                guard let key = k.string else { continue }
                let spec = specs.first { $0.key == key }
                if let spec, spec.type != .number && spec.type != .integer { continue }
                guard Self.numericValue(v, year: nil) != nil else { continue }
                found.append(Slot(component: component, key: key, spec: spec, index: index, declared: declared, node: v))
            }
        }
        guard let top = root.mapping else { return [] }
        if let module = top["scenario"]?.string {
            collect(top["parameters"], module: module, component: module, index: nil, declared: false)
        }
        if let list = top["components"]?.sequence {
            for (i, entry) in list.enumerated() {
                let name = entry.mapping?["name"]?.string ?? entry.mapping?["module"]?.string ?? "component\(i + 1)"
                if let module = entry.mapping?["module"]?.string {
                    collect(entry.mapping?["parameters"], module: module, component: name, index: i, declared: false)
                } else if let declare = entry.mapping?["declare"] {
                    collect(declare.mapping?["parameters"], module: nil, component: name, index: i, declared: true)
                }
            }
        }
        return found
    }

    private func path(of slot: Slot, among all: [Slot]) -> String {
        all.filter { $0.key == slot.key }.count == 1 ? slot.key : "\(slot.component).\(slot.key)"
    }

    /// The value of a parameter node in force on 1 January of `year` (the last dated value when nil).
    private static func numericValue(_ node: Yams.Node, year: Int?) -> Double? {
        if let scalar = node.scalar { return Double(scalar.string) }
        guard let mapping = node.mapping else { return nil }
        if let plain = mapping["value"]?.scalar { return Double(plain.string) }
        guard let values = mapping["values"]?.mapping else { return nil }
        let cutoff = year.map { String(format: "%04d-01-01", $0) }
        var chosen: Double?
        for (date, value) in values {
            guard let d = date.string else { continue }
            if let cutoff, d > cutoff { break }
            chosen = value.scalar.flatMap { Double($0.string) }
        }
        return chosen
    }

    /// Every numeric parameter of the option with the value in force in `year` (the scenario's year when nil).
    func parameters(year: Int?) throws -> [EditableParameter] {
        let year = year ?? root.mapping?["year"]?.int
        let all = slots()
        return all.compactMap { slot in
            guard let value = Self.numericValue(slot.node, year: year) else { return nil }
            let unit = slot.spec?.unit ?? slot.node.mapping?["unit"]?.string ?? ""
            return EditableParameter(
                path: path(of: slot, among: all), name: slot.key,
                description: slot.spec?.summary ?? slot.node.mapping?["description"]?.string ?? "",
                unit: unit, minimum: slot.spec?.range?.lowerBound, maximum: slot.spec?.range?.upperBound,
                wholeNumber: slot.spec?.type == .integer, value: value)
        }
    }

    /// The document with `path` set to `value` from 1 January of `year` on.
    /// - Throws: `InputError` for an unknown path or a value the scenario file would not accept.
    func setting(_ path: String, to value: Double, year: Int?) throws -> ScenarioDocument {
        let all = slots()
        guard let slot = all.first(where: { self.path(of: $0, among: all) == path }) else {
            throw InputError(file: file, field: path, kind: .unknownKey,
                             "no parameter '\(path)' in this option; expected one of \(all.map { self.path(of: $0, among: all) }.joined(separator: ", "))")
        }
        guard value.isFinite else { throw InputError(file: file, field: path, kind: .badValue, "'\(path)' must be a finite number") }
        if let range = slot.spec?.range, !range.contains(value) {
            throw InputError(file: file, field: path, kind: .outOfRange,
                             "'\(slot.key)' is \(ParameterSpec.boundText(value)), outside its range \(slot.spec!.rangeText)")
        }
        if slot.spec?.type == .integer, value.rounded() != value {
            throw InputError(file: file, field: path, kind: .wrongType, "'\(slot.key)' must be a whole number (got \(value))")
        }
        let year = year ?? root.mapping?["year"]?.int
        let text = value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        let scalar = Yams.Node(text)
        var replacement: Yams.Node
        if slot.node.scalar != nil {
            replacement = scalar
        } else {
            var mapping = slot.node.mapping!
            if mapping["value"] != nil {
                mapping["value"] = scalar
            } else if var values = mapping["values"]?.mapping {
                if let year {
                    let key = String(format: "%04d-01-01", year)
                    var kept: [(Yams.Node, Yams.Node)] = values.filter { ($0.key.string ?? "") < key }.map { ($0.key, $0.value) }
                    kept.append((Yams.Node(key), scalar))
                    values = Yams.Node.Mapping(kept)
                } else if let last = Array(values.keys).last {
                    values[last] = scalar
                }
                mapping["values"] = Yams.Node.mapping(values)
            }
            replacement = Yams.Node.mapping(mapping)
        }
        var top = root.mapping!
        func replaced(_ parameters: Yams.Node) -> Yams.Node {
            var m = parameters.mapping!
            m[Yams.Node(slot.key)] = replacement
            return Yams.Node.mapping(m)
        }
        if let index = slot.index {
            var list = top["components"]!.sequence!
            var entry = list[index].mapping!
            if slot.declared {
                var declare = entry["declare"]!.mapping!
                declare["parameters"] = replaced(declare["parameters"]!)
                entry["declare"] = Yams.Node.mapping(declare)
            } else {
                entry["parameters"] = replaced(entry["parameters"]!)
            }
            list[index] = Yams.Node.mapping(entry)
            top["components"] = Yams.Node.sequence(list)
        } else {
            top["parameters"] = replaced(top["parameters"]!)
        }
        let document = ScenarioDocument(file: file, root: Yams.Node.mapping(top))
        _ = try document.definition(year: year)
        return document
    }

    /// The option, read with every check a scenario file gets (paths resolved against the original file's folder).
    func definition(year: Int?) throws -> ScenarioDefinition {
        try ScenarioDefinition(root: try YAMLNode.parse(rawYAML(), file: file), catalog: ScenarioCatalog.standard, year: year)
    }

    private func rawYAML() -> String { (try? Yams.serialize(node: root)) ?? "" }

    /// A scenario file that reads back to the same definition when saved in `target` (default: the working
    /// directory): `data`, `baseline` and `costing.country` resolved, relative to `target` when below it.
    func yaml(savedIn target: String = FileManager.default.currentDirectoryPath) -> String {
        guard var top = root.mapping else { return rawYAML() }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let base = URL(fileURLWithPath: target).standardizedFileURL.path + "/"
        func relative(_ path: String) -> String { path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path }
        func resolved(_ reference: String, folderName: String) -> String {
            let candidates: [URL]
            if reference.hasPrefix("/") { return reference }
            if reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") {
                candidates = [folder.appendingPathComponent(reference)]
            } else {
                candidates = [folder.appendingPathComponent("../\(folderName)/\(reference).yaml"), folder.appendingPathComponent("\(reference).yaml")]
            }
            let found = candidates.first { FileManager.default.fileExists(atPath: $0.standardizedFileURL.path) } ?? candidates[0]
            return relative(found.standardizedFileURL.path)
        }
        if let data = top["data"]?.string {
            let url = data.hasPrefix("/") ? URL(fileURLWithPath: data) : folder.appendingPathComponent(data)
            top["data"] = Yams.Node(relative(url.standardizedFileURL.path))
        }
        if let baseline = top["baseline"]?.string { top["baseline"] = Yams.Node(resolved(baseline, folderName: "systems")) }
        if var costing = top["costing"]?.mapping, let country = costing["country"]?.string {
            costing["country"] = Yams.Node(resolved(country, folderName: "countries"))
            top["costing"] = Yams.Node.mapping(costing)
        }
        return (try? Yams.serialize(node: Yams.Node.mapping(top))) ?? rawYAML()
    }
}
