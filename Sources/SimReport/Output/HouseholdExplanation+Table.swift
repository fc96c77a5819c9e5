import Foundation
import SimAnalysis
import SimKernel

/// The table of `simrun household` and `simrun scenario explain`: members as
/// columns, then the household; one block per system, one per component.
extension HouseholdExplanation {
    /// A line of the table: a row of cells (a label, one cell per member, the
    /// household's cell), or a line of text.
    package enum Line {
        case cells(String, [String], String)
        case text(String)
    }

    package func table() -> String {
        let members = traces[0].trace.memberCount
        var lines: [Line] = []
        let first = traces[0].trace
        switch origin {
        case .file(let file, let name):
            lines.append(.text("Household \(name.map { "'\(Self.printable($0))' " } ?? "")of \(file): \(members) member\(members == 1 ? "" : "s")"))
        case .survey(let data):
            lines.append(.text("Household \(first.householdID) of \(data): \(members) member\(members == 1 ? "" : "s")"))
        }
        switch rules {
        case .scenario(let s):
            lines.append(.text("Scenario: \(Self.printable(s.title)) (\(s.file))"))
        case .system(let s):
            lines.append(.text("System: \(Self.printable(s.title)) (\(s.source ?? s.name))"))
        }
        lines.append(.text("Year: \(year.map(String.init) ?? "latest values"); seed: \(seed). Amounts in currency per month; taxes and contributions as positive amounts."))
        for (role, system, trace) in traces {
            lines.append(.text(""))
            let title = system.title == system.name ? "" : " (\(Self.printable(system.title)))"
            lines.append(.text("\(role.uppercased()): \(Self.printable(system.name))\(title)"))
            lines.append(.cells("", (1...members).map { "member \($0)" }, "household"))
            lines += block(trace)
        }
        if traces.count == 2 {
            let (b, r) = (traces[0].trace, traces[1].trace)
            lines.append(.text(""))
            lines.append(.text("CHANGE (reform minus baseline)"))
            lines.append(.cells("disposable income", [], Self.money(r.disposableIncome - b.disposableIncome)))
            lines.append(.cells("per-capita income", [], Self.money(r.perCapitaIncome - b.perCapitaIncome)))
            if let before = b.isPoor, let after = r.isPoor {
                lines.append(.cells("poor", [], "\(before ? "yes" : "no") -> \(after ? "yes" : "no")"))
            }
        }
        return Self.layout(lines, members: members)
    }

    /// The lines of one system's trace.
    private func block(_ trace: HouseholdTrace) -> [Line] {
        var lines: [Line] = []
        let names = trace.marketIncome.map(\.name).joined(separator: " + ")
        lines.append(.text("market income (\(names))"))
        for v in trace.marketIncome { lines.append(.cells("  " + v.name, v.values.map(Self.value), "")) }
        lines.append(.cells("  income", trace.marketIncomeTotal.map(Self.money), Self.money(trace.marketIncomeTotal.reduce(0, +))))
        for (k, c) in trace.components.enumerated() {
            lines.append(.text(""))
            let effect = c.kind == .benefit ? "added to income" : "subtracted from income"
            lines.append(.text("\(k + 1). \(c.name): module \(c.moduleName), \(c.kind.rawValue) (\(effect))"))
            lines.append(.cells("  income before", c.incomeBefore.map(Self.money), Self.money(c.incomeBefore.reduce(0, +))))
            if !c.variables.isEmpty {
                lines.append(.text("  reads"))
                for v in c.variables { lines.append(.cells("    " + v.name, v.values.map(Self.value), "")) }
            }
            if !c.parameters.isEmpty {
                lines.append(.text("  parameters"))
                for p in c.parameters {
                    let source = p.source.map { "  [\($0)]" } ?? ""
                    lines.append(.text("    \(p.key) = \(Self.parameter(p.value))\(source)"))
                }
            }
            if let steps = c.steps {
                lines.append(.text("  steps"))
                for step in steps { lines += Self.lines(step, members: trace.memberCount) }
            }
            lines.append(.cells("  amount", c.amounts.map(Self.money), Self.money(c.householdAmount)))
            lines.append(.cells("  recipients", [], "\(c.recipients) of \(trace.memberCount)"))
            for counter in c.counters { lines.append(.cells("  counter " + counter.name, [], Self.plain(counter.value))) }
            lines.append(.cells("  income after", c.incomeAfter.map(Self.money), Self.money(c.incomeAfter.reduce(0, +))))
        }
        lines.append(.text(""))
        lines.append(.cells("disposable income", [], Self.money(trace.disposableIncome)))
        lines.append(.cells("per-capita income", [], Self.money(trace.perCapitaIncome)))
        if let line = trace.povertyLine, let poor = trace.isPoor {
            lines.append(.cells("poverty line", [], Self.money(line)))
            lines.append(.cells("poor (per-capita income below the line)", [], poor ? "yes" : "no"))
        }
        return lines
    }

    /// A rule's step: its label, expression and place, then its values.
    package static func lines(_ step: RuleTraceStep, members: Int) -> [Line] {
        var head = "    " + Self.printable(step.label)
        if let e = step.expression { head += ": " + Self.printable(e) }
        if let at = step.location { head += "  [\(at.file):\(at.line):\(at.column)]" }
        let cells = step.values.map { step.isCondition ? ($0 != 0 ? "true" : "false") : plain($0) }
        if step.level == .person && cells.count == members {
            return [.text(head), .cells("      =", cells, "")]
        }
        return [.text(head), .cells("      =", [], cells.joined(separator: " "))]
    }

    /// A parameter value as the file writes it (a schedule as its brackets).
    package static func parameter(_ value: ParameterValue) -> String {
        guard case .schedule(let brackets) = value else { return Self.printable(value.description) }
        return brackets.map { "rate \(plain($0.rate)) from \(plain($0.threshold))" }.joined(separator: "; ")
    }

    /// `text` whole when it holds no control or bidirectional formatting
    /// character (a rule's expression, a parameter's value: the analyst's own
    /// text, shown in full), else its escaped excerpt (``InputExcerpt``).
    package static func printable(_ text: String) -> String {
        InputExcerpt.hasControlCharacters(text) ? InputExcerpt.text(text) : text
    }

    /// Money: two decimals.
    package static func money(_ x: Double) -> String { x.isFinite ? String(format: "%.2f", x) : "\(x)" }

    /// A number as short as it reads: whole numbers without decimals, others to at most 6 decimals.
    package static func plain(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.6f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }  // 49.00000000000001 reads 49, not "49."
        return s == "-0" ? "0" : s
    }

    package static func value(_ v: HouseholdTrace.Value) -> String {
        switch v {
        case .number(let x): return plain(x)
        case .label(let s): return Self.printable(s)
        }
    }

    /// The lines with the cells in aligned columns: labels left, values right.
    package static func layout(_ lines: [Line], members: Int) -> String {
        var labelWidth = 0, cellWidth = 8, householdWidth = 9
        for case .cells(let label, let cells, let household) in lines {
            labelWidth = max(labelWidth, label.count)
            for c in cells { cellWidth = max(cellWidth, c.count) }
            householdWidth = max(householdWidth, household.count)
        }
        func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var out = ""
        for line in lines {
            switch line {
            case .text(let text):
                out += text + "\n"
            case .cells(let label, let cells, let household):
                var row = label + String(repeating: " ", count: labelWidth - label.count)
                for m in 0..<members { row += "  " + pad(m < cells.count ? cells[m] : "", cellWidth) }
                row += "  " + pad(household, householdWidth)
                while row.hasSuffix(" ") { row.removeLast() }
                out += row + "\n"
            }
        }
        return out
    }
}
