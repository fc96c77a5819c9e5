/// Calibrated weights and how the calibration went.
public struct CalibrationResult: Sendable {
    /// The calibrated weights, one per row: initial weight × ``ratios``.
    public let weights: [Double]
    /// Per row g = calibrated weight / initial weight.
    public let ratios: [Double]
    /// The iterations R's `grake()` counts: Newton steps plus step halvings
    /// (1 for linear calibration without bounds, solved in one step).
    public let iterations: Int
    /// The factor by which the initial weights were scaled before iterating
    /// (R's rescaling when every total is more than 20 times its sample
    /// total), or `nil`.
    public let rescaling: Double?
    /// The number of rows whose ratio was trimmed (0 without trimming).
    public let trimmedCount: Int
    /// Every margin cell's total and the calibrated weights' total, in margin order.
    public let deviations: [CalibrationDeviation]
    /// The seven ratio quantiles: minimum, 1%, 5%, median, 95%, 99%, maximum.
    public let ratioQuantiles: [CalibrationQuantile]

    /// The cell with the largest absolute deviation.
    public var largestAbsoluteDeviation: CalibrationDeviation? {
        deviations.max { $0.absolute < $1.absolute }
    }

    /// The cell with the largest relative deviation.
    public var largestRelativeDeviation: CalibrationDeviation? {
        deviations.max { $0.relative < $1.relative }
    }
}

/// One quantile of the ratios g: the unweighted quantile over rows, R's
/// `quantile(type = 7)` (linear interpolation between order statistics:
/// with sorted g₁ ≤ … ≤ gₙ and h = (n − 1)p, g_{⌊h⌋+1} + (h − ⌊h⌋)(g_{⌊h⌋+2} − g_{⌊h⌋+1})).
public struct CalibrationQuantile: Sendable, Equatable {
    /// The probability, 0 to 1.
    public let probability: Double
    /// The quantile of g.
    public let value: Double

    /// The probabilities reported: 0, 1%, 5%, 50%, 95%, 99%, 1.
    public static let probabilities: [Double] = [0, 0.01, 0.05, 0.5, 0.95, 0.99, 1]

    /// Type-7 quantiles of `values` at ``probabilities`` (empty if `values` is).
    static func summary(of values: [Double]) -> [CalibrationQuantile] {
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted()
        return probabilities.map { p in
            let h = Double(sorted.count - 1) * p
            let lo = Int(h.rounded(.down))
            let hi = Swift.min(lo + 1, sorted.count - 1)
            let value = sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
            return CalibrationQuantile(probability: p, value: value)
        }
    }
}

/// A margin cell after calibration: the known total and what the weights give.
public struct CalibrationDeviation: Sendable, Equatable {
    /// The margin (column) name.
    public let margin: String
    /// The category, or `nil` for a numeric margin.
    public let category: String?
    /// The known total.
    public let target: Double
    /// Σ weight × x over rows with the calibrated weights.
    public let achieved: Double

    /// |achieved − target|.
    public var absolute: Double { abs(achieved - target) }
    /// |achieved − target| / |target|; the absolute deviation when the target is 0.
    public var relative: Double { target == 0 ? absolute : absolute / abs(target) }

    /// "region=North" or "age".
    public var cell: String { category.map { "\(margin)=\($0)" } ?? margin }
}

/// Why weights cannot be calibrated. Rows are 0-based; front ends name
/// them in the file's terms.
public enum CalibrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An array has another length than the weights.
    case lengthMismatch(what: String, count: Int, expected: Int)
    /// A weight that is not a positive finite number.
    case badWeight(row: Int, value: Double)
    /// Two members of a household with different initial weights.
    case weightsDifferWithinHousehold(row: Int, otherRow: Int)
    /// No margins, or a margin named twice.
    case badMargins(String)
    /// A category index outside the margin's categories.
    case badCode(margin: String, row: Int, code: Int)
    /// A numeric auxiliary value that is not finite.
    case badValue(margin: String, row: Int, value: Double)
    /// A total that is not finite, or a negative count.
    case badTotal(margin: String, category: String?, value: Double)
    /// A category with a total but no rows: no weight can reach its total.
    case emptyCategory(margin: String, category: String)
    /// A numeric margin that is zero on every row but has a non-zero total.
    case zeroColumn(margin: String, total: Double)
    /// Two categorical margins whose totals add up to different grand totals.
    case contradictoryTotals(margin: String, total: Double, otherMargin: String, otherTotal: Double)
    /// Bounds or trimming limits that cannot be used.
    case badBounds(String)
    /// Trimming would leave no untrimmed row to take the trimmed weight.
    case trimmedEverything(lower: Double, upper: Double)
    /// No convergence within the iteration limit (usually bounds too tight for the totals).
    case notConverged(iterations: Int, largest: CalibrationDeviation)

    public var description: String {
        switch self {
        case .lengthMismatch(let what, let count, let expected):
            return "\(what) has \(count) values for \(expected) weights"
        case .badWeight(let row, let value):
            return "row \(row + 1): the weight \(value) is not a positive number; calibration needs every initial weight > 0"
        case .weightsDifferWithinHousehold(let row, let other):
            return "rows \(other + 1) and \(row + 1) are in one household but have different weights; household calibration needs equal initial weights within a household"
        case .badMargins(let why):
            return why
        case .badCode(let margin, let row, let code):
            return "margin \(margin), row \(row + 1): category index \(code) is not one of the margin's categories"
        case .badValue(let margin, let row, let value):
            return "margin \(margin), row \(row + 1): \(value) is not a finite number"
        case .badTotal(let margin, let category, let value):
            let cell = category.map { "\(margin)=\($0)" } ?? margin
            return "the total of \(cell) is \(value); expected a finite number\(category == nil ? "" : " ≥ 0")"
        case .emptyCategory(let margin, let category):
            return "category \(category) of \(margin) has a total but no observations in the data; remove it or check the category name"
        case .zeroColumn(let margin, let total):
            return "\(margin) is 0 on every row, so its weighted total cannot be \(total)"
        case .contradictoryTotals(let margin, let total, let other, let otherTotal):
            return "the totals of \(margin) add up to \(total) but those of \(other) to \(otherTotal) (difference \(total - otherTotal)); every categorical margin counts the same population, so their grand totals must be equal"
        case .badBounds(let why):
            return why
        case .trimmedEverything(let lower, let upper):
            return "every weight ratio is outside the trimming limits [\(lower), \(upper)], so nothing is left to take up the trimmed weight; widen --trim"
        case .notConverged(let iterations, let largest):
            return "calibration did not converge in \(iterations) iterations: the largest remaining deviation is \(largest.cell), "
                + "\(largest.achieved) for a total of \(largest.target) (relative \(largest.relative)); the bounds may be too tight for these totals: widen them"
        }
    }
}
