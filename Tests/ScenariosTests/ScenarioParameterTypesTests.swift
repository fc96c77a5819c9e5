import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The parameter shapes added for the scenario library (records, code maps,
/// variable maps, number lists), read from YAML: values, dates, and errors
/// naming file, line and key.
@Suite("Scenario parameter types")
struct ScenarioParameterTypesTests {
    /// Reads `yaml` (the body of a `parameters:` mapping) for module `M`.
    static func read<M: PolicyModule>(_ type: M.Type, _ yaml: String, year: Int? = 2025) throws -> ResolvedParameters {
        let root = try YAMLNode.parse("parameters:\n" + yaml, file: "test.yaml")
        return try ResolvedParameters(module: M.name, specs: M.parameters, node: root["parameters"], owner: root, year: year)
    }

    @Test("age bands, a take-up map and dated values are read as written")
    func readsValues() throws {
        let p = try Self.read(UniversalChildGrant.self, """
              amount_per_child: 30
              age_bands:
                unit: currency_per_month
                values:
                  2024-01-01: [{min_age: 0, max_age: 2, amount: 50}]
                  2025-01-01:
                    - {min_age: 0, max_age: 5, amount: 40}
                    - {amount: 35, max_age: 9, min_age: 6}
              take_up_by_group: {0: 0.6, 1: 0.9}
            """)
        #expect(p.records("age_bands") == [["min_age": 0, "max_age": 5, "amount": 40], ["min_age": 6, "max_age": 9, "amount": 35]])
        #expect(p.keyedNumbers("take_up_by_group") == [KeyedNumber(key: "0", value: 0.6), KeyedNumber(key: "1", value: 0.9)])
        let grant = try UniversalChildGrant(parameters: p)
        #expect(grant.amount(forAge: 7) == 35 && grant.amount(forAge: 12) == 30)
        // The description `describe` and provenance show keeps the declared field order.
        #expect(p.all["age_bands"]?.description == "[{min_age: 0, max_age: 5, amount: 40}, {min_age: 6, max_age: 9, amount: 35}]")
        #expect(p.all["take_up_by_group"]?.description == "{0: 0.6, 1: 0.9}")
    }

    @Test("a score-weight map and a number list are read in file order")
    func readsMapsAndLists() throws {
        let p = try Self.read(MeansTestedTransfer.self, """
              income_threshold: 100
              amount_per_household: 40
              targeting: proxy_means_score
              score_weights: {members: -0.5, urban: 0.25}
            """)
        #expect(p.keyedNumbers("score_weights").map(\.key) == ["members", "urban"])
        let vat = try Self.read(ValueAddedTax.self, "  rate: 0.2\n  taxable_share: 0.5\n")
        #expect(vat.numbers("taxable_share") == [0.5])  // a single number is a list of one
        #expect(vat.numbers("propensity_to_consume").count == 10)  // the default
    }

    @Test("describe's type text lists a record's fields with units and ranges")
    func describeText() {
        let spec = UniversalChildGrant.parameters.first { $0.key == "age_bands" }!
        #expect(spec.type.description == "a list of {min_age (years, 0 to 130), max_age (years, 0 to 130), amount (currency_per_month, 0 to 1e9)}")
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        let file: String
        let line: Int
        let mentions: [String]
        var testDescription: String { file }
    }

    @Test("each broken scenario names the file, the line and the key", arguments: [
        Broken(file: "bad-age-band.yaml", line: 12, mentions: ["unknown key 'amout'", "did you mean 'amount'?", "{min_age, max_age, amount}"]),
        Broken(file: "bad-take-up-group.yaml", line: 11, mentions: ["'urban' is not a category code", "take_up_by_group"]),
        Broken(file: "bad-propensity.yaml", line: 9, mentions: ["propensity_to_consume", "10 values", "found 9"]),
        Broken(file: "bad-score-weight.yaml", line: 12, mentions: ["expected a number", "'high'"]),
        Broken(file: "take-up-above-one.yaml", line: 10, mentions: ["1.2 is out of range for 'take_up_rate'", "0 to 1"]),
    ])
    func brokenFixture(_ broken: Broken) throws {
        let file = Survey.fixture(broken.file)
        let error = #expect(throws: InputError.self) {
            _ = try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard)
        }
        #expect(error?.file == file)
        #expect(error?.line == broken.line, "\(error.map { "\($0)" } ?? "")")
        let text = error.map { "\($0)" } ?? ""  // file:line (key): message
        for m in broken.mentions { #expect(text.contains(m), "\(m) missing in \(text)") }
    }

    @Test("a record missing a field names the field and the parameter")
    func missingField() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Self.read(UniversalChildGrant.self, "  amount_per_child: 30\n  age_bands: [{min_age: 0, amount: 40}]\n")
        }
        #expect(error?.message.contains("needs 'max_age'") == true)
        #expect(error?.message.contains("age_bands") == true)
    }

    @Test("a record field out of range, or a fraction where a whole number is expected, is an error")
    func fieldRange() throws {
        let range = #expect(throws: InputError.self) {
            _ = try Self.read(UniversalChildGrant.self, "  amount_per_child: 30\n  age_bands: [{min_age: 0, max_age: 200, amount: 40}]\n")
        }
        #expect(range?.message.contains("out of range for 'max_age' in 'age_bands'") == true)
        let fraction = #expect(throws: InputError.self) {
            _ = try Self.read(UniversalChildGrant.self, "  amount_per_child: 30\n  age_bands: [{min_age: 0.5, max_age: 2, amount: 40}]\n")
        }
        #expect(fraction?.message.contains("whole number") == true)
    }

    @Test("a variable map key that is not a variable name is an error")
    func badVariableName() throws {
        let error = #expect(throws: InputError.self) {
            _ = try Self.read(MeansTestedTransfer.self, "  income_threshold: 100\n  amount_per_household: 1\n  score_weights: {\"2x\": 1}\n")
        }
        #expect(error?.message.contains("not a variable name") == true)
    }
}
