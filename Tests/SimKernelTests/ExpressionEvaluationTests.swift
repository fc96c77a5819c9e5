import Testing
@testable import SimKernel

/// Golden values worked by hand on ExpressionFixture's three households.
@Suite("Rule expressions evaluate over households and members")
struct ExpressionEvaluationTests {
    typealias F = ExpressionFixture

    @Test("precedence follows CEL: * before +, comparisons before and, and before or, left to right")
    func precedence() throws {
        #expect(try F.values("1 + 2 * 3", level: .household) == [7, 7, 7])
        #expect(try F.values("(1 + 2) * 3", level: .household) == [9, 9, 9])
        #expect(try F.values("-2 * 3 + 10", level: .household) == [4, 4, 4])
        #expect(try F.values("2 - 3 - 4", level: .household) == [-5, -5, -5])
        #expect(try F.values("8 / 4 / 2", level: .household) == [1, 1, 1])
        #expect(try F.values("1_000.5 + 1e3", level: .household) == [2000.5, 2000.5, 2000.5])
        // and binds tighter than or: true or (false and false)
        #expect(try F.values("true or false and false", level: .household) == [1, 1, 1])
        // not binds tighter than and: (not false) and false
        #expect(try F.values("not false and false", level: .household) == [0, 0, 0])
        #expect(try F.values("1 + 2 * 3 == 7 and 2 < 3", level: .household) == [1, 1, 1])
    }

    @Test("the rural under-5 grant condition holds for H0 only")
    func ruralUnderFive() throws {
        // H0: rural, a 3-year-old, consumption 250 / 3 = 83.3 < 300: yes.
        // H1: rural, a 4-year-old, but 700 / 2 = 350 >= 300: no. H2: urban: no.
        let condition = "urban == 0 and count(age < 5) >= 1 and sum(consumption) / count() < line"
        #expect(try F.values(condition, level: .household, expecting: .boolean) == [1, 0, 0])
        // 10% of the line, paid per household: 0.1 * 300 = 30.
        #expect(try F.values("if(\(condition), rate * line, 0)", level: .household, expecting: .number(.currencyPerMonth)) == [30, 0, 0])
    }

    @Test("aggregates with and without a condition")
    func aggregates() throws {
        #expect(try F.values("sum(earnings, labour_status == 1)", level: .household) == [200, 0, 0])
        #expect(try F.values("sum(earnings)", level: .household) == [200, 0, 50])
        #expect(try F.values("count()", level: .household) == [3, 2, 1])
        #expect(try F.values("count(age >= 18)", level: .household) == [2, 1, 0])
        #expect(try F.values("any(disabled)", level: .household) == [0, 1, 0])
        #expect(try F.values("all(age < 18)", level: .household) == [0, 0, 1])
        #expect(try F.values("min(age)", level: .household) == [3, 4, 2])
        #expect(try F.values("max(age)", level: .household) == [34, 70, 2])
        // mean of consumption: 250 / 3, 700 / 2, 100 / 1.
        #expect(try F.values("mean(consumption)", level: .household) == [250.0 / 3, 350, 100])
        // adults' mean earnings: (200 + 0) / 2, 0 / 1, nobody -> default 0.
        #expect(try F.values("mean(earnings, age >= 18, default: 0)", level: .household) == [100, 0, 0])
        // children's largest consumption: 50, 300, 100 (all of H2 is a child).
        #expect(try F.values("max(consumption, age < 18, default: -1)", level: .household) == [50, 300, 100])
        #expect(try F.values("min(consumption, age > 60, default: -1)", level: .household) == [-1, 400, -1])
    }

    @Test("amounts with min, max, clamp, if, div, rounding and unit conversion")
    func amounts() throws {
        // earnings 200, 0, 0, 0, 0, 50
        #expect(try F.values("clamp(earnings - 100, 0, line)", level: .person) == [100, 0, 0, 0, 0, 0])
        #expect(try F.values("min(earnings, 150)", level: .person) == [150, 0, 0, 0, 0, 50])
        #expect(try F.values("max(earnings, 20, pension)", level: .person) == [200, 20, 20, 120, 20, 50])
        #expect(try F.values("if(age < 5, 10, 0) + pension", level: .person) == [0, 0, 10, 120, 10, 10])
        // a household value broadcast to members: earnings over the household's member count.
        #expect(try F.values("earnings / count()", level: .person) == [200.0 / 3, 0, 0, 0, 0, 50])
        // each member's share of household earnings; H1 earns nothing -> default 0.
        #expect(try F.values("div(earnings, sum(earnings), default: 0)", level: .person) == [1, 0, 0, 0, 0, 1])
        // a household or constant result of a person rule is given to every member
        #expect(try F.values("sum(earnings)", level: .person) == [200, 200, 200, 0, 0, 50])
        #expect(try F.values("child_grant", level: .person) == [30, 30, 30, 0, 0, 15])
        #expect(try F.values("line", level: .person) == [300, 300, 300, 300, 300, 300])
        #expect(try F.values("line", level: .household) == [300, 300, 300])
        #expect(try F.values("child_grant + earnings", level: .person) == [230, 30, 30, 0, 0, 65])
        #expect(try F.values("monthly(annual_cap)", level: .household) == [200, 200, 200])
        #expect(try F.values("yearly(child_grant)", level: .household) == [360, 0, 180])
        // 3 - 30 - 200 + 2000 + 30000 = 31773 (round halves away from zero)
        let rounding: [Double] = [31_773, 31_773, 31_773]
        #expect(try F.values("round(2.5) + round(-2.5) * 10 + floor(-1.5) * 100 + ceil(1.2) * 1000 + abs(-3) * 10000", level: .household) == rounding)
        #expect(try F.values("labour_status in [1, 2]", level: .person) == [1, 0, 0, 0, 0, 1])
        #expect(try F.values("age in [2, 3, 4] and not disabled", level: .person) == [0, 0, 1, 0, 1, 1])
        #expect(try F.values("urban != 1 or any(earnings > 100)", level: .household) == [1, 1, 0])
    }

    @Test("the buffer interface reads Int32 and Double columns in the program's input order")
    func bufferInterface() throws {
        let rule = try F.compile("sum(consumption, age < 5) + if(urban == 0, 1, 0)", level: .household)
        let ages: [Int32] = [34, 30, 3, 70, 4, 2]
        let urban: [Int32] = [0, 0, 1]
        let consumption = F.columns["consumption"]!
        var out = [Double](repeating: -1, count: 3)
        F.offsets.withUnsafeBufferPointer { o in
            ages.withUnsafeBufferPointer { a in
                urban.withUnsafeBufferPointer { u in
                    consumption.withUnsafeBufferPointer { c in
                        out.withUnsafeMutableBufferPointer { r in
                            let columns: [ExpressionColumn] = rule.program.inputs.map {
                                $0.name == "age" ? .integer(a) : $0.name == "urban" ? .integer(u) : .real(c)
                            }
                            rule.program.evaluate(householdOffsets: o, columns: columns, into: r)
                        }
                    }
                }
            }
        }
        // children's consumption 50, 300, 100; plus 1 for the rural H0 and H1.
        #expect(out == [51, 301, 100])
        #expect(rule.program.inputs == [.init(name: "consumption", level: .person), .init(name: "age", level: .person),
                                        .init(name: "urban", level: .household)])
    }

    @Test("registers are reused once read: a long min() holds a few columns, not one per argument")
    func registerReuse() throws {
        let terms = (0..<200).map { "earnings + \($0)" }.joined(separator: ", ")
        let rule = try F.compile("min(\(terms))", level: .person)
        // each step holds the running minimum, one argument's two operands and its sum
        #expect(rule.program.registerLevels.count <= 4)
        #expect(rule.program.instructionCount > 600)
        #expect(rule.program.evaluate(householdOffsets: F.offsets, columns: F.columns) == [200, 0, 0, 0, 0, 50])
    }

    @Test("a household program reads each input once, and results do not depend on the batch split")
    func batchSplit() throws {
        let rule = try F.compile("if(urban == 0, sum(consumption, age >= 18) * rate, child_grant)", level: .household)
        #expect(rule.program.inputs.map(\.name).sorted() == ["age", "child_grant", "consumption", "urban"])
        let whole = rule.program.evaluate(householdOffsets: F.offsets, columns: F.columns)
        // H0 alone, then H1 + H2 rebased.
        func slice(_ persons: Range<Int>, _ households: Range<Int>) -> [String: [Double]] {
            F.columns.mapValues { $0.count == 6 ? Array($0[persons]) : Array($0[households]) }
        }
        let first = rule.program.evaluate(householdOffsets: [0, 3], columns: slice(0..<3, 0..<1))
        let rest = rule.program.evaluate(householdOffsets: [0, 2, 3], columns: slice(3..<6, 1..<3))
        // H0: 0.1 * 200 = 20; H1: 0.1 * 400 = 40; H2 urban: child_grant 15.
        #expect(whole == [20, 40, 15])
        #expect(first + rest == whole)
    }
}
