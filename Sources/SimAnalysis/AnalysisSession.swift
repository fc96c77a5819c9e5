import Foundation
import Scenarios
import SimKernel

/// A survey loaded once, with its country profile and the baselines already
/// simulated on it: what `scenario compare`, the workshop page (`serve`),
/// `solve` and `sweep` compute options with, so that every front end gives
/// the same figures and a changed option re-runs only its reform.
///
/// ```swift
/// let session = try AnalysisSession(data: nil, columns: nil, country: "example", scenarios: [a, b])
/// let table = try session.compare([a, b], labels: ["A", "B"])     // = `simrun scenario compare A B --country example`
/// let richer = try ScenarioDocument(file: a.file).setting("amount_per_child", to: 40).definition()
/// let again = try session.compare([richer, b], labels: ["A (40)", "B"])   // A's and B's baselines reused
/// ```
///
/// Not safe to call from several threads at once (each call runs its own
/// parallel work); a server serialises calls to it.
public final class AnalysisSession: @unchecked Sendable {
    /// The survey file (or recipe, or binary survey) as the user named it.
    public let dataFile: String
    /// The country profile, when one was given or named by the scenarios.
    public let profile: CountryProfile?
    /// The survey, with every variable the options seen so far need.
    public private(set) var population: Population
    public let seed: UInt64
    public let simulator: Simulator
    public let rule: DisclosureRule
    /// The column map's file, `nil` when the data's own names are used.
    public let columnMapFile: String?
    /// The column map (model variable to file column), for messages naming the file's columns.
    public let columnMap: ColumnMap
    /// The baselines simulated so far on ``population``.
    public let baselines = BaselineCache()

    private let loader: SurveyLoader
    /// The variables the data file can provide (after the column map).
    public let available: Set<String>
    private var requests: [VariableRequest]

    /// Loads the survey and the profile.
    ///
    /// - Parameters:
    ///   - data: The survey; `nil` uses the example data all `scenarios` name (`data:`).
    ///   - columns: A column map file, or `nil`.
    ///   - country: A profile name under inputs/countries or a YAML path; `nil` uses the first
    ///     scenario's `costing.country` (none: costs in currency only).
    ///   - scenarios: The options to be compared first: their variables are loaded.
    ///   - seed: The seed of every random draw.
    ///   - plan: Threads (figures are identical for any number).
    ///   - rule: The disclosure rule of every figure.
    ///   - designVariables: Whether to load the survey design (`stratum`, `psu`) when the data has
    ///     it, for standard errors.
    ///   - extraVariables: Further variables to load, given the variables the data can provide
    ///     (the report's area column and ages, say).
    /// - Throws: `InputError` for missing or invalid data, column map or profile, and when the
    ///   scenarios name different example data and no `data` is given.
    public convenience init(data: String?, columns: String?, country: String?, scenarios: [ScenarioDefinition],
                            seed: UInt64 = 1, plan: ParallelPlan = ParallelPlan(),
                            rule: DisclosureRule = DisclosureRule(minimumObservations: 30, suppress: false),
                            designVariables: Bool = false,
                            extraVariables: (Set<String>) throws -> [VariableRequest] = { _ in [] }) throws {
        let file = try data ?? Self.commonData(of: scenarios)
        let map = try columns.map { try ColumnMap(file: $0) } ?? ColumnMap()
        try self.init(dataFile: file, columnMap: map, profile: try Self.profile(country, scenarios: scenarios),
                      scenarios: scenarios, seed: seed, plan: plan, rule: rule, designVariables: designVariables,
                      extraVariables: extraVariables)
    }

    /// Loads `dataFile` with the variables `scenarios` need (`OptionComparison/variables(of:costing:available:)`),
    /// plus, with `designVariables`, the survey design (`stratum`, `psu`) when the data has it (for standard
    /// errors; not loaded otherwise, so that a defect in a design column stops only what needs it).
    public init(dataFile: String, columnMap: ColumnMap, profile: CountryProfile?, scenarios: [ScenarioDefinition],
                seed: UInt64 = 1, plan: ParallelPlan = ParallelPlan(),
                rule: DisclosureRule = DisclosureRule(minimumObservations: 30, suppress: false),
                designVariables: Bool = false,
                extraVariables: (Set<String>) throws -> [VariableRequest] = { _ in [] }) throws {
        GSL.prepare()
        self.dataFile = dataFile
        self.profile = profile
        self.seed = seed
        self.simulator = Simulator(plan: plan)
        self.rule = rule
        columnMapFile = columnMap.source
        self.columnMap = columnMap
        loader = SurveyLoader(columnMap: columnMap, plan: plan)
        let available = try loader.availableVariables(in: dataFile)
        self.available = available
        var requests = OptionComparison.variables(of: scenarios, costing: profile != nil, available: available)
        if designVariables && available.contains(Variable.stratum.name) && available.contains(Variable.psu.name) {
            requests += [VariableRequest(.stratum, neededBy: "standard errors"), VariableRequest(.psu, neededBy: "standard errors")]
        }
        for r in try extraVariables(available) where !requests.contains(where: { $0.variable.name == r.variable.name }) {
            requests.append(r)
        }
        self.requests = requests
        population = try loader.load(file: dataFile, variables: requests)
    }

    /// Loads the survey again when `scenarios` need a variable not loaded yet (and forgets the baselines).
    public func prepare(for scenarios: [ScenarioDefinition], extra: [VariableRequest] = []) throws {
        let loaded = Set(requests.map(\.variable.name))
        let needed = OptionComparison.variables(of: scenarios, costing: profile != nil, available: available) + extra
        let missing = needed.filter { !loaded.contains($0.variable.name) }
        guard !missing.isEmpty else { return }
        var names = loaded
        var merged = requests
        for r in missing where names.insert(r.variable.name).inserted { merged.append(r) }
        population = try loader.load(file: dataFile, variables: merged)
        requests = merged
        baselines.removeAll()
        optionCache.removeAll()
        optionOrder.removeAll()
    }

    /// The options run side by side (`OptionComparison`), baselines reused from ``baselines``.
    ///
    /// - Parameters:
    ///   - scenarios: The options, in the order given.
    ///   - years: Projection years (needs a profile).
    ///   - method: How the projection years are computed.
    ///   - replication: The Monte Carlo replication (0-based) of stochastic parts: 0 runs with
    ///     ``seed``, `r` with `RunContext.seed(run: seed, replication: r)` (as `scenario run --replications`).
    ///   - keys: Per option, a text that changes whenever the option does (the workshop page: its YAML and
    ///     year). An option whose key was seen before, with the same years, method, replication and baseline
    ///     file, is not simulated again (``optionHits`` counts it): a change re-runs only the option that
    ///     changed, with the same bits. `nil`: every option simulated (baselines still cached).
    /// - Throws: `InputError` as `OptionComparison/init(scenarios:population:profile:years:simulator:context:method:baselines:)`,
    ///   and when `years` are given without a profile.
    public func comparison(_ scenarios: [ScenarioDefinition], years: ClosedRange<Int>? = nil,
                           method: ProjectionMethod = .scaled, replication: Int = 0, keys: [String]? = nil) throws -> OptionComparison {
        if years != nil && profile == nil {
            throw InputError(file: scenarios.first?.file ?? dataFile, kind: .missingKey,
                             "projection years need a country profile: give a country or costing.country in the scenario")
        }
        try prepare(for: scenarios)
        guard let keys, keys.count == scenarios.count, method != .microsim else {
            return try parts().comparison(scenarios, years: years, method: method, replication: replication)
        }
        let full = zip(scenarios, keys).map { scenario, key in
            "\(years.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "-")|\(method.rawValue)|\(replication)|\(scenario.baseline.sourceSHA256 ?? scenario.baseline.name)|\(key)"
        }
        let reuse = full.map { optionCache[$0] }
        optionHits += reuse.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        let comparison = try parts().comparison(scenarios, years: years, method: method, replication: replication, reuse: reuse)
        for (key, option) in zip(full, comparison.options) where optionCache[key] == nil {
            optionOrder.append(key)
            optionCache[key] = option
        }
        while optionOrder.count > Self.optionCapacity { optionCache[optionOrder.removeFirst()] = nil }
        return comparison
    }

    /// How many options' results the session keeps for ``comparison(_:years:method:replication:keys:)``.
    public static let optionCapacity = 8
    /// Options' results by key (the oldest dropped first).
    private var optionCache: [String: OptionComparison.Option] = [:]
    private var optionOrder: [String] = []
    /// How many options were taken from the session's results instead of simulated.
    public private(set) var optionHits = 0

    /// `scenario compare`'s figures for `scenarios`: the same rows, keys, flags and suppression.
    ///
    /// - Parameters:
    ///   - scenarios: The options, in the order given.
    ///   - labels: One column header per option.
    ///   - years: Projection years (needs a profile).
    ///   - method: How the projection years are computed.
    ///   - replication: The Monte Carlo replication (0-based), as ``comparison(_:years:method:replication:keys:)``.
    public func compare(_ scenarios: [ScenarioDefinition], labels: [String], years: ClosedRange<Int>? = nil,
                        method: ProjectionMethod = .scaled, replication: Int = 0) throws -> ComparisonTable {
        precondition(labels.count == scenarios.count, "one label per option")
        return ComparisonTable(comparison: try comparison(scenarios, years: years, method: method, replication: replication),
                               files: labels, rule: rule)
    }

    /// The session's survey, profile, baselines, rule and seed as they stand now, fixed; `threads`
    /// overrides the session's plan. What a sweep's workers compare variants with, side by side.
    public func parts(threads: Int? = nil) -> Parts {
        var simulator = self.simulator
        if let threads { simulator.plan = ParallelPlan(threads: threads) }
        return Parts(population: population, profile: profile, baselines: baselines, rule: rule, seed: seed, simulator: simulator)
    }

    /// What a comparison is computed from: a session's parts, fixed (``AnalysisSession/parts(threads:)``).
    ///
    /// Usable from several threads at once: every part is immutable but the baseline cache, which
    /// locks (the session itself serves one caller at a time, as it may reload the survey).
    public struct Parts: Sendable {
        public let population: Population
        public let profile: CountryProfile?
        public let baselines: BaselineCache
        public let rule: DisclosureRule
        public let seed: UInt64
        public let simulator: Simulator

        /// The one place a session's comparison is computed (``AnalysisSession/comparison(_:years:method:replication:keys:)``
        /// calls it after loading any variable the scenarios need; a sweep's workers call it directly).
        /// - Throws: `InputError` as `OptionComparison/init(scenarios:population:profile:years:simulator:context:method:baselines:)`.
        public func comparison(_ scenarios: [ScenarioDefinition], years: ClosedRange<Int>? = nil,
                               method: ProjectionMethod = .scaled, replication: Int = 0,
                               reuse: [OptionComparison.Option?]? = nil) throws -> OptionComparison {
            let context = RunContext(seed: RunContext.seed(run: seed, replication: replication), replication: replication)
            return try OptionComparison(scenarios: scenarios, population: population, profile: profile, years: years,
                                        simulator: simulator, context: context, method: method, baselines: baselines,
                                        reuse: reuse)
        }

        /// `scenario compare`'s figures for `scenarios` in replication `replication` (``comparison(_:years:method:replication:reuse:)``).
        public func compare(_ scenarios: [ScenarioDefinition], labels: [String], years: ClosedRange<Int>? = nil,
                            method: ProjectionMethod = .scaled, replication: Int = 0) throws -> ComparisonTable {
            precondition(labels.count == scenarios.count, "one label per option")
            return ComparisonTable(comparison: try comparison(scenarios, years: years, method: method, replication: replication),
                                   files: labels, rule: rule)
        }

        /// Whether the population holds every variable `scenarios` need (else the session must reload it first).
        public func hasVariables(for scenarios: [ScenarioDefinition]) -> Bool {
            OptionComparison.variables(of: scenarios, costing: profile != nil, available: [])
                .allSatisfy { population.has($0.variable.name) }
        }
    }

    // MARK: Inputs

    /// The example data every scenario names (`data:`), checked to exist.
    /// - Throws: `InputError` when they name none or different files.
    public static func commonData(of scenarios: [ScenarioDefinition]) throws -> String {
        let named = Set(scenarios.compactMap(\.defaultData))
        guard named.count == 1, scenarios.allSatisfy({ $0.defaultData != nil }), let file = try scenarios.first?.dataFile(given: nil) else {
            throw InputError(file: scenarios.first?.file ?? "scenarios", kind: .missingKey,
                             "the scenarios name \(named.isEmpty ? "no" : "different") example data; give the data file so that every option runs on the same survey")
        }
        return file
    }

    /// The country profile `given` (a name under inputs/countries or a YAML path), else the first
    /// scenario's `costing.country`, else `nil`.
    /// - Throws: `InputError` (`noInput`) when the named profile does not exist, and the profile's errors.
    public static func profile(_ given: String?, scenarios: [ScenarioDefinition]) throws -> CountryProfile? {
        if let given {
            let path = given.hasSuffix(".yaml") || given.contains("/") ? given : "inputs/countries/\(given).yaml"
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputError(file: path, kind: .noInput, "country profile '\(given)' not found (looked for \(path))")
            }
            return try CountryProfile(file: path)
        }
        return try scenarios.compactMap(\.costing.country).first.map { try CountryProfile(file: $0) }
    }
}
