import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The household stepper behind `simrun household` and `simrun scenario
/// explain` gives the kernel's numbers, bit for bit, and records where they
/// come from.
@Suite("Household stepper")
struct HouseholdStepperTests {
    static let folder = TestHouseholds.path("inputs/scenarios")
    static var files: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []
    }

    @Test("every household of the example data, under every example scenario and two seeds, gets the kernel's amounts, recipients, counters and disposable income bit for bit",
          arguments: files)
    func equalsKernel(file: String) throws {
        let scenario = try ScenarioDefinition(file: "\(Self.folder)/\(file)", catalog: ScenarioCatalog.standard)
        let data = try #require(scenario.defaultData)
        let population = try SurveyLoader(plan: ParallelPlan(threads: 1))
            .load(file: data, variables: ScenarioRun.variables(of: scenario))
        var simulator = Simulator(plan: ParallelPlan(threads: 1))
        simulator.recordPersonAmounts = true
        simulator.keepComponentColumns = true
        for seed: UInt64 in [1, 20_261_205] {
            let context = RunContext(seed: seed, year: scenario.year)
            let outcomes = simulator.run([scenario.baseline, scenario.reform], on: population, context: context)
            for (system, outcome) in zip([scenario.baseline, scenario.reform], outcomes) {
                let stepper = HouseholdStepper(system: system, population: population, context: context)
                var mismatches = 0
                for h in 0..<population.householdCount where mismatches < 5 {
                    let trace = stepper.trace(household: h, povertyLine: scenario.povertyLine)
                    let persons = population.persons(of: h)
                    var same = trace.disposableIncome.bitPattern == outcome.disposableIncome[h].bitPattern
                    same = same && trace.householdID == population.householdID[h] && trace.memberCount == persons.count
                    for (c, step) in trace.components.enumerated() {
                        let kernel = outcome.components[c]
                        same = same && step.householdAmount.bitPattern == kernel.amount[h].bitPattern
                        same = same && Int32(step.recipients) == kernel.recipients[h]
                        for (i, p) in persons.enumerated() {
                            same = same && step.amounts[i].bitPattern == kernel.personAmount![p].bitPattern
                        }
                        for (counter, column) in zip(step.counters, kernel.counters) {
                            same = same && counter.name == column.name && counter.value.bitPattern == column.values[h].bitPattern
                        }
                    }
                    if !same {
                        mismatches += 1
                        Issue.record("\(file), \(system.name), seed \(seed): household \(population.householdID[h]) differs from the kernel")
                    }
                }
            }
        }
    }

    @Test("running income chains: each component starts from the last one's income, and disposable income is the final incomes' sum")
    func chaining() throws {
        let scenario = try ScenarioDefinition(file: "\(Self.folder)/package-child-grant-pension-tax.yaml", catalog: ScenarioCatalog.standard)
        let population = try SurveyLoader(plan: ParallelPlan(threads: 1))
            .load(file: try #require(scenario.defaultData), variables: ScenarioRun.variables(of: scenario))
        let stepper = HouseholdStepper(system: scenario.reform, population: population, context: RunContext(seed: 1, year: scenario.year))
        for h in 0..<min(200, population.householdCount) {
            let trace = stepper.trace(household: h, povertyLine: scenario.povertyLine)
            var income = trace.marketIncomeTotal
            for step in trace.components {
                #expect(step.incomeBefore == income)
                #expect(step.incomeAfter == zip(income, step.amounts).map { $0 + step.kind.sign * $1 })
                income = step.incomeAfter
            }
            #expect(trace.disposableIncome == income.reduce(0, +))
            #expect(trace.isPoor == (trace.disposableIncome / Double(trace.memberCount) < scenario.povertyLine))
        }
    }

    @Test("a parameter's source is the line of its value in force; a parameter left out is the module default")
    func parameterSources() throws {
        let file = "\(Self.folder)/universal-child-grant.yaml"
        let scenario = try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard)
        let grant = try #require(scenario.reform.components.first { $0.name == "universal_child_grant" })
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        // amount_per_child's dated value: the line after its "values:" that holds the date.
        let key = try #require(lines.firstIndex { $0.contains("amount_per_child:") })
        let dated = try #require(lines[key...].firstIndex { $0.contains("2025-01-01:") })
        let source = try #require(grant.parameterSources["amount_per_child"])
        #expect(source.file == file && source.line == dated + 1 && source.date == "2025-01-01")
        #expect(source.description == "\(file):\(dated + 1) (in force from 2025-01-01)")
        let spec = try #require(UniversalChildGrant.parameters.first { spec in
            spec.defaultValue != nil && !lines.contains { $0.contains("\(spec.key):") }
        })
        #expect(grant.parameterSources[spec.key]?.isDefault == true)
        #expect(grant.parameterSources[spec.key]?.description == "default")
        // A plain value's source is its key's line; a dated one's, its date's line.
        let systemFile = TestHouseholds.path("inputs/systems/current_law.yaml")
        let system = try SystemDefinition.read(file: systemFile, catalog: ScenarioCatalog.standard, year: 2025)
        let systemLines = try String(contentsOfFile: systemFile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let contribution = try #require(system.components.first { $0.name == "employee_contribution" })
        let base = try #require(contribution.parameterSources["base"]?.line)
        #expect(systemLines[base - 1].contains("base: earnings"))
        let rate = try #require(contribution.parameterSources["rate"])
        let rateLine = try #require(rate.line)
        #expect(rate.date == "2020-01-01" && systemLines[rateLine - 1].contains("2020-01-01: 0.07"))
    }

    @Test("a rule that conforms to TracingRule is asked for its steps, and its amounts are the ones applied")
    func tracingRule() throws {
        let population = try TestHouseholds.population([
            TestPerson(household: 7, id: 1, age: 40, labourStatus: 1, earnings: 1000),
            TestPerson(household: 7, id: 2, age: 3),
        ])
        let system = TaxBenefitSystem(name: "test", title: "test", source: nil, marketIncome: ["earnings", "other_income"], components: [
            TaxBenefitSystem.Component(name: "half_of_income", moduleName: HalfOfIncome.name, module: HalfOfIncome(), parameters: [:]),
        ])
        let trace = HouseholdStepper(system: system, population: population, context: RunContext()).trace(household: 0, povertyLine: 600)
        let step = try #require(trace.components.first)
        #expect(step.amounts == [500, 0])
        #expect(step.steps == HalfOfIncome.Rule.steps(income: [1000, 0]))
        #expect(trace.disposableIncome == 1500)
        #expect(trace.perCapitaIncome == 750 && trace.isPoor == false)
        #expect(trace.householdID == 7)
    }
}

/// A benefit of half each member's running income, whose rule explains itself.
private struct HalfOfIncome: PolicyModule {
    static let name = "half_of_income"
    static let summary = "half of each member's income (a test of tracing)"
    static let parameters: [ParameterSpec] = []
    let kind = ComponentKind.benefit
    init() {}
    init(parameters: ResolvedParameters) throws {}
    var variables: [VariableRequest] { [] }
    func bind(to population: Population, context: RunContext) -> any HouseholdRule { Rule() }

    struct Rule: TracingRule {
        static func steps(income: [Double]) -> [RuleTraceStep] {
            [RuleTraceStep(label: "has income", expression: "income > 0", isCondition: true, level: .person,
                           values: income.map { $0 > 0 ? 1 : 0 }),
             RuleTraceStep(label: "amount", expression: "income / 2", level: .person, values: income.map { $0 / 2 })]
        }

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            for i in 0..<household.size { amounts[i] = household.income[i] / 2 }
        }

        func trace(batch: HouseholdBatch, amounts: UnsafeMutableBufferPointer<Double>) -> [RuleTraceStep] {
            apply(batch: batch, amounts: amounts)
            return Self.steps(income: Array(batch.frame(batch.households.lowerBound).income))
        }
    }
}
