extension TaxBenefitSystem {
    /// This system with some parameters of its components given anew, as a
    /// legislation case's `parameters:` does (docs/cases.md).
    ///
    /// `node` maps component names to mappings of parameters:
    ///
    /// ```yaml
    /// means_tested_transfer: {assessment_error_sd: 0, take_up_rate: 1}
    /// ```
    ///
    /// Each component named is rebuilt from its module with its parameters
    /// (those its file gave, and the defaults) and the new ones read over
    /// them, checked as in a scenario file: a known key, the type, unit and
    /// range, dated values in force in `year`, then the module's own
    /// consistency checks. The other components are kept as they are.
    ///
    /// - Parameters:
    ///   - node: The mapping of component names to parameters.
    ///   - catalog: The modules, to rebuild a component.
    ///   - year: The year whose values apply (dated values).
    ///   - what: The system as messages name it ("system", "reform system").
    /// - Returns: The system with the components rebuilt, in the same order.
    /// - Throws: ``InputError`` naming the file, line and key: a component
    ///   the system does not have (``InputError/Kind/unknownKey``, with the
    ///   closest name), a component no catalogue module built
    ///   (``InputError/Kind/unsupported``), and any error of the parameters.
    public func overriding(_ node: YAMLNode, catalog: ModuleCatalog, year: Int?, what: String) throws -> TaxBenefitSystem {
        var components = self.components
        for entry in try node.entries() {
            guard let index = components.firstIndex(where: { $0.name == entry.key }) else {
                var message = "no component '\(entry.key)' in the \(what)"
                if let near = closestMatch(to: entry.key, in: components.map(\.name)) { message += "; did you mean '\(near)'?" }
                message += " (its components: \(components.map(\.name).joined(separator: ", ")))"
                throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path, kind: .unknownKey, message)
            }
            let component = components[index]
            if let declared = component.module as? DeclaredModule {
                let node = try declared.declaration.overridingParameters(entry.value, component: component.name)
                components[index] = Component(name: component.name, moduleName: component.moduleName,
                                              module: PendingDeclaration(node: node, componentName: component.name), parameters: [:])
                continue
            }
            guard let type = catalog.module(named: component.moduleName) else {
                throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path, kind: .unsupported,
                                 "component '\(entry.key)' is not made by a module of the catalogue, so its parameters cannot be given here")
            }
            let parameters = try ResolvedParameters(module: component.moduleName, specs: type.parameters,
                                                    base: component.parameters, overrides: entry.value, year: year)
            components[index] = Component(name: component.name, moduleName: component.moduleName,
                                          module: try type.init(parameters: parameters), parameters: parameters.all)
        }
        return try TaxBenefitSystem(name: name, title: title, source: source, marketIncome: marketIncome, components: components)
            .compilingDeclarations(year: year)
    }
}

extension YAMLNode {
    /// A `declare:` block with some of its `parameters:` given anew: each key
    /// of `overrides` must be a parameter of the declaration; its value (a
    /// number, or dated `values:`) replaces the declared one, in the declared unit.
    ///
    /// - Throws: ``InputError`` (``InputError/Kind/unknownKey``) for a key that is not a parameter of the declaration.
    func overridingParameters(_ overrides: YAMLNode, component: String) throws -> YAMLNode {
        guard case .mapping(var entries) = content, let i = entries.firstIndex(where: { $0.key == "parameters" }),
              case .mapping(var parameters) = entries[i].value.content else {
            throw overrides.error(kind: .unknownKey, "declared component '\(component)' has no parameters to give")
        }
        for o in try overrides.entries() {
            guard let k = parameters.firstIndex(where: { $0.key == o.key }) else {
                var message = "no parameter '\(o.key)' in declared component '\(component)'"
                if let near = closestMatch(to: o.key, in: parameters.map(\.key)) { message += "; did you mean '\(near)'?" }
                throw InputError(file: o.value.file, line: o.keyLine, field: o.value.path, kind: .unknownKey,
                                 message + " (its parameters: \(parameters.map(\.key).joined(separator: ", ")))")
            }
            let declared = parameters[k].value
            guard let unit = declared["unit"] else { throw declared.error(kind: .missingKey, "the parameter '\(o.key)' needs 'unit'") }
            // The new value in the declared unit: {unit, value: X} or {unit, values: {...}}.
            var fields = [Entry(key: "unit", keyLine: unit.line, value: unit)]
            if o.value.isMapping {
                for e in try o.value.entries() where e.key != "unit" { fields.append(e) }
                if let u = o.value["unit"], (try? u.text()) != (try? unit.text()) {
                    throw u.error(kind: .badValue, "'\(o.key)' is declared in \((try? unit.text()) ?? "its unit"); give the new value in that unit")
                }
            } else {
                fields.append(Entry(key: "value", keyLine: o.keyLine, value: o.value))
            }
            parameters[k] = Entry(key: o.key, keyLine: o.keyLine,
                                  value: YAMLNode(content: .mapping(fields), file: o.value.file, line: o.value.line,
                                                  column: o.value.column, path: o.value.path))
        }
        let p = entries[i].value
        entries[i] = Entry(key: "parameters", keyLine: entries[i].keyLine,
                           value: YAMLNode(content: .mapping(parameters), file: p.file, line: p.line, column: p.column, path: p.path))
        return YAMLNode(content: .mapping(entries), file: file, line: line, column: column, path: path)
    }
}
