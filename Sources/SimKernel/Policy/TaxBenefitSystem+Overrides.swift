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
            guard let type = catalog.module(named: component.moduleName) else {
                throw InputError(file: entry.value.file, line: entry.keyLine, field: entry.value.path, kind: .unsupported,
                                 "component '\(entry.key)' is not made by a module of the catalogue, so its parameters cannot be given here")
            }
            let parameters = try ResolvedParameters(module: component.moduleName, specs: type.parameters,
                                                    base: component.parameters, overrides: entry.value, year: year)
            components[index] = Component(name: component.name, moduleName: component.moduleName,
                                          module: try type.init(parameters: parameters), parameters: parameters.all)
        }
        return TaxBenefitSystem(name: name, title: title, source: source, marketIncome: marketIncome, components: components)
    }
}
