import Foundation
import Testing
@testable import SimKernel

/// Variables' declared measures and the requirements of the places that take
/// a variable name: checked when a parameter is read, with the line and key
/// and the kind ``InputError/Kind/wrongType``; names simrun does not know are
/// read as the place implies; one column cannot be read with two meanings.
@Suite("Variable kinds")
struct VariableKindTests {
    static let specs = [
        ParameterSpec("base", .variable(.money), unit: "variable", default: .text("earnings"), summary: "a money variable"),
        ParameterSpec("extra", .variableList(.money), unit: "variables", default: .textList([]), summary: "money variables"),
        ParameterSpec("group", .variable(.category), unit: "variable", default: .text("region"), summary: "a category"),
        ParameterSpec("weights", .variableMap(.characteristic(builtIn: ["members"])), unit: "score_per_unit",
                      default: .keyedNumbers([]), summary: "a score"),
    ]

    static func resolve(_ yaml: String) throws -> ResolvedParameters {
        let node = try YAMLNode.parse(yaml, file: "params.yaml")
        return try ResolvedParameters(module: "test_module", specs: specs, node: node, owner: node, year: nil)
    }

    @Test("a variable of the wrong measure is a wrong_type error at its line and key, naming what was expected", arguments: [
        ("base: sex", 1, "base", "'sex' is a category code, not an amount of money per month; base takes a money variable"),
        ("base: earnings\nextra:\n  - pension_income\n  - age", 4, "extra[1]", "'age' is an age in years, not an amount of money"),
        ("extra: [weight]", 1, "extra[0]", "'weight' is the sampling weight, not an amount of money"),
        ("extra: [hh_id]", 1, "extra[0]", "'hh_id' is an identifier, not an amount of money"),
        ("group: earnings", 1, "group", "'earnings' is an amount of money per month, not a category"),
        ("group: age", 1, "group", "'age' is an age in years, not a category"),
        ("weights:\n  members: 1\n  region: 0.2", 3, "weights.region", "'region' is a category code, not a measured quantity"),
        ("weights: {weight: 1}", 1, "weights.weight", "'weight' is the sampling weight"),
        ("weights: {person_id: 1}", 1, "weights.person_id", "'person_id' is an identifier"),
    ])
    func wrongMeasure(yaml: String, line: Int, field: String, message: String) {
        let error = #expect(throws: InputError.self) { _ = try Self.resolve(yaml) }
        #expect(error?.kind == .wrongType)
        #expect(error?.exitStatus == 65)
        #expect(error?.file == "params.yaml")
        #expect(error?.line == line)
        #expect(error?.field == field)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test("a variable listed twice (it would be counted twice) is a duplicate error at its line", arguments: [
        ("extra: [pension_income, other_income, pension_income]", "extra[2]"),
    ])
    func listedTwice(yaml: String, field: String) {
        let error = #expect(throws: InputError.self) { _ = try Self.resolve(yaml) }
        #expect(error?.kind == .duplicate && error?.line == 1 && error?.field == field)
        #expect(error?.message.contains("'pension_income' is listed twice in extra") == true)
    }

    @Test("accepted names give the variable as the requirement reads it; unknown names take the implied kind")
    func accepted() throws {
        let p = try Self.resolve("base: pension_income\nextra: [remittances]\ngroup: village\nweights: {members: 1, urban: 2, rooms: 3}")
        #expect(p.variable("base") == Variable.pensionIncome)
        let remittances = try #require(p.variables("extra").first)
        #expect(remittances.kind == .real && remittances.measure == .money && remittances.level == .person)
        let village = p.variable("group")
        #expect(village.kind == .integer && village.measure == .code)  // read and checked as whole numbers
        #expect(p.variable(named: "urban", for: "weights") == Variable.urban)
        #expect(p.variable(named: "rooms", for: "weights").measure == .number)
        #expect(try Self.resolve("group: stratum").variable("group") == Variable.stratum)  // a household code is a category
    }

    @Test("parameters given in a program are checked against the specs too")
    func programParameters() throws {
        let error = #expect(throws: InputError.self) {
            _ = try ResolvedParameters(module: "test_module", specs: Self.specs, values: ["group": .text("earnings")])
        }
        #expect(error?.kind == .wrongType && error?.field == "group")
        let p = try ResolvedParameters(module: "test_module", specs: Self.specs, values: ["group": .text("urban")])
        #expect(p.variable("group") == Variable.urban)
    }

    @Test("every declared variable is stored as its measure needs (money as reals per person, codes as whole numbers, ...)")
    func storageMatchesMeasure() {
        for v in Variable.known + Variable.optionalColumns {
            switch v.measure {
            case .money: #expect(v.kind == .real && v.level == .person, "\(v.name)")
            case .code, .flag, .age, .count: #expect(v.kind == .integer, "\(v.name)")
            case .identifier: #expect(v.kind == .identifier, "\(v.name)")
            case .weight: #expect(v.name == Variable.weight.name && v.kind == .real, "\(v.name)")
            case .number: Issue.record("\(v.name) is declared without a meaning")
            }
            if v.measure == .flag { #expect(v.validRange == 0...1, "\(v.name)") }
        }
    }

    @Test("a market income of the wrong measure is refused when the system file is read", arguments: [
        "weight", "age", "hh_id", "person_id", "labour_status", "urban", "stratum",
    ])
    func marketIncome(variable: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("system.yaml").path
        try "name: s\nmarket_income: [earnings, \(variable)]\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: InputError.self) {
            _ = try SystemDefinition.read(file: file, catalog: ModuleCatalog([]), year: nil)
        }
        #expect(error?.kind == .wrongType)
        #expect(error?.line == 2 && error?.field == "market_income[1]")
        #expect(error?.message.contains("'\(variable)' is ") == true)
        #expect(error?.message.contains("market_income takes a money variable") == true, "\(error?.message ?? "")")
    }

    @Test("a market income listed twice is refused (it would double the income)")
    func marketIncomeTwice() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("system.yaml").path
        try "name: s\nmarket_income:\n  - earnings\n  - other_income\n  - earnings\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: InputError.self) {
            _ = try SystemDefinition.read(file: file, catalog: ModuleCatalog([]), year: nil)
        }
        #expect(error?.kind == .duplicate && error?.line == 5 && error?.field == "market_income[2]")
    }

    @Test("one column read with two meanings (money and a category code) is refused before the data is read")
    func twoMeanings() throws {
        let requests = [
            VariableRequest(VariableRequirement.money.variable(named: "remittances"), neededBy: "module income_tax (additional_base)"),
            VariableRequest(VariableRequirement.category.variable(named: "remittances"), neededBy: "module social_pension (take_up_group)"),
        ]
        let error = #expect(throws: InputError.self) { _ = try SurveyLoader().load(file: "no-such-file.csv", variables: requests) }
        #expect(error?.kind == .wrongType && error?.field == "remittances")
        #expect(error?.message.contains("read as an amount of money per month by module income_tax (additional_base)") == true)
        #expect(error?.message.contains("as a category code by module social_pension (take_up_group)") == true)
        // The same meaning twice is one request.
        #expect(throws: Never.self) { try SurveyLoader.checkOneMeaning(Array(requests.prefix(1)) + Array(requests.prefix(1)), file: "f") }
    }
}
