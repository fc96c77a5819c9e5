import Foundation

/// A reform scenario read from a YAML file: the baseline system it starts
/// from, the components it adds or replaces, the year and the poverty line.
///
/// ```yaml
/// title: Universal child grant of 30 a month
/// label: Child grant 30     # short name for table columns (at most 24 characters)
/// reference: shared/bench/SPEC.md
/// baseline: current_law          # inputs/systems/current_law.yaml
/// data: ../data/example-persons.csv   # used when no --data is given
/// year: 2025
/// poverty_line: {unit: currency_per_person_per_month, values: {2025-01-01: 150}}
/// scenario: universal_child_grant
/// parameters:
///   amount_per_child: {unit: currency_per_month, values: {2025-01-01: 30}}
///   max_age: {unit: years, values: {2025-01-01: 17}}
/// ```
///
/// Instead of `scenario:` and `parameters:`, a package of several modules
/// is written as `components:`, a list of `{module, name, parameters}`.
public struct ScenarioDefinition: Sendable {
    /// The scenario file, as the user named it.
    public let file: String
    public let title: String
    /// A short name for column headers (`label:`, at most ``maximumLabelLength`` characters), if the file gives one.
    ///
    /// Reports and `scenario compare` head each option's column with it and print the full ``title`` in a legend;
    /// without it they use ``title`` when it is short enough, else "Option N".
    public let label: String?
    /// The longest `label:` accepted, in characters: a column of a 120-character terminal table or a printed page.
    public static let maximumLabelLength = 24
    public let reference: String?
    /// The simulation year (parameters in force on 1 January), if any.
    public let year: Int?
    /// The absolute poverty line, in currency per person per month (on the welfare measure).
    public let povertyLine: Double
    public let baseline: TaxBenefitSystem
    public let reform: TaxBenefitSystem
    /// Names of the components the reform adds or replaces.
    public let changedComponents: [String]

    /// The example data file the scenario names (`data:`), resolved against the scenario's folder.
    ///
    /// Not checked when the scenario is read (`--data` may replace it);
    /// ``dataFile(given:)`` checks it when it is used.
    public let defaultData: String?

    /// The line of `data:` in ``file``, for messages about ``defaultData``.
    public let defaultDataLine: Int?

    /// How the option is costed over the years (`costing:`).
    public let costing: CostingSettings

    /// The welfare measure of the poverty and inequality figures (`welfare:`,
    /// docs/welfare.md); ``WelfareConcept/disposableIncome`` when the key is absent.
    public let welfare: WelfareConcept

    /// The index each money variable follows when the survey is aged
    /// (`ageing: {uprate: {earnings: wages}}`; ``UpratingIndex``), before the
    /// country profile's ``CountryProfile/uprating`` and the defaults.
    public let uprating: [String: UpratingIndex]

    static let topKeys = ["title", "label", "description", "reference", "baseline", "data", "year", "poverty_line", "costing",
                          "welfare", "scenario", "parameters", "components", "ageing"]

    static let povertyLineSpec = ParameterSpec(
        "poverty_line", .number, unit: "currency_per_person_per_month",
        range: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude,
        summary: "absolute poverty line applied to per-capita household disposable income")

    /// Reads a scenario file and the baseline system it names.
    ///
    /// - Parameters:
    ///   - file: Path of the scenario file.
    ///   - catalog: The modules scenario files may use.
    ///   - overrideYear: A year overriding the file's `year` (`year:`, from `--year`).
    /// - Throws: ``InputError`` naming file, line and key for any defect,
    ///   including a baseline file that does not exist.
    public init(file: String, catalog: ModuleCatalog, year overrideYear: Int? = nil) throws {
        try self.init(root: try YAMLNode.load(file: file), catalog: catalog, year: overrideYear)
    }

    /// Reads a scenario already parsed (``YAMLNode/parse(_:file:)``); paths in it
    /// (`baseline`, `data`, `costing.country`) are resolved against the folder of `root.file`.
    ///
    /// - Throws: ``InputError`` as ``init(file:catalog:year:)``.
    public init(root: YAMLNode, catalog: ModuleCatalog, year overrideYear: Int? = nil) throws {
        let file = root.file
        let entries = try root.entries()
        try Self.checkKeys(entries, allowed: Self.topKeys)
        self.file = file
        let year = try overrideYear ?? root["year"].map { node -> Int in
            let y = try node.integer()
            guard (1900...2200).contains(y) else { throw node.error(kind: .outOfRange, "year \(y) is out of range; expected 1900 to 2200") }
            return y
        }
        self.year = year
        title = try root["title"]?.displayText() ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        label = try root["label"].map { node -> String in
            let text = try node.displayText().trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, text.count <= Self.maximumLabelLength else {
                throw node.error(kind: .badValue, "label \(InputExcerpt.quoted(text)) must be 1 to \(Self.maximumLabelLength) characters (a short column header; the full name goes in 'title')")
            }
            return text
        }
        reference = try root["reference"]?.displayText(allowingLineBreaks: true)
        if let dataNode = root["data"] {
            let path = try dataNode.text()
            let dir = URL(fileURLWithPath: file).deletingLastPathComponent()
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : dir.appendingPathComponent(path)
            defaultData = Self.relativePath(url.standardizedFileURL.path)
            defaultDataLine = dataNode.line
        } else {
            defaultData = nil
            defaultDataLine = nil
        }
        guard let lineNode = root["poverty_line"] else {
            throw root.error(kind: .missingKey, "the scenario needs 'poverty_line' (currency per person per month)")
        }
        guard case .number(let z) = try ResolvedParameters.value(of: Self.povertyLineSpec, node: lineNode, year: year) else {
            throw lineNode.error(kind: .wrongType, "expected a number")
        }
        povertyLine = z
        welfare = try root["welfare"].map { try WelfareConcept.read($0) } ?? .disposableIncome

        costing = try root["costing"].map { try CostingSettings.read($0, scenarioFile: file) } ?? CostingSettings()
        uprating = try root["ageing"].map(UpratingIndex.ageingBlock) ?? [:]
        guard let baselineNode = root["baseline"] else {
            throw root.error(kind: .missingKey, "the scenario needs 'baseline': the name of a system under inputs/systems (e.g. current_law) or the path of a system file")
        }
        let baselinePath = try Self.locate(try baselineNode.text(), kind: "baseline system", folder: "systems",
                                           from: file, node: baselineNode)
        baseline = try SystemDefinition.read(file: baselinePath, catalog: catalog, year: year)

        var changes: [TaxBenefitSystem.Component] = []
        if let single = root["scenario"] {
            if let list = root["components"] {
                throw list.error(kind: .inconsistent, "give either 'scenario' with 'parameters' (one module) or 'components' (a package), not both")
            }
            changes.append(try catalog.component(from: single, moduleNode: single, nameNode: nil,
                                                 parametersNode: root["parameters"], year: year))
        } else if let list = root["components"] {
            if let p = root["parameters"] { throw p.error(kind: .inconsistent, "'parameters' belongs inside each entry of 'components'") }
            changes = try SystemDefinition.components(list, catalog: catalog, year: year)
        } else {
            throw root.error(kind: .missingKey, "the scenario names no reform: add 'scenario: MODULE' with 'parameters', or a 'components' list")
        }
        changedComponents = changes.map(\.name)
        reform = try baseline.applying(changes, name: title, title: title, source: file).compilingDeclarations(year: year)
        try SurveyLoader.checkOneMeaning(baseline.variables + reform.variables, file: file)
        let systemRequests = baseline.variables + reform.variables
        try SurveyLoader.checkOneMeaning(systemRequests + welfare.requests(existing: systemRequests), file: file)
    }

    /// The survey file to run on: `given` (from `--data`) when there is one,
    /// else the scenario's own example data (`data:`), which must exist.
    ///
    /// ```swift
    /// let data = try scenario.dataFile(given: options.data)  // nil: neither --data nor data:
    /// ```
    ///
    /// - Returns: The file, or `nil` when neither names one.
    /// - Throws: ``InputError`` of kind ``InputError/Kind/noInput`` located at
    ///   the scenario's `data:` line when that file does not exist or is a folder.
    public func dataFile(given: String?) throws -> String? {
        if let given { return given }
        guard let defaultData else { return nil }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: defaultData, isDirectory: &isFolder)
        guard !exists || isFolder.boolValue else { return defaultData }
        let what = exists ? "is a folder, not a survey file" : "does not exist"
        throw InputError(file: file, line: defaultDataLine, field: "data", kind: .noInput,
                         "the example data \(InputExcerpt.quoted(defaultData)) (resolved against the scenario's folder) \(what); correct 'data:' or give --data FILE")
    }

    /// Fails on a key not in `allowed`, suggesting the closest one.
    static func checkKeys(_ entries: [YAMLNode.Entry], allowed: [String]) throws {
        for e in entries where !allowed.contains(e.key) {
            var message = "unknown key '\(e.key)'"
            if let near = closestMatch(to: e.key, in: allowed) { message += "; did you mean '\(near)'?" }
            message += " (expected: \(allowed.joined(separator: ", ")))"
            throw InputError(file: e.value.file, line: e.keyLine, field: e.value.path, kind: .unknownKey, message)
        }
    }

    /// The path of the file named `reference` in scenario `file`: a path
    /// (relative to the scenario's folder) when it contains `/` or ends in
    /// `.yaml`, else `../FOLDER/NAME.yaml` then `NAME.yaml` beside the scenario.
    static func locate(_ reference: String, kind: String, folder: String, from file: String, node: YAMLNode) throws -> String {
        let dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        var candidates: [URL] = []
        if reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") {
            candidates.append(reference.hasPrefix("/") ? URL(fileURLWithPath: reference) : dir.appendingPathComponent(reference))
        } else {
            candidates.append(dir.appendingPathComponent("../\(folder)/\(reference).yaml"))
            candidates.append(dir.appendingPathComponent("\(reference).yaml"))
        }
        for c in candidates where FileManager.default.fileExists(atPath: c.standardizedFileURL.path) {
            return relativePath(c.standardizedFileURL.path)
        }
        guard InputExcerpt.isShort(reference) else {
            throw node.error(kind: .noInput, "\(kind) \(InputExcerpt.quoted(reference)) not found")
        }
        let looked = candidates.map { relativePath($0.standardizedFileURL.path) }.joined(separator: " or ")
        throw node.error(kind: .noInput, "\(kind) '\(reference)' not found: there is no \(looked)")
    }

    /// `path` relative to the working directory when it lies below it (for readable messages).
    static func relativePath(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}

/// Reading system files (`inputs/systems/*.yaml`).
public enum SystemDefinition {
    static let topKeys = ["name", "title", "description", "reference", "market_income", "components"]

    /// Reads a tax-benefit system file.
    ///
    /// ```yaml
    /// name: current_law
    /// market_income: [earnings, other_income]
    /// components:
    ///   - module: social_contributions
    ///     name: employee_contribution
    ///     parameters: {rate: 0.07, base: earnings, covered_labour_status: [1]}
    /// ```
    /// - Throws: ``InputError`` naming file, line and key for any defect.
    public static func read(file: String, catalog: ModuleCatalog, year: Int?) throws -> TaxBenefitSystem {
        let (root, digest) = try YAMLNode.loadWithDigest(file: file)
        var system = try read(root: root, catalog: catalog, year: year)
        system.sourceSHA256 = digest
        return system
    }

    /// Reads a system file already parsed (``YAMLNode/parse(_:file:)``).
    /// - Throws: ``InputError`` naming file, line and key for any defect.
    public static func read(root: YAMLNode, catalog: ModuleCatalog, year: Int?) throws -> TaxBenefitSystem {
        let file = root.file
        try ScenarioDefinition.checkKeys(try root.entries(), allowed: topKeys)
        let name = try root["name"]?.displayText() ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let title = try root["title"]?.displayText() ?? name
        guard let incomeNode = root["market_income"] else {
            throw root.error(kind: .missingKey, "the system needs 'market_income': the list of income variables it starts from (e.g. [earnings, other_income])")
        }
        let incomeItems: [YAMLNode]
        if case .scalar = incomeNode.content { incomeItems = [incomeNode] } else { incomeItems = try incomeNode.items() }
        let income = try ResolvedParameters.variableNames(incomeItems, TaxBenefitSystem.marketIncomeRequirement, key: "market_income")
        guard !income.isEmpty else { throw incomeNode.error(kind: .missingKey, "market_income is empty; list at least one income variable") }
        let components = try root["components"].map { try Self.components($0, catalog: catalog, year: year) } ?? []
        return try TaxBenefitSystem(name: name, title: title, source: file, marketIncome: income, components: components)
            .compilingDeclarations(year: year)
    }

    /// Reads a `components:` list.
    static func components(_ list: YAMLNode, catalog: ModuleCatalog, year: Int?) throws -> [TaxBenefitSystem.Component] {
        var result: [TaxBenefitSystem.Component] = []
        for item in try list.items() {
            try ScenarioDefinition.checkKeys(try item.entries(), allowed: ["module", "name", "label", "parameters", "declare"])
            let component: TaxBenefitSystem.Component
            if let declaration = item["declare"] {
                if let m = item["module"] ?? item["parameters"] {
                    throw m.error(kind: .inconsistent, "a component either names a 'module' with 'parameters' or is written with 'declare:', not both")
                }
                guard let nameNode = item["name"] else {
                    throw item.error(kind: .missingKey, "a declared component needs 'name' (snake_case, unique in the system)")
                }
                let name = try nameNode.text()
                try DeclaredComponentReader.checkName(name, nameNode, line: nameNode.line)
                component = TaxBenefitSystem.Component(name: name, moduleName: DeclaredModule.name,
                                                       module: PendingDeclaration(node: declaration, componentName: name), parameters: [:])
            } else {
                guard let moduleNode = item["module"] else { throw item.error(kind: .missingKey, "a component needs 'module': the name of a scenario module, or 'declare:' with its rules (docs/rules.md)") }
                component = try catalog.component(from: item, moduleNode: moduleNode, nameNode: item["name"],
                                                  parametersNode: item["parameters"], year: year)
            }
            if result.contains(where: { $0.name == component.name }) {
                throw item.error(kind: .duplicate, "two components are named \(InputExcerpt.quoted(component.name)); give one a different 'name'")
            }
            result.append(component)
        }
        return result
    }
}

extension ScenarioDefinition {
    /// Refuses a scenario whose baseline or reform has more benefit components
    /// than coverage figures can follow (``TaxBenefitSystem/coverageBenefitLimit``),
    /// before `compare`, `assess`, `report` or a projection computes any: a benefit
    /// past the limit would otherwise be left out of coverage and beneficiaries.
    ///
    /// - Throws: ``InputError`` (`unsupported`) naming the scenario file and the first benefit past the limit.
    public func requireCoverageTracking() throws {
        for (label, system) in [("baseline", baseline), ("reform", reform)] {
            let benefits = system.components.filter { $0.module.kind == .benefit }
            guard benefits.count > TaxBenefitSystem.coverageBenefitLimit else { continue }
            let first = benefits[TaxBenefitSystem.coverageBenefitLimit]
            // Too many benefits in the baseline alone are written in the baseline's own file.
            throw InputError(file: label == "baseline" ? (system.source ?? file) : file, field: "components", kind: .unsupported,
                "the \(label) system \(system.name) has \(benefits.count) benefit components, but coverage and beneficiaries of an option can follow at most \(TaxBenefitSystem.coverageBenefitLimit) ('\(first.name)' is the first past them); merge benefits into fewer components (scenario run, which reports no coverage, accepts it)")
        }
    }
}
