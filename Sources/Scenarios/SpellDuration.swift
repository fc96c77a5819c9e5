import SimKernel
#if canImport(Glibc)
import Glibc  // log, log1p
#elseif canImport(Darwin)
import Darwin
#endif

/// The distribution of the length of an unemployment spell, in months, with
/// a given mean: how ``UnemploymentInsurance`` gives each unemployed person of
/// a cross-section a spell.
///
/// - `geometric`: whole months 1, 2, 3, ... with P(D = d) = p (1 − p)^(d−1),
///   p = 1 / mean (mean ≥ 1); drawn by inversion, D = 1 + ⌊ln U / ln(1 − p)⌋
///   with U uniform on (0, 1) (D = 1 when the mean is 1). The discrete
///   analogue of a constant exit rate from unemployment.
/// - `exponential`: a real number of months, exponential with the mean
///   (GSL's `gsl_ran_exponential`); a fraction of a month is paid pro rata.
/// - `fixed`: every spell lasts exactly the mean (no draw).
enum SpellDuration: String, CaseIterable, Sendable {
    case geometric, exponential, fixed

    /// One spell length drawn with mean `mean` (months, ≥ 1).
    func draw(mean: Double, stream: () -> RandomStream) -> Double {
        switch self {
        case .fixed:
            return mean
        case .exponential:
            return stream().exponential(mean: mean)
        case .geometric:
            guard mean > 1 else { return 1 }
            let u = stream().uniformPositive()
            return 1 + (log(u) / log1p(-1 / mean)).rounded(.down)
        }
    }
}
