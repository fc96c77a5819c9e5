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
}
