import Foundation
@testable import SimKernel
import Scenarios

/// Paths and helpers shared by the engine tests.
enum TestSupport {
    /// The package root (three levels above this file).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static var exampleScenario: String { path("inputs/scenarios/universal-child-grant.yaml") }
    static var exampleData: String { path("inputs/data/example-persons.csv") }

    /// Loads `data` for `scenario` and runs it.
    static func run(scenario: ScenarioDefinition, data: String, threads: Int = 2, chunkSize: Int = 4096,
                    pieceBytes: Int = 1 << 21) throws -> (Population, ScenarioRun) {
        let loader = SurveyLoader(plan: ParallelPlan(threads: threads), pieceBytes: pieceBytes)
        let population = try loader.load(file: data, variables: ScenarioRun.variables(of: scenario))
        let run = ScenarioRun(scenario: scenario, population: population,
                              simulator: Simulator(plan: ParallelPlan(threads: threads), chunkSize: chunkSize))
        return (population, run)
    }

    /// Whether `a` and `b` agree to `tolerance` relative (absolute near zero).
    static func close(_ a: Double, _ b: Double, relative tolerance: Double) -> Bool {
        if a == b { return true }
        return abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-300) || abs(a - b) < 1e-300
    }

    /// A deterministic synthetic survey written as CSV (SplitMix64 draws):
    /// `households` households of 1 to 9 members in SPEC.md's columns.
    static func syntheticCSV(households: Int, seed: UInt64) -> String {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        var out = "hh_id,person_id,weight,stratum,psu,region,urban,age,sex,labour_status,earnings,other_income,disabled\n"
        var person = 0
        for h in 1...households {
            let size = 1 + Int(uniform() * 9)
            let weight = (50 + uniform() * 400 * 100).rounded() / 100
            let region = 1 + Int(uniform() * 10)
            let urban = uniform() < 0.4 ? 1 : 0
            for m in 0..<size {
                person += 1
                let age = m == 0 ? 18 + Int(uniform() * 70) : Int(uniform() * 90)
                let status = age < 15 ? 0 : Int(uniform() * 4)
                let earnings = status == 1 || status == 2 ? (uniform() * 150_000).rounded() / 100 : 0
                let other = uniform() < 0.2 ? (uniform() * 30_000).rounded() / 100 : 0
                out += "\(h),\(person),\(weight),\(2 * (region - 1) + urban + 1),\(h / 15 + 1),\(region),\(urban),\(age),\(1 + Int(uniform() * 2)),\(status),\(String(format: "%.2f", earnings)),\(String(format: "%.2f", other)),0\n"
            }
        }
        return out
    }
}
