import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// The shipped declared twins (`inputs/scenarios/NAME-declared.yaml`, and
/// `inputs/systems/current_law_declared.yaml`) give exactly the results of
/// the built-in modules they restate: every household's disposable income,
/// every component's amounts, recipients and coverage marks, bit for bit,
/// take-up draws included; and the same bits for any thread count and chunk size.
@Suite("Declared components equal the built-in modules")
struct DeclaredEquivalenceTests {
    static let pairs = [
        "universal-child-grant", "child-grant-bands-taper", "social-pension", "cash-transfer-income-test",
        "income-tax-reform", "social-contributions-reform",
    ]

    static func scenario(_ name: String) throws -> ScenarioDefinition {
        try ScenarioDefinition(file: TestHouseholds.path("inputs/scenarios/\(name).yaml"), catalog: ScenarioCatalog.standard)
    }

    static func population(for scenarios: [ScenarioDefinition]) throws -> Population {
        let variables = scenarios.flatMap { ScenarioRun.variables(of: $0) }
        return try SurveyLoader().load(file: TestHouseholds.path("inputs/data/example-persons.csv"), variables: variables)
    }

    /// Every output of a system as bit patterns (the named component's counters excepted: a declared component keeps its own).
    static func bits(_ o: SystemOutcome, component: String? = nil) -> [UInt64] {
        var out = o.disposableIncome.values.map(\.bitPattern) + o.benefitRecipients.values.map { UInt64(bitPattern: Int64($0)) }
        out += o.componentMask?.values.map { UInt64($0) } ?? []
        for c in o.components where component == nil || c.name == component {
            out += c.amount.values.map(\.bitPattern) + c.recipients.values.map { UInt64(bitPattern: Int64($0)) }
            out += c.personAmount?.values.map(\.bitPattern) ?? []
        }
        return out
    }

    static func run(_ systems: [TaxBenefitSystem], _ population: Population, threads: Int = 2, chunk: Int = 4096,
                    year: Int? = 2025) -> [SystemOutcome] {
        var simulator = Simulator(plan: ParallelPlan(threads: threads), chunkSize: chunk)
        simulator.recordPersonAmounts = true
        simulator.recordCoverage = true
        return simulator.run(systems, on: population, context: RunContext(seed: 11, year: year))
    }

    @Test("NAME-declared.yaml gives the bits of NAME.yaml", arguments: pairs)
    func sameBits(_ name: String) throws {
        let module = try Self.scenario(name), declared = try Self.scenario("\(name)-declared")
        #expect(declared.changedComponents == module.changedComponents)
        #expect(declared.reform.components.contains { $0.module is DeclaredModule })
        let population = try Self.population(for: [module, declared])
        let a = Self.run([module.baseline, module.reform], population)
        let b = Self.run([declared.baseline, declared.reform], population)
        #expect(Self.bits(a[0]) == Self.bits(b[0]))
        #expect(Self.bits(a[1]) == Self.bits(b[1]))
        // Something is paid or raised, so the comparison is not of zeros.
        let changed = try #require(b[1].components.first { $0.name == module.changedComponents[0] })
        #expect(changed.amount.values.contains { $0 > 0 })
        // The figures every command prints agree too.
        let context = RunContext(seed: 11, year: 2025)
        let x = ScenarioRun(scenario: module, population: population, simulator: Simulator(), context: context)
        let y = ScenarioRun(scenario: declared, population: population, simulator: Simulator(), context: context)
        for (p, q) in [(x.reform, y.reform), (x.change, y.change)] {
            #expect([p.costAnnual, p.revenueAnnual, p.beneficiaries, p.fgt0, p.fgt1, p.gini, p.meanIncome].map(\.bitPattern)
                == [q.costAnnual, q.revenueAnnual, q.beneficiaries, q.fgt0, q.fgt1, q.gini, q.meanIncome].map(\.bitPattern))
        }
    }

    @Test("current law declared gives the bits of current law, also under the child grant")
    func currentLaw() throws {
        let catalog = ScenarioCatalog.standard
        let builtIn = try SystemDefinition.read(file: TestHouseholds.path("inputs/systems/current_law.yaml"), catalog: catalog, year: 2025)
        let declared = try SystemDefinition.read(file: TestHouseholds.path("inputs/systems/current_law_declared.yaml"), catalog: catalog, year: 2025)
        #expect(declared.components.allSatisfy { $0.module is DeclaredModule })
        let grant = try Self.scenario("universal-child-grant-declared")
        let population = try Self.population(for: [grant])
        let grantComponent = try #require(grant.reform.components.last)
        let withGrant = declared.applying([grantComponent], name: "r", title: "r", source: nil)
        let a = Self.run([builtIn, grant.reform], population)
        let b = Self.run([declared, try withGrant.compilingDeclarations(year: 2025)], population)
        #expect(Self.bits(a[0]) == Self.bits(b[0]))
        #expect(Self.bits(a[1]) == Self.bits(b[1]))
    }

    @Test("a declared run is the same for threads 1 to 3 and chunk sizes 1 to 4,096",
          arguments: ["rural-under5-grant", "social-pension-declared", "cash-transfer-income-test-declared", "child-grant-bands-taper-declared"])
    func determinism(_ name: String) throws {
        let s = try Self.scenario(name)
        let population = try Self.population(for: [s])
        let reference = Self.run([s.baseline, s.reform], population, threads: 1)
        for (threads, chunk) in [(2, 1), (3, 7), (2, 333), (1, 1000)] {
            let other = Self.run([s.baseline, s.reform], population, threads: threads, chunk: chunk)
            #expect(zip(reference, other).allSatisfy { Self.bits($0) == Self.bits($1) }, "threads \(threads), chunk \(chunk)")
        }
    }
}
