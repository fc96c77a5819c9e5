import SimAnalysis
import SimKernel
import Foundation

/// A linear scale from data values to pixels, with "nice" ticks.
///
/// Ticks are 1, 2, 2.5 or 5 times a power of ten (Heckbert, "Nice numbers for graph
/// labels", Graphics Gems, 1990), chosen so about `targetTickCount` of them span the data;
/// the domain is widened to the outer ticks, so the first and last ticks sit on the ends
/// of the axis. Tick labels get just enough decimals (in the unit shown, e.g. percent) to
/// tell them apart. Counts never get ticks between whole numbers.
///
///     let scale = ChartScale(values: [0.004, 0.012], includesZero: true,
///                            format: .percent(decimals: 1), start: 300, end: 0)
///     scale.ticks           // [0, 0.002, 0.004, ..., 0.012]
///     scale.label(0.004)    // "0.4%"
///     scale.position(0.006) // 150
package struct ChartScale: Sendable, Equatable {
    /// The lowest value on the axis (the first tick).
    package let lower: Double
    /// The highest value on the axis (the last tick).
    package let upper: Double
    /// The tick values, from `lower` to `upper`.
    package let ticks: [Double]
    /// Decimals shown on tick labels, in the displayed unit.
    package let tickDecimals: Int
    /// How ticks read.
    package let format: ReportNumberFormat
    /// The pixel of `lower`.
    package let startPixel: Double
    /// The pixel of `upper`.
    package let endPixel: Double

    /// A scale spanning `values` (finite ones only) mapped onto the pixels `start` to `end`.
    ///
    /// - Parameters:
    ///   - values: The data; non-finite values are ignored. Empty gives the domain 0...1.
    ///   - includesZero: Whether the domain must reach zero (bars, costs).
    ///   - format: How ticks read; also decides the displayed unit for decimals.
    ///   - start: The pixel of `lower` (for a y axis, the bottom of the plot).
    ///   - end: The pixel of `upper` (for a y axis, the top of the plot).
    ///   - targetTickCount: About how many ticks to aim for (at least 2).
    package init(values: [Double], includesZero: Bool, format: ReportNumberFormat, start: Double, end: Double,
         targetTickCount: Int = 6) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if includesZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        if low == high {
            // One distinct value: zero gets 0...1; anything else ±10% around it (with
            // `includesZero` the domain already spans 0 to the value, so only zero lands here).
            if low == 0 {
                high = 1
            } else {
                let pad = abs(low) * 0.1
                low -= pad
                high += pad
            }
        }
        var step = Self.niceNumber((high - low) / Double(max(targetTickCount - 1, 1)))
        if case .count = format { step = max(step, 1) }
        let first = (low / step).rounded(.down)
        let last = (high / step).rounded(.up)
        let count = Int(last - first) + 1
        self.ticks = (0..<max(count, 2)).map { Self.clean((first + Double($0)) * step, step: step) }
        self.lower = ticks.first ?? low
        self.upper = ticks.last ?? high
        self.tickDecimals = Self.decimals(of: step * format.displayScale)
        self.format = format
        self.startPixel = start
        self.endPixel = end
    }

    /// The pixel of `value` (values outside the domain extrapolate).
    package func position(_ value: Double) -> Double {
        guard upper > lower else { return startPixel }
        return startPixel + (value - lower) / (upper - lower) * (endPixel - startPixel)
    }

    /// The pixel of zero, clamped to the axis (the base of every bar).
    package var zeroPosition: Double {
        position(min(max(0, lower), upper))
    }

    /// A tick's label, e.g. `1,000`, `0.4%`, `-2 pp`.
    package func label(_ value: Double) -> String {
        format.display(value, decimals: tickDecimals)
    }

    /// The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least `raw`.
    package static func niceNumber(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let power = Self.pow10(Int((log10(raw)).rounded(.down)))
        let fraction = raw / power
        let nice: Double
        if fraction <= 1 { nice = 1 } else if fraction <= 2 { nice = 2 } else if fraction <= 2.5 { nice = 2.5 }
        else if fraction <= 5 { nice = 5 } else { nice = 10 }
        return nice * power
    }

    /// The fewest decimals (0 to 10) that print every multiple of `step` exactly.
    package static func decimals(of step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        for digits in 0...10 {
            let scaled = step * Self.pow10(digits)
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return digits }
        }
        return 10
    }

    /// `value` with the floating-point noise of `k * step` removed (0.30000000000000004 → 0.3).
    private static func clean(_ value: Double, step: Double) -> Double {
        let digits = decimals(of: step) + 2
        let factor = Self.pow10(digits)
        let cleaned = (value * factor).rounded() / factor
        return cleaned == 0 ? 0 : cleaned
    }

    /// 10 raised to `exponent`, exact for the small exponents charts use.
    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(abs(exponent), 400) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
