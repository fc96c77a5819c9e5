/// Why a welfare analysis could not be computed.
///
/// Cases carry what a person needs to fix the input: the stratum with a
/// single PSU, the option that is out of range. The command-line tool turns
/// ``lonelyPSU(stratum:)`` into an input error (exit status 65) naming the
/// data file and stratum column, and ``invalidOption(_:)`` into a usage
/// error (64).
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stratum has a single PSU and the design's rule is ``LonelyPSURule/fail``.
    case lonelyPSU(stratum: String)
    /// An option out of its range (a share ≤ 0, fewer than 2 replicates, ...).
    case invalidOption(String)
    /// Inputs that do not fit together (lengths, units), a programming error in the caller.
    case mismatch(String)

    public var description: String {
        switch self {
        case .lonelyPSU(let stratum):
            return "stratum \(stratum) has a single PSU, so the variance within it cannot be estimated; "
                + "merge it with a similar stratum in the data, or choose a rule: --lonely-psu remove "
                + "(the stratum adds no variance) or --lonely-psu adjust (its PSU is centred at zero, R survey's \"adjust\")"
        case .invalidOption(let message): return message
        case .mismatch(let message): return message
        }
    }
}
