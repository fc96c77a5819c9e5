import Foundation
@testable import SimKernel

/// Paths, reference files and data shared by the statistics tests.
enum StatisticsFixtures {
    /// The package root (three levels above this file).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// `Tests/Fixtures/eusilc/reference.json`, from `Tests/Reference/eusilc_reference.R`
    /// (R 4.2.2, laeken 0.5.2, survey 4.1-1). To refresh: `Rscript Tests/Reference/eusilc_reference.R`.
    static let reference: JSON = JSON.load(path("Tests/Fixtures/eusilc/reference.json"))
    /// `Tests/Fixtures/eusilc/extra-reference.json`, from `Tests/Reference/statistics_extra.R`.
    /// To refresh: `Rscript Tests/Reference/statistics_extra.R`.
    static let extra: JSON = JSON.load(path("Tests/Fixtures/eusilc/extra-reference.json"))

    /// laeken's eusilc as loaded by `simrun stats`: one row per person (a unit),
    /// income eqIncome, weight rb050, region db040, sex rb090, household db030.
    struct Eusilc: Sendable {
        let population: Population
        let distribution: WelfareDistribution
        let region: Grouping
        let sex: Grouping
        let design: SurveyDesign
        let unstratified: SurveyDesign
        let age: [Int32]
    }

    static let eusilc: Eusilc = {
        let loader = SurveyLoader(columnMap: ColumnMap(["weight": "rb050"]), households: .rowPerUnit)
        let population = try! loader.load(file: path("Tests/Fixtures/eusilc/eusilc.csv"), variables: [
            VariableRequest(Variable("eqIncome", kind: .real, unit: "EUR per year", summary: "equivalised income"), neededBy: "test"),
            VariableRequest(Variable.category("db040"), neededBy: "test"),
            VariableRequest(Variable.category("rb090"), neededBy: "test"),
            VariableRequest(Variable.category("db030"), neededBy: "test"),
            VariableRequest(Variable("age", kind: .integer, unit: "years", summary: "age"), neededBy: "test"),
        ])
        let distribution = WelfareDistribution(welfare: population.reals("eqIncome").array,
                                               personWeight: population.weight.array)
        let region = population.category("db040"), sex = population.category("rb090")
        let household = population.category("db030")
        return Eusilc(
            population: population, distribution: distribution,
            region: .units(name: "db040", labels: region.labels, codes: region.codes.array),
            sex: .units(name: "rb090", labels: sex.labels, codes: sex.codes.array),
            design: try! SurveyDesign(stratum: region.codes.array, psu: household.codes.array, stratumLabels: region.labels),
            unstratified: try! SurveyDesign(stratum: nil, psu: household.codes.array),
            age: population.integers("age").array)
    }()

    /// Whether `a` and `b` agree to `tolerance` relative (absolute below 1e-300).
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a == b { return true }
        return abs(a - b) <= tolerance * max(abs(a), abs(b)) || abs(a - b) < 1e-300
    }

    /// The relative difference |a − b| / |b|.
    static func relative(_ a: Double, _ b: Double) -> Double { b == 0 ? abs(a) : abs(a - b) / abs(b) }
}

/// A minimal read-only view of parsed JSON for golden numbers.
struct JSON: @unchecked Sendable {
    // Safety: wraps an immutable Foundation object graph parsed once and never mutated.
    let value: Any

    static func load(_ path: String) -> JSON {
        let data = try! Data(contentsOf: URL(fileURLWithPath: path))
        return JSON(value: try! JSONSerialization.jsonObject(with: data))
    }

    subscript(_ key: String) -> JSON {
        guard let object = value as? [String: Any], let v = object[key] else { fatalError("no key '\(key)' in reference JSON") }
        return JSON(value: v)
    }

    subscript(_ index: Int) -> JSON { JSON(value: (value as! [Any])[index]) }

    var double: Double { (value as! NSNumber).doubleValue }
    var doubles: [Double] { (value as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    var keys: [String] { (value as! [String: Any]).keys.sorted() }
}
