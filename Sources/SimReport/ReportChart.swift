import SimAnalysis
import SimKernel
import Foundation

/// A chart of a report, drawn as inline SVG by ``SVGChartRenderer``.
///
/// Three kinds cover what a national dialogue asks to see:
/// - ``LineChart``: years along x, one line per series (cost as % of GDP per option);
/// - ``GroupedBarChart``: categories along x, one bar per series in each (poverty headcount
///   by age group before and after each option; mean gain by decile);
/// - ``StackedBarChart``: one horizontal bar per category, its segments stacked (share of
///   persons losing, unchanged, gaining). Negative values stack left of zero, so passing
///   the losing share as a negative number gives a diverging chart.
///
/// A missing or suppressed value is `nil` in its series: it is not drawn, and the chart
/// says so under the plot. A chart with no finite value at all shows a message instead.
package enum ReportChart: Sendable, Equatable {
    /// A line chart over years.
    case line(LineChart)
    /// Vertical bars grouped by category.
    case groupedBar(GroupedBarChart)
    /// Horizontal stacked (or diverging) bars.
    case stackedBar(StackedBarChart)

    /// The chart's title.
    package var title: String {
        switch self {
        case .line(let chart): return chart.title
        case .groupedBar(let chart): return chart.title
        case .stackedBar(let chart): return chart.title
        }
    }

    /// The chart's note (source or reading aid), printed under it.
    package var note: String? {
        switch self {
        case .line(let chart): return chart.note
        case .groupedBar(let chart): return chart.note
        case .stackedBar(let chart): return chart.note
        }
    }
}

/// Lines over years: `series[i].values[j]` is the value in `years[j]`.
///
///     LineChart(title: "Annual cost of each option",
///               years: Array(2026...2035),
///               valueAxis: ChartAxis(label: "Cost", unit: "% of GDP", format: .percent(decimals: 1)),
///               series: [ChartSeries("Child grant", values: [0.0041, 0.0043, ...])])
package struct LineChart: Sendable, Equatable {
    /// The title above the chart.
    package var title: String
    /// The years along x, increasing.
    package var years: [Int]
    /// The label of the x axis.
    package var yearAxisLabel: String
    /// The y axis: label, unit, tick format.
    package var valueAxis: ChartAxis
    /// One line each, with one value per year.
    package var series: [ChartSeries]
    /// A note under the chart.
    package var note: String?

    /// A line chart; see the type's documentation.
    package init(title: String, years: [Int], yearAxisLabel: String = "Year", valueAxis: ChartAxis,
         series: [ChartSeries], note: String? = nil) {
        self.title = title
        self.years = years
        self.yearAxisLabel = yearAxisLabel
        self.valueAxis = valueAxis
        self.series = series
        self.note = note
    }
}

/// Vertical bars: `series[i].values[j]` is the bar of series `i` in category `j`.
///
/// Bars start at zero, so negative values (losses) go down from the zero line. When a
/// series carries intervals they are drawn as whiskers.
package struct GroupedBarChart: Sendable, Equatable {
    /// The title above the chart.
    package var title: String
    /// The categories along x, e.g. age groups or deciles.
    package var categories: [String]
    /// The label of the x axis.
    package var categoryAxisLabel: String
    /// The y axis: label, unit, tick format.
    package var valueAxis: ChartAxis
    /// One bar per category each.
    package var series: [ChartSeries]
    /// A note under the chart.
    package var note: String?

    /// A grouped bar chart; see the type's documentation.
    package init(title: String, categories: [String], categoryAxisLabel: String, valueAxis: ChartAxis,
         series: [ChartSeries], note: String? = nil) {
        self.title = title
        self.categories = categories
        self.categoryAxisLabel = categoryAxisLabel
        self.valueAxis = valueAxis
        self.series = series
        self.note = note
    }
}

/// Horizontal stacked bars: `segments[i].values[j]` is segment `i` of the bar of category `j`.
///
/// Positive values stack right from zero in segment order, negative ones left, so
/// `[losing (negative), unchanged, gaining]` draws losers left of the zero line.
package struct StackedBarChart: Sendable, Equatable {
    /// The title above the chart.
    package var title: String
    /// One bar each, top to bottom (e.g. options or deciles).
    package var categories: [String]
    /// The label of the category axis.
    package var categoryAxisLabel: String
    /// The value axis along x: label, unit, tick format.
    package var valueAxis: ChartAxis
    /// The segments of every bar, in stacking order.
    package var segments: [ChartSeries]
    /// A note under the chart.
    package var note: String?

    /// A stacked bar chart; see the type's documentation.
    package init(title: String, categories: [String], categoryAxisLabel: String, valueAxis: ChartAxis,
         segments: [ChartSeries], note: String? = nil) {
        self.title = title
        self.categories = categories
        self.categoryAxisLabel = categoryAxisLabel
        self.valueAxis = valueAxis
        self.segments = segments
        self.note = note
    }
}
