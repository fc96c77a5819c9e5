import SimReport
import Foundation
import SimAnalysis
import Testing

@testable import simrun

/// The sweep's frontier: non-dominated variants and the report's chart (`report --sweep`).
@Suite("Sweep frontier")
struct SweepFrontierTests {
    @Test("non-dominated: nothing costs no more and reduces the gap at least as much, one strictly")
    func nonDominated() {
        // By hand: (1, 1) and (2, 3) and (4, 5) are the frontier; (2, 2) is dominated by (2, 3), (3, 3) by (2, 3),
        // (5, 5) by (4, 5) (same reduction, costs more); NaN is left out; the duplicate of (4, 5) is kept.
        let points: [(cost: Double, reduction: Double)] = [(2, 2), (1, 1), (2, 3), (3, 3), (4, 5), (5, 5), (.nan, 9), (4, 5)]
        #expect(SweepFrontier.nonDominated(points) == [1, 2, 4, 7])
    }

    @Test("the scatter chart draws every point and marks the frontier; no finite point gives the empty message")
    func chart() {
        let chart = ScatterChart(title: "T", xAxis: ChartAxis(label: "cost", unit: "% of GDP", format: .percent(decimals: 1)),
                                 yAxis: ChartAxis(label: "gap", format: .percentagePoints(decimals: 1)),
                                 points: [.init(x: 0.01, y: 0.02, marked: true), .init(x: 0.02, y: 0.01, marked: false),
                                          .init(x: 0.03, y: 0.04, marked: true)],
                                 unmarkedName: "variant", markedName: "frontier", note: nil)
        let svg = SVGChartRenderer().render(.scatter(chart))
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3)
        #expect(svg.contains("#D55E00"))
        #expect(svg.contains("frontier"))
        // The legend's swatch for the plain variants is the colour of their points (was black for grey points).
        #expect(!svg.contains("#000000"))
        #expect(svg.components(separatedBy: "fill=\"\(ChartColor.grey.hex)\"").count - 1 == 2, "one swatch and one point")
        var empty = chart
        empty.points = [.init(x: .nan, y: 1, marked: false)]
        #expect(SVGChartRenderer().render(.scatter(empty)).contains(SVGChartRenderer.noDataMessage))
    }

    @Test("report --sweep draws the frontier of a sweep's JSON and CSV alike, its table listing the non-dominated rows")
    func reportCommand() throws {
        let scratch = try makeScratchDirectory("sweep-report")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for format in ["json", "csv"] {
            let result = scratch.appendingPathComponent("grid.\(format)").path
            let sweep = runSimrun(["sweep", "Tests/Fixtures/sweep/small-grid.yaml", "--country", "example", "--format", format, "--out", result])
            #expect(sweep.status == 0, "\(sweep.stderr)")
            let out = scratch.appendingPathComponent("report-\(format)")
            let run = runSimrun(["report", "--sweep", result, "--out", out.path, "--date", "2026-12-05"])
            #expect(run.status == 0, "\(run.stderr)")
            let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(html.contains("Net cost against poverty-gap reduction, 4 variants"))
            let table = try String(contentsOf: out.appendingPathComponent("tables/sweep-frontier.csv"), encoding: .utf8)
            // Raising the amount or the age limit costs more and closes more of the gap: with these four
            // variants none is dominated unless one costs more and reduces less.
            let rows = table.split(separator: "\n").dropFirst().filter { $0.first?.isNumber == true }
            #expect(!rows.isEmpty && rows.count <= 4)
        }
        let noCountry = scratch.appendingPathComponent("plain.csv").path
        #expect(runSimrun(["sweep", "Tests/Fixtures/sweep/small-grid.yaml", "--out", noCountry]).status == 0)
        let refused = runSimrun(["report", "--sweep", noCountry, "--out", scratch.appendingPathComponent("r").path])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("no net_cost_share_gdp"), "\(refused.stderr)")
    }
}
