import Foundation
import SimAnalysis
import SimKernel
import SimReport

/// A sweep asked for on the page: one option, one or two of its numeric parameters over a range, run by
/// `simrun sweep`'s code (``SweepSpec``, ``SweepRunner``, ``VariantEvaluator``) on the survey already loaded, and
/// drawn as `report --sweep` draws it (``SweepReport``, ``ScatterChart``).
///
/// The page's option and its ranges are written as a scenario file and a sweep file in a hidden folder of the
/// working folder, read back by ``SweepSpec`` (so every check and message is the command line's), and removed.
struct WorkshopSweep: @unchecked Sendable {
    /// One varied parameter: `from`, `to`, `step` as in a sweep file's `{from, to, step}`.
    struct Range: Decodable, Sendable {
        let path: String
        let from: Double
        let to: Double
        let step: Double
    }

    /// The most variants the page runs (the command line runs more: `simrun sweep`).
    static let maximumVariants = 400

    /// The refusal of a sweep with more than ``maximumVariants`` variants; `count` says how many ("1,000 variants").
    static func tooMany(_ count: String) -> String {
        "the sweep has \(count); the page runs at most \(maximumVariants): take a larger step or a narrower range (simrun sweep runs more)"
    }

    /// The option it was run for, its label, and the result as `simrun sweep` gives it.
    let option: Int
    let label: String
    let result: SweepResult
    /// Per row: whether it is on the frontier (``SweepFrontier/nonDominated(_:)``).
    let frontier: [Bool]
    /// The frontier chart (SVG) with each point's parameter values in its `<title>`, and the table of frontier variants.
    let chart: String
    let table: ReportTable

    /// What a sweep is computed from, checked before it runs.
    struct Plan: @unchecked Sendable {
        let option: Int
        let label: String
        let spec: SweepSpec
        let documents: [ScenarioDocument]
        let year: Int?

        /// Checks the ranges (at most ``maximumVariants`` variants) and reads them as `simrun sweep` reads a sweep file.
        /// - Throws: ``WorkshopError`` 400 (malformed), 422 with `simrun sweep`'s message (field `vary.K.from|to|step`, K 0-based).
        init(option: Int, document: ScenarioDocument, label: String, vary: [Range], year: Int?, folder: String, hasProfile: Bool) throws {
            guard hasProfile else {
                throw WorkshopError(422, "the frontier is drawn in net cost as a share of GDP: start simrun serve with a country profile (--country NAME)",
                                    field: "vary")
            }
            guard (1...2).contains(vary.count) else {
                throw WorkshopError(400, "a sweep varies one or two parameters (got \(vary.count))", field: "vary")
            }
            for (k, range) in vary.enumerated() {
                guard range.path.count <= 100, range.path.range(of: #"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$"#, options: .regularExpression) != nil else {
                    throw WorkshopError(400, "choose a parameter from the list", field: "vary.\(k).path", option: option)
                }
                for (name, x) in [("from", range.from), ("to", range.to), ("step", range.step)] where !x.isFinite {
                    throw WorkshopError(400, "'\(name)' must be a number", field: "vary.\(k).\(name)", option: option)
                }
            }
            if vary.count == 2 && vary[0].path == vary[1].path {
                throw WorkshopError(422, "the two parameters must differ (both are \(vary[0].path))", field: "vary.1.path", option: option)
            }
            // The count before anything is written: a range of millions of values is refused here, not enumerated.
            var variants = 1.0
            for range in vary where range.step > 0 && range.from <= range.to {
                variants *= ((range.to - range.from) / range.step + 1e-9).rounded(.down) + 1
            }
            guard variants <= Double(WorkshopSweep.maximumVariants) else {
                // A step tiny against its range makes the count overflow: said in words, never as "inf" or "null".
                throw WorkshopError(422, WorkshopSweep.tooMany(variants.isFinite ? "\(JSONWriter.number(variants)) variants" : "more variants than can be counted"),
                                    field: "vary", option: option)
            }
            let staging = URL(fileURLWithPath: folder).appendingPathComponent(".simrun-serve-sweep-\(WorkshopServer.newToken().prefix(12))")
            defer { try? FileManager.default.removeItem(at: staging) }
            let optionFile = staging.appendingPathComponent("option.yaml").path
            let sweepFile = staging.appendingPathComponent("sweep.yaml").path
            do {
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
                var scenario = try document.yaml(for: optionFile)
                if let year, !scenario.contains("\nyear:") { scenario += "\nyear: \(year)\n" }
                try Data(scenario.utf8).write(to: URL(fileURLWithPath: optionFile))
                var text = "scenario: option.yaml\nvary:\n"
                for range in vary {
                    text += "  \(range.path): {from: \(range.from), to: \(range.to), step: \(range.step)}\n"
                }
                text += "replications: 1\n"
                try Data(text.utf8).write(to: URL(fileURLWithPath: sweepFile))
            } catch let error as InputError {
                throw WorkshopError(422, error.message, option: option)
            } catch {
                throw WorkshopError(500, "cannot stage the sweep in the working folder (\(ReportError.reason(error)))", option: option)
            }
            do {
                let spec = try SweepSpec(file: sweepFile)
                let documents = try spec.options.map { try ScenarioDocument(file: $0) }
                try SweepRunner.check(spec, documents: documents, year: year)
                guard spec.rowCount <= WorkshopSweep.maximumVariants else {
                    throw WorkshopError(422, WorkshopSweep.tooMany("\(spec.rowCount) variants"), field: "vary", option: option)
                }
                self.spec = spec
                self.documents = documents
            } catch let error as InputError {
                // The command line's message, placed next to the control it is about (vary.PATH[.from|to|step]).
                var field = "vary"
                if let named = error.field {
                    for (k, range) in vary.enumerated() where named == "vary.\(range.path)" || named.hasPrefix("vary.\(range.path).") {
                        field = "vary.\(k)" + named.dropFirst("vary.\(range.path)".count)
                    }
                }
                if field == "vary", let k = vary.indices.first(where: { error.message.contains(vary[$0].path) }) { field = "vary.\(k)" }
                // A range's own bound (the sweep file names the range; the page has a control per bound).
                for bound in ["from", "to", "step"] where field.range(of: #"^vary\.\d$"#, options: .regularExpression) != nil
                    && error.message.hasPrefix("'\(bound)'") {
                    field += "." + bound
                }
                throw WorkshopError(422, error.message, field: field, option: option)
            }
            self.option = option
            self.label = label
            self.year = year
        }

        /// Runs every variant, a block at a time under the engine's lock (the page stays responsive between blocks);
        /// `progress` is told the rows done and stops the work when it returns false (``CancellationError``).
        func run(engine: WorkshopEngine, progress: (Int) -> Bool) throws -> WorkshopSweep {
            let total = spec.rowCount
            let block = 16
            var rows: [SweepResult.Row] = []
            var figures: [SweepResult.Figure] = []
            var start = 0
            while start < total {
                let end = min(start + block, total)
                let part = try engine.withSession { session in
                    try SweepRunner.rows(spec, start..<end, evaluator: VariantEvaluator(session: session, documents: documents, year: year))
                }
                if figures.isEmpty { figures = part.figures }
                // The option as the page names it (the staged file's name means nothing to the room).
                rows += part.rows.map { var row = $0; row.option = label; return row }
                start = end
                guard progress(start) else { throw CancellationError() }
            }
            let population = engine.population
            let result = SweepResult(
                provenance: .init(simrunVersion: Simrun.version, sweepFile: "simrun serve", sweepHash: "", dataFile: engine.dataFile,
                                  dataHash: "", households: population.householdCount, persons: population.personCount, seed: engine.seed,
                                  year: year, countryFile: engine.profile?.file, options: [label], replications: 1),
                parameters: spec.dimensions.map(\.path), figures: figures, rows: rows)
            return try WorkshopSweep(option: option, label: label, result: result)
        }
    }

    /// The chart and table of `result`, as `report --sweep` draws them, each point told by its parameter values.
    init(option: Int, label: String, result: SweepResult) throws {
        self.option = option
        self.label = label
        self.result = result
        let document = try SweepReport.document(result, file: "simrun serve", date: "")
        var chart: ScatterChart?
        var table: ReportTable?
        for block in document.sections.flatMap(\.blocks) {
            switch block {
            case .chart(.scatter(let c)): chart = c
            case .table(let t): table = t
            default: break
            }
        }
        guard var chart, let table else { throw WorkshopError(500, "the sweep's report has no frontier chart") }
        let cost = result.figures.firstIndex { $0.key == "net_cost_share_gdp" }
        let gap = result.figures.firstIndex { $0.key == "fgt1_change" }
        for (i, row) in result.rows.enumerated() where i < chart.points.count {
            var text = zip(result.parameters, row.values).map { "\($0.replacingOccurrences(of: "_", with: " ")) \(Self.number($1))" }
                .joined(separator: ", ")
            if let cost, let x = row.figures[cost] { text += ": net cost \(String(format: "%.2f", x * 100))% of GDP" }
            if let gap, let y = row.figures[gap] { text += ", poverty gap reduced by \(String(format: "%.2f", -y * 100)) points" }
            chart.points[i].label = (chart.points[i].marked ? "Not dominated. " : "") + text
        }
        frontier = chart.points.map(\.marked)
        self.chart = SVGChartRenderer(width: 760).render(.scatter(chart))
        self.table = table
    }

    /// A parameter value as the room typed it (no trailing zeros).
    static func number(_ x: Double) -> String {
        ReportNumberFormat.grouped(x, decimals: x == x.rounded() ? 0 : (x * 100 == (x * 100).rounded() ? 2 : 4))
    }
}
