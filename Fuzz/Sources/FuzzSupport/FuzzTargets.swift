import Foundation
import Scenarios
import SimKernel

/// The bodies of the fuzz targets: each takes one input, hands it to a reader
/// through its public entry point and, when the reader accepts it, goes on
/// to use what was read (a simulation on a small population, the profile's
/// projections), since a structural defect a reader lets through usually
/// crashes only there.
///
/// An input may be rejected, never crash, hang or exhaust memory (libFuzzer
/// reports those). Besides, a rejection must be an ``InputError`` whose
/// message quotes at most a short excerpt of the input (at most one line of
/// it, under 160 bytes): anything else stops the target with `fatalError`, so
/// libFuzzer records the input as a crash.
public enum FuzzTargets {
    static let workspace = FuzzWorkspace.shared
    /// The small population (12 households from `inputs/data/example-persons.csv`)
    /// read scenarios and systems are simulated on.
    static let population = workspace.repositoryFile("Fuzz/Resources/persons.csv")
    /// Longest error message accepted (a message explains; it never carries the file).
    static let longestMessage = 16_384

    /// The lines of the current input that a message must not repeat: each
    /// line of 20 bytes or more (a message may quote one short line, not
    /// several: issue 11, 2.5, error messages echoing whole files).
    nonisolated(unsafe) static var inputLines: [Substring] = []
    // nonisolated(unsafe): libFuzzer calls the entry point from one thread only.

    /// Notes the input, for the echo check of ``expectingInputErrors(_:_:)``.
    static func begin(_ input: UnsafeRawBufferPointer, alsoNotEchoing other: String = "") {
        let text = String(decoding: input, as: UTF8.self) + "\n" + other
        inputLines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).filter { $0.utf8.count >= 20 }
    }

    /// The small population's CSV as text: a scenario may name it where a
    /// YAML file belongs (`baseline: ../data/persons.csv`), and the message
    /// must not repeat it either.
    static let populationText = (try? String(contentsOfFile: population, encoding: .utf8)) ?? ""

    /// Why `message` repeats the input, if it does: a line of 160 bytes or
    /// more quoted whole, or three or more lines of the input.
    static func echo(in message: String) -> String? {
        var quoted = 0
        for line in Set(inputLines) where message.contains(line) {
            if line.utf8.count >= 160 { return "it quotes a whole \(line.utf8.count)-byte line of the input" }
            quoted += 1
            if quoted >= 3 { return "it quotes \(quoted) lines of the input" }
        }
        return nil
    }

    /// Whether each reader's outcome is printed (`SIMRUN_FUZZ_VERBOSE=1`), to
    /// see what a replayed input does.
    static let verbose = ProcessInfo.processInfo.environment["SIMRUN_FUZZ_VERBOSE"] == "1"

    /// Runs `body`, accepting a thrown ``InputError`` with a short message.
    static func expectingInputErrors(_ reader: String, _ body: () throws -> Void) {
        do {
            try body()
            if verbose { FileHandle.standardError.write(Data("\(reader): accepted\n".utf8)) }
        } catch let error as InputError {
            let message = error.description
            if verbose { FileHandle.standardError.write(Data("\(reader): rejected: \(message.prefix(1000))\n".utf8)) }
            if message.utf8.count > longestMessage {
                fatalError("\(reader): an error message of \(message.utf8.count) bytes (at most \(longestMessage) expected): \(message.prefix(300))...")
            }
            if let why = echo(in: message) {
                fatalError("\(reader): the error message repeats the input (\(why)): \(message.prefix(600))...")
            }
        } catch {
            fatalError("\(reader): threw \(type(of: error)), not InputError: \(String(describing: error).prefix(300))")
        }
    }

    // MARK: csv

    /// The person CSV loader (`SurveyLoader`), on the input as a CSV file.
    ///
    /// The file is loaded twice, with one thread and large pieces and with two
    /// threads and 61-byte pieces: the loader promises the same population or
    /// the same first error whatever the split, so a difference is a finding.
    public static func csv(_ input: UnsafeRawBufferPointer) {
        begin(input)
        let file = workspace.write(input, to: "data/input.csv")
        let whole = SurveyLoader(plan: ParallelPlan(threads: 1))
        let pieces = SurveyLoader(plan: ParallelPlan(threads: 2), pieceBytes: 61)
        var requests = SurveyLoader.alwaysRead
        if let available = try? whole.availableVariables(in: file) {
            for v in Variable.known + Variable.optionalColumns where available.contains(v.name) {
                requests.append(VariableRequest(v, neededBy: "the fuzz target"))
            }
        }
        let first = outcome("csv") { digest(try whole.load(file: file, variables: requests), requests) }
        let second = outcome("csv") { digest(try pieces.load(file: file, variables: requests), requests) }
        if first != second {
            fatalError("csv: the load depends on the piece size: one thread, whole file: \(first.prefix(500)); two threads, 61-byte pieces: \(second.prefix(500))")
        }
        // Rows as units (statistics on a welfare variable already in the data).
        let units = SurveyLoader(plan: ParallelPlan(threads: 1), households: .rowPerUnit)
        _ = outcome("csv (row per unit)") { _ = try units.load(file: file, variables: [VariableRequest(.weight, neededBy: "the fuzz target")]); return "" }
    }

    /// What a load gave: its error or a digest of the population (for comparisons).
    static func outcome(_ reader: String, _ load: () throws -> String) -> String {
        var result = ""
        expectingInputErrors(reader) {
            do {
                result = try load()
            } catch let error as InputError {
                result = "error: \(error.description)"
                throw error
            }
        }
        return result
    }

    /// Every value of `population`, as text (equal populations, equal digests).
    static func digest(_ population: Population, _ requests: [VariableRequest]) -> String {
        var parts = ["households \(population.householdCount) persons \(population.personCount)",
                     "starts \(population.householdStart.array)", "ids \(population.householdID.array)",
                     "weights \(population.weight.array.map(\.bitPattern))", "variables \(population.variableNames)"]
        for v in Set(requests.map(\.variable)).sorted(by: { $0.name < $1.name }) where v.name != "weight" && population.has(v.name) {
            switch (v.kind, v.level) {
            case (.real, _): parts.append("\(v.name) \(population.reals(v.name).array.map(\.bitPattern))")
            case (.integer, .person): parts.append("\(v.name) \(population.integers(v.name).array)")
            case (.integer, .household): parts.append("\(v.name) \(population.householdIntegers(v.name).array)")
            case (.category, _):
                let c = population.category(v.name)
                parts.append("\(v.name) \(c.labels) \(c.codes.array)")
            case (.identifier, _): break
            }
        }
        return parts.joined(separator: "; ")
    }

    // MARK: yaml

    /// The four YAML readers, each given the input as its file: a scenario
    /// (`ScenarioDefinition`, at `scenarios/input.yaml` with the repository's
    /// systems and country profiles beside it, then run on the small
    /// population), a system (`SystemDefinition`, then simulated), a country
    /// profile (`CountryProfile`, then every year's projections) and a column
    /// map (`ColumnMap`, then the small population loaded through it).
    public static func yaml(_ input: UnsafeRawBufferPointer) {
        begin(input, alsoNotEchoing: populationText)
        let file = workspace.write(input, to: "scenarios/input.yaml")
        expectingInputErrors("scenario") {
            let scenario = try ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard)
            let people = try SurveyLoader(plan: ParallelPlan(threads: 1))
                .load(file: population, variables: ScenarioRun.variables(of: scenario))
            _ = ScenarioRun(scenario: scenario, population: people, simulator: Simulator(plan: ParallelPlan(threads: 1)),
                            context: RunContext(year: scenario.year))
        }
        expectingInputErrors("system") {
            let system = try SystemDefinition.read(file: file, catalog: ScenarioCatalog.standard, year: nil)
            let people = try SurveyLoader(plan: ParallelPlan(threads: 1)).load(file: population, variables: system.variables)
            let outcomes = Simulator(plan: ParallelPlan(threads: 1)).run([system], on: people)
            _ = SystemIndicators(outcome: outcomes[0], population: people, povertyLine: 100)
        }
        expectingInputErrors("country profile") {
            let profile = try CountryProfile(file: file)
            for year in profile.years {
                _ = profile.nominalGDP(in: year)
                _ = profile.governmentExpenditure(in: year)
                _ = profile.totalPopulation(in: year)
                _ = profile.cumulative(\.cpiInflation, to: year)
            }
            for age in [0, 17, 64, 130] { _ = profile.group(ofAge: age) }
        }
        expectingInputErrors("column map") {
            let map = try ColumnMap(file: file)
            _ = try SurveyLoader(columnMap: map, plan: ParallelPlan(threads: 1))
                .load(file: population, variables: SurveyLoader.alwaysRead + [VariableRequest(.age, neededBy: "the fuzz target")])
        }
    }

    // MARK: cases

    /// The legislation case reader (`LegislationCase.read`), on the input as
    /// a case file at `cases/input.yaml` (with the repository's example
    /// scenarios and systems beside it, so `../scenarios/NAME.yaml` resolves),
    /// then every case it reads run (`LegislationCase.run`: the household
    /// loaded as a survey and simulated).
    public static func cases(_ input: UnsafeRawBufferPointer) {
        begin(input, alsoNotEchoing: populationText)
        GSL.prepare()
        let file = workspace.write(input, to: "cases/input.yaml")
        expectingInputErrors("cases") {
            for legislationCase in try LegislationCase.read(file: file, catalog: ScenarioCatalog.standard) {
                _ = try legislationCase.run()
            }
        }
    }

    // MARK: simdata

    /// The scenario binary surveys are run with (the universal child grant).
    nonisolated(unsafe) static var simdataScenario: ScenarioDefinition? = nil
    // nonisolated(unsafe): libFuzzer calls the entry point from one thread only.

    /// Whether `simdata` skips the input as given and tries only its repaired
    /// form (`SIMRUN_FUZZ_SIMDATA=repaired`): to look past a known crash in
    /// the header checks while it is being fixed.
    static let repairedOnly = ProcessInfo.processInfo.environment["SIMRUN_FUZZ_SIMDATA"] == "repaired"

    /// The binary survey reader (`SurveyCache`), on the input as a `.simdata`
    /// file, then, if it loads, the universal child grant scenario run on it.
    ///
    /// A mutation almost always breaks a checksum, which the reader rightly
    /// rejects; so each input is also tried with its header lengths and
    /// checksums recomputed (``SimdataRepair``), which lets the mutated
    /// structure (counts, offsets, kinds, values) reach the checks behind them.
    public static func simdata(_ input: UnsafeRawBufferPointer) {
        begin(input)
        GSL.prepare()
        if simdataScenario == nil {
            do {
                simdataScenario = try ScenarioDefinition(
                    file: workspace.repositoryFile("inputs/scenarios/universal-child-grant.yaml"),
                    catalog: ScenarioCatalog.standard)
            } catch {
                fatalError("fuzz harness: cannot read the universal child grant scenario: \(error)")
            }
        }
        let scenario = simdataScenario!
        if !repairedOnly {
            let raw = workspace.write(input, to: "data/input.simdata")
            runSimdata(raw, scenario: scenario)
        }
        if let repaired = SimdataRepair.repaired(input) {
            let file = repaired.withUnsafeBytes { workspace.write($0, to: "data/repaired.simdata") }
            runSimdata(file, scenario: scenario)
        }
    }

    static func runSimdata(_ file: String, scenario: ScenarioDefinition) {
        expectingInputErrors("simdata (variables)") { _ = try SurveyLoader(plan: ParallelPlan(threads: 1)).availableVariables(in: file) }
        expectingInputErrors("simdata") {
            let requests = ScenarioRun.variables(of: scenario)
            let people = try SurveyLoader(plan: ParallelPlan(threads: 2)).load(file: file, variables: requests)
            if let defect = csvCheckFailure(people, requests) {
                fatalError("simdata: the binary survey was accepted with \(defect), which the CSV loader rejects")
            }
            _ = ScenarioRun(scenario: scenario, population: people, simulator: Simulator(plan: ParallelPlan(threads: 1)),
                            context: RunContext(year: scenario.year))
        }
    }

    /// The first property of `population` that a population read from a CSV
    /// cannot have, if any: the household structure (offsets from 0, not
    /// decreasing, ending at the person count), one value per person or per
    /// household in every column, and every value in its variable's range
    /// (finite, weights above 0, ages 0 to 130, category codes with a label).
    /// Issue 11, 2.2: every check the CSV path makes holds for binary input.
    static func csvCheckFailure(_ population: Population, _ requests: [VariableRequest]) -> String? {
        let starts = population.householdStart
        guard starts.count >= 2, starts[0] == 0 else { return "household offsets that do not start at 0 (or no household)" }
        for h in 1..<starts.count where starts[h] < starts[h - 1] {
            return "household offsets that decrease (household \(h - 1): \(starts[h - 1]), then \(starts[h]))"
        }
        let households = starts.count - 1, persons = starts[starts.count - 1]
        guard population.householdID.count == households else {
            return "\(population.householdID.count) household ids for \(households) households"
        }
        guard population.weight.count == households else { return "\(population.weight.count) weights for \(households) households" }
        for (h, w) in population.weight.values.enumerated() where !(w.isFinite && Variable.weight.accepts(w)) {
            return "weight \(w) in household \(h) (expected \(Variable.weight.expectation))"
        }
        for v in Set(requests.map(\.variable)).sorted(by: { $0.name < $1.name }) where v.name != "weight" && population.has(v.name) {
            switch (v.kind, v.level) {
            case (.real, _):
                let column = population.reals(v.name)
                guard column.count == persons else { return "\(column.count) values of \(v.name) for \(persons) persons" }
                for (i, x) in column.values.enumerated() where !(x.isFinite && v.accepts(x)) {
                    return "\(v.name) \(x) for person \(i) (expected \(v.expectation))"
                }
            case (.integer, .person):
                let column = population.integers(v.name)
                guard column.count == persons else { return "\(column.count) values of \(v.name) for \(persons) persons" }
                for (i, x) in column.values.enumerated() where !v.accepts(Double(x)) {
                    return "\(v.name) \(x) for person \(i) (expected \(v.expectation))"
                }
            case (.integer, .household):
                let column = population.householdIntegers(v.name)
                guard column.count == households else { return "\(column.count) values of \(v.name) for \(households) households" }
                for (h, x) in column.values.enumerated() where !v.accepts(Double(x)) {
                    return "\(v.name) \(x) for household \(h) (expected \(v.expectation))"
                }
            case (.category, _):
                let column = population.category(v.name)
                guard column.codes.count == persons else { return "\(column.codes.count) values of \(v.name) for \(persons) persons" }
                for (i, c) in column.codes.values.enumerated() where !(0..<Int32(column.labels.count)).contains(c) {
                    return "category code \(c) of \(v.name) for person \(i), which has \(column.labels.count) labels"
                }
            case (.identifier, _):
                break
            }
        }
        return nil
    }
}
