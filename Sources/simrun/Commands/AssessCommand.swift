import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

/// `simrun assess A.yaml [B.yaml ...]`: the coverage-gap assessment.
struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Coverage-gap assessment: for each social protection floor group, coverage and poverty today and under each option.",
        discussion: """
            Groups: children (0-17); working age (18-64) who are unemployed or have a severe disability; \
            women of any age who are pregnant or gave birth in the last 12 months; older persons (--older-age \
            and over). Covered: receiving some benefit of the system, or a contributory pension \
            (pension_income > 0). Poor: welfare (the scenario's welfare: concept, docs/welfare.md; by default per-capita household disposable income) below the scenario's poverty \
            line. Each option is set against its own baseline, in its own year (the scenario's year:, or \
            --year); when all options share the same baseline figures one "today" column is shown. Groups whose \
            variables the data lacks are named on standard error and in the output. Definitions: \
            docs/costing.md and docs/statistics.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("One or more scenario files (the options).", valueName: "scenario.yaml"))
    var scenarioFiles: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Age from which a person counts as older. Default: 65.", valueName: "years"))
    var olderAge: Int = 65

    @Option(name: .long, help: ArgumentHelp("Simulation year for every option (parameters in force on 1 January). Default: each scenario's year.", valueName: "yyyy"))
    var year: Int?

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold: groups with fewer unweighted persons than this are flagged (or, with --suppress-small-cells, withheld). Default: 30.", valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Withhold groups below --min-cell instead of flagging them.")
    var suppressSmallCells = false

    func validate() throws {
        if scenarioFiles.isEmpty { throw ValidationError("assess needs at least one scenario file") }
        if !(1...120).contains(olderAge) { throw ValidationError("--older-age must be between 1 and 120") }
        if let year, !(1900...2200).contains(year) { throw ValidationError("--year must be between 1900 and 2200 (got \(year))") }
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
    }

    private var rule: DisclosureRule { DisclosureRule(minimumObservations: minCell, suppress: suppressSmallCells) }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            let scenarios = try scenarioFiles.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard, year: year) }
            for scenario in scenarios { try scenario.requireCoverageTracking() }
            let dataFile = try OptionInputs.dataFile(dataOptions.data, scenarios: scenarios)
            let loader = SurveyLoader(columnMap: try dataOptions.columnMap(), plan: dataOptions.plan)
            let available = try loader.availableVariables(in: dataFile)
            let population = try loader.load(
                file: dataFile, variables: OptionComparison.variables(of: scenarios, costing: false, available: available))
            var simulator = Simulator(plan: dataOptions.plan)
            simulator.recordCoverage = true
            let runs = try scenarios.map {
                let run = ScenarioRun(scenario: $0, population: population, simulator: simulator, context: RunContext(seed: seed))
                try run.requireFiniteResults(population: population)
                return run
            }
            let assessment = CoverageAssessment(runs: runs, population: population, olderAge: olderAge)
            if !output.quiet {
                for s in assessment.skipped { Diagnostics.note("group '\(s.name)' not assessed: \(s.reason)") }
            }
            let text: String
            switch output.format {
            case .table: text = table(assessment, data: dataFile, scenarios: scenarios, preparation: population.preparation)
            case .csv: text = csv(assessment)
            case .json:
                let provenance = try Provenance(dataFile: dataFile, columnMapFile: dataOptions.columns, population: population,
                                                scenarios: scenarios, profile: nil, seed: seed, replications: 1)
                text = try json(assessment, scenarios: scenarios, provenance: provenance)
            }
            try StandardOutput.write(text)
        }
    }

    private func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", x * 100) : "n/a" }

    private func table(_ a: CoverageAssessment, data: String, scenarios: [ScenarioDefinition], preparation: DataPreparation?) -> String {
        var out = "simrun \(Simrun.version) · coverage-gap assessment\nData: \(data)\n"
        for line in DataPreparationOutput.lines(preparation) { out += line + "\n" }
        out += "\n"
        let shared = a.groups.allSatisfy(\.baselineShared)
        var header = ["Group", "Persons"]
        if shared { header += ["Covered today", "Poor today"] }
        for i in scenarioFiles.indices {
            if !shared { header += ["(\(i + 1)) covered, its baseline", "(\(i + 1)) poor, its baseline"] }
            header += ["(\(i + 1)) covered", "(\(i + 1)) poor"]
        }
        var cells = [header]
        var flagged = false, suppressed = false
        for g in a.groups {
            let d = rule.status(observations: g.observations)
            flagged = flagged || (d == .flagged && g.observations > 0)
            suppressed = suppressed || (d == .suppressed && g.observations > 0)
            // A group nobody in the survey belongs to is absent, not a small cell.
            let absent = g.observations == 0
            func show(_ x: Double) -> String { absent ? "not in the data" : d == .suppressed ? "suppressed" : percent(x) }
            var line = [g.name + (d == .flagged && !absent ? " *" : ""),
                        absent ? "not in the data" : d == .suppressed ? "suppressed" : ReportNumberFormat.grouped(g.persons, decimals: 0)]
            if shared { line += [show(g.coverageBaseline[0]), show(g.povertyBaseline[0])] }
            for i in scenarioFiles.indices {
                if !shared { line += [show(g.coverageBaseline[i]), show(g.povertyBaseline[i])] }
                line += [show(g.coverageReform[i]), show(g.povertyReform[i])]
            }
            cells.append(line)
        }
        let widths = (0..<header.count).map { c in cells.map { $0[c].count }.max()! }
        for (r, line) in cells.enumerated() {
            out += line.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\n" + a.groups.map { "\($0.name): \($0.definition)" }.joined(separator: "; ") + "\n"
        out += "Options: " + scenarioFiles.enumerated().map { i, file in
            // A declared welfare concept is named (docs/welfare.md); the default is said in the help.
            let welfare = scenarios[i].welfare
            return "(\(i + 1)) \(file), year \(scenarios[i].year.map(String.init) ?? "latest values"), baseline \(scenarios[i].baseline.name)"
                + (welfare.isDefault ? "" : ", poor by \(welfare.outputDescription)")
        }.joined(separator: "; ") + "\n"
        out += shared ? "Today: every option's baseline gives the same figures.\n" : "Each option is set against its own baseline.\n"
        for s in a.skipped { out += "Not assessed: \(s.name) (\(s.reason)).\n" }
        if flagged { out += "* fewer than \(minCell) unweighted persons: too few to publish reliably.\n" }
        if suppressed { out += "suppressed: fewer than \(minCell) unweighted persons.\n" }
        return out
    }

    private func csv(_ a: CoverageAssessment) -> String {
        var out = "group,definition,persons,observations"
        for i in scenarioFiles.indices {
            out += ",coverage_baseline_\(i + 1),poverty_baseline_\(i + 1),coverage_option_\(i + 1),poverty_option_\(i + 1)"
        }
        out += ",disclosure\n"
        for g in a.groups {
            let d = rule.status(observations: g.observations)
            func n(_ x: Double) -> String { d == .suppressed ? "" : JSONWriter.number(x) }
            out += "\(g.name),\"\(g.definition)\",\(n(g.persons)),\(g.observations)"
            for i in scenarioFiles.indices {
                out += ",\(n(g.coverageBaseline[i])),\(n(g.povertyBaseline[i])),\(n(g.coverageReform[i])),\(n(g.povertyReform[i]))"
            }
            out += ",\(d.rawValue)\n"
        }
        return out
    }

    private func json(_ a: CoverageAssessment, scenarios: [ScenarioDefinition], provenance: Provenance) throws -> String {
        let groups: [JSONWriter.Value] = a.groups.map { g in
            let d = rule.status(observations: g.observations)
            func n(_ x: Double) -> JSONWriter.Value { d == .suppressed ? .null : .number(x) }
            return .object([
                ("name", .string(g.name)), ("definition", .string(g.definition)), ("persons", n(g.persons)),
                ("observations", .number(Double(g.observations))), ("small_cell", .bool(d != .shown)),
                ("disclosure", .string(d.rawValue)),
                ("baseline", g.baselineShared
                    ? .object([("coverage", n(g.coverageBaseline[0])), ("poverty", n(g.povertyBaseline[0]))]) : .null),
                ("options", .array(scenarioFiles.indices.map { i in
                    .object([("scenario_file", .string(scenarioFiles[i])),
                             ("year", scenarios[i].year.map { .number(Double($0)) } ?? .null),
                             ("baseline", .object([("coverage", n(g.coverageBaseline[i])), ("poverty", n(g.povertyBaseline[i]))])),
                             ("coverage", n(g.coverageReform[i])), ("poverty", n(g.povertyReform[i])),
                             ("welfare", scenarios[i].welfare.json(povertyLine: scenarios[i].povertyLine))])
                })),
            ])
        }
        return JSONWriter.document(.object([
            ("provenance", provenance.assessJSON(olderAge: olderAge)),
            ("minimum_cell_observations", .number(Double(minCell))),
            ("groups", .array(groups)),
            ("not_assessed", .array(a.skipped.map { .object([("group", .string($0.name)), ("reason", .string($0.reason))]) })),
        ])) + "\n"
    }
}
