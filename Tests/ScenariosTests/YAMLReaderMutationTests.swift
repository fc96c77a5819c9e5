import Foundation
import Scenarios
import Testing
@testable import SimKernel

/// Garbage in, an ``InputError`` out: random mutations of the example YAML
/// files (scenarios, systems, country profile, column map) and of the fuzz
/// seed corpus (`Tests/Fixtures/fuzz/yaml/`) are parsed and given to every
/// reader; each must read the text or throw an ``InputError``, never crash,
/// hang or throw anything else. Bounded to about 2 seconds; the mutations
/// are drawn from a seeded generator, so a failure names a reproducible case.
/// A longer run: `SIMRUN_YAML_MUTATION_SECONDS=600 SIMRUN_YAML_MUTATION_SEED=7
/// swift test --filter YAMLReaderMutationTests` (the libFuzzer target is the
/// tool for real campaigns).
@Suite("YAML readers on mutated files")
struct YAMLReaderMutationTests {
    /// SplitMix64, seeded, for reproducible mutations.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func files(in folder: String) -> [String] {
        let path = TestHouseholds.path(folder)
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(path)/\($0)" }
    }

    static let seeds: [[UInt8]] = (files(in: "inputs/scenarios") + files(in: "inputs/systems") + files(in: "inputs/countries")
        + files(in: "Tests/Fixtures/cli") + files(in: "Tests/Fixtures/fuzz/yaml"))
        .compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }

    /// Bytes that mean something to YAML, and some that should not be there.
    static let alphabet: [UInt8] = Array("&*!:-[]{}#|>'\"\n \t,?%@`\\.0123456789eE+_abcxyz~".utf8) + [0x00, 0x1B, 0xFF, 0xC3, 0x85]

    static func mutate(_ input: [UInt8], _ g: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &g) {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &g)
            switch Int.random(in: 0..<7, using: &g) {
            case 0: if !b.isEmpty { b[at] = alphabet.randomElement(using: &g)! }  // replace a byte
            case 1: b.insert(alphabet.randomElement(using: &g)!, at: at)  // insert a byte
            case 2: if !b.isEmpty { b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...16, using: &g))) }  // delete a run
            case 3: b = Array(b[..<at])  // truncate
            case 4:  // duplicate a run (a key twice, a block repeated)
                let end = min(b.count, at + Int.random(in: 1...80, using: &g))
                b.insert(contentsOf: b[at..<end], at: Int.random(in: 0...b.count, using: &g))
            case 5: b.insert(contentsOf: Array("&a *a !!str ".utf8).shuffled(using: &g).prefix(4), at: at)
            default:  // swap two lines
                var lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                if lines.count > 1 {
                    lines.swapAt(Int.random(in: 0..<lines.count, using: &g), Int.random(in: 0..<lines.count, using: &g))
                }
                b = Array(lines.joined(separator: [0x0A]))
            }
        }
        return b
    }

    /// Runs `body`; true when it returned or threw an ``InputError``.
    static func readsOrRefuses(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch is InputError {
            return true
        } catch {
            return false
        }
    }

    @Test("every mutant is read or refused with an InputError, by every reader")
    func mutants() throws {
        #expect(Self.seeds.count >= 20)
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["SIMRUN_YAML_MUTATION_SECONDS"].flatMap(Double.init) ?? 2
        var g = SplitMix64(state: environment["SIMRUN_YAML_MUTATION_SEED"].flatMap(UInt64.init) ?? 11)
        // Beside the real scenarios, so that `baseline: current_law` and the other paths resolve.
        let file = TestHouseholds.path("inputs/scenarios/mutant.yaml")
        let clock = ContinuousClock()
        let start = clock.now
        var cases = 0, parsed = 0
        let limit = seconds > 2 ? Int.max : 20_000
        while clock.now - start < .seconds(seconds), cases < limit {
            let seed = Self.seeds[Int.random(in: 0..<Self.seeds.count, using: &g)]
            let mutant = Self.mutate(seed, &g)
            cases += 1
            var root: YAMLNode?
            let parses = Self.readsOrRefuses { root = try YAMLNode.parse(bytes: mutant, file: file) }
            #expect(parses, "case \(cases): \(String(decoding: mutant.prefix(200), as: UTF8.self))")
            guard let root else { continue }
            parsed += 1
            let readers: [(String, () throws -> Void)] = [
                ("scenario", { _ = try ScenarioDefinition(root: root, catalog: ScenarioCatalog.standard) }),
                ("system", { _ = try SystemDefinition.read(root: root, catalog: ScenarioCatalog.standard, year: nil) }),
                ("country profile", { _ = try CountryProfile(root: root) }),
                ("column map", { _ = try ColumnMap(root: root) }),
            ]
            for (name, read) in readers {
                #expect(Self.readsOrRefuses(read), "case \(cases), \(name): \(String(decoding: mutant.prefix(200), as: UTF8.self))")
            }
        }
        // Enough cases to mean something, and mutants that get past the parser to the readers.
        #expect(cases >= 200)
        #expect(parsed >= cases / 10)
        if seconds > 2 { print("YAML mutation: \(cases) cases, \(parsed) parsed") }
    }

    @Test("the fuzz seed corpus: valid seeds are read by their reader, hostile ones refused with the right kind")
    func seedCorpus() throws {
        let folder = TestHouseholds.path("Tests/Fixtures/fuzz/yaml")
        func root(_ name: String) throws -> YAMLNode {
            let bytes = try #require(FileManager.default.contents(atPath: "\(folder)/\(name)"))
            return try YAMLNode.parse(bytes: bytes, file: TestHouseholds.path("inputs/scenarios/\(name)"))
        }
        _ = try ScenarioDefinition(root: try root("scenario-grant.yaml"), catalog: ScenarioCatalog.standard)
        _ = try ScenarioDefinition(root: try root("scenario-package.yaml"), catalog: ScenarioCatalog.standard)
        let styles = try root("flow-and-block.yaml")
        #expect(try styles["title"]?.text() == "quoted 'text'")
        #expect(try styles["description"]?.text() == "literal\nblock\n")
        #expect(try styles["reference"]?.text() == "folded block\n")
        #expect(try styles["year"]?.integer() == 2025)
        #expect(try styles["poverty_line"]?.number() == 150)
        #expect(try styles["costing"]?["phase_in"]?["2026"]?.number() == 0.5)
        let noBaseline = try #require(throws: InputError.self) {
            try ScenarioDefinition(root: styles, catalog: ScenarioCatalog.standard)
        }
        #expect(noBaseline.kind == .missingKey)
        _ = try SystemDefinition.read(root: try root("system-small.yaml"), catalog: ScenarioCatalog.standard, year: nil)
        _ = try CountryProfile(root: try root("country-tiny.yaml"))
        #expect(try ColumnMap(root: try root("columns-map.yaml")).column(for: "weight") == "wgt_hh")
        let refused: [(String, InputError.Kind)] = [
            ("alias-bomb.yaml", .unsupported), ("alias-as-value.yaml", .unsupported), ("tags.yaml", .unsupported),
            ("duplicate-keys.yaml", .duplicate), ("two-documents.yaml", .unsupported), ("deep-nesting.yaml", .unsupported),
            ("long-key.yaml", .unsupported), ("invalid-utf8.yaml", .badValue), ("control-characters.yaml", .badValue),
        ]
        for (name, kind) in refused {
            let error = try #require(throws: InputError.self, "\(name)") { try root(name) }
            #expect(error.kind == kind, "\(name): \(error)")
        }
        #expect(throws: InputError.self) { try ColumnMap(root: try root("not-yaml.yaml")) }
    }
}
