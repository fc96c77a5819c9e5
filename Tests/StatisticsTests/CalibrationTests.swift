import Foundation
import Testing
@testable import SimKernel

/// `Calibration` on small hand-made designs: closed forms, the API used from
/// code, value labels, collinear margins and every refusal.
@Suite("Calibration: definitions and refusals")
struct CalibrationTests {
    /// Six rows: sex codes, region codes, an income.
    static let sex = [0, 0, 0, 1, 1, 1]
    static let region = [0, 1, 2, 0, 1, 2]
    static let income = [10.0, 20, 30, 5, 15, 40]
    static let weights = [1.0, 2, 3, 1, 2, 3]

    static func sexMargin(_ totals: [Double] = [8, 10]) -> CalibrationMargin {
        CalibrationMargin(name: "sex", codes: sex, categories: ["m", "f"], totals: totals)
    }

    @Test("one categorical margin: every method is post-stratification (g = total / sample total per category)")
    func postStratification() throws {
        for options in [CalibrationOptions(method: .linear), CalibrationOptions(method: .raking),
                        CalibrationOptions(method: .logit, bounds: CalibrationBounds(lower: 0.1, upper: 5))] {
            let result = try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [Self.sexMargin()]), options: options)
            for i in 0..<6 {
                let expected = Self.sex[i] == 0 ? 8.0 / 6 : 10.0 / 6
                // Within the stopping rule: |misfit| / (1 + |total|) < 1e-7.
                #expect(abs(result.ratios[i] - expected) < 1e-7, "\(options.method) row \(i): \(result.ratios[i])")
                #expect(abs(result.weights[i] - Self.weights[i] * result.ratios[i]) < 1e-12)
            }
        }
    }

    @Test("linear calibration without bounds is GREG: g = 1 + x'(Σ d x x')⁻¹(t − Σ d x), in one iteration")
    func greg() throws {
        // Numeric margin only: g = 1 + x·(t − Σdx)/Σdx².
        let design = CalibrationDesign(margins: [CalibrationMargin(name: "income", values: Self.income, total: 500)])
        let result = try Calibration.calibrate(weights: Self.weights, design: design)
        let sdx = zip(Self.weights, Self.income).map { $0 * $1 }.reduce(0, +)
        let sdx2 = zip(Self.weights, Self.income).map { $0 * $1 * $1 }.reduce(0, +)
        for i in 0..<6 { #expect(abs(result.ratios[i] - (1 + Self.income[i] * (500 - sdx) / sdx2)) < 1e-12) }
        #expect(result.iterations == 1)
        #expect(abs(result.deviations[0].achieved - 500) < 1e-9)
    }

    @Test("raking reaches every margin, and quantiles of the ratios are R's type 7")
    func rakingMargins() throws {
        let design = CalibrationDesign(margins: [Self.sexMargin(), CalibrationMargin(name: "region", codes: Self.region, categories: ["a", "b", "c"], totals: [3, 6, 9])])
        let result = try Calibration.calibrate(weights: Self.weights, design: design, options: CalibrationOptions(method: .raking))
        #expect(result.deviations.count == 5)
        for d in result.deviations { #expect(d.relative < 1e-7, "\(d.cell)") }
        // Raking: g is a product of a sex factor and a region factor.
        let g = result.ratios
        #expect(abs(g[0] / g[3] - g[1] / g[4]) < 1e-7 && abs(g[1] / g[4] - g[2] / g[5]) < 1e-7)
        let sorted = g.sorted()
        #expect(result.ratioQuantiles.map(\.probability) == [0, 0.01, 0.05, 0.5, 0.95, 0.99, 1])
        #expect(result.ratioQuantiles[0].value == sorted[0] && result.ratioQuantiles[6].value == sorted[5])
        #expect(abs(result.ratioQuantiles[3].value - (sorted[2] + sorted[3]) / 2) < 1e-15)
        #expect(abs(result.ratioQuantiles[5].value - (sorted[4] + 0.95 * (sorted[5] - sorted[4]))) < 1e-12)
    }

    @Test("a margin repeated under another name (collinear columns) gives the same weights: the Moore-Penrose inverse")
    func collinear() throws {
        let once = try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [Self.sexMargin()]),
                                             options: CalibrationOptions(method: .raking))
        let copy = CalibrationMargin(name: "sex2", codes: Self.sex, categories: ["m", "f"], totals: [8, 10])
        let twice = try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [Self.sexMargin(), copy]),
                                              options: CalibrationOptions(method: .raking))
        for (a, b) in zip(once.weights, twice.weights) { #expect(abs(a - b) / a < 1e-12) }
    }

    @Test("households: one ratio per household, household totals reached")
    func households() throws {
        let design = CalibrationDesign(margins: [Self.sexMargin([9, 9])], households: [7, 7, 8, 8, 9, 9])
        let result = try Calibration.calibrate(weights: [1, 1, 2, 2, 3, 3], design: design, options: CalibrationOptions(method: .raking))
        #expect(result.ratios[0] == result.ratios[1] && result.ratios[2] == result.ratios[3] && result.ratios[4] == result.ratios[5])
        for d in result.deviations { #expect(d.relative < 1e-7) }
    }

    @Test("trimming: ratios outside the limits go to the limit, the rest share the difference in proportion to their weights")
    func trimming() throws {
        let design = CalibrationDesign(margins: [Self.sexMargin([12, 6])])
        let plain = try Calibration.calibrate(weights: Self.weights, design: design)
        let trimmed = try Calibration.calibrate(weights: Self.weights, design: design, options: CalibrationOptions(trim: CalibrationBounds(lower: 0.8, upper: 1.5)))
        // g = 2 for the men (trimmed to 1.5), 1 for the women (untrimmed, raised by Σ(0.5·d)/Σd over the women).
        #expect(abs(plain.ratios[0] - 2) < 1e-12 && trimmed.trimmedCount == 3)
        #expect(trimmed.ratios[0] == 1.5)
        #expect(abs(trimmed.ratios[3] - (1 + 0.5 * 6 / 6)) < 1e-12)
        #expect(abs(trimmed.weights.reduce(0, +) - 18) < 1e-12)
        #expect(throws: CalibrationError.trimmedEverything(lower: 2.5, upper: 3)) {
            try Calibration.calibrate(weights: Self.weights, design: design, options: CalibrationOptions(trim: CalibrationBounds(lower: 2.5, upper: 3)))
        }
    }

    @Test("refusals: weights, empty categories, contradictory totals, bounds, no convergence")
    func refusals() throws {
        let design = CalibrationDesign(margins: [Self.sexMargin()])
        #expect(throws: CalibrationError.badWeight(row: 2, value: 0)) {
            try Calibration.calibrate(weights: [1, 2, 0, 1, 2, 3], design: design)
        }
        #expect(throws: CalibrationError.badWeight(row: 0, value: -1)) {
            try Calibration.calibrate(weights: [-1, 2, 3, 1, 2, 3], design: design)
        }
        let empty = CalibrationMargin(name: "region", codes: Self.region, categories: ["a", "b", "c", "d"], totals: [3, 6, 9, 0])
        #expect(throws: CalibrationError.emptyCategory(margin: "region", category: "d")) {
            try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [empty]))
        }
        let other = CalibrationMargin(name: "region", codes: Self.region, categories: ["a", "b", "c"], totals: [3, 6, 10])
        #expect(throws: CalibrationError.contradictoryTotals(margin: "sex", total: 18, otherMargin: "region", otherTotal: 19)) {
            try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [Self.sexMargin(), other]))
        }
        #expect(throws: CalibrationError.self) {
            try Calibration.calibrate(weights: Self.weights, design: design, options: CalibrationOptions(method: .logit))
        }
        #expect(throws: CalibrationError.self) {
            try Calibration.calibrate(weights: Self.weights, design: design, options: CalibrationOptions(bounds: CalibrationBounds(lower: 1, upper: 2)))
        }
        let huge = CalibrationMargin(name: "id", codes: Self.sex, categories: (0..<600).map(String.init), totals: [Double](repeating: 1, count: 600))
        #expect { try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [huge])) } throws: { error in
            guard case CalibrationError.badMargins(let why) = error else { return false }
            return why.contains("600 design columns")
        }
        #expect(throws: CalibrationError.weightsDifferWithinHousehold(row: 1, otherRow: 0)) {
            try Calibration.calibrate(weights: Self.weights, design: CalibrationDesign(margins: [Self.sexMargin()], households: [1, 1, 2, 3, 4, 5]))
        }
        do {
            _ = try Calibration.calibrate(weights: Self.weights, design: design,
                                          options: CalibrationOptions(method: .raking, bounds: CalibrationBounds(lower: 0.9, upper: 1.1)))
            Issue.record("bounds of ±10% cannot reach totals 33% and 67% above the sample's")
        } catch CalibrationError.notConverged(let iterations, let largest) {
            #expect(iterations == 50)
            #expect(largest.margin == "sex" && largest.relative > 0.1)
        }
    }

    @Test("a margins file binds categories of a numeric column by value or by value label; every category must be covered")
    func valueLabels() throws {
        let table = SurveyTable(file: "t.dta", format: .stata(version: 118), rowCount: 4, columns: [
            SurveyTableColumn(name: "w", values: .numbers([1, 1, 2, 2], integerStorage: true)),
            SurveyTableColumn(name: "region", values: .numbers([1, 2, 1, 3], integerStorage: true), valueLabels: [1: "North", 2: "South", 3: "East"]),
        ])
        let yaml = "margins:\n  region:\n    North: 4\n    2: 2\n    \"3\": 3\n"
        let margins = try CalibrationMarginsFile(root: YAMLNode.parse(yaml, file: "m.yaml"))
        let (weights, design) = try margins.design(for: table, weight: "w", household: nil)
        #expect(weights == [1, 1, 2, 2])
        guard case .categorical(let codes, let categories, let totals) = design.margins[0].values else { Issue.record("categorical"); return }
        #expect(codes == [0, 1, 0, 2] && categories == ["North", "2", "3"] && totals == [4, 2, 3])
        let result = try Calibration.calibrate(weights: weights, design: design)
        for (w, expected) in zip(result.weights, [4.0 / 3, 2, 8.0 / 3, 3]) { #expect(abs(w - expected) < 1e-12) }

        let missing = try CalibrationMarginsFile(root: YAMLNode.parse("margins:\n  region: {North: 4, South: 2}\n", file: "m.yaml"))
        #expect { try missing.design(for: table, weight: "w", household: nil) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.kind == .missingKey && e.line == 2 && e.message.contains("'3 (East)' is in the data (1 row, first row 4 of t.dta)")
        }
        let twice = try CalibrationMarginsFile(root: YAMLNode.parse("margins:\n  region: {North: 4, 1: 2, 2: 1, 3: 1}\n", file: "m.yaml"))
        #expect { try twice.design(for: table, weight: "w", household: nil) } throws: { error in
            (error as? InputError)?.kind == .duplicate
        }
        let unknown = try CalibrationMarginsFile(root: YAMLNode.parse("margins:\n  region: {West: 4, 1: 2, 2: 1, 3: 1}\n", file: "m.yaml"))
        #expect { try unknown.design(for: table, weight: "w", household: nil) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.kind == .badValue && e.message.contains("value labels")
        }
    }
}
