import Foundation
import Testing
@testable import SimKernel
import Scenarios

/// Cost projection and option assessment on two households worked out by hand.
///
/// Household 1 (weight 10): a man of 30 with other income 100, a girl of 2.
/// Household 2 (weight 20): a woman of 40 with other income 400, a boy of 10.
/// Reform: a grant of 10 a month for ages 0-17, no baseline components.
@Suite("Cost projection and option assessment, by hand")
struct CostProjectionTests {
    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func fixture(povertyLine: Double = 54) throws -> (ScenarioDefinition, Population, CountryProfile) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-costing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = try write("""
            hh_id,person_id,weight,age,sex,labour_status,earnings,other_income
            1,1,10,30,1,0,0,100
            1,2,10,2,2,0,0,0
            2,3,20,40,2,0,0,400
            2,4,20,10,1,0,0,0
            """, "persons.csv", in: dir)
        _ = try write("name: empty\nmarket_income: [earnings, other_income]\n", "none.yaml", in: dir)
        let profile = try write("""
            name: Tiny
            currency: LCU
            exchange_rate: 2
            base_year: 2025
            gdp: 10000
            government_expenditure: 2000
            macro:
              2026: {cpi_inflation: 0.10, real_gdp_growth: 0.05, wage_growth: 0.20}
            population:
              age_groups: ["0-4", "5+"]
              male: {2025: [100, 200], 2026: [110, 250]}
              female: {2025: [50, 100], 2026: [50, 150]}
            """, "tiny.yaml", in: dir)
        let scenario = try write("""
            title: Grant
            baseline: none.yaml
            year: 2025
            poverty_line: \(povertyLine)
            costing:
              country: tiny.yaml
              indexation: prices
              phase_in: {2026: 0.5}
              administrative_cost: 0.1
            scenario: universal_child_grant
            parameters: {amount_per_child: 10}
            """, "grant.yaml", in: dir)
        let definition = try ScenarioDefinition(file: scenario, catalog: ScenarioCatalog.standard)
        let population = try SurveyLoader().load(file: data, variables: OptionComparison.variables(of: [definition], costing: true, available: []))
        return (definition, population, try CountryProfile(file: profile))
    }

    @Test("each projection year follows the method of docs/costing.md")
    func projectionByHand() throws {
        let (scenario, population, profile) = try Self.fixture()
        #expect(scenario.costing.indexation == .prices && scenario.costing.administrativeCost == 0.1)
        let comparison = try OptionComparison(scenarios: [scenario], population: population, profile: profile,
                                              years: 2025...2026, simulator: Simulator(plan: ParallelPlan(threads: 1)),
                                              context: RunContext())
        let years = try #require(comparison.options.first?.projection?.years)
        // 2025: the phase-in starts in 2026, so coverage and cost are 0.
        #expect(years[0].coverage == 0 && years[0].netCost == 0 && years[0].beneficiaries == 0)
        // 2026, by hand. Base-year annual amounts by cell: girl (female 0-4) 12·10·10 = 1,200;
        // boy (male 5+) 12·20·10 = 2,400. Population factors: female 0-4 50/50 = 1, male 5+ 250/200 = 1.25.
        // Prices index 1.10, coverage 0.5: ΔB = (1,200·1 + 2,400·1.25)·1.10·0.5 = 2,310.
        // Administration 10%: 231. Net 2,541. GDP 10,000·1.05·1.10 = 11,550; spending 2,000·1.155 = 2,310.
        let y = years[1]
        #expect(abs(y.benefits - 2310) < 1e-9)
        #expect(abs(y.administrativeCost - 231) < 1e-9)
        #expect(abs(y.netCost - 2541) < 1e-9)
        #expect(abs(y.netCostUSD - 1270.5) < 1e-9)
        #expect(abs(y.gdp - 11550) < 1e-9)
        #expect(abs(y.shareOfGDP - 2541.0 / 11550) < 1e-12)
        #expect(abs(y.shareOfExpenditure - 2541.0 / 2310) < 1e-12)
        // Beneficiaries: (10·1 + 20·1.25)·0.5 = 17.5 persons.
        #expect(abs(y.beneficiaries - 17.5) < 1e-9)
    }

    @Test("persons lifted out and the share of new money reaching the poorest 40%")
    func assessmentByHand() throws {
        let (scenario, population, _) = try Self.fixture(povertyLine: 54)
        var simulator = Simulator(plan: ParallelPlan(threads: 1))
        simulator.recordCoverage = true
        let run = ScenarioRun(scenario: scenario, population: population, simulator: simulator)
        let a = OptionAssessment(run: run, population: population)
        // Household 1: 100/2 = 50 < 54 before, (100 + 10)/2 = 55 after: its 2 persons × weight 10 are lifted out.
        #expect(a.liftedOut == 20 && a.liftedOutObservations == 2 && a.pushedIn == 0)
        // New money: 12·10·10 = 1,200 to household 1, 12·20·10 = 2,400 to household 2; total 3,600.
        #expect(run.change.costAnnual == 3600 && run.change.revenueAnnual == 0)
        #expect(FiscalChange(change: run.change, settings: scenario.costing).netCost == 3600 + 0.1 * 3600)
        // Poorest 40% of 60 weighted persons = 24: all of household 1 (20 persons) and 4 of household
        // 2's 40, i.e. a tenth of its 2,400. Share = (1,200 + 240) / 3,600 = 0.4.
        #expect(abs(a.shareToPoorest40 - 0.4) < 1e-12)
        #expect(a.optionBeneficiaries == 30 && a.optionHouseholds == 30 && a.beneficiaryObservations == 2)
        // Target group: the grant's ages 0-17, i.e. the two children (weights 10 and 20); all covered by the grant.
        #expect(a.targetGroups == [TargetGroup(ages: 0...17)] && a.targetGroupDescription == "ages 0-17")
        #expect(a.targetPersons == 30 && a.targetObservations == 2)
        // Counts behind the figures: both households' incomes change (4 persons), the two children receive the grant.
        #expect(a.changedObservations == 4 && a.benefitChangeObservations == 2 && a.pushedInObservations == 0)
        #expect(a.coverageBaseline == 0 && a.coverageReform == 1)
    }

    @Test("a projection year outside the country profile is an error naming the profile")
    func yearsOutsideProfile() throws {
        let (scenario, population, profile) = try Self.fixture()
        #expect(throws: InputError.self) {
            try OptionComparison(scenarios: [scenario], population: population, profile: profile, years: 2025...2030,
                                 simulator: Simulator(), context: RunContext())
        }
    }
}
