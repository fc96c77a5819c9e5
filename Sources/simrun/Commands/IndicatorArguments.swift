import ArgumentParser
import SimKernel

/// What differs between the commands that share ``IndicatorArguments``: the
/// name of the bootstrap seed option (`scenario run` has a `--seed` of its
/// own, for the simulation), options that only one command has, and help
/// texts whose defaults differ.
protocol IndicatorArgumentsHost {
    /// Options shown between `--by` and `--age-bands` (`stats`: `--age COL`); ``NoArguments`` for none.
    associatedtype AgeOptions: ParsableArguments
    /// The long name of the bootstrap seed option, without dashes.
    static var seedOption: String { get }
    /// Help of `--line`.
    static var lineHelp: String { get }
    /// Help of `--relative-line`.
    static var relativeLineHelp: String { get }
    /// Help of `--equivalence`.
    static var equivalenceHelp: String { get }
}

/// No options.
struct NoArguments: ParsableArguments {}

/// The defaults of ``IndicatorArguments``' optional options.
enum IndicatorDefault {
    static let ageBands = "0-17,18-64,65+"
    static let relativeTo = "median"
    static let fgtAlpha = "0,1,2"
    static let quantiles = "0.1,0.2,0.25,0.5,0.75,0.8,0.9"
    static let quantileDefinition = "laeken"
    static let equivalence = "per-capita"
    static let childMaxAge = 13
    static let childWeight = 0.7
    static let elasticity = 0.7
    static let periodsPerYear = 12.0
    static let se = "none"
    static let replicates = 1000
    static let seed: UInt64 = 1
    static let bootstrapCI = "percentile"
    static let lonelyPSU = "fail"
}

/// The options of the statistics engine, shared by `simrun stats` and
/// `simrun scenario run`: poverty lines, FGT parameters, quantiles, the
/// equivalence scale, breakdowns, and how standard errors are computed.
///
/// Every scalar option is optional so that a command can tell whether it was
/// given (``isGiven``: `scenario run` adds its statistics only then); the
/// defaults are applied in ``settings(fixedLines:householdIncome:)`` and
/// stated in the help texts as ArgumentParser would state them.
struct IndicatorArguments<Host: IndicatorArgumentsHost>: ParsableArguments {
    @Option(name: .customLong("by"), help: ArgumentHelp("A categorical column to break every indicator down by (repeat for several). Default: none.", valueName: "col"))
    var by: [String] = []

    @OptionGroup var ageOptions: Host.AgeOptions

    @Option(name: .customLong("age-bands"), help: ArgumentHelp("Age bands for the breakdown by age, in years. (default: \(IndicatorDefault.ageBands))", valueName: "list"))
    var ageBandsOption: String?

    @Option(name: .customLong("line"), help: ArgumentHelp(Host.lineHelp, valueName: "z"))
    var line: [Double] = []

    @Option(name: .customLong("relative-line"), help: ArgumentHelp(Host.relativeLineHelp, valueName: "share"))
    var relativeLine: [Double] = []

    @Option(name: .customLong("relative-to"), help: ArgumentHelp("What relative lines are a share of: median or mean. (default: \(IndicatorDefault.relativeTo))", valueName: "median|mean"))
    var relativeToOption: String?

    @Option(name: .customLong("fgt-alpha"), help: ArgumentHelp("FGT parameters α >= 0, comma-separated. (default: \(IndicatorDefault.fgtAlpha))", valueName: "list"))
    var fgtAlphaOption: String?

    @Option(name: .customLong("quantiles"), help: ArgumentHelp("Probabilities of the quantiles to report, comma-separated, each from 0 to 1. (default: \(IndicatorDefault.quantiles))", valueName: "list"))
    var quantilesOption: String?

    @Option(name: .customLong("quantile-definition"), help: ArgumentHelp("Weighted quantile rule: laeken (laeken's weightedQuantile, EU-SILC) or survey (R survey's svyquantile default). (default: \(IndicatorDefault.quantileDefinition))", valueName: "laeken|survey"))
    var quantileDefinitionOption: String?

    @Option(name: .customLong("equivalence"), help: ArgumentHelp(Host.equivalenceHelp + " (default: \(IndicatorDefault.equivalence))", valueName: "name"))
    var equivalenceOption: String?

    @Option(name: .customLong("child-max-age"), help: ArgumentHelp("Oldest age, in years, counted as a child by the oecd-modified and parametric scales. (default: \(IndicatorDefault.childMaxAge))", valueName: "years"))
    var childMaxAgeOption: Int?

    @Option(name: .customLong("child-weight"), help: ArgumentHelp("Parametric scale (A + αK)^θ: the weight α of a child relative to an adult. (default: \(IndicatorDefault.childWeight))", valueName: "α"))
    var childWeightOption: Double?

    @Option(name: .customLong("elasticity"), help: ArgumentHelp("Parametric scale (A + αK)^θ: the elasticity θ from 0 to 1. (default: \(IndicatorDefault.elasticity))", valueName: "θ"))
    var elasticityOption: Double?

    @Option(name: .customLong("periods-per-year"), help: ArgumentHelp("Welfare periods per year, to state the poverty gap in money per year: 12 for monthly welfare, 1 for yearly. (default: \(IndicatorDefault.periodsPerYear))", valueName: "n"))
    var periodsPerYearOption: Double?

    @Option(name: .customLong("se"), help: ArgumentHelp("Standard errors: none, linearized (Taylor; means, totals, FGT and Watts at absolute lines, GE, Atkinson, Gini) or bootstrap (Rao-Wu; every indicator). (default: \(IndicatorDefault.se))", valueName: "method"))
    var seOption: String?

    @Option(name: .customLong("replicates"), help: ArgumentHelp("Bootstrap replicates (at least 2). (default: \(IndicatorDefault.replicates))", valueName: "B"))
    var replicatesOption: Int?

    @Option(name: .customLong(Host.seedOption), help: ArgumentHelp("Bootstrap seed: the same seed gives the same SEs on any number of threads. (default: \(IndicatorDefault.seed))", valueName: "s"))
    var seedOption: UInt64?

    @Option(name: .customLong("bootstrap-ci"), help: ArgumentHelp("Bootstrap 95% interval: percentile (R boot's 'perc') or normal (value ± 1.96 SE). (default: \(IndicatorDefault.bootstrapCI))", valueName: "percentile|normal"))
    var bootstrapCIOption: String?

    @Option(name: .customLong("lonely-psu"), help: ArgumentHelp("A stratum with one PSU: fail (stop, naming it), remove (it adds no variance) or adjust (centred at zero, R survey's 'adjust'). (default: \(IndicatorDefault.lonelyPSU))", valueName: "rule"))
    var lonelyPSUOption: String?

    // MARK: - Values with their defaults

    var ageBands: String { ageBandsOption ?? IndicatorDefault.ageBands }
    var relativeTo: String { relativeToOption ?? IndicatorDefault.relativeTo }
    var fgtAlpha: String { fgtAlphaOption ?? IndicatorDefault.fgtAlpha }
    var quantiles: String { quantilesOption ?? IndicatorDefault.quantiles }
    var quantileDefinition: String { quantileDefinitionOption ?? IndicatorDefault.quantileDefinition }
    var equivalence: String { equivalenceOption ?? IndicatorDefault.equivalence }
    var childMaxAge: Int { childMaxAgeOption ?? IndicatorDefault.childMaxAge }
    var childWeight: Double { childWeightOption ?? IndicatorDefault.childWeight }
    var elasticity: Double { elasticityOption ?? IndicatorDefault.elasticity }
    var periodsPerYear: Double { periodsPerYearOption ?? IndicatorDefault.periodsPerYear }
    var se: String { seOption ?? IndicatorDefault.se }
    var replicates: Int { replicatesOption ?? IndicatorDefault.replicates }
    var seed: UInt64 { seedOption ?? IndicatorDefault.seed }
    var bootstrapCI: String { bootstrapCIOption ?? IndicatorDefault.bootstrapCI }
    var lonelyPSU: String { lonelyPSUOption ?? IndicatorDefault.lonelyPSU }

    /// Whether any of these options is on the command line (``ageOptions`` aside).
    var isGiven: Bool {
        let scalars: [Any?] = [ageBandsOption, relativeToOption, fgtAlphaOption, quantilesOption, quantileDefinitionOption,
                               equivalenceOption, childMaxAgeOption, childWeightOption, elasticityOption, periodsPerYearOption,
                               seOption, replicatesOption, seedOption, bootstrapCIOption, lonelyPSUOption]
        return !by.isEmpty || !line.isEmpty || !relativeLine.isEmpty || scalars.contains { $0 != nil }
    }

    /// Range checks that need no other option.
    func check() throws {
        if replicates < 2 { throw ValidationError("--replicates must be at least 2 (got \(replicates))") }
        if childMaxAge < 0 { throw ValidationError("--child-max-age must be >= 0 (got \(childMaxAge))") }
    }

    /// The options turned into the engine's, every value checked (a bad one
    /// is a ``ValidationError``: exit status 64).
    ///
    /// - Parameters:
    ///   - fixedLines: Lines that always come first (`scenario run`: the
    ///     scenario's poverty line); a `--line` equal to one of them is not repeated.
    ///     With none and no `--line` or `--relative-line`, the line is 60% of the median.
    ///   - householdIncome: Whether welfare is household income, so that an equivalence scale applies.
    func settings(fixedLines: [PovertyLine] = [], householdIncome: Bool) throws -> StatsSettings {
        func list(_ text: String, _ option: String) throws -> [Double] {
            try text.split(separator: ",").map { part in
                guard let x = Double(part.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("\(option) takes comma-separated numbers (got '\(text)')")
                }
                return x
            }
        }
        func choice<T>(_ value: String, _ option: String, _ choices: [String: T]) throws -> T {
            guard let v = choices[value] else {
                throw ValidationError("\(option) must be one of \(choices.keys.sorted().joined(separator: ", ")) (got '\(value)')")
            }
            return v
        }
        let reference = try choice(relativeTo, "--relative-to", ["median": PovertyLine.Reference.median, "mean": .mean])
        let given = line.map { PovertyLine.absolute($0) } + relativeLine.map { PovertyLine.relative(share: $0, of: reference) }
        var lines = fixedLines + given.filter { !fixedLines.contains($0) }
        if lines.isEmpty { lines = [.relative(share: 0.6, of: reference)] }
        let options = IndicatorOptions(
            lines: lines, fgtAlphas: try list(fgtAlpha, "--fgt-alpha"), quantiles: try list(quantiles, "--quantiles"),
            quantileDefinition: try choice(quantileDefinition, "--quantile-definition",
                                           ["laeken": QuantileDefinition.laeken, "survey": .survey]),
            periodsPerYear: periodsPerYear)
        let interval = try choice(bootstrapCI, "--bootstrap-ci", ["percentile": BootstrapInterval.percentile, "normal": .normal])
        let inference = try choice(se, "--se", ["none": Inference.none, "linearized": .linearized,
                                                "bootstrap": .bootstrap(replicates: replicates, seed: seed, interval: interval)])
        let scale = try choice(equivalence, "--equivalence", [
            "per-capita": EquivalenceScale.perCapita, "oecd-modified": .oecdModified(childMaxAge: childMaxAge),
            "square-root": .squareRoot,
            "parametric": .parametric(adultWeight: 1, childWeight: childWeight, elasticity: elasticity, childMaxAge: childMaxAge),
        ])
        if scale != .perCapita && !householdIncome {
            throw ValidationError("--equivalence \(equivalence) applies to household income: give --household COL")
        }
        do {
            try options.validate()
            try scale.validate()
            return StatsSettings(options: options, inference: inference, scale: scale,
                                 ageBands: try AgeBand.parseList(ageBands),
                                 lonelyPSU: try choice(lonelyPSU, "--lonely-psu", ["fail": LonelyPSURule.fail, "remove": .remove, "adjust": .adjust]))
        } catch let error as AnalysisError {
            throw ValidationError(error.description)
        }
    }
}
