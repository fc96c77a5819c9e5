import Foundation

/// `--target FIGURE=VALUE` or `--target budget-neutral`: the comparison figure to solve for
/// and the value it must take, in the figure's own unit (JSON/CSV: a share of GDP as a
/// fraction, 0.01 = 1%); `2%` is allowed for shares and changes of shares (FGT, Gini).
package struct SolveTarget: Sendable, Equatable {
    /// The figure's key in `scenario compare --format json` (docs/output.md).
    package let figure: String
    /// The value as written: a number, or a number with `%`.
    package let number: Double
    /// Whether the number was written with `%` (a share given in percent).
    package let percent: Bool
    /// The text as given (for messages).
    package let text: String

    /// `budget-neutral`: the annual net cost to the state is 0.
    package static let budgetNeutral = "budget-neutral"

    /// Reads the option's text (its syntax only; the figure's existence and unit are checked
    /// against the comparison: ``value(unitIsShare:unitName:)``).
    /// - Throws: ``UsageError`` (the command line's exit 64) unless it is `budget-neutral` or `KEY=NUMBER[%]`.
    package init(_ text: String) throws {
        self.text = text
        if text == Self.budgetNeutral {
            figure = "net_cost_annual"
            number = 0
            percent = false
            return
        }
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
            parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
        else {
            throw UsageError("--target must be FIGURE=VALUE (a figure of scenario compare by its JSON key, e.g. net_cost_share_gdp=1%) or budget-neutral (got '\(text.prefix(60))')")
        }
        var value = parts[1].trimmingCharacters(in: .whitespaces)
        percent = value.hasSuffix("%")
        if percent { value.removeLast() }
        guard let x = Double(value), x.isFinite else {
            throw UsageError("--target \(parts[0])=...: expected a number (optionally with %), got '\(parts[1].prefix(40))'")
        }
        figure = String(parts[0])
        number = x
    }

    /// The target in the figure's unit: the number, or the number / 100 when written with `%`.
    /// - Throws: ``UsageError`` if `%` is used for a figure that is not a share.
    package func value(unitIsShare: Bool, unitName: String) throws -> Double {
        guard percent else { return number }
        guard unitIsShare else {
            throw UsageError("--target \(figure)=\(number)%: % is for shares and changes of shares; \(figure) is in \(unitName)")
        }
        return number / 100
    }
}
