import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// SPEC.md's baseline and the child grant on three handmade households
/// (`Tests/Fixtures/handmade/three-households.csv`), through the same API the
/// command-line tool uses: ScenarioDefinition, SurveyLoader, Simulator,
/// SystemIndicators. Every expected number is worked out by hand below.
///
/// | household | weight | members | market income | baseline | reform |
/// |---|---|---|---|---|---|
/// | 1 | 1 | adult 40 (other income 100), child 5 | 100 | 100 | 100 + 30 = 130 |
/// | 2 | 2 | informal worker 30 (earnings 200) | 200 | 200 | 200 |
/// | 3 | 1 | formal employee 45 (1000), informal worker 40 (300), ages 0, 17, 18 | 1300 | 1300 − 70 − 75 = 1155 | 1155 + 2 × 30 = 1215 |
///
/// Household 3: contribution 0.07 × 1000 = 70; tax 0.15 × (1000 − 500) = 75;
/// the informal worker pays neither; the grant goes to ages 0 and 17, not 18.
///
/// Per-capita income y and person weight w (household weight × members):
/// baseline y = 50, 200, 231; reform y = 65, 200, 243; w = 2, 2, 5; W = 9.
@Suite("Three handmade households: amounts, FGT and Gini by hand")
struct ThreeHouseholdsTests {
    static let scenarioFile = TestHouseholds.path("Tests/Fixtures/handmade/three-households.yaml")

    static func run(threads: Int = 1, chunkSize: Int = 4096) throws -> (Population, ScenarioRun) {
        let scenario = try ScenarioDefinition(file: scenarioFile, catalog: ScenarioCatalog.standard)
        let data = try #require(scenario.defaultData)
        let population = try SurveyLoader().load(file: data, variables: ScenarioRun.variables(of: scenario))
        let run = ScenarioRun(scenario: scenario, population: population,
                              simulator: Simulator(plan: ParallelPlan(threads: threads), chunkSize: chunkSize))
        return (population, run)
    }

    @Test("the scenario file resolves its relative baseline and data paths")
    func paths() throws {
        let scenario = try ScenarioDefinition(file: Self.scenarioFile, catalog: ScenarioCatalog.standard)
        #expect(scenario.baseline.source?.hasSuffix("inputs/systems/current_law.yaml") == true)
        #expect(scenario.defaultData?.hasSuffix("Tests/Fixtures/handmade/three-households.csv") == true)
        #expect(scenario.povertyLine == 150)
    }

    @Test("household disposable incomes: 100, 200, 1155 before and 130, 200, 1215 after the grant")
    func disposableIncome() throws {
        let (population, run) = try Self.run()
        #expect(population.householdCount == 3)
        #expect(population.personCount == 8)
        #expect(run.outcomes.baseline.disposableIncome.array == [100, 200, 1155])
        #expect(run.outcomes.reform.disposableIncome.array == [130, 200, 1215])
        let reformGrant = try #require(run.outcomes.reform.components.first { $0.name == "universal_child_grant" })
        #expect(reformGrant.amount.array == [30, 0, 60])
        #expect(reformGrant.recipients.array == [1, 0, 2])
    }

    @Test("cost 12 × (1 × 30 + 1 × 60) = 1080, 3 beneficiaries, revenue 12 × (70 + 75) = 1740")
    func costAndRevenue() throws {
        let (_, run) = try Self.run()
        #expect(run.baseline.costAnnual == 0)
        #expect(run.reform.costAnnual == 1080)
        #expect(run.change.costAnnual == 1080)
        #expect(run.baseline.beneficiaries == 0)
        #expect(run.reform.beneficiaries == 3)
        #expect(TestHouseholds.close(run.baseline.revenueAnnual, 1740))
        #expect(TestHouseholds.close(run.reform.revenueAnnual, 1740))
        #expect(run.reform.weightedPersons == 9)
    }

    /// FGT(a) = Σ_{y<z} w ((z − y)/z)^a / W with z = 150, W = 9; only household 1 (w = 2) is poor.
    /// Baseline y = 50: gap 100/150 = 2/3 → FGT0 = 2/9, FGT1 = 2 × 2/3 / 9 = 4/27,
    /// FGT2 = 2 × 4/9 / 9 = 8/81. Reform y = 65: gap 85/150 = 17/30 → FGT0 = 2/9,
    /// FGT1 = 2 × 17/30 / 9 = 17/135, FGT2 = 2 × 289/900 / 9 = 289/4050.
    @Test("FGT(0), FGT(1), FGT(2) at z = 150 as computed by hand")
    func poverty() throws {
        let (_, run) = try Self.run()
        #expect(TestHouseholds.close(run.baseline.fgt0, 2.0 / 9))
        #expect(TestHouseholds.close(run.baseline.fgt1, 4.0 / 27))
        #expect(TestHouseholds.close(run.baseline.fgt2, 8.0 / 81))
        #expect(TestHouseholds.close(run.reform.fgt0, 2.0 / 9))
        #expect(TestHouseholds.close(run.reform.fgt1, 17.0 / 135))
        #expect(TestHouseholds.close(run.reform.fgt2, 289.0 / 4050))
        #expect(TestHouseholds.close(run.change.fgt1, 17.0 / 135 - 4.0 / 27))
    }

    /// Gini = Σ_i Σ_j w_i w_j |y_i − y_j| / (2 W² μ), μ = Σ w y / W (Gini.swift, SPEC.md).
    /// Baseline: Σ w y = 2·50 + 2·200 + 5·231 = 1655; unordered pairs
    /// 2·2·150 + 2·5·181 + 2·5·31 = 600 + 1810 + 310 = 2720, so the double sum is 5440 and
    /// G = 5440 / (2 · 9 · 1655) = 2720/14895 ≈ 0.18261. The sorted form agrees:
    /// C = 2, 4, 9; Σ w y C = 200 + 1600 + 10395 = 12195; Σ w² y = 200 + 800 + 5775 = 6775;
    /// (2 · 12195 − 6775) / (9 · 1655) − 1 = 17615/14895 − 1 = 2720/14895.
    /// Reform: Σ w y = 130 + 400 + 1215 = 1745; pairs 4·135 + 10·178 + 10·43 = 2750;
    /// G = 2750/15705 ≈ 0.17510.
    @Test("Gini of per-capita income as computed by hand, before and after")
    func gini() throws {
        let (_, run) = try Self.run()
        #expect(TestHouseholds.close(run.baseline.gini, 2720.0 / 14895))
        #expect(TestHouseholds.close(run.reform.gini, 2750.0 / 15705))
        #expect(TestHouseholds.close(run.baseline.meanIncome, 1655.0 / 9))
        #expect(TestHouseholds.close(run.reform.meanIncome, 1745.0 / 9))
    }

    @Test("threads and chunk size change no indicator", arguments: [(1, 1), (2, 1), (2, 2), (4, 4096)])
    func parallelEqualsSerial(threads: Int, chunkSize: Int) throws {
        let (_, serial) = try Self.run()
        let (_, parallel) = try Self.run(threads: threads, chunkSize: chunkSize)
        #expect(parallel.baseline == serial.baseline)
        #expect(parallel.reform == serial.reform)
    }
}

/// FGT and Gini on explicit distributions, with the edge cases SPEC.md defines.
@Suite("WelfareDistribution: FGT and Gini edge cases")
struct WelfareDistributionTests {
    @Test("a person exactly on the poverty line is not poor")
    func onTheLine() {
        let d = WelfareDistribution(welfare: [150, 100], personWeight: [1, 1])
        #expect(d.fgt(alpha: 0, line: 150) == 0.5)
        // Gap of the poor person only: (150 − 100)/150 = 1/3, over W = 2.
        #expect(TestHouseholds.close(d.fgt(alpha: 1, line: 150), 1.0 / 6))
    }

    @Test("equal incomes have a Gini of 0")
    func equality() {
        let d = WelfareDistribution(welfare: [80, 80, 80], personWeight: [1, 3, 2])
        #expect(abs(d.gini) < 1e-15)
    }

    @Test("all income with one of two equally weighted persons gives a Gini of 1/2")
    func twoPersons() {
        // Pairs: |0 − 100| twice (ordered) × 1 × 1 = 200; 2 W² μ = 2 · 4 · 50 = 400; G = 1/2.
        let d = WelfareDistribution(welfare: [0, 100], personWeight: [1, 1])
        #expect(TestHouseholds.close(d.gini, 0.5))
    }

    @Test("the Gini does not depend on the order of the households")
    func orderInvariance() {
        let a = WelfareDistribution(welfare: [50, 200, 231], personWeight: [2, 2, 5])
        let b = WelfareDistribution(welfare: [231, 50, 200], personWeight: [5, 2, 2])
        #expect(TestHouseholds.close(a.gini, b.gini, tolerance: 1e-15))
        #expect(TestHouseholds.close(a.gini, 2720.0 / 14895))
    }

    @Test("negative welfare counts with a normalised gap above 1")
    func negativeWelfare() {
        // y = −30: gap (150 + 30)/150 = 1.2; FGT1 = 1.2 × 1 / 2 = 0.6; FGT2 = 1.44 / 2 = 0.72.
        let d = WelfareDistribution(welfare: [-30, 300], personWeight: [1, 1])
        #expect(TestHouseholds.close(d.fgt(alpha: 1, line: 150), 0.6))
        #expect(TestHouseholds.close(d.fgt(alpha: 2, line: 150), 0.72))
    }
}
