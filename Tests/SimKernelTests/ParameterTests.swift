import Foundation
import Testing
@testable import SimKernel

/// Dated parameters: the value in force on 1 January of the simulation year,
/// the latest value when no year is given, and errors that name the key and
/// the line; and `closestMatch`, which suggests fixes for typos.
@Suite("Dated parameters")
struct ParameterTests {
    static let specs = [
        ParameterSpec("amount", .number, unit: "currency_per_month", range: 0...1e9, summary: "a monthly amount"),
        ParameterSpec("rate", .number, unit: "share", default: .number(0.1), range: 0...1, summary: "a rate"),
        ParameterSpec("codes", .integerList, unit: "codes", default: .integerList([1]), range: 0...3, summary: "codes"),
    ]

    /// Line 1 `amount:`; its dated values on lines 4 (2025-01-01: 30), 5 (2026-07-01: 35) and 6 (2027-01-01: 40).
    static let dated = """
        amount:
          unit: currency_per_month
          values:
            2025-01-01: 30
            2026-07-01: 35
            2027-01-01: 40
        """

    static func resolve(_ yaml: String, year: Int?) throws -> ResolvedParameters {
        let node = try YAMLNode.parse(yaml, file: "params.yaml")
        return try ResolvedParameters(module: "test_module", specs: specs, node: node, owner: node, year: year)
    }

    static func error(_ yaml: String, year: Int?) -> InputError? {
        do {
            _ = try resolve(yaml, year: year)
            return nil
        } catch {
            return error as? InputError
        }
    }

    @Test("the value in force on 1 January of the year is used", arguments: [
        // A value dated 1 January applies that year; one dated 1 July applies from the next year.
        (2025, 30.0), (2026, 30.0), (2027, 40.0), (2040, 40.0),
    ])
    func valueInForce(year: Int, expected: Double) throws {
        #expect(try Self.resolve(Self.dated, year: year).number("amount") == expected)
    }

    @Test("a mid-year change applies from the next 1 January")
    func midYearChange() throws {
        let yaml = """
            amount:
              values:
                2025-01-01: 30
                2026-07-01: 35
            """
        #expect(try Self.resolve(yaml, year: 2026).number("amount") == 30)
        #expect(try Self.resolve(yaml, year: 2027).number("amount") == 35)
    }

    @Test("with no year the latest value is used")
    func noYear() throws {
        #expect(try Self.resolve(Self.dated, year: nil).number("amount") == 40)
    }

    @Test("a year before the first date is an error naming the key, the year and the first date")
    func yearBeforeFirstDate() throws {
        let e = try #require(Self.error(Self.dated, year: 2024))
        #expect(e.file == "params.yaml")
        #expect(e.line == 2)  // the dated mapping (unit/values) starts on line 2
        #expect(e.field == "amount")
        #expect(e.message.contains("'amount'"))
        #expect(e.message.contains("2024"))
        #expect(e.message.contains("2025-01-01"))
    }

    @Test("plain values and defaults need no dates")
    func plainValues() throws {
        let p = try Self.resolve("amount: 12.5\n", year: 2025)
        #expect(p.number("amount") == 12.5)
        #expect(p.number("rate") == 0.1)       // default
        #expect(p.integers("codes") == [1])   // default
        #expect(try Self.resolve("amount: 1\ncodes: [1, 2]\n", year: nil).integers("codes") == [1, 2])
    }

    @Test("every dated value is checked, even one not in force")
    func unusedValuesAreChecked() throws {
        let yaml = """
            amount:
              values:
                2025-01-01: 30
                2030-01-01: -5
            """
        let e = try #require(Self.error(yaml, year: 2025))
        #expect(e.line == 4)
        #expect(e.field == "amount.values.2030-01-01")
        #expect(e.message.contains("out of range"))
    }

    @Test("dates out of order are an error at the later line")
    func datesOutOfOrder() throws {
        let yaml = """
            amount:
              values:
                2026-01-01: 30
                2025-01-01: 35
            """
        let e = try #require(Self.error(yaml, year: 2026))
        #expect(e.line == 4)
        #expect(e.message.contains("increasing order"))
    }

    @Test("a key that is not a date is an error naming the expected form")
    func notADate() throws {
        let yaml = """
            amount:
              values:
                2025-13-01: 30
            """
        let e = try #require(Self.error(yaml, year: 2026))
        #expect(e.line == 3)
        #expect(e.message.contains("YYYY-MM-DD"))
    }

    @Test("an impossible calendar date is not a date", arguments: ["2025-02-30", "2025-04-31", "2025-00-10", "2025-01-00"])
    func impossibleDate(date: String) throws {
        let yaml = """
            amount:
              values:
                2024-01-01: 25
                \(date): 30
            """
        let e = try #require(Self.error(yaml, year: 2026), "\(date) was accepted as a date")
        #expect(e.line == 4)
        #expect(e.message.contains("YYYY-MM-DD"))
    }

    @Test("a unit different from the parameter's is an error at the unit's line naming both units")
    func unitMismatch() throws {
        let yaml = """
            amount:
              unit: currency_per_year
              values:
                2025-01-01: 360
            """
        let e = try #require(Self.error(yaml, year: 2025))
        #expect(e.line == 2)
        #expect(e.field == "amount.unit")
        #expect(e.message.contains("currency_per_month"))
        #expect(e.message.contains("currency_per_year"))
    }

    @Test("an unknown parameter is an error suggesting the closest key")
    func unknownKey() throws {
        let e = try #require(Self.error("amount: 1\nrat: 0.2\n", year: nil))
        #expect(e.line == 2)
        #expect(e.field == "rat")
        #expect(e.message.contains("did you mean 'rate'?"))
        #expect(e.kind == .unknownKey)
    }

    @Test("a missing required parameter is an error naming it, its type and unit")
    func missingRequired() throws {
        let e = try #require(Self.error("rate: 0.2\n", year: nil))
        #expect(e.message.contains("'amount'"))
        #expect(e.message.contains("currency_per_month"))
    }

    @Test("a wrongly typed value is an error quoting it", arguments: ["thirty", "'30'", "[30]"])
    func wrongType(text: String) throws {
        let e = try #require(Self.error("amount: \(text)\n", year: nil))
        #expect(e.line == 1)
        #expect(e.field == "amount")
        #expect(e.message.contains("expected a number"))
    }

    @Test("an out-of-range value is an error stating the range", arguments: [
        ("amount: -1\n", "0 to 1e9"), ("amount: 1\nrate: 1.5\n", "0 to 1"), ("amount: 1\ncodes: [1, 7]\n", "0 to 3"),
    ])
    func outOfRange(yaml: String, range: String) throws {
        let e = try #require(Self.error(yaml, year: nil))
        #expect(e.message.contains("out of range"))
        #expect(e.message.contains(range))
    }

    @Test("an error about a parameter is located at its line")
    func errorAtKey() throws {
        let p = try Self.resolve("amount: 1\nrate: 0.5\n", year: nil)
        let e = p.error("rate", "too high for this test")
        #expect(e.line == 2)
        #expect(e.field == "rate")
    }
}

@Suite("closestMatch")
struct ClosestMatchTests {
    static let keys = ["amount_per_child", "min_age", "max_age"]

    @Test("a typo finds the intended name", arguments: [
        ("amount_per_chld", "amount_per_child"), ("amount_per_childs", "amount_per_child"),
        ("maxage", "max_age"), ("min-age", "min_age"), ("MAX_AGE", "max_age"),
    ])
    func typo(word: String, expected: String) {
        #expect(closestMatch(to: word, in: Self.keys) == expected)
    }

    @Test("a word far from every candidate finds nothing", arguments: ["threshold", "x", "benefit_level"])
    func farAway(word: String) {
        #expect(closestMatch(to: word, in: Self.keys) == nil)
    }

    @Test("no candidates give no match")
    func noCandidates() {
        #expect(closestMatch(to: "anything", in: []) == nil)
    }

    @Test("an exact match is returned")
    func exact() {
        #expect(closestMatch(to: "min_age", in: Self.keys) == "min_age")
    }

    @Test("module names: universal_child_grnt suggests universal_child_grant")
    func moduleNames() {
        let modules = ["universal_child_grant", "social_contributions", "income_tax"]
        #expect(closestMatch(to: "universal_child_grnt", in: modules) == "universal_child_grant")
        #expect(closestMatch(to: "incometax", in: modules) == "income_tax")
    }
}
