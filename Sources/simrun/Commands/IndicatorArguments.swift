import SimReport
import ArgumentParser
import SimAnalysis
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

/// The defaults of ``IndicatorArguments``' optional options (one list, the library's).
typealias IndicatorDefault = IndicatorChoices.Default

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

    /// The options as the library's choices, the defaults filled in.
    var choices: IndicatorChoices {
        var c = IndicatorChoices()
        c.lines = line
        c.relativeLines = relativeLine
        if let ageBandsOption { c.ageBands = ageBandsOption }
        if let relativeToOption { c.relativeTo = relativeToOption }
        if let fgtAlphaOption { c.fgtAlpha = fgtAlphaOption }
        if let quantilesOption { c.quantiles = quantilesOption }
        if let quantileDefinitionOption { c.quantileDefinition = quantileDefinitionOption }
        if let equivalenceOption { c.equivalence = equivalenceOption }
        if let childMaxAgeOption { c.childMaxAge = childMaxAgeOption }
        if let childWeightOption { c.childWeight = childWeightOption }
        if let elasticityOption { c.elasticity = elasticityOption }
        if let periodsPerYearOption { c.periodsPerYear = periodsPerYearOption }
        if let seOption { c.se = seOption }
        if let replicatesOption { c.replicates = replicatesOption }
        if let seedOption { c.seed = seedOption }
        if let bootstrapCIOption { c.bootstrapCI = bootstrapCIOption }
        if let lonelyPSUOption { c.lonelyPSU = lonelyPSUOption }
        return c
    }

    var ageBands: String { choices.ageBands }
    var equivalence: String { choices.equivalence }
    var se: String { choices.se }

    /// Whether any of these options is on the command line (``ageOptions`` aside).
    var isGiven: Bool {
        let scalars: [Any?] = [ageBandsOption, relativeToOption, fgtAlphaOption, quantilesOption, quantileDefinitionOption,
                               equivalenceOption, childMaxAgeOption, childWeightOption, elasticityOption, periodsPerYearOption,
                               seOption, replicatesOption, seedOption, bootstrapCIOption, lonelyPSUOption]
        return !by.isEmpty || !line.isEmpty || !relativeLine.isEmpty || scalars.contains { $0 != nil }
    }

    /// Range checks that need no other option (``IndicatorChoices/check()``).
    func check() throws {
        do { try choices.check() } catch { throw ValidationError(error.description) }
    }

    /// The options turned into the engine's (``IndicatorChoices/settings(fixedLines:householdIncome:)``);
    /// a bad value is a ``ValidationError``: exit status 64.
    func settings(fixedLines: [PovertyLine] = [], householdIncome: Bool) throws -> StatsSettings {
        do { return try choices.settings(fixedLines: fixedLines, householdIncome: householdIncome) } catch {
            throw ValidationError(error.description)
        }
    }
}
