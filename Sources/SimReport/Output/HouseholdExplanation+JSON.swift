import Foundation
import SimAnalysis
import SimKernel

/// The output formats of `simrun household` and `simrun scenario explain`.
package enum ExplainFormat: String, CaseIterable, Sendable {
    case table, json
}

/// The JSON of `simrun household` and `simrun scenario explain` (docs/explain.md).
extension HouseholdExplanation {
    /// The output in `format`.
    package func render(_ format: ExplainFormat) -> String {
        switch format {
        case .table: return table()
        case .json: return JSONWriter.document(json()) + "\n"
        }
    }

    // MARK: JSON

    package func json() -> JSONWriter.Value {
        let first = traces[0].trace
        var household: [(String, JSONWriter.Value)] = [("id", .number(Double(first.householdID))),
                                                         ("members", .number(Double(first.memberCount)))]
        switch origin {
        case .file(let file, let name):
            household += [("file", .string(file)), ("name", name.map { .string($0) } ?? .null)]
        case .survey(let data):
            household += [("data_file", .string(data))]
        }
        var rulesFields: [(String, JSONWriter.Value)]
        switch rules {
        case .scenario(let s):
            rulesFields = [("scenario_file", .string(s.file)), ("title", .string(s.title)),
                           ("baseline_file", s.baseline.source.map { .string($0) } ?? .null),
                           ("poverty_line", .number(s.povertyLine))]
        case .system(let s):
            rulesFields = [("system_file", s.source.map { .string($0) } ?? .null), ("title", .string(s.title))]
        }
        rulesFields += [("year", year.map { .number(Double($0)) } ?? .null), ("seed", .number(Double(seed)))]
        return .object([
            ("household", .object(household)),
            ("rules", .object(rulesFields)),
            ("systems", .array(traces.map { Self.json(role: $0.role, system: $0.system, trace: $0.trace) })),
        ])
    }

    package static func numbers(_ xs: [Double]) -> JSONWriter.Value { .array(xs.map { .number($0) }) }

    package static func json(_ values: HouseholdTrace.MemberValues) -> JSONWriter.Value {
        .object([("name", .string(values.name)), ("values", .array(values.values.map {
            switch $0 {
            case .number(let x): return .number(x)
            case .label(let s): return .string(s)
            }
        }))])
    }

    package static func json(role: String, system: TaxBenefitSystem, trace: HouseholdTrace) -> JSONWriter.Value {
        .object([
            ("role", .string(role)),
            ("name", .string(system.name)),
            ("title", .string(system.title)),
            ("file", system.source.map { .string($0) } ?? .null),
            ("market_income", .object([
                ("variables", .array(trace.marketIncome.map(json))),
                ("income", numbers(trace.marketIncomeTotal)),
                ("household", .number(trace.marketIncomeTotal.reduce(0, +))),
            ])),
            ("components", .array(trace.components.map(json))),
            ("disposable_income", .number(trace.disposableIncome)),
            ("per_capita_income", .number(trace.perCapitaIncome)),
            ("poverty_line", trace.povertyLine.map { .number($0) } ?? .null),
            ("poor", trace.isPoor.map { .bool($0) } ?? .null),
        ])
    }

    package static func json(_ c: HouseholdTrace.Component) -> JSONWriter.Value {
        .object([
            ("name", .string(c.name)),
            ("module", .string(c.moduleName)),
            ("kind", .string(c.kind.rawValue)),
            ("sign", .number(c.kind.sign)),
            ("income_before", numbers(c.incomeBefore)),
            ("variables", .array(c.variables.map(json))),
            ("parameters", .array(c.parameters.map { p in
                .object([("key", .string(p.key)), ("value", json(p.value)), ("source", json(p.source))])
            })),
            ("steps", c.steps.map { .array($0.map(json)) } ?? .null),
            ("amounts", numbers(c.amounts)),
            ("household_amount", .number(c.householdAmount)),
            ("recipients", .number(Double(c.recipients))),
            ("counters", .object(c.counters.map { ($0.name, .number($0.value)) })),
            ("income_after", numbers(c.incomeAfter)),
            ("household_income_after", .number(c.incomeAfter.reduce(0, +))),
        ])
    }

    package static func json(_ source: ParameterSource?) -> JSONWriter.Value {
        guard let source else { return .null }
        guard let file = source.file, let line = source.line else { return .string("default") }
        return .object([("file", .string(file)), ("line", .number(Double(line))),
                        ("in_force_from", source.date.map { .string($0) } ?? .null)])
    }

    package static func json(_ step: RuleTraceStep) -> JSONWriter.Value {
        .object([
            ("label", .string(step.label)),
            ("expression", step.expression.map { .string($0) } ?? .null),
            ("location", step.location.map { .object([("file", .string($0.file)), ("line", .number(Double($0.line))),
                                                      ("column", .number(Double($0.column)))]) } ?? .null),
            ("condition", .bool(step.isCondition)),
            ("level", .string(step.level == .person ? "person" : "household")),
            ("values", .array(step.values.map { step.isCondition ? .bool($0 != 0) : .number($0) })),
        ])
    }

    package static func json(_ value: ParameterValue) -> JSONWriter.Value {
        switch value {
        case .number(let x): return .number(x)
        case .integerList(let xs): return .array(xs.map { .number(Double($0)) })
        case .schedule(let brackets):
            return .array(brackets.map { .object([("threshold", .number($0.threshold)), ("rate", .number($0.rate))]) })
        case .text(let s): return .string(s)
        case .textList(let xs): return .array(xs.map { .string($0) })
        case .numberList(let xs): return numbers(xs)
        case .records(let records):
            return .array(records.map { .object($0.map { ($0.key, .number($0.value)) }) })
        case .keyedNumbers(let entries): return .object(entries.map { ($0.key, .number($0.value)) })
        }
    }
}
