import Foundation
import Scenarios
@testable import SimKernel

/// One person with SPEC.md's columns and the optional ones of docs/data.md,
/// for the tests of the modules that read optional columns.
struct SurveyRow {
    var household: Int
    var id: Int
    var weight: Double = 1
    var region: Int = 1
    var urban: Int = 1
    var age: Int
    var sex: Int = 1
    var labourStatus: Int = 0
    var earnings: Double = 0
    var otherIncome: Double = 0
    var disabled: Int = 0
    var pensionIncome: Double = 0
    var monthsSinceBirth: Int = -1
    var pregnant: Int = 0
    var contractType: Int = 0
    var lastJobStatus: Int = 0
    var monthsUnemployed: Int = 0
    var monthsWorked: Int = 0
}

/// Hand-built and synthetic surveys with every column, loaded with
/// ``SurveyLoader`` as real data is, and ways to run one module on them.
enum Survey {
    static let header = "hh_id,person_id,weight,stratum,psu,region,urban,age,sex,labour_status,earnings,other_income,disabled,"
        + "pension_income,months_since_birth,pregnant,contract_type,last_job_status,months_unemployed,months_worked_last_24m"

    /// The rows as CSV text (members of a household must be adjacent).
    static func csv(_ rows: [SurveyRow]) -> String {
        var out = header + "\n"
        for r in rows {
            out += "\(r.household),\(r.id),\(r.weight),1,1,\(r.region),\(r.urban),\(r.age),\(r.sex),\(r.labourStatus),"
            out += "\(r.earnings),\(r.otherIncome),\(r.disabled),\(r.pensionIncome),\(r.monthsSinceBirth),\(r.pregnant),"
            out += "\(r.contractType),\(r.lastJobStatus),\(r.monthsUnemployed),\(r.monthsWorked)\n"
        }
        return out
    }

    /// Writes `text` to a temporary file, calls `body` with its path, removes it.
    static func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-survey-\(UUID().uuidString).csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try body(file.path)
    }

    /// Loads `rows` with market income (earnings, other_income) and the variables `modules` read.
    static func population(_ rows: [SurveyRow], reading modules: [any PolicyModule]) throws -> Population {
        try withFile(csv(rows)) { try load($0, reading: modules) }
    }

    /// Loads `rows` with exactly `variables` (and the identifiers and weight).
    static func population(_ rows: [SurveyRow], variables: [VariableRequest]) throws -> Population {
        try withFile(csv(rows)) { try SurveyLoader().load(file: $0, variables: variables) }
    }

    /// Loads the survey file `path` for `modules`.
    static func load(_ path: String, reading modules: [any PolicyModule]) throws -> Population {
        let requests = [VariableRequest(.earnings, neededBy: "test"), VariableRequest(.otherIncome, neededBy: "test")]
            + modules.flatMap { m in m.variables.map { VariableRequest($0.variable, neededBy: "module \(type(of: m).name)") } }
        return try SurveyLoader().load(file: path, variables: requests)
    }

    /// A module of type `M` with `values` and every other parameter at its default.
    static func module<M: PolicyModule>(_ type: M.Type, _ values: [String: ParameterValue]) throws -> M {
        var all: [String: ParameterValue] = [:]
        for spec in M.parameters {
            if let value = values[spec.key] ?? spec.defaultValue { all[spec.key] = value }
        }
        for key in values.keys { precondition(all[key] != nil, "\(key) is not a parameter of \(M.name)") }
        return try M(parameters: ResolvedParameters(module: M.name, specs: M.parameters, values: all))
    }

    /// What one module's rule gives every household.
    struct Result {
        /// Each person's monthly amount, in person order.
        var amounts: [Double]
        /// Each household's counters, in the module's order.
        var counters: [[Double]]

        /// The weighted total of counter `name` (weights all 1 unless the rows say otherwise).
        func total(_ name: String, of module: some PolicyModule, weights: [Double]? = nil) -> Double {
            let j = module.counters.firstIndex(of: name)!
            return counters.enumerated().reduce(0) { $0 + (weights?[$1.offset] ?? 1) * $1.element[j] }
        }
    }

    /// Applies `module`'s bound rule household by household, members' income
    /// being their market income (earnings + other_income), with the run seed `seed`.
    static func apply(_ module: some PolicyModule, on population: Population, seed: UInt64 = 1, year: Int? = nil) -> Result {
        let rule = module.bind(to: population, context: RunContext(seed: seed, year: year))
        let earnings = population.reals("earnings"), other = population.reals("other_income")
        let random = RandomStream()
        var result = Result(amounts: [], counters: [])
        for h in 0..<population.householdCount {
            let members = population.persons(of: h)
            let income = members.map { earnings[$0] + other[$0] }
            var amounts = [Double](repeating: 0, count: members.count)
            var counters = [Double](repeating: 0, count: module.counters.count)
            income.withUnsafeBufferPointer { incomeBuffer in
                amounts.withUnsafeMutableBufferPointer { out in
                    counters.withUnsafeMutableBufferPointer { c in
                        rule.apply(HouseholdFrame(index: h, id: population.householdID[h], firstPerson: members.lowerBound,
                                                  income: incomeBuffer, random: random, seed: seed, counters: c), amounts: out)
                    }
                }
            }
            result.amounts += amounts
            result.counters.append(counters)
        }
        return result
    }

    /// A system of `components` on market income earnings + other_income.
    static func system(_ components: [(String, any PolicyModule)]) -> TaxBenefitSystem {
        TaxBenefitSystem(name: "test", title: "test", source: nil, marketIncome: ["earnings", "other_income"],
                         components: components.map { c in
                             TaxBenefitSystem.Component(name: c.0, moduleName: type(of: c.1).name, module: c.1, parameters: [:])
                         })
    }

    /// A deterministic synthetic survey (SplitMix64) with every column:
    /// `households` households of 1 to 8 members, a realistic mix of ages,
    /// labour statuses, earnings, pensions, births and unemployment spells.
    static func synthetic(households: Int, seed: UInt64 = 7) -> [SurveyRow] {
        var state = seed
        func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var rows: [SurveyRow] = []
        var id = 0
        for h in 1...households {
            let size = 1 + Int(uniform() * 8)
            let weight = 50 + (uniform() * 40_000).rounded() / 100
            let region = 1 + Int(uniform() * 5), urban = uniform() < 0.4 ? 1 : 0
            for m in 0..<size {
                id += 1
                let age = m == 0 ? 18 + Int(uniform() * 70) : Int(uniform() * 90)
                let sex = 1 + Int(uniform() * 2)
                let status = age < 15 ? 0 : Int(uniform() * 4)
                var r = SurveyRow(household: h, id: id, weight: weight, region: region, urban: urban, age: age, sex: sex,
                                  labourStatus: status)
                if status == 1 || status == 2 {
                    r.earnings = (100 + uniform() * 1500).rounded()
                    r.lastJobStatus = status
                    r.monthsWorked = 24
                }
                if status == 1 { r.contractType = uniform() < 0.7 ? 1 : 2 }
                if status == 3 {
                    r.lastJobStatus = 1 + Int(uniform() * 2)
                    r.contractType = r.lastJobStatus == 1 ? 1 + Int(uniform() * 2) : 0
                    r.monthsUnemployed = Int(uniform() * 18)
                    r.monthsWorked = max(0, 24 - r.monthsUnemployed)
                }
                if age >= 60 && uniform() < 0.2 { r.pensionIncome = (uniform() * 300).rounded(); r.otherIncome = r.pensionIncome }
                if sex == 2 && (15...49).contains(age) && uniform() < 0.1 { r.monthsSinceBirth = Int(uniform() * 24) }
                if sex == 2 && (15...49).contains(age) && r.monthsSinceBirth < 0 && uniform() < 0.05 { r.pregnant = 1 }
                r.disabled = uniform() < 0.05 ? 1 : 0
                rows.append(r)
            }
        }
        return rows
    }

    /// `rows` with the households in reverse order (members keep their order).
    static func reversedHouseholds(_ rows: [SurveyRow]) -> [SurveyRow] {
        var groups: [[SurveyRow]] = []
        for r in rows {
            if groups.last?.first?.household == r.household { groups[groups.count - 1].append(r) } else { groups.append([r]) }
        }
        return groups.reversed().flatMap { $0 }
    }

    /// Each household's component amounts and counters from a full simulation,
    /// keyed by household id, for comparing runs on reordered data.
    static func perHousehold(_ module: some PolicyModule, rows: [SurveyRow], threads: Int, chunkSize: Int,
                             seed: UInt64 = 3) throws -> [Int64: [Double]] {
        let population = try population(rows, reading: [module])
        let outcome = Simulator(plan: ParallelPlan(threads: threads), chunkSize: chunkSize)
            .run([system([("x", module)])], on: population, context: RunContext(seed: seed))[0]
        let c = outcome.components[0]
        var result: [Int64: [Double]] = [:]
        for h in 0..<population.householdCount {
            result[population.householdID[h]] = [c.amount[h], Double(c.recipients[h])] + c.counters.map { $0.values[h] }
        }
        return result
    }
}
