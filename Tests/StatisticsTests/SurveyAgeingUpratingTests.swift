import Foundation
import Testing
@testable import SimKernel

/// Ageing the example survey: reweighting plus money variables uprated by named indices.
@Suite("Survey ageing: the aged population")
struct SurveyAgeingUpratingTests {
    static let money = ["earnings", "other_income", "pension_income"]

    static func load() throws -> (Population, CountryProfile) {
        try SurveyAgeingTests.load(["age", "sex", "region", "earnings", "other_income", "pension_income"])
    }

    /// A profile from the example's text with `edit` applied (the file is written next to the test's temporary files).
    static func profile(editing edit: (String) -> String) throws -> CountryProfile {
        let text = try String(contentsOfFile: SurveyAgeingTests.path("inputs/countries/example.yaml"), encoding: .utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ageing-profile-\(UUID().uuidString).yaml")
        try edit(text).write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try CountryProfile(file: url.path)
    }

    @Test("the aged population's weighted persons by age group and sex equal the profile's 2030 projection")
    func weightedTotals() throws {
        let (population, profile) = try Self.load()
        let aged = try SurveyAgeing.age(population, to: 2030, profile: profile, moneyVariables: Self.money)
        #expect(aged.population.householdCount == population.householdCount)
        let cells = SurveyAgeingTests.cells(aged.population, profile, weights: aged.population.weight.array)
        let target = profile.population[2030]!
        for (k, total) in (target[0] + target[1]).enumerated() {
            #expect(abs(cells[k] - total) / total < 1e-8, "\(SurveyAgeing.categories(of: profile)[k]): \(cells[k]) vs \(total)")
        }
        let ratios = (0..<population.householdCount).map { aged.population.weight[$0] / population.weight[$0] }
        #expect(aged.weightRatioRange == ratios.min()!...ratios.max()!)
    }

    @Test("money variables are the survey's times the index: earnings by wages, other income and pensions by CPI")
    func upratedByIndex() throws {
        let (population, profile) = try Self.load()
        let aged = try SurveyAgeing.age(population, to: 2030, profile: profile, moneyVariables: Self.money)
        // inputs/countries/example.yaml, macro 2026-2030 (the base year 2025's own rate never applies):
        let wages = 1.098 * 1.096 * 1.094 * 1.092 * 1.090
        let cpi = 1.058 * 1.056 * 1.054 * 1.052 * 1.050
        for (name, factor, index) in [("earnings", wages, UpratingIndex.wages), ("other_income", cpi, .cpi), ("pension_income", cpi, .cpi)] {
            let before = population.reals(name), after = aged.population.reals(name)
            for i in 0..<population.personCount {
                #expect(abs(after[i] - before[i] * factor) <= 1e-12 * max(1, abs(before[i] * factor)), "\(name), person \(i + 1)")
            }
            let u = try #require(aged.uprating.first { $0.variable == name })
            #expect(u.index == index && abs(u.factor - factor) < 1e-14)
        }
        // Codes and ages are never changed.
        #expect(aged.population.integers("age").array == population.integers("age").array)
        #expect(aged.population.integers("region").array == population.integers("region").array)
    }

    @Test("gdp is nominal growth (1 + real) × (1 + CPI); none is 1; the base year's factors are all 1")
    func indices() throws {
        let (_, profile) = try Self.load()
        let gdp = (1.045 * 1.058) * (1.045 * 1.056)  // 2026, 2027
        #expect(abs(UpratingIndex.gdp.factor(profile, to: 2027) - gdp) < 1e-14)
        #expect(abs(UpratingIndex.gdp.factor(profile, to: 2027) - profile.nominalGDP(in: 2027) / profile.gdp) < 1e-12)
        #expect(UpratingIndex.none.factor(profile, to: 2035) == 1)
        for index in UpratingIndex.allCases { #expect(index.factor(profile, to: 2025) == 1) }
    }

    @Test("the country profile's ageing: {uprate:} overrides the defaults; a bad index is an error at its line")
    func profileOverride() throws {
        let (population, _) = try Self.load()
        let profile = try Self.profile { $0 + "ageing:\n  uprate: {earnings: cpi, other_income: none}\n" }
        #expect(profile.uprating == ["earnings": .cpi, "other_income": .none])
        let aged = try SurveyAgeing.age(population, to: 2026, profile: profile, moneyVariables: Self.money)
        #expect(aged.uprating.map(\.index) == [.cpi, .none, .cpi])
        #expect(aged.population.reals("other_income").array == population.reals("other_income").array)
        let explicit = try SurveyAgeing.age(population, to: 2026, profile: profile, moneyVariables: ["earnings"], uprating: ["earnings": .gdp])
        #expect(explicit.uprating.map(\.index) == [.gdp])

        let text = try String(contentsOfFile: SurveyAgeingTests.path("inputs/countries/example.yaml"), encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        #expect { try Self.profile { $0 + "ageing:\n  uprate:\n    earnings: salaries\n" } } throws: { error in
            let e = error as? InputError
            return e?.kind == .badValue && e?.line == line + 1 && e?.message.contains("cpi, wages, gdp or none") == true
        }
        #expect { try Self.profile { $0 + "ageing:\n  index: {earnings: cpi}\n" } } throws: { error in
            (error as? InputError)?.kind == .unknownKey
        }
    }

    @Test("a year before the base year or after the profile's last is refused, naming the range")
    func yearOutOfRange() throws {
        let (population, profile) = try Self.load()
        for year in [2024, 2041] {
            #expect { try SurveyAgeing.age(population, to: year, profile: profile, moneyVariables: Self.money) } throws: { error in
                let e = error as? InputError
                return e?.kind == .outOfRange && e?.message.contains("2025") == true && e?.message.contains("2040") == true
            }
        }
    }
}
