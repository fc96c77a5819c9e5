import ArgumentParser
import SimKernel

/// The `stats` (or `scenario run`) command line turned into the engine's options, every value
/// checked (a bad one is a ``ValidationError``: exit status 64).
struct StatsSettings {
    let options: IndicatorOptions
    let inference: Inference
    let scale: EquivalenceScale
    let ageBands: [AgeBand]
    let lonelyPSU: LonelyPSURule
}

extension StatsCommand {
    /// The command line's settings (see ``IndicatorArguments/settings(fixedLines:householdIncome:)``).
    func settings() throws -> StatsSettings {
        try indicators.settings(householdIncome: household != nil || householdTotal)
    }
}
