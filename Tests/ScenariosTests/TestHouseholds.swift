import Foundation
import Scenarios
@testable import SimKernel

/// Hand-built households for rule tests: written to a temporary CSV in
/// SPEC.md's columns and loaded with ``SurveyLoader``, as real data is.
struct TestPerson {
    var household: Int
    var id: Int
    var weight: Double = 1
    var age: Int
    var labourStatus: Int = 0
    var earnings: Double = 0
    var otherIncome: Double = 0
}

enum TestHouseholds {
    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An absolute path under the package root.
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The variables the rules under test read.
    static let variables: [VariableRequest] = [
        VariableRequest(.age, neededBy: "test"), VariableRequest(.labourStatus, neededBy: "test"),
        VariableRequest(.earnings, neededBy: "test"), VariableRequest(.otherIncome, neededBy: "test"),
    ]

    /// Loads `persons` (members of a household adjacent) as a population.
    static func population(_ persons: [TestPerson]) throws -> Population {
        var csv = "hh_id,person_id,weight,stratum,psu,region,urban,age,sex,labour_status,earnings,other_income,disabled\n"
        for p in persons {
            csv += "\(p.household),\(p.id),\(p.weight),1,1,1,1,\(p.age),1,\(p.labourStatus),\(p.earnings),\(p.otherIncome),0\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-households-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try SurveyLoader().load(file: file.path, variables: variables)
    }

    /// A module of type `M` with `values` and every other parameter at its default.
    static func module<M: PolicyModule>(_ type: M.Type, _ values: [String: ParameterValue]) throws -> M {
        var all: [String: ParameterValue] = [:]
        for spec in M.parameters {
            if let value = values[spec.key] ?? spec.defaultValue { all[spec.key] = value }
        }
        return try M(parameters: ResolvedParameters(module: M.name, specs: M.parameters, values: all))
    }

    /// Each person's monthly amount under `module`, in file order, from the bound rule
    /// applied household by household (members' running income: their market income).
    static func amounts(_ module: some PolicyModule, on population: Population) -> [Double] {
        let rule = module.bind(to: population, context: RunContext())
        let earnings = population.reals("earnings"), other = population.reals("other_income")
        var result: [Double] = []
        for h in 0..<population.householdCount {
            let members = population.persons(of: h)
            let income = members.map { earnings[$0] + other[$0] }
            var amounts = [Double](repeating: 0, count: members.count)
            income.withUnsafeBufferPointer { incomeBuffer in
                amounts.withUnsafeMutableBufferPointer { out in
                    rule.apply(HouseholdFrame(index: h, id: population.householdID[h], firstPerson: members.lowerBound,
                                              income: incomeBuffer), amounts: out)
                }
            }
            result += amounts
        }
        return result
    }

    /// A system of the given components on market income earnings + other_income.
    static func system(_ name: String, _ components: [(String, any PolicyModule)]) -> TaxBenefitSystem {
        TaxBenefitSystem(
            name: name, title: name, source: nil, marketIncome: ["earnings", "other_income"],
            components: components.map { c in
                TaxBenefitSystem.Component(name: c.0, moduleName: type(of: c.1).name, module: c.1, parameters: [:])
            })
    }

    /// Whether `a` and `b` agree to `tolerance`, relative to the larger (absolute below 1).
    static func close(_ a: Double, _ b: Double, tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }
}
