import Foundation
import Testing
@testable import SimKernel

/// The lowered program (constants folded, inputs read in place, integer
/// columns compared as they are, the last step writing the output) gives
/// the bits of the instructions run one by one.
@Suite("Lowered rule programs")
struct ExpressionLoweringTests {
    typealias F = ExpressionFixture

    /// The fixture's columns, and the same names holding -0, NaN, infinities and huge values.
    static let columnSets: [[String: [Double]]] = [
        F.columns,
        F.columns.merging([
            "earnings": [-0.0, .nan, .infinity, 1e308, -5, 0],
            "consumption": [-.infinity, 0, -0.0, 1e-320, .nan, 3],
            "child_grant": [-0.0, .nan, 1e308],
            "pension": [0, -0.0, -1, .infinity, 2, .nan],
        ]) { $1 },
    ]

    static let texts = [
        "earnings", "age", "line", "line * rate + 1", "labour_status in [1, 2]", "age >= 0 and age <= 17",
        "not (age < 5) or earnings > 0", "if(earnings > line, earnings, -0)", "div(earnings, consumption, default: -0)",
        "clamp(earnings, 0, line)", "min(earnings, consumption) - max(pension, 0)", "round(earnings / 3) + floor(-earnings) + ceil(pension)",
        "abs(-earnings) * rate", "monthly(annual_cap) + yearly(pension)", "sum(earnings) + count(age < 5) + mean(consumption, age >= 18, default: -1)",
        "min(pension, disabled == 1, default: line) + max(earnings)", "any(earnings > 100) and all(age > 1)",
        "urban == 0", "urban in [1] or labour_status == 2", "child_grant + earnings", "sum(consumption) / count() < line",
        "if(true, earnings, consumption)", "if(urban == 1, line, 0) + 0 * earnings",
    ]

    static func bits(_ xs: [Double]) -> [UInt64] { xs.map(\.bitPattern) }

    @Test("each expression gives the reference's bits at both levels, on ordinary and hostile values")
    func sameBits() throws {
        var compared = 0
        for text in Self.texts {
            for level in [RuleType.Level.person, .household] {
                guard let rule = try? F.compile(text, level: level) else { continue }
                for columns in Self.columnSets {
                    let lowered = rule.program.evaluate(householdOffsets: F.offsets, columns: columns)
                    let reference = rule.program.evaluateReference(householdOffsets: F.offsets, columns: columns)
                    #expect(Self.bits(lowered) == Self.bits(reference), "\(text) at \(level)")
                    compared += 1
                }
            }
        }
        #expect(compared > 40)
    }

    @Test("seeded mutations that compile give the reference's bits")
    func mutations() {
        var rng = ExpressionMutationTests.SplitMix64(state: 99)
        var compared = 0
        for _ in 0..<3_000 {
            var text = Array(ExpressionMutationTests.seeds.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0...text.count, using: &rng)
                let piece = ExpressionMutationTests.pieces.randomElement(using: &rng)!
                if Bool.random(using: &rng) { text.insert(contentsOf: piece, at: at) } else if at < text.count { text.remove(at: at) }
            }
            for level in [RuleType.Level.person, .household] {
                guard let rule = try? F.compile(String(text), level: level) else { continue }
                for columns in Self.columnSets {
                    #expect(Self.bits(rule.program.evaluate(householdOffsets: F.offsets, columns: columns))
                        == Self.bits(rule.program.evaluateReference(householdOffsets: F.offsets, columns: columns)), "\(String(text))")
                    compared += 1
                }
            }
        }
        #expect(compared > 100)
    }

    @Test("integer columns are compared and tested for membership as they are, with the reference's bits")
    func integerColumns() throws {
        let ages: [Int32] = [34, 30, 3, 70, 4, 2], status: [Int32] = [1, 0, 0, 0, 0, 2], urban: [Int32] = [0, 0, 1]
        for text in ["age >= 0 and age <= 17", "labour_status in [1] and earnings > 0", "age", "urban", "age > 4 or age == 1",
                     "5 > age", "count(age < 5) + count(age >= 65)", "max(age)", "if(urban == 0, age, -1)", "labour_status in [0, 2]"] {
            let rule = try F.compile(text, level: .person)
            func run(_ evaluate: (UnsafeBufferPointer<Int>, [ExpressionColumn], UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
                var out = [Double](repeating: .nan, count: 6)
                let earnings = F.columns["earnings"]!
                F.offsets.withUnsafeBufferPointer { o in
                    ages.withUnsafeBufferPointer { a in
                        status.withUnsafeBufferPointer { s in
                            urban.withUnsafeBufferPointer { u in
                                earnings.withUnsafeBufferPointer { e in
                                    out.withUnsafeMutableBufferPointer { r in
                                        let columns: [ExpressionColumn] = rule.program.inputs.map {
                                            switch $0.name {
                                            case "age": return .integer(a)
                                            case "labour_status": return .integer(s)
                                            case "urban": return .integer(u)
                                            default: return .real(e)
                                            }
                                        }
                                        evaluate(o, columns, r)
                                    }
                                }
                            }
                        }
                    }
                }
                return out
            }
            let lowered = run { rule.program.evaluate(householdOffsets: $0, columns: $1, into: $2) }
            let reference = run { rule.program.evaluateReference(householdOffsets: $0, columns: $1, into: $2) }
            #expect(Self.bits(lowered) == Self.bits(reference), "\(text)")
        }
        // The grant's eligibility needs no conversion of the ages: two comparisons and an 'and'.
        let grant = try F.compile("age >= 0 and age <= 17", level: .person)
        #expect(grant.program.lowered.steps.count == 3)
        #expect(!grant.program.lowered.steps.contains { if case .materialise = $0 { return true }; return false })
    }

    @Test("constants are folded and inputs read in place: no step computes them")
    func folding() throws {
        #expect(try F.compile("line * rate + monthly(annual_cap)", level: .person).program.lowered.steps.isEmpty)
        #expect(try F.compile("line * rate + monthly(annual_cap)", level: .person).program.lowered.result == .constant(300 * 0.1 + 200))
        #expect(try F.compile("earnings", level: .person).program.lowered.result == .input(0))
        #expect(try F.compile("earnings", level: .person).program.lowered.steps.isEmpty)
        // rate * earnings: one multiplication by a constant, written to the output (the
        // earnings column is only pointed to: a materialise step of a Double column copies nothing).
        let amount = try F.compile("rate * earnings", level: .person).program.lowered
        #expect(amount.steps.filter { if case .materialise = $0 { return false }; return true }.count == 1)
        #expect(amount.result == .register(ExpressionProgram.outputRegister))
    }

    @Test("registers given by the caller are only written, never read before: garbage in them changes nothing")
    func callerRegisters() throws {
        for text in Self.texts {
            guard let rule = try? F.compile(text, level: .person) else { continue }
            let expected = rule.program.evaluate(householdOffsets: F.offsets, columns: F.columns)
            let n = rule.program.registerCount(persons: 6, households: 3)
            var registers = [Double](repeating: .nan, count: n + 1)
            var out = [Double](repeating: 7, count: 6)
            let needed = rule.program.inputs.map { F.columns[$0.name]! }
            func withColumns(_ i: Int, _ acc: [ExpressionColumn], _ body: ([ExpressionColumn]) -> Void) {
                if i == needed.count { return body(acc) }
                needed[i].withUnsafeBufferPointer { withColumns(i + 1, acc + [.real($0)], body) }
            }
            F.offsets.withUnsafeBufferPointer { o in
                registers.withUnsafeMutableBufferPointer { r in
                    out.withUnsafeMutableBufferPointer { d in
                        withColumns(0, []) { rule.program.evaluate(householdOffsets: o, columns: $0, into: d, registers: r) }
                    }
                }
            }
            #expect(Self.bits(out) == Self.bits(expected), "\(text)")
        }
    }
}

/// A condition applied to an amount in one loop (`runApplying`: the last
/// step, or `p and q` of two comparisons with constants, fused with the
/// masking) gives the bits of evaluating the condition and masking after.
@Suite("Conditions applied in one pass")
struct ConditionApplyingTests {
    typealias F = ExpressionFixture

    static let conditions = [
        "age >= 0 and age <= 17", "labour_status in [1] and earnings > 0", "earnings > 0 and 5 > age", "0 < earnings and age < 3",
        "earnings >= -0 and earnings <= 200", "earnings == 0 and consumption != 100", "labour_status in [1]", "earnings < 50",
        "age > 4 or earnings > 0", "not (age < 5)", "consumption > 1e308 and earnings < 1e-320", "age >= 18 and earnings >= 200",
    ]

    /// u and the entitled bytes from `runApplying`, and from the reference evaluation then the mask.
    static func both(_ rule: RuleExpression, amount: [Double]?, columns: [String: [Double]]) -> ([UInt64], [UInt64])? {
        let program = rule.program
        let n = 6
        let reference = program.evaluateReference(householdOffsets: F.offsets, columns: columns)
        let c = 42.5
        let expected = (0..<n).map { j in reference[j] != 0 ? (amount?[j] ?? c) : 0 }
        var u = amount ?? [Double](repeating: .nan, count: n)
        var entitled = [UInt8](repeating: 9, count: n)
        var scratch = [Double](repeating: .nan, count: n + program.registerCount(persons: n, households: 3))
        let needed = program.inputs.map { columns[$0.name]! }
        var fused = false
        F.offsets.withUnsafeBufferPointer { o in
            scratch.withUnsafeMutableBufferPointer { r in
                u.withUnsafeMutableBufferPointer { ub in
                    entitled.withUnsafeMutableBufferPointer { e in
                        let value: ExpressionProgram.Value = amount == nil ? .scalar(c) : .reals(UnsafePointer(ub.baseAddress!))
                        func withColumns(_ i: Int, _ acc: [ExpressionColumn], _ body: ([ExpressionColumn]) -> Void) {
                            if i == needed.count { return body(acc) }
                            needed[i].withUnsafeBufferPointer { withColumns(i + 1, acc + [.real($0)], body) }
                        }
                        withColumns(0, []) { cols in
                            fused = program.runApplying(to: value, into: ub.baseAddress!, entitled: e.baseAddress!, households: 3,
                                                        persons: n, offsets: o.baseAddress!, registers: r.baseAddress! + n,
                                                        output: r.baseAddress!) { cols[$0] }
                        }
                    }
                }
            }
        }
        guard fused else { return nil }
        let got = u.map(\.bitPattern) + entitled.map { UInt64($0) }
        let want = expected.map(\.bitPattern) + expected.map { $0 > 0 ? 1 : 0 }
        return (got, want)
    }

    @Test("runApplying gives the reference's bits, with a constant or a column amount, on ordinary and hostile values")
    func sameBits() throws {
        var fused = 0
        for text in Self.conditions {
            let rule = try F.compile(text, level: .person)
            for columns in ExpressionLoweringTests.columnSets {
                for amount in [nil, [3.0, -0.0, .nan, 7, .infinity, 0]] as [[Double]?] {
                    guard let (got, want) = Self.both(rule, amount: amount, columns: columns) else { continue }
                    #expect(got == want, "\(text)")
                    fused += 1
                }
            }
        }
        #expect(fused >= 40)
    }

    @Test("two comparisons with constants joined by 'and' become intervals, with their edges exact")
    func intervals() throws {
        let grant = try F.compile("age >= 0 and age <= 17", level: .person).program.lowered
        let (p, q) = try #require(grant.intervals)
        #expect([p.lo, p.hi, q.lo, q.hi] == [0, .infinity, -.infinity, 17])
        // x > 0 is x >= the smallest positive double; c < x flips to x > c.
        let (r, _) = try #require(try F.compile("0 < earnings and labour_status in [1]", level: .person).program.lowered.intervals)
        #expect(r.lo == Double.leastNonzeroMagnitude && r.hi == .infinity)
        #expect(ExpressionProgram.interval(.greater, .infinity)!.lo.isNaN)
        #expect(ExpressionProgram.interval(.less, -.infinity)!.lo.isNaN)
        #expect(try F.compile("age > 4 or earnings > 0", level: .person).program.lowered.intervals == nil)
    }
}
