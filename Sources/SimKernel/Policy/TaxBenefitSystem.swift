/// A tax-benefit system: the market income it starts from and an ordered
/// list of components (taxes, contributions, benefits).
///
/// Components are applied in order, each seeing income after the ones
/// before it, so a means-tested benefit listed after the income tax tests
/// income after tax. A reform is a copy of the baseline system with some
/// components replaced (same ``Component/name``) or added; the baseline
/// itself is never changed.
public struct TaxBenefitSystem: Sendable {
    /// One component of a system.
    public struct Component: Sendable {
        /// The component's name in the system, unique within it (defaults to the module name).
        public let name: String
        /// The module's catalogue name.
        public let moduleName: String
        /// The configured module.
        public let module: any PolicyModule
        /// The parameter values used (for provenance).
        public let parameters: [String: ParameterValue]
        /// Where each parameter's value comes from (file and line, or the
        /// module default; ``ResolvedParameters/sources``), for traces; empty
        /// for a component built by a program.
        public let parameterSources: [String: ParameterSource]

        /// A component.
        ///
        /// - Parameters:
        ///   - name: The component's name in the system, unique within it.
        ///   - moduleName: The module's catalogue name.
        ///   - module: The configured module.
        ///   - parameters: The parameter values used (for provenance).
        ///   - parameterSources: Where each value comes from; default none (a component built by a program).
        public init(name: String, moduleName: String, module: any PolicyModule, parameters: [String: ParameterValue],
                    parameterSources: [String: ParameterSource] = [:]) {
            self.name = name
            self.moduleName = moduleName
            self.module = module
            self.parameters = parameters
            self.parameterSources = parameterSources
        }
    }

    /// The system's name (`current_law`).
    public let name: String
    /// A human title.
    public let title: String
    /// The file it was read from, if any.
    public let source: String?
    /// The SHA-256 of the bytes of ``source`` that were parsed (set by ``SystemDefinition/read(file:catalog:year:)``;
    /// `nil` for a system not read from a file, or derived from one, such as a scenario's reform).
    public internal(set) var sourceSHA256: String?
    /// Person-level variables summed into market income (`earnings`, `other_income`),
    /// each meeting ``marketIncomeRequirement``.
    public let marketIncome: [String]

    /// What a market income variable must be: money per month (a system
    /// file's `market_income` is checked against it when read).
    public static let marketIncomeRequirement = VariableRequirement.money
    /// Components in the order they apply.
    public let components: [Component]

    public init(name: String, title: String, source: String?, marketIncome: [String], components: [Component]) {
        self.name = name
        self.title = title
        self.source = source
        self.marketIncome = marketIncome
        self.components = components
    }

    /// This system with `changes` applied: a change whose name matches a
    /// component replaces it in place; the others are appended in order.
    public func applying(_ changes: [Component], name: String, title: String, source: String?) -> TaxBenefitSystem {
        var components = self.components
        for change in changes {
            if let i = components.firstIndex(where: { $0.name == change.name }) {
                components[i] = change
            } else {
                components.append(change)
            }
        }
        return TaxBenefitSystem(name: name, title: title, source: source, marketIncome: marketIncome, components: components)
    }

    /// How many benefit components coverage figures can follow
    /// (``SystemOutcome/componentMask`` has one bit per benefit component).
    public static let coverageBenefitLimit = 32

    /// Component `c`'s bit in the coverage mask (``SystemOutcome/componentMask``):
    /// the benefit components take bits 0, 1, ... in the system's order; a tax or
    /// contribution, or a benefit past ``coverageBenefitLimit``, has none (0).
    public func coverageBit(ofComponent c: Int) -> UInt32 {
        guard components[c].module.kind == .benefit else { return 0 }
        let ordinal = components[..<c].lazy.filter { $0.module.kind == .benefit }.count
        return ordinal < Self.coverageBenefitLimit ? 1 << UInt32(ordinal) : 0
    }

    /// The coverage bits of the components for which `include` holds.
    public func coverageBits(where include: (Component) -> Bool) -> UInt32 {
        var bits: UInt32 = 0
        for c in components.indices where include(components[c]) { bits |= coverageBit(ofComponent: c) }
        return bits
    }

    /// Every variable the system reads, with who reads it.
    public var variables: [VariableRequest] {
        marketIncome.map {
            VariableRequest(Self.marketIncomeRequirement.variable(named: $0), neededBy: "market income of system \(name)")
        }
            + components.flatMap { c in
                c.module.variables.map { VariableRequest($0.variable, neededBy: "module \(c.moduleName) (component \(c.name))") }
            }
    }
}
