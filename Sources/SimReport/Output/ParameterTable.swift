import SimKernel

/// A module's parameters as the Markdown table of docs/scenarios.md:
/// `| parameter | type | unit | default | range | meaning |`.
///
/// The documentation's tables are this output (`simrun scenario describe
/// NAME --format markdown`); a test fails when they drift apart.
package enum ParameterTable {
    package static let header = "| parameter | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n"

    /// The table of `parameters`, header included, one row each, in declaration order.
    package static func markdown(_ parameters: [ParameterSpec]) -> String {
        header + parameters.map { p in
            let defaultText = p.defaultValue.map { "`\($0)`" } ?? "*required*"
            let cells = ["`\(p.key)`", p.type.description, p.unit, defaultText, p.rangeText, p.summary]
            return "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }.joined()
    }
}
