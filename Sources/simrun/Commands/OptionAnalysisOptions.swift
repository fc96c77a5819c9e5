import SimReport
import ArgumentParser
import Foundation
import SimAnalysis
import SimKernel

/// The statistics and Monte Carlo options `scenario compare` and `report` share with
/// `scenario run` and `assess`: `--se`, `--replicates`, `--bootstrap-seed`,
/// `--equivalence`, `--relative-line` and `--replications`, with the same meaning and
/// the same checks (each is validated by ``IndicatorArguments``, as `scenario run` does).
///
/// - `--se`: 95% confidence intervals of the changes in FGT(0-2) and the Gini (and of the
///   rows the two options below add), from the survey design (stratum, psu when the data has them).
/// - `--equivalence SCALE` (not per-capita): rows of the changes in FGT(0-2) and the Gini of
///   household disposable income over the scale, the scenario's poverty line per adult
///   equivalent, as `scenario run --equivalence` reports them; the other rows stay per capita.
/// - `--relative-line SHARE`: rows of the change in the poverty headcount at SHARE of each
///   system's median welfare.
/// - `--replications R`: every option is simulated R times (seeds derived from `--seed`, as
///   `scenario run --replications`); each figure is the mean and carries its Monte Carlo
///   band (2.5 and 97.5 percentiles). As in `scenario run`, it cannot be combined with the
///   three options above (their figures and intervals are those of one draw).
struct OptionAnalysisOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "95% confidence intervals of the changes in FGT(0-2) and the Gini, with the survey design (stratum, psu columns when present): none, linearized (Taylor) or bootstrap (Rao-Wu). Default: none.",
        valueName: "method"))
    var se: String = "none"

    @Option(name: .long, help: ArgumentHelp("Bootstrap replicates, with --se bootstrap. Default: 200.", valueName: "B"))
    var replicates: Int = 200

    @Option(name: .customLong("bootstrap-seed"), help: ArgumentHelp("Seed of the bootstrap replicates. Default: 1.", valueName: "s"))
    var bootstrapSeed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "Also give the changes in FGT(0-2) and the Gini of household disposable income over this equivalence scale (per-capita, oecd-modified, square-root or parametric; the scenario's poverty line is then per adult equivalent), as scenario run --equivalence does. Default: per-capita only.",
        valueName: "name"))
    var equivalence: String?

    @Option(name: .customLong("relative-line"), help: ArgumentHelp(
        "A relative poverty line as a share (> 0, at most 10) of the median of each system's welfare, e.g. 0.6; adds the change in the poverty headcount at it. Repeat for several. Default: none.",
        valueName: "share"))
    var relativeLine: [Double] = []

    @Option(name: .long, help: ArgumentHelp(
        "Simulate every option this many times (seeds derived from --seed), reporting each figure's mean and its 2.5-97.5 percentile band (Monte Carlo: take-up, durations, assessment errors). Default: 1.",
        valueName: "r"))
    var replications: Int = 1

    /// The options as the library takes them (``OptionStatistics``: the checks, the replications and the
    /// statistics rows live there, shared with the workshop page).
    var statistics: OptionStatistics {
        var s = OptionStatistics()
        s.se = se
        s.replicates = replicates
        s.bootstrapSeed = bootstrapSeed
        s.equivalence = equivalence
        s.relativeLines = relativeLine
        s.replications = replications
        return s
    }

    func validate() throws {
        do { try statistics.check() } catch { throw ValidationError(error.description) }
    }

    /// Says on standard error (unless `quiet`) when intervals are asked for on data without both stratum and psu.
    func noteMissingDesign(available: Set<String>, quiet: Bool) {
        if se != "none" && statistics.designRequests(available: available).isEmpty && !quiet {
            Diagnostics.note(OptionStatistics.noDesignNote)
        }
    }
}
