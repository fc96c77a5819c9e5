import Foundation
import SimAnalysis
import SimKernel

extension StatsReport {
    // MARK: - JSON

    package func json() throws -> String {
        let root: JSONWriter.Value = .object([
            ("provenance", try provenance()),
            ("indicators", tables.indicators(profile.overall)),
            ("by", tables.by(profile)),
        ])
        return JSONWriter.document(root) + "\n"
    }

    package func provenance() throws -> JSONWriter.Value {
        func text(_ s: String?) -> JSONWriter.Value { s.map { .string($0) } ?? .null }
        var fields: [(String, JSONWriter.Value)] = [
            ("simrun_version", .string(SimrunVersion.current)),
            ("command", .string("stats")),
            ("data_file", .string(file)),
            ("data_sha256", .string(try FileDigest.sha256(of: file))),
            ("data_preparation", DataPreparationOutput.json(data.preparation)),
            ("column_map_file", text(columnMap)),
            ("column_map_sha256", try columnMap.map { .string(try FileDigest.sha256(of: $0)) } ?? .null),
            ("rows", .number(Double(data.rows))),
            ("units", .number(Double(data.distribution.count))),
            ("income", .string(roles.income)),
            ("weight", .string(roles.weight)),
            ("household", text(roles.household)),
            ("household_size", text(roles.householdSize)),
            ("strata", text(roles.stratum)),
            ("psu", text(roles.psu)),
            ("by", .array(roles.by.map { .string($0) })),
            ("age", text(roles.age)),
            ("age_bands", roles.age == nil ? .null : .array(settings.ageBands.map { .string($0.description) })),
            ("welfare", .string(welfareDescription)),
            ("equivalence", .string(settings.scale.description)),
            ("periods_per_year", .number(settings.options.periodsPerYear)),
            ("quantile_definition", .string(settings.options.quantileDefinition.rawValue)),
            ("lines", .array(settings.options.lines.map { .string($0.key) })),
            ("inference", .string(settings.inference.description)),
        ]
        if case .bootstrap(let b, let seed, let interval) = settings.inference {
            fields += [("replicates", .number(Double(b))), ("seed", .number(Double(seed))), ("bootstrap_ci", .string(interval.rawValue))]
        }
        if roles.stratum != nil || roles.psu != nil { fields.append(("lonely_psu", .string(settings.lonelyPSU.rawValue))) }
        return .object(fields)
    }

    // MARK: - CSV

    /// Long format: `by,group,line,indicator,position,value,se,ci95_lower,ci95_upper`,
    /// one row per estimate; whole-population rows have empty `by` and `group`.
    package func csv() -> String {
        var out = "by,group,line,indicator,position,value,se,ci95_lower,ci95_upper\n"
        func rows(_ table: IndicatorTable, by: String, group: String) {
            for (indicator, e) in table.rows {
                let line = indicator.lineIndex.map { settings.options.lines[$0].key } ?? ""
                let fields = [by, group, line, indicator.key, indicator.position ?? "", number(e.value),
                              e.se.map(number) ?? "", e.ci95.map { number($0.lower) } ?? "", e.ci95.map { number($0.upper) } ?? ""]
                out += fields.map(Self.csvField).joined(separator: ",") + "\n"
            }
        }
        rows(profile.overall, by: "", group: "")
        for groups in profile.groups {
            for (label, table) in zip(groups.labels, groups.tables) { rows(table, by: groups.name, group: label) }
        }
        return out
    }

    /// Full precision, as in JSON; empty for an undefined value.
    package func number(_ x: Double) -> String { x.isFinite ? JSONWriter.number(x) : "" }

    package static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
