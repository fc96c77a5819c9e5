import SimAnalysis
import SimKernel
import Foundation

/// Draws a ``ReportChart`` as SVG text: pure string generation, no scripts, no fonts
/// beyond the generic `sans-serif`, no external references.
///
/// Every chart has, top to bottom: its title (bold, wrapped), a legend (colour swatches,
/// and for lines the dash pattern and marker), the value axis title with its unit, the
/// plot (light grid lines at "nice" ticks, a dark zero line), the category or year axis
/// with its title, and notes (the chart's own, and one saying missing or suppressed
/// values are not drawn when some are). Colours are Okabe-Ito (``ChartColor``). A chart
/// with no finite value, or no category, shows its title and a message instead of axes.
/// The output depends only on the chart and the renderer's settings: same input, same bytes.
///
///     let svg = SVGChartRenderer().render(.line(costChart))   // "<svg class=\"chart\" ..."
package struct SVGChartRenderer: Sendable {
    /// The drawing's width in pixels (legible from about 600; 800 by default).
    package var width: Double = 800
    /// Whether to add the SVG namespace, for a `.svg` file of its own (not needed inline in HTML).
    package var standalone: Bool = false
    /// The note added under a chart in which some values are missing or suppressed.
    package var missingValuesNote: String = "Missing or suppressed values are not drawn."

    /// The height of the plot area of line and grouped bar charts, in pixels.
    package static let plotHeight = 270.0
    /// The text shown instead of a chart without data.
    package static let noDataMessage = "No data to chart: every value is missing or suppressed."

    /// A renderer with the default settings.
    package init() {}

    /// A renderer `width` pixels wide, with its own note for missing values.
    package init(width: Double, standalone: Bool = false, missingValuesNote: String? = nil) {
        self.width = max(width, 320)
        self.standalone = standalone
        if let missingValuesNote { self.missingValuesNote = missingValuesNote }
    }

    /// The chart as one `<svg>` element.
    package func render(_ chart: ReportChart) -> String {
        switch chart {
        case .line(let line): return render(line)
        case .groupedBar(let bars): return render(bars)
        case .stackedBar(let bars): return render(bars)
        }
    }

    // MARK: - Parts shared by the three kinds

    /// The rectangle the data is drawn in.
    package struct PlotArea {
        /// The edges of the rectangle, in pixels from the drawing's top left corner.
        package var left: Double, top: Double, right: Double, bottom: Double
        /// The width in pixels.
        package var width: Double { right - left }
        /// The height in pixels.
        package var height: Double { bottom - top }
    }

    /// One entry of a legend.
    package struct LegendItem {
        /// The series' name.
        package var name: String
        /// The series' colour.
        package var color: ChartColor
        /// For a line: its dash pattern and marker; `nil` draws a filled square.
        package var line: (dash: String?, marker: ChartMarker)?
    }

    /// Draws the title (wrapped) and the legend from `y` on; returns the `y` below them.
    package func drawHeader(into canvas: inout SVGCanvas, title: String, legend: [LegendItem]) -> Double {
        var y = 24.0
        for line in SVGCanvas.wrap(title, width: width - 24, size: 16, maxLines: 3) {
            canvas.text(line, x: 12, y: y, size: 16, weight: "bold", fill: "#111111")
            y += 21
        }
        guard !legend.isEmpty else { return y }
        y += 6
        var x = 12.0
        for item in legend {
            let itemWidth = 34 + SVGCanvas.textWidth(item.name, size: 12)
            if x > 12, x + itemWidth > width - 12 {
                x = 12
                y += 20
            }
            if let line = item.line {
                canvas.line(x1: x, y1: y - 4, x2: x + 24, y2: y - 4, stroke: item.color.hex, width: 2.5, dash: line.dash)
                line.marker.draw(into: &canvas, x: x + 12, y: y - 4, color: item.color)
            } else {
                canvas.rect(x: x + 4, y: y - 11, width: 14, height: 14, fill: item.color.hex)
            }
            canvas.text(item.name, x: x + 30, y: y, size: 12)
            x += itemWidth + 16
        }
        return y + 8
    }

    /// Draws the notes under a chart from `y` on; returns the `y` below them.
    package func drawNotes(into canvas: inout SVGCanvas, notes: [String], y start: Double) -> Double {
        var y = start
        for note in notes {
            for line in SVGCanvas.wrap(note, width: width - 24, size: 11, maxLines: 4) {
                y += 15
                canvas.text(line, x: 12, y: y, size: 11, fill: "#444444", italic: true)
            }
        }
        return y
    }

    /// The notes under a chart: its own, and the missing-values note if `someMissing`.
    package func notes(_ note: String?, someMissing: Bool) -> [String] {
        var notes: [String] = []
        if let note, !note.isEmpty { notes.append(note) }
        if someMissing { notes.append(missingValuesNote) }
        return notes
    }

    /// Draws horizontal grid lines and labels for a vertical value `scale`, and the zero line.
    package func drawValueGrid(into canvas: inout SVGCanvas, scale: ChartScale, plot: PlotArea) {
        for tick in scale.ticks {
            let y = scale.position(tick)
            canvas.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: "#DDDDDD")
            canvas.text(scale.label(tick), x: plot.left - 8, y: y + 4, size: 12, anchor: .end, fill: "#333333")
        }
        let zero = scale.zeroPosition
        canvas.line(x1: plot.left, y1: zero, x2: plot.right, y2: zero, stroke: "#333333", width: 1.5)
    }

    /// The width the tick labels of `scale` need.
    package func tickLabelWidth(_ scale: ChartScale) -> Double {
        scale.ticks.map { SVGCanvas.textWidth(scale.label($0), size: 12) }.max() ?? 0
    }

    /// A chart with its title and a message in place of axes and data.
    package func renderEmpty(title: String, message: String = SVGChartRenderer.noDataMessage) -> String {
        var canvas = SVGCanvas(width: width)
        let top = drawHeader(into: &canvas, title: title, legend: [])
        canvas.rect(x: 12, y: top + 4, width: width - 24, height: 72, fill: "#F4F4F4", stroke: "#BBBBBB")
        canvas.text(message, x: width / 2, y: top + 45, size: 14, anchor: .middle, fill: "#444444")
        return canvas.svg(height: top + 90, title: title, standalone: standalone)
    }
}

/// The point marker and dash pattern of a line, so lines differ by more than colour.
///
/// Series `i` takes marker `i` and dash pattern `i` (cycling), so a chart printed in
/// black and white, or read by someone who cannot tell two colours apart, still shows
/// which line is which.
package enum ChartMarker: Int, Sendable, CaseIterable {
    /// A filled circle, square, upward triangle or diamond.
    case circle, square, triangle, diamond

    /// The dash patterns of lines 0, 1, 2, ... (`nil` is solid).
    package static let dashPatterns: [String?] = [nil, "7 4", "2 3", "9 3 2 3"]

    /// The marker and dash pattern of the `index`-th line.
    package static func style(forLineAt index: Int) -> (dash: String?, marker: ChartMarker) {
        let marker = allCases[index % allCases.count]
        return (dashPatterns[index % dashPatterns.count], marker)
    }

    /// Draws the marker centred on (`x`, `y`), with a white rim so it stands out on lines.
    package func draw(into canvas: inout SVGCanvas, x: Double, y: Double, color: ChartColor) {
        let size = 4.5
        switch self {
        case .circle:
            canvas.circle(x: x, y: y, radius: size, fill: color.hex, stroke: "#FFFFFF")
        case .square:
            canvas.rect(x: x - size, y: y - size, width: 2 * size, height: 2 * size, fill: color.hex, stroke: "#FFFFFF")
        case .triangle:
            canvas.path([(x, y - size - 1), (x + size + 1, y + size), (x - size - 1, y + size)],
                        stroke: "#FFFFFF", fill: color.hex, closed: true)
        case .diamond:
            canvas.path([(x, y - size - 1.5), (x + size + 1, y), (x, y + size + 1.5), (x - size - 1, y)],
                        stroke: "#FFFFFF", fill: color.hex, closed: true)
        }
    }
}
