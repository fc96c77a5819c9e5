import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// Declared components (docs/rules.md, "Declared components") on households
/// worked by hand, and the checks a declaration gets before anything runs.
@Suite("Declared components")
struct DeclaredComponentTests {
    /// A scenario on current law (7% contribution and 15% tax above 500 for
    /// formal employees) adding the components written in `components`
    /// (YAML list items, indented by two spaces).
    static func scenario(_ components: String, year: Int = 2025) throws -> ScenarioDefinition {
        let text = """
            title: declared test
            baseline: current_law
            year: \(year)
            poverty_line: 150
            components:
            \(components)
            """
        let root = try YAMLNode.parse(text, file: TestHouseholds.path("inputs/scenarios/declared-test.yaml"))
        return try ScenarioDefinition(root: root, catalog: ScenarioCatalog.standard)
    }

    static func error(_ components: String) -> InputError? {
        do {
            _ = try scenario(components)
            return nil
        } catch let e as InputError {
            return e
        } catch {
            return nil
        }
    }

    /// One row per person: household, urban, age, labour status, earnings, other income, disabled, pension income.
    typealias Row = (hh: Int, urban: Int, age: Int, status: Int, earnings: Double, other: Double, disabled: Int, pension: Double)

    static func population(_ rows: [Row], for scenario: ScenarioDefinition) throws -> Population {
        var csv = "hh_id,person_id,weight,stratum,psu,region,urban,age,sex,labour_status,earnings,other_income,disabled,pension_income\n"
        for (i, r) in rows.enumerated() {
            csv += "\(r.hh),\(i + 1),2,1,1,1,\(r.urban),\(r.age),1,\(r.status),\(r.earnings),\(r.other),\(r.disabled),\(r.pension)\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-declared-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try SurveyLoader().load(file: file.path, variables: ScenarioRun.variables(of: scenario))
    }

    static func reform(_ scenario: ScenarioDefinition, _ rows: [Row]) throws -> SystemOutcome {
        let population = try population(rows, for: scenario)
        var simulator = Simulator(plan: ParallelPlan(threads: 1), chunkSize: 2)
        simulator.recordPersonAmounts = true
        return simulator.run([scenario.baseline, scenario.reform], on: population, context: RunContext(seed: 3, year: scenario.year))[1]
    }

    static let rural = """
          - name: rural_under5_grant
            declare:
              kind: benefit
              unit: household
              parameters:
                line: {unit: currency_per_month, values: {2025-01-01: 150}}
                share_of_line: {unit: share, value: 0.10}
              eligible: not any(urban) and count(age < 5) >= 1 and sum(disposable_income) / count() < line
              amount: share_of_line * line
              counters:
                children_under5: count(age < 5)
        """

    @Test("the rural under-5 grant: 15 to the head of a rural household with a young child and income under the line")
    func ruralGrant() throws {
        let s = try Self.scenario(Self.rural)
        let out = try Self.reform(s, [
            (1, 0, 30, 2, 200, 0, 0, 0), (1, 0, 3, 0, 0, 0, 0, 0),    // rural, child 3, 100 a head: paid
            (2, 1, 30, 2, 200, 0, 0, 0), (2, 1, 3, 0, 0, 0, 0, 0),    // urban: not paid
            (3, 0, 30, 2, 200, 0, 0, 0), (3, 0, 7, 0, 0, 0, 0, 0),    // the child is 7: not paid
            (4, 0, 30, 2, 400, 0, 0, 0), (4, 0, 2, 0, 0, 0, 0, 0),    // 200 a head, above the line: not paid
            (5, 0, 30, 2, 299, 0, 0, 0), (5, 0, 1, 0, 0, 0, 0, 0),    // 149.5 a head: paid
        ])
        let grant = try #require(out.components.first { $0.name == "rural_under5_grant" })
        #expect(grant.amount.values.array == [15, 0, 0, 0, 15])
        // paid_to defaults to household: every member counts.
        #expect(grant.recipients.values.array == [2, 0, 0, 0, 2])
        #expect(grant.personAmount!.values.array == [15, 0, 0, 0, 0, 0, 0, 0, 15, 0])
        // No take-up: no entitled_units counter (the households paid are the figure).
        #expect(!grant.counters.contains { $0.0 == "entitled_units" })
        // A declared counter is summed over the households the component pays.
        #expect(try #require(grant.counters.first { $0.0 == "children_under5" }).1.values.array == [1, 0, 0, 0, 1])
        #expect(out.disposableIncome.values.array == [215, 200, 200, 400, 314])
    }

    @Test("a two-band tax on pensions and a disability top-up for low-earning households, by hand")
    func pensionTaxAndTopUp() throws {
        let s = try Self.scenario("""
              - name: pension_tax
                declare:
                  kind: tax
                  schedule:
                    base: pension_income
                    bands: [{from: 0, rate: 0}, {from: 200, rate: 0.1}, {from: 500, rate: 0.2}]
              - name: disability_top_up
                declare:
                  kind: benefit
                  unit: person
                  parameters:
                    top_up: {unit: currency_per_month, value: 50}
                    earnings_limit: {unit: currency_per_month, value: 300}
                  eligible: disabled
                  amount: top_up
                  means_test: {method: cliff, income: sum(earnings), threshold: earnings_limit}
                  target_group: {condition: disabled}
            """)
        let out = try Self.reform(s, [
            (1, 1, 70, 0, 0, 0, 1, 600), (1, 1, 40, 2, 250, 0, 1, 0),   // tax 0.1 × 300 + 0.2 × 100 = 50; earnings 250 <= 300: top-ups 50 + 50
            (2, 1, 70, 0, 0, 0, 0, 150), (2, 1, 40, 2, 350, 0, 1, 0),   // no tax under 200; earnings 350 > 300: no top-up
        ])
        let tax = try #require(out.components.first { $0.name == "pension_tax" })
        let topUp = try #require(out.components.first { $0.name == "disability_top_up" })
        #expect(tax.personAmount!.values.array == [50, 0, 0, 0])
        #expect(topUp.personAmount!.values.array == [50, 50, 0, 0])
        // market income is earnings + other income (pension_income is not in current law's market income).
        #expect(out.disposableIncome.values.array == [250 - 50 + 100, 350])
        #expect(s.reform.components.last!.module.targetGroup == TargetGroup(condition: .disabled))
    }

    @Test("income lists, earlier components, gross and market income, a head payee, caps and phase-in")
    func incomeConcepts() throws {
        let s = try Self.scenario("""
              - name: family_top_up
                declare:
                  kind: benefit
                  unit: person
                  paid_to: head
                  phase_in: {unit: share, values: {2025-01-01: 0.5, 2026-01-01: 1}}
                  income_lists:
                    net_earnings: earnings - employee_contribution - personal_income_tax
                    kept: net_earnings + other_income
                  amount: 0.1 * kept + 0 * gross_income + 0 * market_income
                  cap: 60
                  household_cap: 96
            """)
        #expect(s.reform.components.last!.module.readsEarlierAmounts)
        let out = try Self.reform(s, [
            (1, 1, 40, 1, 1000, 0, 0, 0), (1, 1, 38, 2, 300, 20, 0, 0),  // 0.1 × (1000 − 70 − 75) = 85.5 → cap 60; 0.1 × 320 = 32
            (2, 1, 40, 1, 2000, 0, 0, 0), (2, 1, 38, 1, 2000, 0, 0, 0),  // 0.1 × (2000 − 140 − 225) = 163.5 → 60 each → 120 → household cap 96: 48 each
        ])
        let c = try #require(out.components.first { $0.name == "family_top_up" })
        // Phase-in 0.5 in 2025; the household's total goes to the head.
        let expected: [Double] = [46, 0, 48, 0]  // (60 + 32) × 0.5 (92 is under the cap of 96) and 96 × 0.5
        #expect(c.personAmount!.values.array == expected)
        let next = try Self.reform(try Self.scenario("""
              - name: family_top_up
                declare:
                  kind: benefit
                  phase_in: {unit: share, values: {2025-01-01: 0.5, 2026-01-01: 1}}
                  amount: 0.1 * earnings
            """, year: 2026), [(1, 1, 40, 1, 100, 0, 0, 0)])
        #expect(next.components.last!.personAmount!.values.array == [10])
    }

    @Test("a parameter named like a declaration key (phase_in, kind) keeps its own value beside the setting")
    func parameterNamedLikeASetting() throws {
        let s = try Self.scenario("""
              - name: phased_grant
                declare:
                  kind: benefit
                  parameters:
                    phase_in: {unit: currency_per_month, value: 20}
                    kind: {unit: currency_per_month, value: 3}
                  phase_in: {unit: share, values: {2025-01-01: 0.5}}
                  amount: phase_in + 0 * kind
            """)
        let component = try #require(s.reform.components.last)
        #expect(component.parameters["phase_in"] == .number(20))
        #expect(component.parameters["kind"] == .number(3))
        #expect(component.parameters[DeclaredComponentReader.setting("phase_in")] == .number(0.5))
        #expect(component.parameters[DeclaredComponentReader.setting("kind")] == .text("benefit"))
        // The amount is the parameter (20) times the phase-in share (0.5).
        let out = try Self.reform(s, [(1, 1, 40, 2, 100, 0, 0, 0)])
        #expect(out.components.last!.personAmount!.values.array == [20 * 0.5])
    }

    @Test("gross income is market income plus the earlier benefits; a benefit reading it sees the one before it")
    func grossIncome() throws {
        let s = try Self.scenario("""
              - name: first_grant
                declare: {kind: benefit, amount: "10"}
              - name: second_grant
                declare: {kind: benefit, amount: 0.5 * (gross_income - market_income) + 0 * disposable_income}
            """)
        let out = try Self.reform(s, [(1, 1, 40, 2, 100, 0, 0, 0)])
        #expect(out.components.first { $0.name == "second_grant" }!.personAmount!.values.array == [5])
    }

    @Test("a state cost changes nobody's income and is counted in the state's cost")
    func stateCost() throws {
        let s = try Self.scenario("""
              - name: fund_subsidy
                declare:
                  kind: state_cost
                  eligible: labour_status == 2
                  amount: 0.05 * earnings
            """)
        let population = try Self.population([(1, 1, 40, 2, 1000, 0, 0, 0), (2, 1, 40, 1, 1000, 0, 0, 0)], for: s)
        var simulator = Simulator()
        simulator.recordCoverage = true
        let run = ScenarioRun(scenario: s, population: population, simulator: simulator, context: RunContext(year: 2025))
        // 0.05 × 1000 × 12 months × weight 2.
        #expect(run.reform.stateCostAnnual == 1200)
        #expect(run.reform.costAnnual == 0)
        #expect(run.change.meanIncome == 0)
        // A state cost pays no household: it is not a benefit the option changes, so the
        // option has no target group and no coverage (as the contribution subsidy's module),
        // and its cost is not budget revenue either.
        #expect(run.reform.revenueAnnual == run.baseline.revenueAnnual)
        let assessment = OptionAssessment(run: run, population: population)
        #expect(assessment.targetGroups.isEmpty)
        #expect(assessment.coverageReform.isNaN)
        #expect(assessment.optionBeneficiaries == 0)
    }

    @Test("coverage and beneficiaries follow a benefit however many taxes come before it; past 32 benefits compare refuses")
    func manyComponents() throws {
        let grant = "  - name: late_grant\n    declare: {kind: benefit, eligible: age < 5, amount: \"10\", target_group: {ages: [0, 4]}}"
        let taxes = (1...31).map { "  - name: tax_\($0)\n    declare: {kind: tax, amount: 0.01 * earnings}" }.joined(separator: "\n")
        let rows: [Row] = [(1, 1, 3, 2, 100, 0, 0, 0), (1, 1, 30, 1, 600, 0, 0, 0), (2, 0, 40, 2, 50, 0, 0, 0)]
        func assessment(_ components: String) throws -> OptionAssessment {
            let s = try Self.scenario(components)
            try s.requireCoverageTracking()
            let population = try Self.population(rows, for: s)
            var simulator = Simulator()
            simulator.recordCoverage = true
            let run = ScenarioRun(scenario: s, population: population, simulator: simulator, context: RunContext(year: 2025))
            return OptionAssessment(run: run, population: population)
        }
        // The grant is the 34th component (2 of current law, 31 taxes): the child (weight 2) receives it.
        let late = try assessment(taxes + "\n" + grant)
        #expect(late.optionBeneficiaries == 2)
        #expect(late.targetGroups == [TargetGroup(ages: 0...4)])
        #expect(late.coverageReform == 1)
        #expect(try assessment(grant).optionBeneficiaries == late.optionBeneficiaries)
        // 33 benefits: refused, naming the first past the limit.
        let many = (1...33).map { "  - name: grant_\($0)\n    declare: {kind: benefit, amount: \"1\"}" }.joined(separator: "\n")
        let s = try Self.scenario(many)
        #expect(throws: InputError.self) { try s.requireCoverageTracking() }
        do { try s.requireCoverageTracking() } catch let e as InputError {
            #expect(e.kind == .unsupported && e.exitStatus == 65)
            #expect(e.message.contains("'grant_33' is the first past them"))
        }
    }

    @Test("a rule naming an earlier component that has the name of an income concept or a data variable is refused")
    func ambiguousNames() {
        // Line 6 is the first declaration; the reader's rule is on line 11 or 12.
        expectError("""
              - name: disposable_income
                declare: {kind: benefit, amount: "10"}
              - name: reader
                declare:
                  kind: benefit
                  amount: 0.1 * disposable_income
            """, line: 11, kind: .inconsistent, containing: "'disposable_income', which is both an income concept and the name of an earlier component")
        expectError("""
              - name: earnings
                declare: {kind: benefit, amount: "10"}
              - name: reader
                declare:
                  kind: benefit
                  eligible: sum(earnings) > 5
                  amount: "1"
            """, line: 11, kind: .inconsistent, containing: "'earnings', which is both a data variable and the name of an earlier component")
        expectError("""
              - name: consumption
                declare: {kind: benefit, amount: "10"}
              - name: reader
                declare:
                  kind: benefit
                  variables: {consumption: money}
                  amount: 0.1 * consumption
            """, line: 12, kind: .inconsistent, containing: "both a data variable")
        // Named so but never read: nothing is ambiguous.
        #expect(Self.error("""
              - name: earnings
                declare: {kind: benefit, amount: "10"}
              - name: reader
                declare: {kind: benefit, amount: 0.1 * other_income}
            """) == nil)
    }

    @Test("take-up: a rate of 0 pays nobody, 1 everyone; a rate between draws per unit from the run's seed")
    func takeUp() throws {
        func paid(_ rate: String, seed: UInt64 = 3) throws -> [Double] {
            let s = try Self.scenario("""
                  - name: grant
                    declare: {kind: benefit, unit: household, amount: "10", take_up: "\(rate)"}
                """)
            let population = try Self.population((1...400).map { ($0, 1, 40, 2, 100, 0, 0, 0) }, for: s)
            let grant = Simulator().run([s.reform], on: population, context: RunContext(seed: seed, year: 2025))[0].components.last!.amount
            return withExtendedLifetime(grant) { grant.values.array }
        }
        #expect(try paid("0").allSatisfy { $0 == 0 })
        #expect(try paid("1").allSatisfy { $0 == 10 })
        let half = try paid("if(count() >= 1, 0.5, 0)")
        let share = Double(half.filter { $0 > 0 }.count) / 400
        #expect(share > 0.4 && share < 0.6)
        #expect(try paid("0.5") == half)
        #expect(try paid("0.5", seed: 4) != half)
    }

    @Test("a reform replacing an earlier component recompiles the declared components after it")
    func recompiled() throws {
        // The declared tax reads employee_contribution; the reform changes that
        // component from a contribution to a declared one of another amount.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            name: s
            market_income: [earnings]
            components:
              - name: employee_contribution
                declare: {kind: contribution, amount: 0.1 * earnings}
              - name: surtax
                declare: {kind: tax, amount: 0.5 * employee_contribution}
            """.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("r.yaml")
        try """
            title: r
            baseline: s.yaml
            poverty_line: 150
            components:
              - name: employee_contribution
                declare: {kind: contribution, amount: 0.2 * earnings}
            """.write(to: file, atomically: true, encoding: .utf8)
        let s = try ScenarioDefinition(file: file.path, catalog: ScenarioCatalog.standard)
        let population = try Self.population([(1, 1, 40, 1, 1000, 0, 0, 0)], for: s)
        var simulator = Simulator()
        simulator.recordPersonAmounts = true
        let out = simulator.run([s.baseline, s.reform], on: population, context: RunContext())
        #expect(out[0].components[1].personAmount!.values.array == [50])
        #expect(out[1].components[1].personAmount!.values.array == [100])
        #expect(out[1].disposableIncome.values.array == [700])
    }

    @Test("a rule that overflows is an error naming the household, never a printed infinity", arguments: ["1e308 * 10", "1e307"])
    func overflow(_ amount: String) throws {
        let s = try Self.scenario("""
              - name: grant
                declare: {kind: benefit, amount: \(amount)}
            """)
        let population = try Self.population([(7, 1, 40, 2, 100, 0, 0, 0), (9, 1, 40, 2, 100, 0, 0, 0)], for: s)
        let run = ScenarioRun(scenario: s, population: population, simulator: Simulator(), context: RunContext(year: 2025))
        #expect(throws: InputError.self) { try run.requireFiniteResults(population: population) }
        do {
            try run.requireFiniteResults(population: population)
        } catch let e as InputError {
            #expect(e.exitStatus == 65)
            #expect(e.message.contains("declared components: grant"))
            if amount.contains("*") { #expect(e.message.contains("household 7")) } else { #expect(e.message.contains("totals overflow")); #expect(e.message.contains("the annual amount of component 'grant'")) }
        }
        // A finite run passes.
        let fine = try Self.scenario("  - name: grant\n    declare: {kind: benefit, amount: \"10\"}")
        let ok = ScenarioRun(scenario: fine, population: population, simulator: Simulator(), context: RunContext(year: 2025))
        try ok.requireFiniteResults(population: population)
    }

    @Test("a declared parameter given anew (a legislation case's parameters:) recompiles the component; an unknown one is named")
    func overrides() throws {
        let s = try Self.scenario("""
              - name: grant
                declare:
                  kind: benefit
                  parameters:
                    amount_each: {unit: currency_per_month, values: {2025-01-01: 10}}
                  amount: amount_each
            """)
        let node = try YAMLNode.parse("grant: {amount_each: 25}", file: "case.yaml")
        let changed = try s.reform.overriding(node, catalog: ScenarioCatalog.standard, year: 2025, what: "reform system")
        let population = try Self.population([(1, 1, 40, 2, 100, 0, 0, 0)], for: s)
        var simulator = Simulator()
        simulator.recordPersonAmounts = true
        let out = simulator.run([s.reform, changed], on: population, context: RunContext(year: 2025))
        #expect(out[0].components.last!.personAmount!.values.array == [10])
        #expect(out[1].components.last!.personAmount!.values.array == [25])
        let bad = try YAMLNode.parse("grant: {amount_eech: 25}", file: "case.yaml")
        #expect {
            try s.reform.overriding(bad, catalog: ScenarioCatalog.standard, year: 2025, what: "reform system")
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.kind == .unknownKey && e.file == "case.yaml" && e.line == 1 && e.message.contains("did you mean 'amount_each'?")
        }
        let unit = try YAMLNode.parse("grant: {amount_each: {unit: currency_per_year, value: 300}}", file: "case.yaml")
        #expect {
            try s.reform.overriding(unit, catalog: ScenarioCatalog.standard, year: 2025, what: "reform system")
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.file == "case.yaml" && e.line == 1 && e.message.contains("declared in currency_per_month")
        }
        // A declared component without parameters has none to give anew.
        let bare = try Self.scenario("  - name: flat\n    declare: {kind: benefit, amount: \"5\"}")
        let none = try YAMLNode.parse("flat: {amount: 3}", file: "case.yaml")
        #expect {
            try bare.reform.overriding(none, catalog: ScenarioCatalog.standard, year: 2025, what: "reform system")
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.kind == .unknownKey && e.file == "case.yaml" && e.message.contains("'flat' has no parameters")
        }
    }

    @Test("an amount below 0 counts as 0: a benefit never charges, a tax never refunds, a cap below 0 pays nothing")
    func negativeAmounts() throws {
        let s = try Self.scenario("""
              - name: top_up
                declare: {kind: benefit, amount: 100 - earnings}
              - name: odd_tax
                declare: {kind: tax, amount: "-10"}
              - name: capped
                declare: {kind: benefit, amount: "50", cap: 100 - earnings}
              - name: household_capped
                declare: {kind: benefit, eligible: earnings < 0, amount: "5", household_cap: "-1"}
            """)
        let out = try Self.reform(s, [(1, 1, 40, 2, 150, 0, 0, 0), (2, 1, 40, 2, 60, 0, 0, 0)])
        func amounts(_ name: String) -> [Double] { out.components.first { $0.name == name }!.personAmount!.values.array }
        #expect(amounts("top_up") == [0, 40])       // 100 − 150 < 0 pays nothing; 100 − 60 = 40
        #expect(amounts("odd_tax") == [0, 0])       // a tax of −10 raises nothing and refunds nothing
        #expect(amounts("capped") == [0, 40])       // a cap of −50 pays nothing; min(50, 40) = 40
        #expect(amounts("household_capped") == [0, 0])  // nothing to cap (no NaN from 0 × −∞)
        #expect(out.disposableIncome.values.array == [150, 60 + 40 + 40])
    }

    @Test("with take-up, entitled_units counts the units entitled before the draw")
    func entitledBeforeTakeUp() throws {
        let s = try Self.scenario("""
              - name: grant
                declare: {kind: benefit, unit: household, amount: "10", take_up: "0"}
            """)
        let out = try Self.reform(s, [(1, 1, 40, 2, 150, 0, 0, 0), (2, 1, 40, 2, 60, 0, 0, 0)])
        let grant = try #require(out.components.last)
        #expect(grant.amount.values.array == [0, 0])
        #expect(try #require(grant.counters.first { $0.0 == "entitled_units" }).1.values.array == [1, 1])
    }

    @Test("a reform run beside its baseline has the coverage marks it has alone, when the shared components are a tax and a contribution")
    func sharedTaxPrefixCoverage() throws {
        // Baseline: current law's contribution and tax (shared), then a grant paid to everyone;
        // the reform replaces the grant by one that pays nobody. The reform's coverage bit 0 is
        // its own grant's: none of the baseline's grant marks may leak into it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-declared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let system = try String(contentsOfFile: TestHouseholds.path("inputs/systems/current_law.yaml"), encoding: .utf8) + """

              - name: grant
                declare: {kind: benefit, amount: "10"}
            """
        try system.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("r.yaml")
        try """
            title: r
            baseline: s.yaml
            year: 2025
            poverty_line: 150
            components:
              - name: grant
                declare: {kind: benefit, eligible: age > 200, amount: "10"}
            """.write(to: file, atomically: true, encoding: .utf8)
        let s = try ScenarioDefinition(file: file.path, catalog: ScenarioCatalog.standard)
        #expect(Simulator.sharedPrefix(s.reform, s.baseline) == 2)
        let population = try Self.population([(1, 1, 40, 1, 1000, 0, 0, 0), (1, 1, 8, 0, 0, 0, 0, 0), (2, 1, 70, 0, 0, 0, 0, 0)], for: s)
        var simulator = Simulator(plan: ParallelPlan(threads: 1), chunkSize: 1)
        simulator.recordCoverage = true
        let together = simulator.run([s.baseline, s.reform], on: population, context: RunContext(year: 2025))
        let alone = simulator.run([s.reform], on: population, context: RunContext(year: 2025))
        #expect(together[0].componentMask!.values.array == [1, 1, 1])
        #expect(together[1].componentMask!.values.array == [0, 0, 0])
        #expect(together[1].componentMask!.values.array == alone[0].componentMask!.values.array)
    }

    // MARK: - Checks before anything runs

    func expectError(_ components: String, line: Int, kind: InputError.Kind, containing fragment: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = Self.error(components) else {
            Issue.record("the declaration was accepted; expected \(kind) on line \(line)", sourceLocation: sourceLocation)
            return
        }
        #expect(e.file.hasSuffix("declared-test.yaml"), sourceLocation: sourceLocation)
        #expect(e.line == line, "\(e)", sourceLocation: sourceLocation)
        #expect(e.kind == kind, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
        #expect(e.exitStatus == 65, sourceLocation: sourceLocation)
    }

    static func one(_ body: String) -> String {
        "  - name: grant\n    declare:\n" + body.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
    }

    @Test("names, types, units and levels are checked with line and column")
    func expressionErrors() {
        // Line 7 is the first line of the declaration's body (6 header lines, then "- name", "declare:").
        expectError(Self.one("kind: benefit\neligible: agee < 5\namount: \"10\""), line: 9, kind: .unknownKey,
                    containing: "column 17: unknown name 'agee'; did you mean 'age'?")
        expectError(Self.one("kind: benefit\namount: disabled + 10"), line: 9, kind: .wrongType, containing: "needs numbers, found a boolean")
        expectError(Self.one("kind: benefit\nparameters:\n  y: {unit: currency_per_year, value: 1200}\namount: earnings + y"), line: 11,
                    kind: .wrongType, containing: "monthly(x)")
        expectError(Self.one("kind: benefit\nunit: household\namount: earnings"), line: 10, kind: .wrongType, containing: "aggregate")
        expectError(Self.one("kind: benefit\neligible: count(age < 5)\namount: \"10\""), line: 9, kind: .wrongType, containing: "must give a boolean")
        expectError(Self.one("kind: benefit\namount: 100 / count(age < 5)"), line: 9, kind: .wrongType, containing: "zero")
        // An expression over several lines (a block, or a plain or quoted value YAML folds into one line)
        // is refused: the columns of an error in it could not be placed in the file.
        for written in ["amount: >\n  10 +\n  earnings\ncap: \"50\"", "amount: >-\n  10 +\n  earnungs", "amount: 10 +\n  earnungs",
                        "amount: \"10 +\n  earnungs\""] {
            expectError(Self.one("kind: benefit\n" + written), line: 9, kind: .badValue, containing: "'amount' must be written on one line")
        }
        // A bare number takes count()'s unit: the message says how to write money per member.
        expectError(Self.one("kind: benefit\nunit: household\namount: 150 * count() - sum(earnings)"), line: 10, kind: .wrongType,
                    containing: "found a count and money per month; a bare number times a count is a count")
        expectError(Self.one("kind: benefit\namount: \"grant * 2\""), line: 9, kind: .inconsistent, containing: "this component itself")
        expectError(Self.one("kind: benefit\namount: \"10 +\""), line: 9, kind: .badValue, containing: "column")
    }

    @Test("a rule reading a later component, or an income list reading itself, is refused with the reason")
    func order() {
        expectError("""
              - name: first
                declare: {kind: benefit, amount: 0.5 * second}
              - name: second
                declare: {kind: benefit, amount: "10"}
            """, line: 7, kind: .inconsistent, containing: "later component")
        expectError(Self.one("kind: benefit\nincome_lists:\n  loop: loop + earnings\namount: loop"), line: 10, kind: .inconsistent,
                    containing: "lists before it")
    }

    @Test("the declaration's keys and blocks are checked")
    func blockErrors() {
        expectError(Self.one("amount: \"10\""), line: 8, kind: .missingKey, containing: "needs 'kind'")
        expectError(Self.one("kind: benfit\namount: \"10\""), line: 8, kind: .badValue, containing: "did you mean 'benefit'?")
        expectError(Self.one("kind: benefit\namonut: \"10\""), line: 9, kind: .unknownKey, containing: "did you mean 'amount'?")
        expectError(Self.one("kind: benefit"), line: 8, kind: .missingKey, containing: "'amount'")
        expectError(Self.one("kind: benefit\namount: \"1\"\nschedule: {base: earnings, bands: [{from: 0, rate: 0.1}]}"), line: 10,
                    kind: .inconsistent, containing: "not both")
        expectError(Self.one("kind: benefit\nunit: household\npaid_to: each\namount: \"1\""), line: 10, kind: .inconsistent, containing: "unit: person")
        expectError(Self.one("kind: benefit\nunit: household\nhousehold_cap: \"5\"\namount: \"1\""), line: 10, kind: .inconsistent,
                    containing: "person unit")
        expectError(Self.one("kind: benefit\nparameters:\n  line: 300\namount: line"), line: 10, kind: .wrongType, containing: "needs its unit")
        expectError(Self.one("kind: benefit\nparameters:\n  line: {unit: dollars, value: 3}\namount: line"), line: 10, kind: .badValue,
                    containing: "not a unit")
        expectError(Self.one("kind: benefit\nparameters:\n  age: {unit: years, value: 3}\namount: \"1\""), line: 10, kind: .duplicate,
                    containing: "data variable")
        expectError(Self.one("kind: tax\nschedule: {base: earnings, bands: [{from: 100, rate: 0.1}, {from: 50, rate: 0.2}]}"), line: 9,
                    kind: .inconsistent, containing: "must rise")
        expectError(Self.one("kind: tax\nschedule: {base: earnings, bands: [{from: treshold, rate: 0.1}]}"), line: 9,
                    kind: .badValue, containing: "neither a number nor a parameter")
        expectError(Self.one("kind: tax\nparameters:\n  b: {unit: currency_per_month, value: [{threshold: 0, rate: 0.1}]}\nschedule: {base: earnings, bands: c}"),
                    line: 11, kind: .unknownKey, containing: "not a schedule parameter")
        expectError(Self.one("kind: tax\nparameters:\n  b: {unit: currency_per_month, value: [{threshold: 0, rate: 1.5}]}\nschedule: {base: earnings, bands: b}"),
                    line: 10, kind: .badValue, containing: "out of range")
        expectError(Self.one("kind: tax\nparameters:\n  b: {unit: currency_per_month, value: [{threshold: 0, rate: 0.1}]}\namount: b"),
                    line: 11, kind: .inconsistent, containing: "schedule of brackets")
        // A data column declared under an income concept's name would be shadowed by the concept.
        expectError(Self.one("kind: benefit\nvariables: {disposable_income: money}\namount: 0.1 * disposable_income"), line: 9,
                    kind: .duplicate, containing: "'disposable_income' is an income concept")
        for name in ["persons", "annual_amount", "households", "kind", "module"] {
            // A counter named as a figure of every component would print that key twice.
            expectError(Self.one("kind: benefit\namount: \"1\"\ncounters: {\(name): count()}"), line: 10, kind: .duplicate,
                        containing: "'\(name)' is a figure every component has in the output")
        }
        expectError(Self.one("kind: benefit\nrevenue_of: fund\namount: \"1\""), line: 9, kind: .inconsistent, containing: "tax or a contribution")
        expectError("  - name: grant\n    module: universal_child_grant\n    declare: {kind: benefit, amount: \"1\"}", line: 7,
                    kind: .inconsistent, containing: "not both")
        expectError("  - declare: {kind: benefit, amount: \"1\"}", line: 6, kind: .missingKey, containing: "needs 'name'")
    }
}

extension UnsafeBufferPointer {
    /// The values as an array (for comparisons in tests).
    var array: [Element] { Array(self) }
}
