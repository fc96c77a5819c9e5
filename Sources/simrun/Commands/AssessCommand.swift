import ArgumentParser
import Foundation
import Scenarios
import SimKernel

/// `simrun assess A.yaml [B.yaml ...]`: the coverage-gap assessment.
struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Coverage-gap assessment: for each social protection floor group, coverage and poverty today and under each option.",
        discussion: """
            Groups: children (0-17); working age (18-64) who are unemployed, have a severe disability, or \
            (women) are pregnant or gave birth in the last 12 months; older persons (--older-age and over). \
            Covered: receiving some benefit of the system, or a contributory pension (pension_income > 0). \
            Poor: per-capita household disposable income below the scenario's poverty line. The first \
            scenario's baseline is the baseline. Groups whose variables the data lacks are named on \
            standard error and in the output. Definitions: docs/costing.md and docs/statistics.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("One or more scenario files (the options).", valueName: "scenario.yaml"))
    var scenarioFiles: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Age from which a person counts as older. Default: 65.", valueName: "years"))
    var olderAge: Int = 65

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Mark groups with fewer unweighted persons than this. Default: 30.", valueName: "n"))
    var minCell: Int = 30

    func validate() throws {
        if scenarioFiles.isEmpty { throw ValidationError("assess needs at least one scenario file") }
        if !(1...120).contains(olderAge) { throw ValidationError("--older-age must be between 1 and 120") }
    }

    func run() throws {
        GSL.prepare()
        try ErrorFunnel.run {
            let scenarios = try scenarioFiles.map { try ScenarioDefinition(file: $0, catalog: ScenarioCatalog.standard) }
            let dataFile = try OptionInputs.dataFile(dataOptions.data, scenarios: scenarios)
            let loader = SurveyLoader(columnMap: try dataOptions.columnMap(), plan: dataOptions.plan)
            let available = try loader.availableVariables(in: dataFile)
            let optional = CoverageAssessment.optionalVariables.filter { available.contains($0.name) }
                .map { VariableRequest($0, neededBy: "coverage assessment") }
            let population = try loader.load(file: dataFile, variables: scenarios.flatMap(ScenarioRun.variables(of:)) + optional)
            var simulator = Simulator(plan: dataOptions.plan)
            simulator.recordCoverage = true
            let runs = scenarios.map {
                ScenarioRun(scenario: $0, population: population, simulator: simulator, context: RunContext(seed: seed))
            }
            let assessment = CoverageAssessment(runs: runs, population: population, olderAge: olderAge)
            if !output.quiet {
                for s in assessment.skipped { Diagnostics.note("group '\(s.name)' not assessed: \(s.reason)") }
            }
            let text: String
            switch output.format {
            case .table: text = table(assessment, data: dataFile)
            case .csv: text = csv(assessment)
            case .json: text = try json(assessment, data: dataFile)
            }
            try StandardOutput.write(text)
        }
    }

    private func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f%%", x * 100) : "n/a" }

    private func table(_ a: CoverageAssessment, data: String) -> String {
        var out = "simrun \(Simrun.version) · coverage-gap assessment\nData: \(data)\n\n"
        var header = ["Group", "Persons", "Covered today", "Poor today"]
        for i in scenarioFiles.indices { header += ["(\(i + 1)) covered", "(\(i + 1)) poor"] }
        var cells = [header]
        var flagged = false
        for g in a.groups {
            let small = g.observations < minCell
            flagged = flagged || small
            var line = [g.name + (small ? " *" : ""), ReportNumberFormat.grouped(g.persons, decimals: 0),
                        percent(g.coverageBaseline), percent(g.povertyBaseline)]
            for i in scenarioFiles.indices { line += [percent(g.coverageReform[i]), percent(g.povertyReform[i])] }
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
        out += "Options: " + scenarioFiles.enumerated().map { "(\($0.offset + 1)) \($0.element)" }.joined(separator: "; ") + "\n"
        for s in a.skipped { out += "Not assessed: \(s.name) (\(s.reason)).\n" }
        if flagged { out += "* fewer than \(minCell) unweighted persons: too few to publish reliably.\n" }
        return out
    }

    private func csv(_ a: CoverageAssessment) -> String {
        var out = "group,definition,persons,observations,coverage_baseline,poverty_baseline"
        for i in scenarioFiles.indices { out += ",coverage_option_\(i + 1),poverty_option_\(i + 1)" }
        out += ",flag\n"
        for g in a.groups {
            out += "\(g.name),\"\(g.definition)\",\(JSONWriter.number(g.persons)),\(g.observations),"
            out += "\(JSONWriter.number(g.coverageBaseline)),\(JSONWriter.number(g.povertyBaseline))"
            for i in scenarioFiles.indices { out += ",\(JSONWriter.number(g.coverageReform[i])),\(JSONWriter.number(g.povertyReform[i]))" }
            out += "," + (g.observations < minCell ? "fewer_than_\(minCell)_observations" : "") + "\n"
        }
        return out
    }

    private func json(_ a: CoverageAssessment, data: String) throws -> String {
        let groups: [JSONWriter.Value] = a.groups.map { g in
            .object([
                ("name", .string(g.name)), ("definition", .string(g.definition)), ("persons", .number(g.persons)),
                ("observations", .number(Double(g.observations))), ("small_cell", .bool(g.observations < minCell)),
                ("baseline", .object([("coverage", .number(g.coverageBaseline)), ("poverty", .number(g.povertyBaseline))])),
                ("options", .array(scenarioFiles.indices.map { i in
                    .object([("scenario_file", .string(scenarioFiles[i])), ("coverage", .number(g.coverageReform[i])),
                             ("poverty", .number(g.povertyReform[i]))])
                })),
            ])
        }
        return JSONWriter.render(.object([
            ("provenance", .object([("simrun_version", .string(Simrun.version)), ("data_file", .string(data)),
                                    ("data_sha256", .string(try FileDigest.sha256(of: data))), ("seed", .number(Double(seed))),
                                    ("older_age", .number(Double(olderAge)))])),
            ("groups", .array(groups)),
            ("not_assessed", .array(a.skipped.map { .object([("group", .string($0.name)), ("reason", .string($0.reason))]) })),
        ])) + "\n"
    }
}
