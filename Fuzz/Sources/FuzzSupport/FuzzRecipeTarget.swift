import Foundation
import SimKernel

extension FuzzTargets {
    /// The folder of the recipe target: the recipe fixture's files (Tests/Fixtures/recipe), copied once.
    static let recipeFolder: String = {
        let folder = workspace.root.appendingPathComponent("recipe").path
        let fm = FileManager.default
        try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["households.csv", "persons.csv", "communes.csv", "recipe.yaml"] {
            let source = workspace.repositoryFile("Tests/Fixtures/recipe/\(name)")
            try? fm.removeItem(atPath: folder + "/" + name)
            try! fm.copyItem(atPath: source, toPath: folder + "/" + name)
        }
        return folder
    }()

    /// Data recipes (`SurveyRecipe`): the first byte of the input says which
    /// file the rest replaces in the fixture's folder: even, the recipe
    /// (read against the fixture's CSVs); 1 mod 4, the person file; 3 mod 4,
    /// the household file (both under a recipe with missing rules, a filter,
    /// a lookup, recodes and expressions). The result is read as a
    /// population of every known variable the recipe makes and described; a
    /// thrown ``InputError`` with a short message is the only accepted
    /// failure. The other files are restored after each input.
    public static func recipe(_ input: UnsafeRawBufferPointer) {
        let folder = recipeFolder
        guard let mode = input.first else { return }
        let rest = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        begin(rest)
        let target: String
        switch mode % 4 {
        case 0, 2: target = "fuzzed.yaml"
        case 1: target = "persons.csv"
        default: target = "households.csv"
        }
        let original = target == "fuzzed.yaml" ? nil : try? Data(contentsOf: URL(fileURLWithPath: folder + "/" + target))
        defer { if let original { try? original.write(to: URL(fileURLWithPath: folder + "/" + target)) } }
        let written = rest.baseAddress.map { Data(bytes: $0, count: rest.count) } ?? Data()
        try? written.write(to: URL(fileURLWithPath: folder + "/" + target))
        let recipe = target == "fuzzed.yaml" ? folder + "/fuzzed.yaml" : folder + "/rules.yaml"
        if target != "fuzzed.yaml", !FileManager.default.fileExists(atPath: recipe) {
            try? rulesRecipe.write(toFile: recipe, atomically: true, encoding: .utf8)
        }
        expectingInputErrors("recipe") {
            let prepared = try SurveyRecipe(file: recipe).assemble()
            let names = Set(prepared.table.columns.map(\.name))
            let requests = (Variable.known + Variable.optionalColumns).filter { names.contains($0.name) && !["hh_id", "person_id", "weight"].contains($0.name) }
                .map { VariableRequest($0, neededBy: "the fuzz target") }
            _ = try prepared.table.population(variables: requests, origin: prepared.origin, groups: prepared.householdStart)
            _ = try DataDescription(table: prepared.table, weight: names.contains("weight") ? "weight" : nil, origin: prepared.origin,
                                    plan: ParallelPlan(threads: 1))
        }
    }

    /// The recipe the person and household files are fuzzed under.
    static let rulesRecipe = """
        files:
          households: {file: households.csv, level: household, key: hhid}
          persons: {file: persons.csv, level: person}
          communes: {file: communes.csv, level: lookup, key: commune, to: households}
        missing:
          earn_m: {".": zero, other: drop}
          zone: 0
          wt: drop
        filters:
          - households: "wt > 0 and count() < 30"
            because: "weights and sizes"
          - persons: "age >= 0"
            because: "ages"
        variables:
          hh_id: hhid
          person_id: pid
          weight: wt
          region: {column: area, recode: {urban: 1, rural: 2}}
          urban: 'area == "urban"'
          age: age
          earnings: "earn_m * 1"
          other_income: "sum(oth) / count()"
          zone: zone

        """
}
