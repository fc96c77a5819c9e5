import Foundation
import SimAnalysis
import Testing

/// The valid range `solve` and `sweep` search over for a bracket's rate.
@Suite("Editable bracket rates")
struct BracketRateRangeTests {
    @Test("a bracket's rate is editable from 0 to 1, the range the scenario reader enforces")
    func rateRange() throws {
        let document = try ScenarioDocument(file: "inputs/scenarios/package-child-grant-pension-tax.yaml")
        let rates = try document.parameters().filter { $0.name.hasSuffix("].rate") }
        #expect(rates.count == 4)
        for rate in rates {
            #expect(rate.minimum == 0 && rate.maximum == 1, "\(rate.path)")
        }
        // The reader refuses a rate outside 0 to 1: the range is the real one.
        #expect(throws: (any Error).self) { try document.setting("personal_income_tax.brackets[1].rate", to: 1.01) }
        #expect(throws: Never.self) { try document.setting("personal_income_tax.brackets[1].rate", to: 1) }
    }

    @Test("a bracket's threshold lies between its neighbours' (they must rise), the first from 0; the ends are accepted, the neighbours refused")
    func thresholdRange() throws {
        let document = try ScenarioDocument(file: "inputs/scenarios/package-child-grant-pension-tax.yaml")
        let thresholds = try document.parameters().filter { $0.name.hasSuffix("].threshold") }
        #expect(thresholds.count == 4)
        for (i, t) in thresholds.enumerated() {
            let below = i > 0 ? thresholds[i - 1].value : nil
            let above = i + 1 < thresholds.count ? thresholds[i + 1].value : nil
            #expect(t.minimum == (below?.nextUp ?? 0), "\(t.path)")
            #expect(t.maximum == above?.nextDown, "\(t.path)")
            if let minimum = t.minimum { #expect(throws: Never.self) { try document.setting(t.path, to: minimum) } }
            if let maximum = t.maximum { #expect(throws: Never.self) { try document.setting(t.path, to: maximum) } }
            if let below { #expect(throws: (any Error).self) { try document.setting(t.path, to: below) } }
            if let above { #expect(throws: (any Error).self) { try document.setting(t.path, to: above) } }
        }
    }
}
