import SimAnalysis
import SimKernel
import Foundation

/// Grouped bar charts: categories along x, one vertical bar per series in each.
extension SVGChartRenderer {
    /// A grouped bar chart as one `<svg>` element.
    ///
    /// Bars start at the zero line (up for positive values, down for negative ones).
    /// Each bar carries its value when the label fits above (or below) it; a missing bar
    /// is marked `n/a` at the zero line when that fits. Intervals are whiskers with caps.
    /// Category labels wrap onto two lines.
    package func render(_ chart: GroupedBarChart) -> String {
        let categories = chart.categories
        let values = chart.series.flatMap { series in categories.indices.compactMap { series.value(at: $0) } }
        guard !categories.isEmpty, !chart.series.isEmpty, !values.isEmpty else {
            return renderEmpty(title: chart.title)
        }
        let bounds = chart.series.flatMap { series in
            categories.indices.compactMap { series.value(at: $0) == nil ? nil : series.interval(at: $0) }
                .flatMap { [$0.lower, $0.upper] }
        }
        let someMissing = chart.series.contains { series in categories.indices.contains { series.value(at: $0) == nil } }
        let format = chart.valueAxis.format

        var canvas = SVGCanvas(width: width)
        let legend = chart.series.enumerated().map { index, series in
            LegendItem(name: series.name, color: ChartColor.forSeries(series, at: index), line: nil)
        }
        let headerBottom = drawHeader(into: &canvas, title: chart.title, legend: legend)
        canvas.text(chart.valueAxis.title, x: 12, y: headerBottom + 16, size: 12, weight: "bold", fill: "#333333")
        let top = headerBottom + 34
        let measure = ChartScale(values: values + bounds, includesZero: true, format: format, start: 1, end: 0)
        let plot = PlotArea(left: 12 + tickLabelWidth(measure) + 10, top: top, right: width - 20,
                            bottom: top + Self.plotHeight)
        let scale = ChartScale(values: values + bounds, includesZero: true, format: format,
                               start: plot.bottom, end: plot.top)
        drawValueGrid(into: &canvas, scale: scale, plot: plot)

        let band = plot.width / Double(categories.count)
        let groupWidth = band * 0.8
        let barWidth = groupWidth / Double(chart.series.count)
        let zero = scale.zeroPosition
        let labelBars = categories.count * chart.series.count <= 24
        for (categoryIndex, category) in categories.enumerated() {
            let groupLeft = plot.left + band * Double(categoryIndex) + (band - groupWidth) / 2
            for (seriesIndex, series) in chart.series.enumerated() {
                let color = ChartColor.forSeries(series, at: seriesIndex)
                let barLeft = groupLeft + barWidth * Double(seriesIndex)
                let centre = barLeft + barWidth / 2
                guard let value = series.value(at: categoryIndex) else {
                    if SVGCanvas.textWidth("n/a", size: 9) <= barWidth + 2 {
                        canvas.text("n/a", x: centre, y: zero - 4, size: 9, anchor: .middle, fill: "#666666")
                    }
                    continue
                }
                let end = scale.position(value)
                canvas.rect(x: barLeft + 0.5, y: min(zero, end), width: barWidth - 1, height: abs(zero - end),
                            fill: color.hex)
                var labelEdge = end
                if let interval = series.interval(at: categoryIndex) {
                    let high = scale.position(interval.upper)
                    let low = scale.position(interval.lower)
                    let cap = max(barWidth * 0.2, 2)
                    canvas.line(x1: centre, y1: high, x2: centre, y2: low, stroke: "#222222", width: 1.2)
                    canvas.line(x1: centre - cap, y1: high, x2: centre + cap, y2: high, stroke: "#222222", width: 1.2)
                    canvas.line(x1: centre - cap, y1: low, x2: centre + cap, y2: low, stroke: "#222222", width: 1.2)
                    labelEdge = value >= 0 ? min(end, high) : max(end, low)
                }
                let label = format.display(value)
                if labelBars, SVGCanvas.textWidth(label, size: 10) <= barWidth + 2 {
                    let y = value >= 0 ? labelEdge - 4 : labelEdge + 12
                    canvas.text(label, x: centre, y: y, size: 10, anchor: .middle, fill: "#222222")
                }
            }
            let lines = SVGCanvas.wrap(category, width: band - 4, size: 12, maxLines: 2)
            for (lineIndex, line) in lines.enumerated() {
                canvas.text(line, x: plot.left + band * (Double(categoryIndex) + 0.5),
                            y: plot.bottom + 18 + 14 * Double(lineIndex), size: 12, anchor: .middle, fill: "#333333")
            }
        }
        let labelLines = categories.map { SVGCanvas.wrap($0, width: band - 4, size: 12, maxLines: 2).count }.max() ?? 1
        let axisTitleY = plot.bottom + 40 + 14 * Double(labelLines - 1)
        canvas.text(chart.categoryAxisLabel, x: (plot.left + plot.right) / 2, y: axisTitleY, size: 12,
                    anchor: .middle, weight: "bold", fill: "#333333")
        let bottom = drawNotes(into: &canvas, notes: notes(chart.note, someMissing: someMissing), y: axisTitleY + 6)
        return canvas.svg(height: bottom + 12, title: chart.title, standalone: standalone)
    }
}
