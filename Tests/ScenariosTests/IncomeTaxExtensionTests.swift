import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The income tax's extensions for financing packages: further income in
/// the base, and a non-refundable tax credit. SocialContributions' too: a
/// minimum base and coverage by contract type.
@Suite("IncomeTax and SocialContributions extensions")
struct IncomeTaxExtensionTests {
    static let spec: ParameterValue = .schedule([Bracket(threshold: 0, rate: 0), Bracket(threshold: 500, rate: 0.25)])

    /// A formal employee (earnings 900, other income 300 of which pension 200, fixed-term) and a
    /// formal employee earning 80 (permanent).
    static let rows = [
        SurveyRow(household: 1, id: 1, age: 62, labourStatus: 1, earnings: 900, otherIncome: 300, pensionIncome: 200,
                  contractType: 2),
        SurveyRow(household: 1, id: 2, age: 30, labourStatus: 1, earnings: 80, contractType: 1),
    ]

    @Test("additional_base adds income variables to the base; tax_credit comes off the tax, not below 0")
    func additionalBaseAndCredit() throws {
        let tax = try Survey.module(IncomeTax.self, ["brackets": Self.spec, "additional_base": .textList(["pension_income"])])
        #expect(tax.variables.map(\.variable.name).contains("pension_income"))
        let population = try Survey.population(Self.rows, reading: [tax])
        // By hand: base 900 + 200 = 1,100 → 0.25 × 600 = 150; 80 → 0.
        #expect(Survey.apply(tax, on: population).amounts == [150, 0])
        let credited = try Survey.module(IncomeTax.self, ["brackets": Self.spec, "tax_credit": .number(40)])
        // By hand: 0.25 × (900 − 500) = 100 − 40 = 60; 0 − 40 → 0.
        #expect(Survey.apply(credited, on: population).amounts == [60, 0])
    }

    @Test("the base listed again in additional_base is an error naming it")
    func doubleBase() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Survey.module(IncomeTax.self, ["brackets": Self.spec, "additional_base": .textList(["earnings"])])
        }
        #expect(error?.message.contains("earnings") == true)
    }

    @Test("social contributions: a minimum base for small earnings; coverage by contract type")
    func contributions() throws {
        let floor = try Survey.module(SocialContributions.self, ["rate": .number(0.1), "floor": .number(100)])
        #expect(!floor.variables.map(\.variable.name).contains("contract_type"))
        let population = try Survey.population(Self.rows, reading: [floor])
        // By hand: 0.1 × 900 = 90; 0.1 × max(80, 100) = 10.
        #expect(Survey.apply(floor, on: population).amounts == [90, 10])
        let permanent = try Survey.module(SocialContributions.self, ["rate": .number(0.1), "covered_contract_types": .integerList([1])])
        let loaded = try Survey.population(Self.rows, reading: [permanent])
        // By hand: the fixed-term employee does not pay; the permanent one pays 8.
        #expect(Survey.apply(permanent, on: loaded).amounts == [0, 8])
    }

    @Test("a floor above the ceiling is an error naming floor")
    func floorAboveCeiling() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Survey.module(SocialContributions.self, ["rate": .number(0.1), "floor": .number(500), "ceiling": .number(400)])
        }
        #expect(error?.message.contains("floor") == true)
    }
}
