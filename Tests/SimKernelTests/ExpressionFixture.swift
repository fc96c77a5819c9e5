@testable import SimKernel

/// A handmade environment and a 3-household batch for the expression tests.
///
/// Households (offsets 0, 3, 5, 6):
/// - H0 (rural): persons 0-2, ages 34, 30, 3; earnings 200, 0, 0; consumption 100, 100, 50; labour_status 1, 0, 0.
/// - H1 (rural): persons 3-4, ages 70, 4; earnings 0, 0; consumption 400, 300; person 3 disabled.
/// - H2 (urban): person 5, age 2; earnings 50; consumption 100; labour_status 2.
enum ExpressionFixture {
    static let location = RuleLocation(file: "grant.yaml", line: 12, column: 10)

    static let environment = RuleEnvironment(
        parameters: [
            "line": .init(value: 300, unit: .currencyPerMonth, isValidatedPositive: true),
            "rate": .init(value: 0.1, unit: .share, isValidatedPositive: true),
            "annual_cap": .init(value: 2_400, unit: .currencyPerYear, isValidatedPositive: true),
            "bonus": .init(value: 0, unit: .currencyPerMonth),
        ],
        variables: [
            "age": .age, "earnings": .earnings, "labour_status": .labourStatus, "disabled": .disabled,
            "consumption": Variable("consumption", kind: .real, measure: .money, unit: "currency per month", summary: "consumption"),
            "urban": Variable("urban", kind: .integer, measure: .flag, level: .household, validRange: 0...1, unit: "flag", summary: "1 urban"),
            "hh_id": .householdID,
        ],
        components: [
            "child_grant": .init(level: .household),
            "pension": .init(level: .person),
        ])

    static let offsets = [0, 3, 5, 6]
    static let columns: [String: [Double]] = [
        "age": [34, 30, 3, 70, 4, 2],
        "earnings": [200, 0, 0, 0, 0, 50],
        "consumption": [100, 100, 50, 400, 300, 100],
        "labour_status": [1, 0, 0, 0, 0, 2],
        "disabled": [0, 0, 0, 1, 0, 0],
        "urban": [0, 0, 1],
        "child_grant": [30, 0, 15],
        "pension": [0, 0, 0, 120, 0, 0],
    ]

    static func compile(_ text: String, level: RuleType.Level, expecting: RuleType.Kind? = nil) throws -> RuleExpression {
        try RuleExpression(text, at: location, environment: environment, level: level, expecting: expecting)
    }

    /// The values of `text` over the batch (one per household or per person).
    static func values(_ text: String, level: RuleType.Level, expecting: RuleType.Kind? = nil) throws -> [Double] {
        try compile(text, level: level, expecting: expecting).program.evaluate(householdOffsets: offsets, columns: columns)
    }

    /// The input error `text` gives, or `nil` if it compiles.
    static func error(_ text: String, level: RuleType.Level = .household, expecting: RuleType.Kind? = nil) -> InputError? {
        do { _ = try compile(text, level: level, expecting: expecting) } catch let e as InputError { return e } catch { return nil }
        return nil
    }
}
