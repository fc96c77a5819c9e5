internal import CGSL

/// A stream of random numbers from a GSL generator, reseeded for each unit
/// of work so that a draw depends only on its seed, never on threads,
/// chunking or the order of rows.
///
/// simrun derives a seed from (run seed, purpose, unit) with
/// ``RandomStream/seed(_:_:_:)`` and reseeds one generator per chunk of
/// work; the generator is GSL's `taus2` (L'Ecuyer's maximally equidistributed
/// Tausworthe generator, period 2^113), whose seeding is cheap enough to do
/// per household. No GSL type appears in the public interface.
///
/// Not `Sendable`: each chunk of parallel work makes its own stream.
public final class RandomStream {
    private let generator: OpaquePointer

    /// A stream seeded with `seed`.
    public init(seed: UInt64 = 0) {
        guard let r = gsl_rng_alloc(cgsl_rng_taus2()) else { fatalError("GSL could not allocate a random number generator (out of memory)") }
        generator = OpaquePointer(r)
        reseed(seed)
    }

    deinit { gsl_rng_free(UnsafeMutablePointer(generator)) }

    /// Restarts the stream from `seed`.
    public func reseed(_ seed: UInt64) {
        // taus2 treats seed 0 as its default seed; fold the 64 bits into GSL's unsigned long.
        gsl_rng_set(UnsafeMutablePointer(generator), UInt(truncatingIfNeeded: seed))
    }

    /// A uniform draw in [0, 1).
    @inline(__always)
    public func uniform() -> Double { gsl_rng_uniform(UnsafeMutablePointer(generator)) }

    /// A uniform draw in (0, 1): never exactly 0.
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(UnsafeMutablePointer(generator)) }

    /// A draw from N(0, σ²) (GSL's ziggurat method).
    public func gaussian(sigma: Double = 1) -> Double {
        gsl_ran_gaussian_ziggurat(UnsafeMutablePointer(generator), sigma)
    }

    /// A draw from the exponential distribution with mean `mean`.
    public func exponential(mean: Double) -> Double {
        gsl_ran_exponential(UnsafeMutablePointer(generator), mean)
    }

    /// A draw from the Poisson distribution with mean `mean`.
    public func poisson(mean: Double) -> Int {
        Int(gsl_ran_poisson(UnsafeMutablePointer(generator), mean))
    }

    /// A uniformly chosen integer in `0..<n` (n ≥ 1).
    public func integer(below n: Int) -> Int {
        precondition(n >= 1, "integer(below:) needs n >= 1")
        return Int(gsl_rng_uniform_int(UnsafeMutablePointer(generator), UInt(n)))
    }

    /// A seed mixing a run seed, a purpose and a unit (SplitMix64 finaliser on
    /// each step), so that different purposes and units get unrelated streams.
    ///
    /// - Parameters:
    ///   - runSeed: The seed of the run (`--seed`), combined with the replication.
    ///   - purpose: A value naming what the draws are for (e.g. a module's ``RandomStream/purpose(_:)``).
    ///   - unit: The unit of work (a household id, a replicate number).
    public static func seed(_ runSeed: UInt64, _ purpose: UInt64, _ unit: UInt64) -> UInt64 {
        mix(mix(mix(runSeed) ^ purpose) ^ unit)
    }

    /// A stable 64-bit value for a purpose name (FNV-1a of its UTF-8 bytes).
    public static func purpose(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return h
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
