/// The policy modules scenario files may name, looked up by name.
///
/// SimKernel knows no module; the `Scenarios` library provides the list
/// (`ScenarioCatalog.standard`) and the command-line tool passes it in.
public struct ModuleCatalog: Sendable {
    /// The module types, in the order `simrun scenario list` shows them.
    public let modules: [any PolicyModule.Type]

    public init(_ modules: [any PolicyModule.Type]) {
        var seen: Set<String> = []
        for m in modules { precondition(seen.insert(m.name).inserted, "module \(m.name) is registered twice") }
        self.modules = modules
    }

    /// The module called `name`, if registered.
    public func module(named name: String) -> (any PolicyModule.Type)? {
        modules.first { $0.name == name }
    }

    /// Creates the component described by a `{module, name, parameters}` node.
    ///
    /// - Throws: ``InputError`` for an unknown module (suggesting the closest
    ///   name), unknown keys, and any parameter error.
    func component(from node: YAMLNode, moduleNode: YAMLNode, nameNode: YAMLNode?, parametersNode: YAMLNode?,
                   year: Int?) throws -> TaxBenefitSystem.Component {
        let moduleName = try moduleNode.text()
        guard let type = module(named: moduleName) else {
            var message = "unknown scenario module \(InputExcerpt.quoted(moduleName))"
            if let near = closestMatch(to: moduleName, in: modules.map { $0.name }) { message += "; did you mean '\(near)'?" }
            message += " (known modules: \(modules.map { $0.name }.joined(separator: ", ")); `simrun scenario list` describes them)"
            throw moduleNode.error(message)
        }
        let parameters = try ResolvedParameters(module: moduleName, specs: type.parameters, node: parametersNode, owner: node, year: year)
        let module = try type.init(parameters: parameters)
        let name = try nameNode?.displayText() ?? moduleName
        return TaxBenefitSystem.Component(name: name, moduleName: moduleName, module: module, parameters: parameters.all,
                                          parameterSources: parameters.sources)
    }
}
