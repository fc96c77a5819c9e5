import SimReport
import Foundation
import Testing

@testable import simrun

extension ReportTests {
    /// SVG charts: well-formed, deterministic, escaped, labelled, and honest about missing data.
    @Suite("Report SVG charts")
    struct SVGTests {
        /// The charts of the sample document.
        static let sampleCharts: [ReportChart] = ReportDocument.sample().sections.flatMap { section in
            section.blocks.compactMap { block -> ReportChart? in
                if case .chart(let chart) = block { return chart }
                return nil
            }
        }

        static let axis = ChartAxis(label: "Gain", unit: "% of income", format: .percent(decimals: 1))

        @Test("every sample chart is well-formed XML with the SVG namespace when standalone")
        func wellFormed() throws {
            #expect(Self.sampleCharts.count == 4)
            let renderer = SVGChartRenderer(width: 800, standalone: true)
            for chart in Self.sampleCharts {
                let svg = renderer.render(chart)
                #expect(xmlProblem(svg) == nil, "\(chart.title)")
                #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
                #expect(svg.contains("<title>\(MarkupEscaping.escape(chart.title))</title>"))
            }
        }

        @Test("inline SVG carries no URL at all")
        func inlineHasNoURL() {
            for chart in Self.sampleCharts {
                let svg = SVGChartRenderer().render(chart)
                #expect(!svg.contains("http"), "\(chart.title)")
                #expect(!svg.contains("<script"))
            }
        }

        @Test("the same chart always gives the same bytes")
        func deterministic() {
            for chart in Self.sampleCharts {
                let copy = chart
                #expect(SVGChartRenderer().render(chart) == SVGChartRenderer().render(copy))
            }
        }

        @Test("titles, legend names and axis titles with units are drawn, escaped")
        func labels() {
            let chart = GroupedBarChart(
                title: "Gains <by> decile & \"option\"", categories: ["D1", "D2"], categoryAxisLabel: "Decile",
                valueAxis: Self.axis, series: [ChartSeries("Tom & Jerry's <plan>", values: [0.1, 0.2])])
            let svg = SVGChartRenderer(width: 800, standalone: true).render(.groupedBar(chart))
            #expect(xmlProblem(svg) == nil)
            #expect(!svg.contains("<by>") && !svg.contains("<plan>"))
            let texts = ElementCollector.elements(in: svg).filter { $0.name == "text" }.map(\.text)
            #expect(texts.contains("Gains <by> decile & \"option\""))
            #expect(texts.contains("Tom & Jerry's <plan>"))
            #expect(texts.contains("Gain (% of income)"))
            #expect(texts.contains("Decile"))
            #expect(texts.contains("D1") && texts.contains("D2"))
            #expect(texts.contains("10.0%") && texts.contains("20.0%"))  // value labels on the bars
        }

        @Test("negative bars hang from the zero line and positive ones stand on it")
        func negativeBars() throws {
            let chart = GroupedBarChart(title: "Gains", categories: ["Poor", "Rich"], categoryAxisLabel: "Group",
                                        valueAxis: Self.axis, series: [ChartSeries("C", values: [0.1, -0.05])])
            let elements = ElementCollector.elements(in: SVGChartRenderer(width: 800, standalone: true).render(.groupedBar(chart)))
            let zeroLine = try #require(elements.first { $0.name == "line" && $0.attributes["stroke-width"] == "1.5" })
            let zero = try #require(Double(zeroLine.attributes["y1"] ?? ""))
            let bars = elements.filter { $0.name == "rect" && $0.attributes["fill"] == ChartColor.blue.hex }
            #expect(bars.count == 3)  // the legend's swatch and two bars
            let spans = bars.compactMap { bar -> (Double, Double)? in
                guard let y = Double(bar.attributes["y"] ?? ""), let h = Double(bar.attributes["height"] ?? "") else { return nil }
                return (y, y + h)
            }
            #expect(spans.contains { abs($0.1 - zero) < 0.11 && $0.0 < zero })  // up from zero
            #expect(spans.contains { abs($0.0 - zero) < 0.11 && $0.1 > zero })  // down from zero
            let labels = elements.filter { $0.name == "text" }.map(\.text)
            #expect(labels.contains("-5.0%"))
        }

        @Test("a chart with no finite value shows a message instead of axes", arguments: [
            ReportChart.line(LineChart(title: "Cost", years: [2026, 2027], valueAxis: axis,
                                       series: [ChartSeries("A", values: [nil, .nan])])),
            .groupedBar(GroupedBarChart(title: "Cost", categories: [], categoryAxisLabel: "x", valueAxis: axis,
                                        series: [ChartSeries("A", values: [1])])),
            .stackedBar(StackedBarChart(title: "Cost", categories: ["A"], categoryAxisLabel: "x", valueAxis: axis,
                                        segments: [ChartSeries("Gaining", values: [.infinity])])),
        ])
        func emptyChart(chart: ReportChart) {
            let svg = SVGChartRenderer(width: 800, standalone: true).render(chart)
            #expect(xmlProblem(svg) == nil)
            #expect(svg.contains(SVGChartRenderer.noDataMessage))
            #expect(!svg.contains(ChartColor.blue.hex))
        }

        @Test("a missing value breaks the line and the chart says values are missing")
        func lineGap() {
            let chart = LineChart(title: "Cost", years: Array(2026...2030), valueAxis: Self.axis,
                                  series: [ChartSeries("A", values: [0.004, 0.005, nil, 0.007, 0.008])])
            let renderer = SVGChartRenderer(width: 800, standalone: true, missingValuesNote: "Gaps are suppressed.")
            let elements = ElementCollector.elements(in: renderer.render(.line(chart)))
            let lines = elements.filter { $0.name == "path" && $0.attributes["stroke"] == ChartColor.blue.hex }
            #expect(lines.count == 2)
            #expect(elements.contains { $0.name == "text" && $0.text == "Gaps are suppressed." })
            let years = elements.filter { $0.name == "text" && $0.text.hasPrefix("20") }.map(\.text)
            #expect(years == ["2026", "2027", "2028", "2029", "2030"])
        }

        @Test("no note about missing values when nothing is missing")
        func noMissingNote() {
            let chart = LineChart(title: "Cost", years: [2026, 2027], valueAxis: Self.axis,
                                  series: [ChartSeries("A", values: [0.004, 0.005])])
            #expect(!SVGChartRenderer().render(.line(chart)).contains(SVGChartRenderer().missingValuesNote))
        }

        @Test("diverging bars put negative segments left of zero and label magnitudes")
        func diverging() throws {
            let chart = StackedBarChart(
                title: "Gainers and losers", categories: ["Option C"], categoryAxisLabel: "Option",
                valueAxis: ChartAxis(label: "Share of persons", unit: "%", format: .percent(decimals: 0)),
                segments: [ChartSeries("Losing", values: [-0.46], color: .vermillion),
                           ChartSeries("Gaining", values: [0.54], color: .blue)])
            let elements = ElementCollector.elements(in: SVGChartRenderer(width: 800, standalone: true).render(.stackedBar(chart)))
            let zeroLine = try #require(elements.first { $0.name == "line" && $0.attributes["stroke-width"] == "1.5" })
            let zero = try #require(Double(zeroLine.attributes["x1"] ?? ""))
            // The last rectangle of each colour is the bar's segment (the first is the legend's swatch).
            let losing = try #require(elements.last { $0.name == "rect" && $0.attributes["fill"] == ChartColor.vermillion.hex })
            let gaining = try #require(elements.last { $0.name == "rect" && $0.attributes["fill"] == ChartColor.blue.hex })
            let losingEnd = (Double(losing.attributes["x"] ?? "") ?? 0) + (Double(losing.attributes["width"] ?? "") ?? 0)
            #expect(abs(losingEnd - zero) < 0.2)
            #expect(abs((Double(gaining.attributes["x"] ?? "") ?? 0) - zero) < 0.11)
            let texts = elements.filter { $0.name == "text" }.map(\.text)
            #expect(texts.contains("46%") && texts.contains("54%") && !texts.contains("-46%"))
        }

        @Test("lines differ by dash pattern and marker as well as colour")
        func lineStyles() {
            let chart = LineChart(title: "Cost", years: [2026, 2027], valueAxis: Self.axis,
                                  series: [ChartSeries("A", values: [0.1, 0.2]), ChartSeries("B", values: [0.2, 0.1])])
            let elements = ElementCollector.elements(in: SVGChartRenderer(width: 800, standalone: true).render(.line(chart)))
            let dashed = elements.filter { $0.name == "path" && $0.attributes["stroke"] == ChartColor.orange.hex }
            #expect(dashed.contains { $0.attributes["stroke-dasharray"] != nil })
            #expect(elements.contains { $0.name == "circle" } && elements.contains { $0.name == "rect" && $0.attributes["fill"] == ChartColor.orange.hex })
        }

        @Test("intervals draw whiskers on bars and a light band around lines")
        func intervals() {
            let interval = ReportInterval(lower: 0.08, upper: 0.12)
            let bars = GroupedBarChart(title: "Poverty", categories: ["Children", "Adults"], categoryAxisLabel: "Group",
                                       valueAxis: Self.axis,
                                       series: [ChartSeries("A", values: [0.1, 0.2], intervals: [interval, nil])])
            let barElements = ElementCollector.elements(in: SVGChartRenderer(width: 800, standalone: true).render(.groupedBar(bars)))
            #expect(barElements.filter { $0.name == "line" && $0.attributes["stroke"] == "#222222" }.count == 3)
            let line = LineChart(title: "Cost", years: [2026, 2027, 2028], valueAxis: Self.axis,
                                 series: [ChartSeries("A", values: [0.1, 0.11, 0.12], intervals: [interval, interval, interval])])
            let lineElements = ElementCollector.elements(in: SVGChartRenderer(width: 800, standalone: true).render(.line(line)))
            let bands = lineElements.filter { $0.name == "path" && $0.attributes["fill-opacity"] == "0.2" }
            #expect(bands.count == 1)
            #expect(bands.first?.attributes["fill"] == ChartColor.blue.hex)
        }

        @Test("long legends wrap inside the drawing and long year ranges thin their labels")
        func crowdedCharts() {
            let names = (1...8).map { "Option \($0): a universal benefit with a rather long name" }
            let chart = LineChart(title: "Cost", years: Array(2001...2040), valueAxis: ReportTests.SVGTests.axis,
                                  series: names.map { ChartSeries($0, values: Array(repeating: 0.01, count: 40)) })
            let renderer = SVGChartRenderer(width: 640, standalone: true)
            let elements = ElementCollector.elements(in: renderer.render(.line(chart)))
            for text in elements where text.name == "text" && text.text.hasPrefix("Option") {
                let x = Double(text.attributes["x"] ?? "") ?? 0
                #expect(x + SVGCanvas.textWidth(text.text, size: 12) <= 640 - 12 + 0.5, "\(text.text) overflows")
            }
            let years = elements.filter { $0.name == "text" && Int($0.text).map { (2001...2040).contains($0) } == true }
            #expect(years.count < 40 && years.count >= 4)
        }
    }
}
