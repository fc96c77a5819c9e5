internal import CGSL

/// Probability distributions from GSL (`gsl_cdf_*`), behind Swift signatures.
enum GSLDistributions {
    /// Φ⁻¹(p), the standard normal quantile (GSL `gsl_cdf_ugaussian_Pinv`);
    /// ±∞ at p = 0 and 1.
    /// - Precondition: 0 ≤ p ≤ 1.
    static func normalQuantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "a probability must be from 0 to 1")
        return gsl_cdf_ugaussian_Pinv(p)
    }
}
