import SimAnalysis
import SimKernel
import Foundation

/// Line charts: years along x, one line per series.
extension SVGChartRenderer {
    /// A line chart as one `<svg>` element.
    ///
    /// Each series is drawn as a line through its values with a marker at each point;
    /// a missing value breaks the line (a lone value between gaps shows as a marker).
    /// Intervals, where given, are drawn as a light band around the line. Year labels are
    /// thinned (every 2nd, 5th, ...) when they would not fit.
    package func render(_ chart: LineChart) -> String {
        let years = chart.years
        let values = chart.series.flatMap { series in years.indices.compactMap { series.value(at: $0) } }
        guard !years.isEmpty, !values.isEmpty else { return renderEmpty(title: chart.title) }
        let bounds = chart.series.flatMap { series in
            years.indices.compactMap { series.value(at: $0) == nil ? nil : series.interval(at: $0) }
                .flatMap { [$0.lower, $0.upper] }
        }
        let someMissing = chart.series.contains { series in years.indices.contains { series.value(at: $0) == nil } }

        var canvas = SVGCanvas(width: width)
        let legend = chart.series.enumerated().map { index, series in
            LegendItem(name: series.name, color: ChartColor.forSeries(series, at: index),
                       line: ChartMarker.style(forLineAt: index))
        }
        let headerBottom = drawHeader(into: &canvas, title: chart.title, legend: legend)
        canvas.text(chart.valueAxis.title, x: 12, y: headerBottom + 16, size: 12, weight: "bold", fill: "#333333")
        let top = headerBottom + 30
        var scale = ChartScale(values: values + bounds, includesZero: chart.valueAxis.includesZero,
                               format: chart.valueAxis.format, start: top + Self.plotHeight, end: top)
        let plot = PlotArea(left: 12 + tickLabelWidth(scale) + 10, top: top, right: width - 20,
                            bottom: top + Self.plotHeight)
        scale = ChartScale(values: values + bounds, includesZero: chart.valueAxis.includesZero,
                           format: chart.valueAxis.format, start: plot.bottom, end: plot.top)
        drawValueGrid(into: &canvas, scale: scale, plot: plot)

        // Years: evenly spaced by value, with a margin so the end markers are not cut.
        let first = Double(years.min() ?? 0)
        let last = Double(years.max() ?? 0)
        let inset = 14.0
        func x(_ index: Int) -> Double {
            guard last > first else { return (plot.left + plot.right) / 2 }
            return plot.left + inset + (Double(years[index]) - first) / (last - first) * (plot.width - 2 * inset)
        }
        let labelWidth = SVGCanvas.textWidth("0000", size: 12) + 8
        let every = [1, 2, 5, 10, 20, 50].first { Double(years.count) / Double($0) * labelWidth <= plot.width } ?? 100
        for (index, year) in years.enumerated() {
            canvas.line(x1: x(index), y1: plot.bottom, x2: x(index), y2: plot.bottom + 5, stroke: "#333333")
            if (year - Int(first)) % every == 0 {
                canvas.text(String(year), x: x(index), y: plot.bottom + 19, size: 12, anchor: .middle, fill: "#333333")
            }
        }
        canvas.text(chart.yearAxisLabel, x: (plot.left + plot.right) / 2, y: plot.bottom + 40, size: 12,
                    anchor: .middle, weight: "bold", fill: "#333333")

        for (index, series) in chart.series.enumerated() {
            let color = ChartColor.forSeries(series, at: index)
            let style = ChartMarker.style(forLineAt: index)
            // Interval band over each run of consecutive intervals.
            for run in runs(of: years.indices.map { series.value(at: $0) != nil && series.interval(at: $0) != nil }) {
                let upper = run.map { (x($0), scale.position(series.interval(at: $0)?.upper ?? 0)) }
                let lower = run.reversed().map { (x($0), scale.position(series.interval(at: $0)?.lower ?? 0)) }
                canvas.path(upper + lower, stroke: nil, fill: color.hex, fillOpacity: 0.2, closed: true)
            }
            for run in runs(of: years.indices.map { series.value(at: $0) != nil }) where run.count > 1 {
                canvas.path(run.map { (x($0), scale.position(series.value(at: $0) ?? 0)) }, stroke: color.hex,
                            width: 2.5, dash: style.dash)
            }
            for index in years.indices {
                guard let value = series.value(at: index) else { continue }
                style.marker.draw(into: &canvas, x: x(index), y: scale.position(value), color: color)
            }
        }
        let bottom = drawNotes(into: &canvas, notes: notes(chart.note, someMissing: someMissing), y: plot.bottom + 46)
        return canvas.svg(height: bottom + 12, title: chart.title, standalone: standalone)
    }

    /// The runs of consecutive `true` indices in `flags` (`[t, t, f, t]` → `[[0, 1], [3]]`).
    package func runs(of flags: [Bool]) -> [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for (index, flag) in flags.enumerated() {
            if flag {
                current.append(index)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
