import Foundation
import SimKernel

extension StatsReport {
    // MARK: - JSON

    func json() throws -> String {
        var by: [(String, JSONWriter.Value)] = []
        for groups in profile.groups {
            by.append((groups.name, .object(zip(groups.labels, groups.tables).map { ($0, indicators($1)) })))
        }
        let root: JSONWriter.Value = .object([
            ("provenance", try provenance()),
            ("indicators", indicators(profile.overall)),
            ("by", .object(by)),
        ])
        return JSONWriter.render(root) + "\n"
    }

    func estimate(_ e: Estimate) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = [("value", .number(e.value))]
        if withSE {
            fields.append(("se", e.se.map { .number($0) } ?? .null))
            fields.append(("ci95", e.ci95.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null))
        }
        return .object(fields)
    }

    /// One table as JSON: scalars under their keys, families (quantiles,
    /// decile shares...) grouped at their first member, EU-SILC aliases, and
    /// one object per poverty line under `poverty`.
    func indicators(_ table: IndicatorTable) -> JSONWriter.Value {
        var fields: [(String, JSONWriter.Value)] = []
        var families: [String: [(String, JSONWriter.Value)]] = [:]
        var familyOrder: [String] = []
        var lines = [[(String, JSONWriter.Value)]](repeating: [], count: settings.options.lines.count)
        for (indicator, e) in table.rows {
            if let k = indicator.lineIndex {
                lines[k].append((indicator == .line(k) ? "z" : indicator.key, estimate(e)))
            } else if let position = indicator.position {
                let family = indicator.key == "quantile" ? "quantiles" : indicator.key + "s"
                if families[family] == nil {
                    familyOrder.append(family)
                    fields.append((family, .null))  // placeholder, filled below
                }
                families[family, default: []].append((position, estimate(e)))
            } else {
                fields.append((indicator.key, estimate(e)))
            }
        }
        fields = fields.map { key, value in
            guard let members = families[key] else { return (key, value) }
            return (key, key == "quantiles" ? .object(members) : .array(members.map(\.1)))
        }
        if let k = settings.options.atRiskOfPovertyLine {
            fields.append(("arpt", estimate(table[.line(k)]!)))
            fields.append(("arpr", estimate(table[.fgt(alpha: 0, line: k)] ?? Estimate(value: .nan))))
            fields.append(("rmpg", estimate(table[.medianPovertyGap(line: k)]!)))
        }
        let poverty: [JSONWriter.Value] = settings.options.lines.enumerated().map { k, line in
            var head: [(String, JSONWriter.Value)] = [("line", .string(line.key))]
            switch line {
            case .absolute: head.append(("kind", .string("absolute")))
            case .relative(let share, let reference):
                head += [("kind", .string("relative")), ("share", .number(share)), ("of", .string(reference.rawValue))]
            }
            return .object(head + lines[k])
        }
        return .object(fields + [("poverty", .array(poverty))])
    }

    func provenance() throws -> JSONWriter.Value {
        func text(_ s: String?) -> JSONWriter.Value { s.map { .string($0) } ?? .null }
        var fields: [(String, JSONWriter.Value)] = [
            ("simrun_version", .string(Simrun.version)),
            ("command", .string("stats")),
            ("data_file", .string(file)),
            ("data_sha256", .string(try FileDigest.sha256(of: file))),
            ("column_map_file", text(columnMap)),
            ("column_map_sha256", try columnMap.map { .string(try FileDigest.sha256(of: $0)) } ?? .null),
            ("rows", .number(Double(data.rows))),
            ("units", .number(Double(data.distribution.count))),
            ("income", .string(roles.income)),
            ("weight", .string(roles.weight)),
            ("household", text(roles.household)),
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
    func csv() -> String {
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
    func number(_ x: Double) -> String { x.isFinite ? JSONWriter.number(x) : "" }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
