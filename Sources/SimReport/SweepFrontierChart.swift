import Foundation

/// A scatter of points with some marked: the sweep's frontier chart (net cost in % of GDP
/// against the poverty-gap reduction, the non-dominated variants marked and joined).
package struct ScatterChart: Sendable, Equatable {
    /// One point.
    package struct Point: Sendable, Equatable {
        package var x: Double
        package var y: Double
        /// Whether it is marked (on the frontier).
        package var marked: Bool
        /// What the point is (e.g. its parameter values), shown when the pointer rests on it (`<title>`); nil: nothing.
        package var label: String?

        /// The memberwise initializer, visible to the package's other targets.
        package init(x: Double, y: Double, marked: Bool, label: String? = nil) {
            self.x = x
            self.y = y
            self.marked = marked
            self.label = label
        }
    }

    package var title: String
    package var xAxis: ChartAxis
    package var yAxis: ChartAxis
    package var points: [Point]
    /// The legend's names for the unmarked and the marked points.
    package var unmarkedName: String
    package var markedName: String
    package var note: String?

    /// The memberwise initializer, visible to the package's other targets.
    package init(title: String, xAxis: ChartAxis, yAxis: ChartAxis, points: [Point], unmarkedName: String, markedName: String, note: String?) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.points = points
        self.unmarkedName = unmarkedName
        self.markedName = markedName
        self.note = note
    }
}

extension SVGChartRenderer {
    /// A scatter chart as one `<svg>` element: every point a small grey circle, the marked
    /// points larger and coloured, joined in order of x (the frontier line).
    package func render(_ chart: ScatterChart) -> String {
        let points = chart.points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !points.isEmpty else { return renderEmpty(title: chart.title) }
        var canvas = SVGCanvas(width: width)
        let legend = [LegendItem(name: chart.unmarkedName, color: .grey, line: nil),
                      LegendItem(name: chart.markedName, color: .vermillion, line: nil)]
        let headerBottom = drawHeader(into: &canvas, title: chart.title, legend: legend)
        canvas.text(chart.yAxis.title, x: 12, y: headerBottom + 16, size: 12, weight: "bold", fill: "#333333")
        let top = headerBottom + 30
        var yScale = ChartScale(values: points.map(\.y), includesZero: chart.yAxis.includesZero, format: chart.yAxis.format,
                                start: top + Self.plotHeight, end: top)
        let left = 12 + tickLabelWidth(yScale) + 10
        let plot = PlotArea(left: left, top: top, right: width - 28, bottom: top + Self.plotHeight)
        yScale = ChartScale(values: points.map(\.y), includesZero: chart.yAxis.includesZero, format: chart.yAxis.format,
                            start: plot.bottom, end: plot.top)
        drawValueGrid(into: &canvas, scale: yScale, plot: plot)
        let xScale = ChartScale(values: points.map(\.x), includesZero: chart.xAxis.includesZero, format: chart.xAxis.format,
                                start: plot.left + 8, end: plot.right - 8)
        for tick in xScale.ticks {
            let x = xScale.position(tick)
            canvas.line(x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 5, stroke: "#333333")
            canvas.text(xScale.label(tick), x: x, y: plot.bottom + 19, size: 12, anchor: .middle, fill: "#333333")
        }
        canvas.text(chart.xAxis.title, x: (plot.left + plot.right) / 2, y: plot.bottom + 40, size: 12, anchor: .middle,
                    weight: "bold", fill: "#333333")
        for p in points where !p.marked {
            canvas.circle(x: xScale.position(p.x), y: yScale.position(p.y), radius: 3, fill: ChartColor.grey.hex, title: p.label)
        }
        let frontier = points.filter(\.marked).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        if frontier.count > 1 {
            canvas.path(frontier.map { (xScale.position($0.x), yScale.position($0.y)) }, stroke: ChartColor.vermillion.hex, width: 2)
        }
        for p in frontier {
            canvas.circle(x: xScale.position(p.x), y: yScale.position(p.y), radius: 5, fill: ChartColor.vermillion.hex, stroke: "#FFFFFF",
                          title: p.label)
        }
        let bottom = drawNotes(into: &canvas, notes: notes(chart.note, someMissing: points.count < chart.points.count), y: plot.bottom + 46)
        return canvas.svg(height: bottom + 12, title: chart.title, standalone: standalone)
    }
}

/// The non-dominated rows of a sweep: lower net cost and larger poverty-gap reduction are better.
package enum SweepFrontier {
    /// The indices of the non-dominated points among `(cost, reduction)`: no other point costs no
    /// more and reduces the gap at least as much, with one of the two strictly. A point with a
    /// non-finite coordinate is neither on the frontier nor dominating. Equal points are all kept.
    /// - Complexity: O(n log n).
    package static func nonDominated(_ points: [(cost: Double, reduction: Double)]) -> Set<Int> {
        let order = points.indices.filter { points[$0].cost.isFinite && points[$0].reduction.isFinite }
            .sorted { (points[$0].cost, -points[$0].reduction) < (points[$1].cost, -points[$1].reduction) }
        var result: Set<Int> = []
        var best = -Double.infinity
        var lastKept: (cost: Double, reduction: Double)?
        for i in order {
            let p = points[i]
            if p.reduction > best {
                result.insert(i)
                best = p.reduction
                lastKept = p
            } else if let last = lastKept, last == p {
                result.insert(i)
            }
        }
        return result
    }
}
