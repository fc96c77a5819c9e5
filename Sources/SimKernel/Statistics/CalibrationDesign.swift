/// How calibrated weights may move: a distance function, as R survey's
/// `calibrate(calfun = ...)`.
///
/// With g = final weight / initial weight and u = xᵢ'η (the row's auxiliary
/// values times the Lagrange multipliers η), each method sets gᵢ = 1 + F(uᵢ)
/// (survey's `Fm1`), with bounds L < 1 < U (``CalibrationBounds``):
///
/// - ``linear``: F(u) = min(max(1 + u, L), U) − 1 (GREG, the chi-square
///   distance; with bounds, R's truncated linear method);
/// - ``raking``: F(u) = min(max(eᵘ, L), U) − 1 (multiplicative raking; with
///   bounds, truncated);
/// - ``logit``: F(u) = (L(U−1) + U(1−L)e^{Au}) / (U−1 + (1−L)e^{Au}) − 1 with
///   A = (U−L)/((U−1)(1−L)), so L < g < U; needs finite bounds.
///
/// Reference: Deville and Särndal (1992), "Calibration estimators in survey
/// sampling", JASA 87; Lumley, survey 4.1.1, `cal.linear`, `cal.raking`, `cal.logit`.
public enum CalibrationMethod: String, Sendable, CaseIterable, CustomStringConvertible {
    /// GREG: g = 1 + u, truncated to the bounds.
    case linear
    /// Multiplicative raking: g = eᵘ, truncated to the bounds.
    case raking
    /// Logit: g between the (finite) bounds, smoothly.
    case logit

    public var description: String { rawValue }
}

/// Limits on a ratio g (final weight / initial weight): `lower` ≤ g ≤ `upper`.
///
/// Used twice: as the calibration bounds (R's `bounds = c(L, U)`), which the
/// Newton iteration respects, and as the trimming limits (R's `trim`), applied
/// once after convergence. ``unbounded`` (−∞, +∞) is R's default.
public struct CalibrationBounds: Sendable, Equatable, CustomStringConvertible {
    /// The smallest ratio allowed.
    public var lower: Double
    /// The largest ratio allowed.
    public var upper: Double

    /// Ratios between `lower` and `upper`.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// No limits: (−∞, +∞).
    public static let unbounded = CalibrationBounds(lower: -.infinity, upper: .infinity)

    /// Whether both limits are infinite (no bound at all).
    public var isUnbounded: Bool { lower == -.infinity && upper == .infinity }

    public var description: String { "[\(lower), \(upper)]" }
}

/// The settings of one calibration (R survey's `calibrate()` arguments).
public struct CalibrationOptions: Sendable, Equatable {
    /// The distance function.
    public var method: CalibrationMethod
    /// Bounds on g = final / initial weight during the iteration (R's `bounds`).
    /// Finite bounds need `lower < 1 < upper`; logit needs finite bounds.
    public var bounds: CalibrationBounds
    /// Trimming limits on g after convergence (R's `trim`), or `nil` for none.
    public var trim: CalibrationBounds?
    /// The stopping tolerance (R's `epsilon`, default 1e-7): the iteration stops
    /// when every |misfit_j| / (1 + |total_j|) < epsilon.
    public var epsilon: Double
    /// The largest number of iterations (R's `maxit`, default 50).
    public var maxIterations: Int

    /// Options; the defaults are R survey's.
    public init(method: CalibrationMethod = .linear, bounds: CalibrationBounds = .unbounded, trim: CalibrationBounds? = nil,
                epsilon: Double = 1e-7, maxIterations: Int = 50) {
        self.method = method
        self.bounds = bounds
        self.trim = trim
        self.epsilon = epsilon
        self.maxIterations = maxIterations
    }
}

/// One known total (or set of totals) that calibrated weights must reproduce.
///
/// ```swift
/// let sex = CalibrationMargin(name: "sex", codes: sexCodes, categories: ["male", "female"], totals: [4136452, 4197017])
/// let income = CalibrationMargin(name: "earnings", values: earnings, total: 2.1e10)
/// ```
public struct CalibrationMargin: Sendable {
    /// A margin's data and totals.
    public enum Values: Sendable {
        /// Per row the index (0..<categories.count) of its category; one total per category
        /// (the weighted count of rows in it). The first category is the reference level
        /// (R's first factor level).
        case categorical(codes: [Int], categories: [String], totals: [Double])
        /// Per row a number; the weighted sum of the numbers must equal `total`.
        case numeric(values: [Double], total: Double)
    }

    /// The margin's name (the data column), used in messages and diagnostics.
    public let name: String
    /// Its data and totals.
    public let values: Values

    /// A categorical margin: row `i` is in category `codes[i]`; category `k`'s weighted count must be `totals[k]`.
    public init(name: String, codes: [Int], categories: [String], totals: [Double]) {
        self.name = name
        self.values = .categorical(codes: codes, categories: categories, totals: totals)
    }

    /// A numeric margin: the weighted sum of `values` must be `total`.
    public init(name: String, values: [Double], total: Double) {
        self.name = name
        self.values = .numeric(values: values, total: total)
    }

    /// The number of rows.
    public var rowCount: Int {
        switch values {
        case .categorical(let codes, _, _): return codes.count
        case .numeric(let values, _): return values.count
        }
    }
}

/// What calibration calibrates: the auxiliary variables with their totals,
/// and optionally the households whose members must keep equal weights.
public struct CalibrationDesign: Sendable {
    /// The margins, in order (the order fixes R's design matrix: an intercept
    /// when any margin is categorical, then each categorical margin's
    /// categories but the first, and each numeric margin's column).
    public let margins: [CalibrationMargin]
    /// Per row, its household (any integer; rows with the same number are one
    /// household), or `nil` to calibrate rows independently.
    ///
    /// With households, calibration is done on household means of every
    /// auxiliary column and of the weights (R's `aggregate.stage = 1` on a
    /// design clustered by household), so every member gets the same ratio g:
    /// the constraints become household totals of the auxiliary variables.
    /// Initial weights must then be equal within a household.
    public let households: [Int]?

    /// A design with `margins` and, optionally, a household for each row.
    public init(margins: [CalibrationMargin], households: [Int]? = nil) {
        self.margins = margins
        self.households = households
    }
}
