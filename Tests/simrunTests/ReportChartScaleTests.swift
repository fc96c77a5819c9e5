import SimReport
import Testing

@testable import simrun

extension ReportTests {
    /// "Nice" axis ticks. Expected ticks are worked out by hand from the 1-2-2.5-5 rule:
    /// e.g. 0 to 0.0118 over 5 intervals is a raw step of 0.00236, whose nice step is 0.0025.
    @Suite("Report chart scales")
    struct ChartScaleTests {
        @Test("nice numbers are 1, 2, 2.5 or 5 times a power of ten", arguments: [
            (0.00236, 0.0025), (7.0, 10.0), (1.0, 1.0), (130.0, 200.0), (0.3, 0.5), (2.2, 2.5), (4_000_000.0, 5_000_000.0),
        ])
        func niceNumber(raw: Double, expected: Double) {
            #expect(abs(ChartScale.niceNumber(raw) - expected) < 1e-12 * expected)
        }

        @Test("costs of 0.4% to 1.2% of GDP get ticks every 0.25% from 0% to 1.25%")
        func costTicks() {
            let scale = ChartScale(values: [0.004, 0.0118], includesZero: true, format: .percent(decimals: 1),
                                   start: 300, end: 0)
            #expect(scale.ticks == [0, 0.0025, 0.005, 0.0075, 0.01, 0.0125])
            #expect(scale.ticks.map(scale.label) == ["0.00%", "0.25%", "0.50%", "0.75%", "1.00%", "1.25%"])
            #expect(scale.position(0) == 300)
            #expect(scale.position(0.0125) == 0)
        }

        @Test("negative values give ticks below zero and the zero line inside the axis")
        func negativeTicks() {
            let scale = ChartScale(values: [-0.011, 0.142], includesZero: true, format: .percent(decimals: 1),
                                   start: 200, end: 0)
            #expect(scale.lower < 0 && scale.upper > 0.142)
            #expect(scale.ticks.contains(0))
            #expect(scale.zeroPosition > 0 && scale.zeroPosition < 200)
            #expect(scale.ticks.map(scale.label).first == "-5%")
        }

        @Test("money ticks have thousands separators and no needless decimals")
        func moneyTicks() {
            let scale = ChartScale(values: [0, 2_840_500], includesZero: true, format: .money(decimals: 2), start: 1, end: 0)
            // 2,840,500 / 5 = 568,100, whose nice step is 1,000,000.
            #expect(scale.ticks.map(scale.label) == ["0", "1,000,000", "2,000,000", "3,000,000"])
        }

        @Test("counts never get ticks between whole numbers")
        func countTicks() {
            let scale = ChartScale(values: [0, 2], includesZero: true, format: .count, start: 1, end: 0)
            #expect(scale.ticks == [0, 1, 2])
        }

        @Test("a single value, zero, or no data still gives a usable axis")
        func degenerate() {
            let allZero = ChartScale(values: [0, 0], includesZero: true, format: .index(decimals: 2), start: 1, end: 0)
            #expect(allZero.lower == 0 && allZero.upper == 1)
            let single = ChartScale(values: [5], includesZero: false, format: .index(decimals: 2), start: 1, end: 0)
            #expect(single.lower <= 4.5 && single.upper >= 5.5)
            let empty = ChartScale(values: [.nan], includesZero: true, format: .count, start: 1, end: 0)
            #expect(empty.ticks.count >= 2)
        }

        @Test("tick decimals are the fewest that tell ticks apart", arguments: [
            (0.25, 2), (25.0, 0), (2.5, 1), (0.001, 3), (1000.0, 0),
        ])
        func decimals(step: Double, expected: Int) {
            #expect(ChartScale.decimals(of: step) == expected)
        }
    }
}
