import SimAnalysis
import SimKernel

/// How outputs name a scenario's welfare concept (docs/welfare.md, docs/output.md).
extension WelfareConcept {
    /// The `welfare` object of JSON outputs: `concept` (`disposable_income` or
    /// `consumption`), `variable`, `period`, `per` (`capita` or
    /// `adult_equivalent`), `equivalence`, `mpc`, `household_size`, `deflator`
    /// (`{variable, values}`), `lines` (`{reference, variable, values}`), and
    /// `description`, the measure in words. Absent settings are `null`.
    package func json(povertyLine: Double) -> JSONWriter.Value {
        func table(_ values: [Int: Double]) -> JSONWriter.Value {
            .object(values.keys.sorted().map { (String($0), .number(values[$0]!)) })
        }
        var period: JSONWriter.Value = .null
        if case .consumption(_, let perYear) = source { period = .string(perYear ? "year" : "month") }
        var equivalence: JSONWriter.Value = .null
        if case .adultEquivalent(let scale) = unit { equivalence = .string(scale.description) }
        let deflatorValue: JSONWriter.Value
        switch deflator {
        case .variable(let v)?: deflatorValue = .object([("variable", .string(v)), ("values", .null)])
        case .table(let v, let values)?: deflatorValue = .object([("variable", .string(v)), ("values", table(values))])
        case nil: deflatorValue = .null
        }
        let linesValue: JSONWriter.Value = lines.map {
            .object([("reference", .number(povertyLine)), ("variable", .string($0.variable)), ("values", table($0.values))])
        } ?? .null
        return .object([
            ("concept", .string(conceptName)),
            ("variable", variable.map { .string($0) } ?? .null),
            ("period", period),
            ("per", .string(perName)),
            ("equivalence", equivalence),
            ("mpc", variable == nil ? .null : .number(mpc)),
            ("household_size", householdSize.map { .string($0) } ?? .null),
            ("deflator", deflatorValue),
            ("lines", linesValue),
            ("description", .string(outputDescription)),
        ])
    }

    /// The poverty lines in words: "150 per person per month", or with area lines
    /// "by urban: 0 → 110, 1 → 150 per person per month (reference 150)".
    package func linesText(povertyLine: Double) -> String {
        let per = unit == .perCapita ? "per person per month" : "per adult equivalent per month"
        guard let lines else { return "\(ReportNumberFormat.grouped(povertyLine, decimals: 2)) \(per)" }
        let each = lines.values.keys.sorted().map { "\($0) → \(ReportNumberFormat.grouped(lines.values[$0]!, decimals: 2))" }
        return "by \(lines.variable): \(each.joined(separator: ", ")) \(per) (reference \(ReportNumberFormat.grouped(povertyLine, decimals: 2)))"
    }
}
