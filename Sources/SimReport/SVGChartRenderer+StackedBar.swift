import SimAnalysis
import SimKernel
import Foundation

/// Stacked (and diverging) bar charts: one horizontal bar per category.
extension SVGChartRenderer {
    /// A stacked bar chart as one `<svg>` element.
    ///
    /// Segments stack in order: positive values rightwards from zero, negative ones
    /// leftwards, so a negative "losing" share diverges from the rest at the zero line.
    /// Segment labels and tick labels show magnitudes (the side of the zero line gives the
    /// direction); a segment's label is drawn inside it when it fits. A category with every
    /// segment missing is marked `n/a`.
    package func render(_ chart: StackedBarChart) -> String {
        let categories = chart.categories
        let segments = chart.segments
        let hasValue = segments.contains { segment in categories.indices.contains { segment.value(at: $0) != nil } }
        guard !categories.isEmpty, hasValue else { return renderEmpty(title: chart.title) }
        let someMissing = segments.contains { segment in categories.indices.contains { segment.value(at: $0) == nil } }
        // The extent of each bar: sums of its negative and of its positive segments.
        var extents: [Double] = [0]
        for index in categories.indices {
            let parts = segments.compactMap { $0.value(at: index) }
            extents.append(parts.filter { $0 < 0 }.reduce(0, +))
            extents.append(parts.filter { $0 > 0 }.reduce(0, +))
        }
        let format = chart.valueAxis.format

        var canvas = SVGCanvas(width: width)
        let legend = segments.enumerated().map { index, segment in
            LegendItem(name: segment.name, color: ChartColor.forSeries(segment, at: index), line: nil)
        }
        let headerBottom = drawHeader(into: &canvas, title: chart.title, legend: legend)
        canvas.text(chart.categoryAxisLabel, x: 12, y: headerBottom + 16, size: 12, weight: "bold", fill: "#333333")
        let labelWidth = min(categories.map { SVGCanvas.textWidth($0, size: 12) }.max() ?? 0, width * 0.3)
        let rowHeight = 30.0
        let plot = PlotArea(left: 12 + labelWidth + 12, top: headerBottom + 28, right: width - 28,
                            bottom: headerBottom + 28 + rowHeight * Double(categories.count))
        let scale = ChartScale(values: extents, includesZero: true, format: format, start: plot.left,
                               end: plot.right, targetTickCount: 7)
        for tick in scale.ticks {
            let x = scale.position(tick)
            canvas.line(x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: "#DDDDDD")
            canvas.text(format.display(abs(tick), decimals: scale.tickDecimals), x: x, y: plot.bottom + 18,
                        size: 12, anchor: .middle, fill: "#333333")
        }
        for (index, category) in categories.enumerated() {
            let top = plot.top + rowHeight * Double(index)
            let lines = SVGCanvas.wrap(category, width: labelWidth, size: 12, maxLines: 2)
            let firstBaseline = top + rowHeight / 2 + 4 - 7 * Double(lines.count - 1)
            for (lineIndex, line) in lines.enumerated() {
                canvas.text(line, x: plot.left - 10, y: firstBaseline + 14 * Double(lineIndex), size: 12,
                            anchor: .end, fill: "#222222")
            }
            var positiveEnd = 0.0
            var negativeEnd = 0.0
            var drewAny = false
            for (segmentIndex, segment) in segments.enumerated() {
                guard let value = segment.value(at: index), value != 0 else { continue }
                drewAny = true
                let start = value > 0 ? positiveEnd : negativeEnd
                let end = start + value
                if value > 0 { positiveEnd = end } else { negativeEnd = end }
                let x0 = scale.position(min(start, end))
                let x1 = scale.position(max(start, end))
                let color = ChartColor.forSeries(segment, at: segmentIndex)
                canvas.rect(x: x0, y: top + 5, width: x1 - x0, height: rowHeight - 10, fill: color.hex,
                            stroke: "#FFFFFF")
                let label = format.display(abs(value))
                if SVGCanvas.textWidth(label, size: 11) + 6 <= x1 - x0 {
                    canvas.text(label, x: (x0 + x1) / 2, y: top + rowHeight / 2 + 4, size: 11, anchor: .middle,
                                fill: color.prefersDarkText ? "#111111" : "#FFFFFF")
                }
            }
            if !drewAny {
                canvas.text("n/a", x: scale.zeroPosition + 6, y: top + rowHeight / 2 + 4, size: 11, fill: "#666666")
            }
        }
        let zero = scale.zeroPosition
        canvas.line(x1: zero, y1: plot.top - 4, x2: zero, y2: plot.bottom + 4, stroke: "#333333", width: 1.5)
        canvas.text(chart.valueAxis.title, x: (plot.left + plot.right) / 2, y: plot.bottom + 40, size: 12,
                    anchor: .middle, weight: "bold", fill: "#333333")
        let bottom = drawNotes(into: &canvas, notes: notes(chart.note, someMissing: someMissing), y: plot.bottom + 46)
        return canvas.svg(height: bottom + 12, title: chart.title, standalone: standalone)
    }
}
