import Foundation
import Testing
@testable import SimKernel

/// Country profiles: a population cell that is zero in the base year but
/// not later has no defined growth and is refused (it used to keep its
/// survey-year figure, growth 1, without a word); a cell zero in every
/// year is an empty group and is accepted.
@Suite("Country profile population cells")
struct CountryProfileTests {
    /// A two-group profile; `female` is the text after `female:` (block style, one year per line from line 13).
    static func profile(female: String) -> String {
        """
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
          female:
        \(female)
        """
    }

    static func load(_ text: String) throws -> CountryProfile {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-country-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tiny.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try CountryProfile(file: file.path)
    }

    @Test("a zero base-year cell with people in a later year names the file, line, key and cell")
    func zeroBaseCell() throws {
        let text = Self.profile(female: "    2025: [50, 0]\n    2026: [50, 150]")
        let error = try #require(throws: InputError.self) { try Self.load(text) }
        #expect(error.kind == .inconsistent)
        #expect(error.line == 13)
        #expect(error.field == "population.female.2025[1]")
        #expect(error.file.hasSuffix("tiny.yaml"))
        #expect(error.message.contains("female 5+"))
        #expect(error.message.contains("2026 has 150"))
    }

    @Test("a cell that is zero in every year is an empty group and is accepted")
    func emptyGroup() throws {
        let profile = try Self.load(Self.profile(female: "    2025: [50, 0]\n    2026: [50, 0]"))
        #expect(profile.population[2026]?[1] == [50, 0])
    }
}
