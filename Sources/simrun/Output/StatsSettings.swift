import ArgumentParser
import SimKernel

/// The `stats` command line turned into the engine's options, every value
/// checked (a bad one is a ``ValidationError``: exit status 64).
struct StatsSettings {
    let options: IndicatorOptions
    let inference: Inference
    let scale: EquivalenceScale
    let ageBands: [AgeBand]
    let lonelyPSU: LonelyPSURule
}

extension StatsCommand {
    func settings() throws -> StatsSettings {
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
        var lines = line.map { PovertyLine.absolute($0) } + relativeLine.map { PovertyLine.relative(share: $0, of: reference) }
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
        if scale != .perCapita && household == nil {
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
