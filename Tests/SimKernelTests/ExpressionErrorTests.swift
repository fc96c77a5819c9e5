import Testing
@testable import SimKernel

/// Every static error names the file, the line and the column (expression
/// text starts at column 10 of line 12 of grant.yaml), with the right kind.
@Suite("Rule expressions are checked before anything runs")
struct ExpressionErrorTests {
    typealias F = ExpressionFixture

    func expectError(_ text: String, level: RuleType.Level = .household, expecting: RuleType.Kind? = nil,
                     column: Int, kind: InputError.Kind, containing fragment: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = F.error(text, level: level, expecting: expecting) else {
            Issue.record("'\(text)' compiled; expected \(kind) at column \(column)", sourceLocation: sourceLocation)
            return
        }
        #expect(e.file == "grant.yaml", sourceLocation: sourceLocation)
        #expect(e.line == 12, sourceLocation: sourceLocation)
        #expect(e.kind == kind, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.hasPrefix("column \(column): "), "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
    }

    @Test("an unknown name is unknown_key with a did-you-mean")
    func unknownName() {
        expectError("sum(consumptoin)", column: 14, kind: .unknownKey, containing: "did you mean 'consumption'?")
        expectError("urban == 0 and lien > 3", column: 25, kind: .unknownKey, containing: "did you mean 'line'?")
        expectError("summ(earnings)", column: 10, kind: .unknownKey, containing: "did you mean 'sum'?")
        expectError("zzzzzzzz + 1", column: 10, kind: .unknownKey, containing: "expected a parameter")
    }

    @Test("a flag added to money, and other operands of the wrong sort, are wrong_type")
    func flagPlusMoney() {
        expectError("disabled + earnings", level: .person, column: 19, kind: .wrongType, containing: "needs numbers, found a boolean")
        expectError("labour_status * 2", level: .person, column: 24, kind: .wrongType, containing: "a category code")
        expectError("labour_status < 2", level: .person, column: 24, kind: .wrongType, containing: "needs numbers")
        expectError("age + earnings", level: .person, column: 14, kind: .wrongType, containing: "years and money per month")
        expectError("earnings * earnings", level: .person, column: 19, kind: .wrongType, containing: "cannot multiply")
        expectError("hh_id + 1", level: .person, column: 10, kind: .wrongType, containing: "identifier")
        expectError("disabled == 2", level: .person, column: 19, kind: .wrongType, containing: "0 or 1")
        expectError("not age < 5", level: .person, column: 10, kind: .wrongType, containing: "'not' needs a boolean")
    }

    @Test("money per month added to or compared with money per year is wrong_type")
    func perMonthPlusPerYear() {
        expectError("line + annual_cap", column: 15, kind: .wrongType, containing: "money per month and money per year; convert with monthly(x)")
        expectError("min(line, annual_cap)", column: 10, kind: .wrongType, containing: "money per month and money per year")
        expectError("clamp(line, 0, annual_cap)", column: 10, kind: .wrongType, containing: "money per year")
        expectError("child_grant < annual_cap", column: 22, kind: .wrongType, containing: "same unit")
        expectError("if(urban == 1, line, annual_cap)", column: 10, kind: .wrongType, containing: "if's branches")
        expectError("monthly(line)", column: 10, kind: .wrongType, containing: "converts money per year")
        expectError("line", expecting: .number(.currencyPerYear), column: 10, kind: .wrongType, containing: "must give money per year")
    }

    @Test("units of products and quotients: share * money and count * money are money, money / money is a pure number")
    func productUnits() throws {
        #expect(try F.compile("rate * line", level: .household).type.kind == .number(.currencyPerMonth))
        #expect(try F.compile("count(age < 5) * line", level: .household).type.kind == .number(.currencyPerMonth))
        #expect(try F.compile("count(age < 5) * rate", level: .household).type.kind == .number(.count))
        #expect(try F.compile("child_grant / line", level: .household).type.kind == .number(.dimensionless))
        #expect(try F.compile("sum(consumption) / count()", level: .household).type.kind == .number(.currencyPerMonth))
        #expect(try F.compile("earnings * 12", level: .person).type.kind == .number(.currencyPerMonth))
        #expect(try F.compile("round(1.5)", level: .person, expecting: .number(.share)).type.kind == .number(.share))
        expectError("child_grant / line + line", column: 29, kind: .wrongType, containing: "a pure number and money per month")
        expectError("2 / line", column: 12, kind: .wrongType, containing: "cannot divide a pure number by money per month")
        expectError("line / annual_cap", column: 15, kind: .wrongType, containing: "cannot divide money per month by money per year")
    }

    @Test("malformed calls are bad_value, clamp bounds in the wrong order out_of_range")
    func calls() {
        expectError("sum(earnings, when: age < 5)", column: 24, kind: .badValue, containing: "'when' is not an argument label")
        expectError("div(line, default: 0, 2)", column: 32, kind: .badValue, containing: "'default:' comes last")
        expectError("abs(line, line)", column: 10, kind: .badValue, containing: "abs(x)")
        expectError("min()", column: 10, kind: .badValue, containing: "min(a, b, ...)")
        expectError("clamp(line, 10, 5)", column: 10, kind: .outOfRange, containing: "low bound (10.0) is above its high bound (5.0)")
        expectError("if(true, 1)", column: 10, kind: .badValue, containing: "if(condition, then, else)")
        expectError("frobnicate(1)", column: 10, kind: .unknownKey, containing: "unknown function")
    }

    @Test("a divisor that can be zero needs div(a, b, default: d)")
    func unsafeDivision() {
        expectError("child_grant / bonus", column: 22, kind: .wrongType, containing: "div(a, b, default: 0)")
        expectError("sum(earnings) / count(age < 5)", column: 24, kind: .wrongType, containing: "can be zero")
        expectError("line / 0", column: 15, kind: .wrongType, containing: "can be zero")
        expectError("line / (1 - 1)", column: 15, kind: .wrongType, containing: "can be zero")
        expectError("div(line, bonus)", column: 10, kind: .badValue, containing: "needs 'default:'")
        expectError("div(line, bonus, default: annual_cap)", column: 36, kind: .wrongType, containing: "div's default")
        expectError("mean(earnings, age > 60)", column: 10, kind: .wrongType, containing: "add 'default:'")
        // Safe divisors compile: a non-zero literal, a parameter checked > 0, count().
        #expect(F.error("line / -2 + line / rate + sum(consumption) / count() + div(sum(earnings), count(age < 5), default: 0)") == nil)
    }

    @Test("a condition that is not a boolean is wrong_type")
    func nonBooleanCondition() {
        expectError("if(child_grant, 1, 0)", column: 13, kind: .wrongType, containing: "condition must be a boolean")
        expectError("count(age)", column: 16, kind: .wrongType, containing: "takes a condition")
        expectError("child_grant and true", column: 22, kind: .wrongType, containing: "two booleans")
        expectError("child_grant", expecting: .boolean, column: 10, kind: .wrongType, containing: "must give a boolean")
    }

    @Test("a person value in a household rule needs an aggregate")
    func aggregateMisuse() {
        expectError("age < 5", column: 10, kind: .wrongType, containing: "use an aggregate over members")
        expectError("count(age < 5) >= 1 and earnings > 0", column: 34, kind: .wrongType, containing: "'earnings' is a person value")
        expectError("pension + 1", column: 10, kind: .wrongType, containing: "person value")
        expectError("sum(disabled)", column: 14, kind: .wrongType, containing: "adds up numbers")
        expectError("sum(earnings, age < 5, default: 0)", column: 42, kind: .badValue, containing: "only with a condition of mean")
        expectError("any()", column: 10, kind: .badValue, containing: "any(condition)")
        // the same names are fine per person, and inside an aggregate
        #expect(F.error("age < 5 and earnings > 0", level: .person) == nil)
    }

    @Test("syntax errors are bad_value at the offending token")
    func syntax() {
        expectError("1 +", column: 13, kind: .badValue, containing: "found the end of the expression")
        expectError("(1 + 2", column: 16, kind: .badValue, containing: "to close the '(' at column 10")
        expectError("1 < 2 < 3", column: 16, kind: .badValue, containing: "do not chain")
        expectError("age = 3", column: 14, kind: .badValue, containing: "compare with '=='")
        expectError("a && b", column: 12, kind: .badValue, containing: "'and'")
        expectError("1_", column: 11, kind: .badValue, containing: "between two digits")
        expectError("3years", column: 11, kind: .badValue, containing: "run into a name")
        expectError("", column: 10, kind: .badValue, containing: "empty")
        expectError("age in []", level: .person, column: 17, kind: .badValue, containing: "empty")
        expectError("1 2", column: 12, kind: .badValue, containing: "is an operator missing")
        expectError("\"rural\" == 1", column: 10, kind: .wrongType, containing: "not a value here")
    }

    @Test("nesting is limited to 256 levels and text to 4096 characters")
    func limits() {
        let deepOK = String(repeating: "(", count: 255) + "1" + String(repeating: ")", count: 255)
        #expect(F.error(deepOK) == nil)
        let tooDeep = String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)
        #expect(F.error(tooDeep)?.kind == .unsupported)
        #expect(F.error(tooDeep)?.message.contains("nested more than 256") == true)
        #expect(F.error(String(repeating: "-", count: 300) + "1")?.kind == .unsupported)
        #expect(F.error(String(repeating: "not ", count: 300) + "true")?.kind == .unsupported)
        let chain = (0..<600).map { _ in "1" }.joined(separator: "+")
        #expect(F.error(chain)?.kind == .unsupported)
        let calls = String(repeating: "abs(", count: 300) + "1" + String(repeating: ")", count: 300)
        #expect(F.error(calls)?.kind == .unsupported)
        let long = String(repeating: "1 + ", count: 1_100) + "1"
        expectError(long, column: 10, kind: .unsupported, containing: "longer than 4096 characters")
    }
}
