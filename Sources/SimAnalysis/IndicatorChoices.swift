import SimKernel

/// A value the user chose that cannot be used (an unknown `--se` method, a list that is not
/// numbers, a scale that needs household income): the command line's exit status 64
/// (`EX_USAGE`), the page's error next to the control.
///
/// The library speaks the command line's option names (`--se`, `--fgt-alpha`), which the
/// documentation and the page use too, so a message reads the same everywhere.
package struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// The statistics engine's settings, every value checked: what ``IndicatorChoices`` become.
package struct StatsSettings: Sendable {
    package let options: IndicatorOptions
    package let inference: Inference
    package let scale: EquivalenceScale
    package let ageBands: [AgeBand]
    package let lonelyPSU: LonelyPSURule
}

/// The choices of the statistics engine as a user states them (`simrun stats`, `scenario run`,
/// the options of `compare` and `report`, the workshop page): poverty lines, FGT parameters,
/// quantiles, the equivalence scale, age bands and how standard errors are computed, as text
/// and numbers with their documented defaults.
///
/// ``settings(fixedLines:householdIncome:)`` is the one place they are checked and turned
/// into the engine's ``StatsSettings``; every command and the page call it, so the same bad
/// value gets the same message everywhere.
package struct IndicatorChoices: Sendable, Equatable {
    /// The defaults, as the help texts state them.
    package enum Default {
        package static let ageBands = "0-17,18-64,65+"
        package static let relativeTo = "median"
        package static let fgtAlpha = "0,1,2"
        package static let quantiles = "0.1,0.2,0.25,0.5,0.75,0.8,0.9"
        package static let quantileDefinition = "laeken"
        package static let equivalence = "per-capita"
        package static let childMaxAge = 13
        package static let childWeight = 0.7
        package static let elasticity = 0.7
        package static let periodsPerYear = 12.0
        package static let se = "none"
        package static let replicates = 1000
        package static let seed: UInt64 = 1
        package static let bootstrapCI = "percentile"
        package static let lonelyPSU = "fail"
    }

    /// Absolute poverty lines (`--line`).
    package var lines: [Double] = []
    /// Relative lines as shares (`--relative-line`).
    package var relativeLines: [Double] = []
    package var ageBands = Default.ageBands
    package var relativeTo = Default.relativeTo
    package var fgtAlpha = Default.fgtAlpha
    package var quantiles = Default.quantiles
    package var quantileDefinition = Default.quantileDefinition
    package var equivalence = Default.equivalence
    package var childMaxAge = Default.childMaxAge
    package var childWeight = Default.childWeight
    package var elasticity = Default.elasticity
    package var periodsPerYear = Default.periodsPerYear
    package var se = Default.se
    package var replicates = Default.replicates
    package var seed = Default.seed
    package var bootstrapCI = Default.bootstrapCI
    package var lonelyPSU = Default.lonelyPSU

    package init() {}

    /// Range checks that need no other choice.
    /// - Throws: ``UsageError``.
    package func check() throws(UsageError) {
        if replicates < 2 { throw UsageError("--replicates must be at least 2 (got \(replicates))") }
        if childMaxAge < 0 { throw UsageError("--child-max-age must be >= 0 (got \(childMaxAge))") }
    }

    /// The choices turned into the engine's settings, every value checked.
    ///
    /// - Parameters:
    ///   - fixedLines: Lines that always come first (`scenario run`: the scenario's poverty
    ///     line); a `--line` equal to one of them is not repeated. With none and no `--line` or
    ///     `--relative-line`, the line is 60% of the median.
    ///   - householdIncome: Whether welfare is household income, so that an equivalence scale applies.
    /// - Throws: ``UsageError`` naming the option and what it takes.
    package func settings(fixedLines: [PovertyLine] = [], householdIncome: Bool) throws(UsageError) -> StatsSettings {
        func list(_ text: String, _ option: String) throws(UsageError) -> [Double] {
            var out: [Double] = []
            for part in text.split(separator: ",") {
                guard let x = Double(part.trimmingCharacters(in: .whitespaces)) else {
                    throw UsageError("\(option) takes comma-separated numbers (got '\(text)')")
                }
                out.append(x)
            }
            return out
        }
        func choice<T>(_ value: String, _ option: String, _ choices: [String: T]) throws(UsageError) -> T {
            guard let v = choices[value] else {
                throw UsageError("\(option) must be one of \(choices.keys.sorted().joined(separator: ", ")) (got '\(value)')")
            }
            return v
        }
        let reference = try choice(relativeTo, "--relative-to", ["median": PovertyLine.Reference.median, "mean": .mean])
        let given = lines.map { PovertyLine.absolute($0) } + relativeLines.map { PovertyLine.relative(share: $0, of: reference) }
        var all = fixedLines + given.filter { !fixedLines.contains($0) }
        if all.isEmpty { all = [.relative(share: 0.6, of: reference)] }
        let options = IndicatorOptions(
            lines: all, fgtAlphas: try list(fgtAlpha, "--fgt-alpha"), quantiles: try list(quantiles, "--quantiles"),
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
            throw UsageError("--equivalence \(equivalence) applies to household income: give --household COL")
        }
        let lonely = try choice(lonelyPSU, "--lonely-psu", ["fail": LonelyPSURule.fail, "remove": .remove, "adjust": .adjust])
        do {
            try options.validate()
            try scale.validate()
            return StatsSettings(options: options, inference: inference, scale: scale,
                                 ageBands: try AgeBand.parseList(ageBands), lonelyPSU: lonely)
        } catch let error as AnalysisError {
            throw UsageError(error.description)
        } catch {
            throw UsageError(String(describing: error))
        }
    }
}
