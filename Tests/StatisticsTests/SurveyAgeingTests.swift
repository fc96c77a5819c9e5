import Foundation
import Testing
@testable import SimKernel

/// Reweighting the example survey to the example country's projected population by age group and sex.
@Suite("Survey ageing: household weights calibrated to a projected population")
struct SurveyAgeingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func load(_ variables: [String] = ["age", "sex", "region"]) throws -> (Population, CountryProfile) {
        let population = try SurveyLoader().load(file: path("inputs/data/example-persons.csv"),
                                                 variables: variables.map { VariableRequest($0, neededBy: "test") })
        return (population, try CountryProfile(file: path("inputs/countries/example.yaml")))
    }

    /// Weighted persons per age group × sex cell with household weights `weights`.
    static func cells(_ population: Population, _ profile: CountryProfile, weights: [Double]) -> [Double] {
        let ages = population.integers("age"), sexes = population.integers("sex")
        var cells = [Double](repeating: 0, count: 2 * profile.ageGroups.count)
        for h in 0..<population.householdCount {
            for i in population.persons(of: h) {
                cells[(Int(sexes[i]) - 1) * profile.ageGroups.count + profile.group(ofAge: Int(ages[i]))] += weights[h]
            }
        }
        return cells
    }

    @Test("every age group × sex cell has the profile's population in 2030, for raking, linear and logit", arguments: [
        CalibrationOptions(method: .raking), CalibrationOptions(method: .linear),
        CalibrationOptions(method: .logit, bounds: CalibrationBounds(lower: 0.2, upper: 5)),
    ])
    func reachesProjection(_ options: CalibrationOptions) throws {
        let (population, profile) = try Self.load()
        let aged = try SurveyAgeing.reweight(population, to: 2030, profile: profile, options: options)
        #expect(aged.householdWeights.count == population.householdCount)
        let target = profile.population[2030]!
        let cells = Self.cells(population, profile, weights: aged.householdWeights)
        for (k, total) in (target[0] + target[1]).enumerated() {
            #expect(abs(cells[k] - total) / total < 1e-6, "\(SurveyAgeing.categories(of: profile)[k]): \(cells[k]) vs \(total)")
        }
        #expect(aged.calibration.deviations.count == 2 * profile.ageGroups.count)
        #expect(aged.householdWeights.allSatisfy { $0.isFinite } && (options.method == .linear || aged.householdWeights.allSatisfy { $0 > 0 }))
    }

    @Test("household weights equal R survey's calibrate() (raking; logit with bounds 0.2-5) to 1e-9 relative", arguments: ["raking", "logit"])
    func matchesR(_ method: String) throws {
        let (population, profile) = try Self.load()
        let options = method == "raking" ? CalibrationOptions(method: .raking)
            : CalibrationOptions(method: .logit, bounds: CalibrationBounds(lower: 0.2, upper: 5))
        let aged = try SurveyAgeing.reweight(population, to: 2030, profile: profile, options: options)
        let golden = try SurveyTable.read(file: Self.path("Tests/Fixtures/calibration/ageing-2030.csv"))
        guard case .numbers(let r, _) = try #require(golden.column(named: method)).values,
              case .numbers(let ids, _) = try #require(golden.column(named: "hh_id")).values else { Issue.record("golden columns"); return }
        #expect(r.count == population.householdCount)
        var worst = 0.0
        for h in 0..<min(r.count, population.householdCount) {
            #expect(Double(population.householdID[h]) == ids[h])
            worst = max(worst, abs(aged.householdWeights[h] - r[h]) / r[h])
        }
        #expect(worst <= 1e-9, "largest relative difference from R: \(worst)")
    }

    @Test("the weights are the calibration of the person-level design with households, and extra margins are met too")
    func extraMargins() throws {
        let (population, profile) = try Self.load()
        let regions = population.integers("region")
        let total = profile.totalPopulation(in: 2028)
        // Region shares as in the survey, scaled to the projected total.
        var sample = [Double](repeating: 0, count: 10)
        for h in 0..<population.householdCount { for i in population.persons(of: h) { sample[Int(regions[i]) - 1] += population.weight[h] } }
        let sampleTotal = sample.reduce(0, +)
        let region = CalibrationMargin(name: "region", codes: (0..<population.personCount).map { Int(regions[$0]) - 1 },
                                       categories: (1...10).map(String.init), totals: sample.map { $0 / sampleTotal * total })
        let aged = try SurveyAgeing.reweight(population, to: 2028, profile: profile, extraMargins: [region])
        for d in aged.calibration.deviations { #expect(d.relative < 1e-6, "\(d.cell)") }
        for h in 0..<population.householdCount {
            for i in population.persons(of: h) { #expect(aged.calibration.weights[i] == aged.householdWeights[h]) }
        }
    }

    @Test("a year without a projection, a survey without sex, contradictory extra margins are refused")
    func refusals() throws {
        let (population, profile) = try Self.load()
        #expect { try SurveyAgeing.reweight(population, to: 2051, profile: profile) } throws: { error in
            (error as? InputError)?.kind == .outOfRange && (error as? InputError)?.message.contains("2025-2040") == true
        }
        let (noSex, _) = try Self.load(["age"])
        #expect { try SurveyAgeing.reweight(noSex, to: 2030, profile: profile) } throws: { error in
            (error as? InputError)?.kind == .missingColumn && (error as? InputError)?.field == "sex"
        }
        let all = CalibrationMargin(name: "everyone", codes: [Int](repeating: 0, count: population.personCount), categories: ["all"], totals: [1000])
        #expect { try SurveyAgeing.reweight(population, to: 2030, profile: profile, extraMargins: [all]) } throws: { error in
            if case CalibrationError.contradictoryTotals = error { return true } else { return false }
        }
    }
}
