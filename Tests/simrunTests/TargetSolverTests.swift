import Foundation
import SimAnalysis
import Testing

@testable import simrun

/// The solver behind `simrun solve` on figures whose root is known by hand.
@Suite("Target solver")
struct TargetSolverTests {
    typealias P = TargetSolver.Parameter

    @Test("a linear cost meets its target to 1e-7 relative, each value evaluated once")
    func linear() throws {
        var evaluations: [Double] = []
        // Net cost share of GDP = 0.0004 × amount: 1% of GDP at amount 25 (hand calculation).
        let solver = TargetSolver(parameter: P(name: "amount", value: 30, minimum: 0, maximum: 1000, wholeNumber: false),
                                  target: 0.01) { x in
            evaluations.append(x)
            return 0.0004 * x
        }
        let solution = try solver.solve()
        #expect(solution.status == .met)
        #expect(abs(0.0004 * solution.value - 0.01) <= 1e-7 * 0.01)
        #expect(Set(evaluations).count == evaluations.count)
        #expect(solution.iterations.map(\.value) == evaluations)
        #expect(solution.notMonotone == nil)
    }

    @Test("a nonlinear falling figure: 1/(1+x) = 0.2 at x = 4")
    func nonlinear() throws {
        let solution = try TargetSolver(parameter: P(name: "x", value: 1, minimum: 0, maximum: 100, wholeNumber: false),
                                        target: 0.2) { 1 / (1 + $0) }.solve()
        #expect(abs(solution.value - 4) < 1e-5)
        #expect(abs(1 / (1 + solution.value) - 0.2) <= 1e-7 * 0.2)
    }

    @Test("budget-neutral (target 0) uses the figure's scale for its tolerance")
    func zeroTarget() throws {
        // Net cost = 1e9 × (0.3 − rate): neutral at rate 0.3.
        let solution = try TargetSolver(parameter: P(name: "rate", value: 0.2, minimum: 0, maximum: 1, wholeNumber: false),
                                        target: 0) { 1e9 * (0.3 - $0) }.solve()
        #expect(abs(1e9 * (0.3 - solution.value)) <= 1e-7 * 1e9 * 0.7)
    }

    @Test("a target outside the figure's range over the valid range names that range")
    func unreachable() {
        #expect(throws: TargetSolver.Failure.unreachable(figureRange: 0...0.4, over: 0...1000)) {
            try TargetSolver(parameter: P(name: "amount", value: 30, minimum: 0, maximum: 1000, wholeNumber: false),
                             target: 0.5) { 0.0004 * $0 }.solve()
        }
    }

    @Test("an open maximum is searched by doubling from the current value")
    func openRange() throws {
        var largest = 0.0
        let solution = try TargetSolver(parameter: P(name: "amount", value: 30, minimum: 0, maximum: nil, wholeNumber: false),
                                        target: 10) { x in
            largest = max(largest, x)
            return 0.001 * x
        }.solve()
        #expect(abs(solution.value - 10_000) <= 1e-7 * 10_000 / 0.001 * 0.001 + 1e-6)
        // From the closed end 0, steps of 30 doubled until 0.001 × amount passes 10: 30·2⁹ = 15,360 is the first bracket.
        #expect(largest == 15_360)
    }

    @Test("a step function: the jump across the target is reported with both sides")
    func step() throws {
        // Persons lifted out: 0 below an amount of 12.5, 40 from there (a step).
        let solution = try TargetSolver(parameter: P(name: "amount", value: 1, minimum: 0, maximum: 100, wholeNumber: false),
                                        target: 30) { $0 < 12.5 ? 0 : 40 }.solve()
        guard case .step(let below, let above) = solution.status else {
            Issue.record("expected a step, got \(solution.status)")
            return
        }
        #expect(below.figure == 0 && above.figure == 40)
        #expect(below.value < 12.5 && above.value >= 12.5 && above.value - below.value < 1e-12)
        #expect(solution.value == above.value)
    }

    @Test("a whole-number parameter is bisected: the age limit at which the figure first passes 11")
    func wholeNumber() throws {
        var evaluated: [Double] = []
        // Figure = age limit (whole numbers 0...17); target 11.5 lies between 11 and 12.
        let solution = try TargetSolver(parameter: P(name: "max_age", value: 17, minimum: 0, maximum: 17, wholeNumber: true),
                                        target: 11.5) { x in
            evaluated.append(x)
            return x
        }.solve()
        #expect(evaluated.allSatisfy { $0 == $0.rounded() })
        #expect(solution.status == .step(below: .init(value: 11, figure: 11), above: .init(value: 12, figure: 12)))
        #expect(solution.value == 11)
        #expect(evaluated.count <= 2 + 5)
    }

    @Test("a figure that turns is reported as not monotone")
    func notMonotone() throws {
        // (x − 3)² on [0, 10]: 9 at 0, 49 at 10; the target 16 is met at x = 7. The first secant step
        // lands at 1.75 (9 + 40·x/10 = 16), where the figure is 1.5625: below both ends, so it turns.
        let solution = try TargetSolver(parameter: P(name: "x", value: 2, minimum: 0, maximum: 10, wholeNumber: false),
                                        target: 16) { ($0 - 3) * ($0 - 3) }.solve()
        #expect(abs((solution.value - 3) * (solution.value - 3) - 16) <= 16e-7)
        #expect(solution.notMonotone != nil)
    }

    @Test("the target text: FIGURE=VALUE, % for shares, budget-neutral", arguments: [
        ("net_cost_share_gdp=1%", "net_cost_share_gdp", 1.0, true),
        ("net_cost_annual=2.5e9", "net_cost_annual", 2.5e9, false),
        ("fgt0_change=-0.02", "fgt0_change", -0.02, false),
        ("budget-neutral", "net_cost_annual", 0.0, false),
    ])
    func targetText(text: String, figure: String, number: Double, percent: Bool) throws {
        let target = try SolveTarget(text)
        #expect(target.figure == figure && target.number == number && target.percent == percent)
    }

    @Test("bad target texts are command-line errors", arguments: ["", "net_cost", "=1", "net cost=1", "x=abc", "x=1%%", "x=inf", "x=nan"])
    func badTargetText(text: String) {
        #expect(throws: (any Error).self) { try SolveTarget(text) }
    }

    @Test("% is refused for a figure in currency")
    func percentForMoney() throws {
        let target = try SolveTarget("net_cost_annual=2%")
        #expect(throws: (any Error).self) { try target.value(unitIsShare: false, unitName: "currency/year") }
        #expect(try SolveTarget("fgt0_change=-2%").value(unitIsShare: true, unitName: "difference of fractions") == -0.02)
    }
}
