import Foundation
import Testing
@testable import SimKernel

/// Hostile text never crashes the lexer, parser, checker, compiler or
/// evaluator: a seeded random mutation of valid expressions either compiles
/// (and then evaluates on the fixture) or throws an InputError at grant.yaml:12.
@Suite("Rule expressions survive garbage")
struct ExpressionMutationTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        "urban == 0 and count(age < 5) >= 1 and sum(consumption) / count() < line",
        "if(any(disabled), clamp(sum(earnings) * rate, 0, line), div(line, bonus, default: 0))",
        "mean(earnings, age >= 18, default: 0) + max(consumption, age < 18, default: -1)",
        "labour_status in [1, 2] or not (age < 5)",
        "round(monthly(annual_cap)) - floor(1_000.5) + ceil(abs(-2e3))",
    ]
    static let pieces = ["(", ")", "[", "]", ",", "+", "-", "*", "/", "<", "==", "!=", " and ", " or ", "not ", " in ",
                         "sum(", "count(", "if(", "min(", "max(", "div(", "default:", "0", "1e308", "1_0", ".", "_",
                         "age", "earnings", "urban", "line", "\"x\"", "é", "\u{0}", "\n", "\u{202E}", "1e", "true"]

    @Test("10,000 seeded mutations never crash and fail only with InputError at the expression's file and line")
    func mutations() {
        var rng = SplitMix64(state: 12)
        let start = Date()
        var compiled = 0
        for round in 0..<10_000 {
            if round % 500 == 0 && Date().timeIntervalSince(start) > 1.0 { break }
            var text = Array(Self.seeds.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...text.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: text.insert(contentsOf: Self.pieces.randomElement(using: &rng)!, at: at)
                case 1: if at < text.count { text.remove(at: at) }
                default: if at < text.count { text[at] = Self.pieces.randomElement(using: &rng)!.first ?? "x" }
                }
            }
            let source = String(text)
            for level in [RuleType.Level.person, .household] {
                do {
                    let rule = try ExpressionFixture.compile(source, level: level)
                    _ = rule.program.evaluate(householdOffsets: ExpressionFixture.offsets, columns: ExpressionFixture.columns)
                    compiled += 1
                } catch let e as InputError {
                    #expect(e.file == "grant.yaml" && e.line == 12 && e.message.hasPrefix("column "), "\(e)")
                } catch {
                    Issue.record("unexpected error \(error) for \(source)")
                }
            }
        }
        #expect(compiled > 0)
    }
}

/// The recursive parser, checker and compiler run on their own large stack:
/// the deepest accepted expressions compile when the caller is a thread with
/// 512 KiB of stack (a secondary thread on macOS), where a debug build of the
/// parser alone overflowed at 64 nested parentheses.
@Suite("Rule expressions at the depth limit")
struct ExpressionDepthTests {
    @Test("the deepest accepted expressions compile on a 512 KiB stack")
    func smallStack() {
        let n = 250
        let texts = [
            String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n),
            String(repeating: "abs(", count: n) + "line" + String(repeating: ")", count: n),
            String(repeating: "if(true, ", count: n) + "line" + String(repeating: ", 0)", count: n),
            (0..<n).map { _ in "line" }.joined(separator: " + "),
            String(repeating: "- ", count: n) + "line",
        ]
        let chosen = texts
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var depths: [RuleType?] = []
        let thread = Thread {
            for text in chosen { depths.append(try? ExpressionFixture.compile(text, level: .household).type) }
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(depths.count == chosen.count)
        #expect(depths.allSatisfy { $0 != nil })
    }
}
