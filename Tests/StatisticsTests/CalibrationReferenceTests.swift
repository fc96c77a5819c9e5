import Foundation
import Testing
@testable import SimKernel

/// Calibrated weights against R survey 4.1.1's `calibrate()` on
/// `Tests/Fixtures/calibration/persons.csv` (660 persons, 150 households) with
/// the totals of `margins.yaml` (region, sex, urban and age): the committed
/// `golden.csv` made by `make-golden.R`. Every method, with and without
/// bounds, households, trimming and R's rescaling, to 1e-9 relative.
@Suite("Calibration equals R survey's calibrate()")
struct CalibrationReferenceTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calibration").path

    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let method: CalibrationMethod
        let bounds: CalibrationBounds
        let trim: CalibrationBounds?
        let households: Bool
        var weight = "weight"
        var description: String { name }
    }

    static let none = CalibrationBounds.unbounded
    static func b(_ l: Double, _ u: Double) -> CalibrationBounds { CalibrationBounds(lower: l, upper: u) }

    /// The cases of make-golden.R, with the same settings.
    static let cases: [Case] = [
        Case(name: "linear", method: .linear, bounds: none, trim: nil, households: false),
        Case(name: "linear_bounds", method: .linear, bounds: b(0.85, 1.2), trim: nil, households: false),
        Case(name: "raking", method: .raking, bounds: none, trim: nil, households: false),
        Case(name: "raking_bounds", method: .raking, bounds: b(0.85, 1.2), trim: nil, households: false),
        Case(name: "logit", method: .logit, bounds: b(0.8, 1.25), trim: nil, households: false),
        Case(name: "linear_hh", method: .linear, bounds: none, trim: nil, households: true),
        Case(name: "linear_bounds_hh", method: .linear, bounds: b(0.7, 1.4), trim: nil, households: true),
        Case(name: "raking_hh", method: .raking, bounds: none, trim: nil, households: true),
        Case(name: "raking_bounds_hh", method: .raking, bounds: b(0.7, 1.4), trim: nil, households: true),
        Case(name: "logit_hh", method: .logit, bounds: b(0.6, 1.6), trim: nil, households: true),
        Case(name: "linear_trim", method: .linear, bounds: none, trim: b(0.9, 1.1), households: false),
        Case(name: "raking_trim", method: .raking, bounds: none, trim: b(0.9, 1.1), households: false),
        Case(name: "logit_trim", method: .logit, bounds: b(0.8, 1.25), trim: b(0.9, 1.15), households: false),
        Case(name: "raking_trim_hh", method: .raking, bounds: none, trim: b(0.85, 1.15), households: true),
        Case(name: "linear_bounds_trim_hh", method: .linear, bounds: b(0.7, 1.4), trim: b(0.8, 1.3), households: true),
        Case(name: "raking_small", method: .raking, bounds: none, trim: nil, households: false, weight: "weight_small"),
        Case(name: "logit_small_hh", method: .logit, bounds: b(0.6, 1.6), trim: nil, households: true, weight: "weight_small"),
    ]

    static func calibrate(_ c: Case) throws -> (CalibrationResult, SurveyTable) {
        let table = try SurveyTable.read(file: directory + "/persons.csv")
        let margins = try CalibrationMarginsFile.load(file: directory + "/margins.yaml")
        let (weights, design) = try margins.design(for: table, weight: c.weight, household: c.households ? "hh_id" : nil)
        let options = CalibrationOptions(method: c.method, bounds: c.bounds, trim: c.trim)
        return (try Calibration.calibrate(weights: weights, design: design, options: options), table)
    }

    static func golden(_ name: String) throws -> [Double] {
        let table = try SurveyTable.read(file: directory + "/golden.csv")
        guard case .numbers(let v, _) = try #require(table.column(named: name)).values else { throw CalibrationError.badMargins("golden \(name)") }
        return v
    }

    @Test("every method's weights equal R's to 1e-9 relative", arguments: cases)
    func matchesR(_ c: Case) throws {
        let (result, _) = try Self.calibrate(c)
        let r = try Self.golden(c.name)
        #expect(result.weights.count == r.count)
        var worst = 0.0
        for (ours, theirs) in zip(result.weights, r) { worst = max(worst, abs(ours - theirs) / abs(theirs)) }
        #expect(worst <= 1e-9, "\(c.name): largest relative difference from R \(worst)")
    }

    @Test("calibrated weights reach every total (without trimming), and households keep one weight", arguments: cases.filter { $0.trim == nil })
    func reachesTotals(_ c: Case) throws {
        let (result, table) = try Self.calibrate(c)
        for d in result.deviations { #expect(d.relative < 1e-6, "\(c.name): \(d.cell) \(d.achieved) vs \(d.target)") }
        if c.households, case .numbers(let hh, _) = table.column(named: "hh_id")!.values {
            var first: [Double: Double] = [:]
            for (h, w) in zip(hh, result.weights) { #expect(first[h, default: w] == w); first[h] = w }
        }
        if !c.bounds.isUnbounded, result.rescaling == nil {
            for g in result.ratios { #expect(g >= c.bounds.lower - 1e-12 && g <= c.bounds.upper + 1e-12) }
        }
    }

    @Test("trimming keeps the sum of the weights and counts the rows trimmed", arguments: cases.filter { $0.trim != nil })
    func trimKeepsTotal(_ c: Case) throws {
        let (result, _) = try Self.calibrate(c)
        let untrimmed = try Self.calibrate(Case(name: c.name, method: c.method, bounds: c.bounds, trim: nil, households: c.households)).0
        let sum = result.weights.reduce(0, +), before = untrimmed.weights.reduce(0, +)
        #expect(abs(sum - before) / before < 1e-12)
        let trim = c.trim!
        #expect(result.trimmedCount == untrimmed.ratios.filter { $0 < trim.lower || $0 > trim.upper }.count)
        #expect(result.trimmedCount > 0)
    }
}
