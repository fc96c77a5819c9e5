import SimAnalysis
import SimKernel
import Foundation

/// One named series of a chart: a line, a set of bars, or a segment of stacked bars.
///
/// `values[j]` belongs to the chart's `j`-th year or category; `nil` marks a missing or
/// suppressed value, which is not drawn (the chart says so). NaN and infinities count as
/// missing too. A series shorter than the categories is missing at the end.
///
///     ChartSeries("Child grant", values: [0.12, 0.08, nil])
///     ChartSeries("Losing", values: [-0.05, -0.10], color: .vermillion)
package struct ChartSeries: Sendable, Equatable {
    /// The name in the legend.
    package var name: String
    /// One value per year or category, in the stored unit of the axis format.
    package var values: [Double?]
    /// 95% intervals per value (grouped bars draw them as whiskers), or empty.
    package var intervals: [ReportInterval?]
    /// A fixed colour; `nil` takes the next colour of the palette.
    package var color: ChartColor?

    /// A series named `name`.
    package init(_ name: String, values: [Double?], intervals: [ReportInterval?] = [], color: ChartColor? = nil) {
        self.name = name
        self.values = values
        self.intervals = intervals
        self.color = color
    }

    /// The finite value at `index`, or `nil` if it is missing, NaN or infinite.
    package func value(at index: Int) -> Double? {
        guard values.indices.contains(index), let value = values[index], value.isFinite else { return nil }
        return value
    }

    /// The interval at `index`, if both bounds are finite.
    package func interval(at index: Int) -> ReportInterval? {
        guard intervals.indices.contains(index), let interval = intervals[index],
            interval.lower.isFinite, interval.upper.isFinite
        else { return nil }
        return interval
    }
}

/// An axis of a chart: what it measures, in which unit, and how its ticks read.
///
///     ChartAxis(label: "Poverty headcount", unit: "% of persons", format: .percent(decimals: 0))
///
/// The title drawn is `label (unit)`. Ticks are "nice" numbers (1, 2 or 5 times a power
/// of ten) shown in `format` with just enough decimals to tell them apart.
package struct ChartAxis: Sendable, Equatable {
    /// What the axis measures.
    package var label: String
    /// Its unit, e.g. `% of GDP`, `currency per month`.
    package var unit: String?
    /// How tick labels and value labels read.
    package var format: ReportNumberFormat
    /// Whether the axis always reaches zero (`true` by default; bars always do).
    package var includesZero: Bool

    /// An axis; see the type's documentation.
    package init(label: String, unit: String? = nil, format: ReportNumberFormat, includesZero: Bool = true) {
        self.label = label
        self.unit = unit
        self.format = format
        self.includesZero = includesZero
    }

    /// `label (unit)` or the label alone.
    package var title: String {
        guard let unit, !unit.isEmpty else { return label }
        return "\(label) (\(unit))"
    }
}

/// The colours of report charts: the Okabe-Ito palette, distinguishable with the common
/// forms of colour blindness, plus a neutral grey.
///
/// Source: Okabe, M. and Ito, K. (2008), "Color Universal Design (CUD): how to make
/// figures and presentations that are friendly to colorblind people". Series take the
/// colours in ``palette`` order (blue first; yellow, the weakest on white, last). Lines
/// also differ by dash pattern and marker shape, so a chart still reads in black and white.
package enum ChartColor: String, Sendable, CaseIterable, Equatable {
    /// Okabe-Ito's eight colours by their names in the paper, then a neutral grey (#999999).
    case blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, yellow, black, grey

    /// The hex RGB value used in SVG.
    package var hex: String {
        switch self {
        case .blue: return "#0072B2"
        case .orange: return "#E69F00"
        case .bluishGreen: return "#009E73"
        case .vermillion: return "#D55E00"
        case .reddishPurple: return "#CC79A7"
        case .skyBlue: return "#56B4E9"
        case .yellow: return "#F0E442"
        case .black: return "#000000"
        case .grey: return "#999999"
        }
    }

    /// Whether dark text reads better on this colour than white text.
    package var prefersDarkText: Bool {
        switch self {
        case .orange, .skyBlue, .yellow, .grey, .reddishPurple: return true
        case .blue, .bluishGreen, .vermillion, .black: return false
        }
    }

    /// The order in which series without a fixed colour take colours.
    package static let palette: [ChartColor] = [.blue, .orange, .bluishGreen, .vermillion, .reddishPurple, .skyBlue, .yellow, .black]

    /// The colour of the `index`-th series: its own, or the palette's (cycling).
    package static func forSeries(_ series: ChartSeries, at index: Int) -> ChartColor {
        series.color ?? palette[index % palette.count]
    }
}
