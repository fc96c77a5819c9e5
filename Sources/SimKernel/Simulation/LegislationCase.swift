import Foundation

/// Legislation tests as data: a hand-worked household, the rules it is run
/// under, and the amounts the law gives it (as OpenFisca's YAML tests).
///
/// A case file is a YAML list of cases:
///
/// ```yaml
/// - name: a child of 17 gets the grant, one of 18 does not
///   scenario: ../scenarios/universal-child-grant.yaml   # or system: ../systems/current_law.yaml
///   year: 2025                                          # optional: the simulated year
///   household:                                          # one mapping per member: variable: value
///     - {age: 40, sex: 1, labour_status: 1, earnings: 1000}
///     - {age: 17, sex: 2}
///     - {age: 18, sex: 1}
///   parameters:                                         # optional: parameters given anew, per system
///     reform: {universal_child_grant: {take_up_rate: 1}}
///   expected:                                           # monthly household amounts
///     reform: {universal_child_grant: 30, disposable_income: 885}
///     baseline: {personal_income_tax: 75}
///   absolute_error_margin: 0.005                        # or relative_error_margin; default 1e-9 absolute
/// ```
///
/// Paths are relative to the case file. A variable a member does not give has
/// the data's "none" for that member: 0 (no earnings, code 0), or -1 for
/// `months_since_birth` (no recent birth; 0 would be a birth last month). Expected keys are
/// component names (the household's monthly amount of that component, as a
/// positive number for taxes and contributions too) and `disposable_income`;
/// for a `system:` case `expected` lists them directly. `parameters` maps, per
/// system as `expected` does, component names to parameters that replace
/// those of the files, read and checked as a scenario file's
/// (``TaxBenefitSystem/overriding(_:catalog:year:what:)``): a case can set a
/// take-up rate of 1 to test what an eligible household gets. The household
/// is run through the same loader, checks and kernel as a survey (weight 1),
/// in the case's year.
public struct LegislationCase: Sendable {
    /// One comparison of an expected and a computed amount.
    public struct Check: Sendable {
        public let system: String
        public let key: String
        public let expected: Double
        public let computed: Double
        public let passed: Bool
    }

    public let file: String
    public let line: Int
    public let name: String
    let rules: Rules
    let household: HouseholdMembers
    let expected: [(system: String, key: String, value: Double, line: Int)]
    let absoluteMargin: Double
    let relativeMargin: Double?

    /// The systems the case runs (baseline and reform, or one system) and the simulated year.
    enum Rules: Sendable {
        case scenario(baseline: TaxBenefitSystem, reform: TaxBenefitSystem, year: Int?)
        case system(TaxBenefitSystem, year: Int?)
    }

    /// Reads every case of `file`.
    ///
    /// - Throws: ``InputError`` naming the file, line and key of a malformed case.
    public static func read(file: String, catalog: ModuleCatalog) throws -> [LegislationCase] {
        let root = try YAMLNode.load(file: file)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path }
        return try root.items().map { item in
            try ScenarioDefinition.checkKeys(try item.entries(), allowed: [
                "name", "scenario", "system", "year", "parameters", "household", "expected", "absolute_error_margin",
                "relative_error_margin"])
            guard let nameNode = item["name"] else { throw item.error(kind: .missingKey, "a case needs a name") }
            let name = try nameNode.displayText()
            let year = try item["year"].map { node -> Int in
                let y = try node.integer()
                guard (1900...2200).contains(y) else { throw node.error(kind: .outOfRange, "year \(y) is out of range; expected 1900 to 2200") }
                return y
            }
            let rules: Rules
            let overrides = item["parameters"]
            switch (item["scenario"], item["system"]) {
            case (let s?, nil):
                let scenario = try ScenarioDefinition(file: resolve(try s.text()), catalog: catalog, year: year)
                var baseline = scenario.baseline, reform = scenario.reform
                if let overrides {
                    try ScenarioDefinition.checkKeys(try overrides.entries(), allowed: ["baseline", "reform"])
                    if let b = overrides["baseline"] {
                        baseline = try baseline.overriding(b, catalog: catalog, year: scenario.year, what: "baseline system")
                    }
                    if let r = overrides["reform"] {
                        reform = try reform.overriding(r, catalog: catalog, year: scenario.year, what: "reform system")
                    }
                    try SurveyLoader.checkOneMeaning(baseline.variables + reform.variables, file: file)
                }
                rules = .scenario(baseline: baseline, reform: reform, year: scenario.year)
            case (nil, let s?):
                var system = try SystemDefinition.read(file: resolve(try s.text()), catalog: catalog, year: year)
                if let overrides {
                    system = try system.overriding(overrides, catalog: catalog, year: year, what: "system")
                    try SurveyLoader.checkOneMeaning(system.variables, file: file)
                }
                rules = .system(system, year: year)
            default:
                throw item.error(kind: .missingKey, "a case names either scenario: or system: (one of them)")
            }
            guard let householdNode = item["household"] else { throw item.error(kind: .missingKey, "a case needs a household: a list of members") }
            let household = try HouseholdMembers.read(householdNode)
            guard let expectedNode = item["expected"] else { throw item.error(kind: .missingKey, "a case needs expected amounts") }
            var expected: [(String, String, Double, Int)] = []
            func amounts(_ node: YAMLNode, system: String) throws {
                for e in try node.entries() { expected.append((system, e.key, try e.value.number(), e.keyLine)) }
            }
            switch rules {
            case .scenario:
                try ScenarioDefinition.checkKeys(try expectedNode.entries(), allowed: ["baseline", "reform"])
                if let b = expectedNode["baseline"] { try amounts(b, system: "baseline") }
                if let r = expectedNode["reform"] { try amounts(r, system: "reform") }
            case .system:
                try amounts(expectedNode, system: "system")
            }
            guard !expected.isEmpty else { throw expectedNode.error(kind: .missingKey, "a case needs at least one expected amount") }
            let absolute = try item["absolute_error_margin"].map { try $0.number() } ?? 1e-9
            let relative = try item["relative_error_margin"].map { try $0.number() }
            guard absolute >= 0, (relative ?? 0) >= 0 else { throw item.error(kind: .outOfRange, "error margins must be >= 0") }
            return LegislationCase(file: file, line: item.line, name: name, rules: rules, household: household,
                                   expected: expected.map { ($0.0, $0.1, $0.2, $0.3) },
                                   absoluteMargin: absolute, relativeMargin: relative)
        }
    }

    /// Runs the case: the household through the loader and the kernel, each expected amount compared.
    ///
    /// - Throws: ``InputError`` if the household is not valid data for the rules, or an expected key names
    ///   no component (kind ``InputError/Kind/unknownKey``); ``InputError/Kind/cannotCreate`` or
    ///   ``InputError/Kind/io`` if the household's scratch file cannot be written.
    public func run() throws -> [Check] {
        let systems: [(String, TaxBenefitSystem)]
        let year: Int?
        let variables: [VariableRequest]
        switch rules {
        case .scenario(let baseline, let reform, let y):
            systems = [("baseline", baseline), ("reform", reform)]
            year = y
            variables = baseline.variables + reform.variables
        case .system(let s, let y):
            systems = [("system", s)]
            year = y
            variables = s.variables
        }
        // The household as a one-household survey: the same loader and checks as real data.
        let population = try household.population(variables: variables, describedAs: "the household of case \(InputExcerpt.quoted(name))")
        var simulator = Simulator(plan: ParallelPlan(threads: 1))
        simulator.keepComponentColumns = true
        let outcomes = simulator.run(systems.map(\.1), on: population, context: RunContext(seed: 1, year: year))
        return try expected.map { e in
            guard let s = systems.firstIndex(where: { $0.0 == e.system }) else { preconditionFailure("checked when read") }
            let outcome = outcomes[s]
            let computed: Double
            if e.key == "disposable_income" {
                computed = outcome.disposableIncome.values[0]
            } else if let c = outcome.components.first(where: { $0.name == e.key }) {
                computed = c.amount.values[0]
            } else {
                var message = "no component '\(e.key)' in the " + (e.system == "system" ? "system" : "\(e.system) system")
                let known = outcome.components.map(\.name) + ["disposable_income"]
                if let near = closestMatch(to: e.key, in: known) { message += "; did you mean '\(near)'?" }
                throw InputError(file: file, line: e.line, field: "expected.\(e.system == "system" ? "" : e.system + ".")\(e.key)",
                                 kind: .unknownKey, message)
            }
            let margin = max(absoluteMargin, (relativeMargin ?? 0) * abs(e.value))
            return Check(system: e.system, key: e.key, expected: e.value, computed: computed,
                         passed: abs(computed - e.value) <= margin)
        }
    }
}
