import SimAnalysis
import SimKernel

/// One cell of a ``ReportTable``: a text, a formatted number, or nothing.
///
/// A number may carry a 95% interval (same format as the number) and a disclosure
/// status. A **suppressed** cell was computed from too few unweighted observations for
/// the survey's owner to allow publishing it: every renderer writes no digit of it (the
/// page shows `—` with a footnote, CSV and XLSX leave the value empty and fill the
/// column's flag), so the number may stay in the model without leaking. A **flagged**
/// cell is shown, with a small-sample marker and footnote.
///
///     let cost = ReportCell.number(0.0062, .percent(decimals: 2),
///                                  interval: ReportInterval(lower: 0.0057, upper: 0.0068))
///     let elderly = ReportCell.number(0.183, .percent(decimals: 1), disclosure: .suppressed)
///     let label = ReportCell.text("Children 0-17")
package struct ReportCell: Sendable, Equatable {
    /// What the cell holds.
    package enum Content: Sendable, Equatable {
        /// Plain text, escaped by every renderer.
        case text(String)
        /// A number and how to show it.
        case number(Double, ReportNumberFormat)
        /// Nothing (an empty cell, not a suppressed one).
        case empty
    }

    /// What the cell holds.
    package var content: Content
    /// The 95% interval of a number (ignored for text), in the number's stored unit.
    package var interval: ReportInterval?
    /// Whether the value may be shown (see ``ReportDisclosure``).
    package var disclosure: ReportDisclosure
    /// The Monte Carlo band of a number (the 2.5 and 97.5 percentiles over `--replications`
    /// draws of take-up, durations and assessment errors; not sampling error), in the number's stored unit.
    package var band: ReportInterval?

    /// A cell with every part given.
    package init(content: Content, interval: ReportInterval? = nil, disclosure: ReportDisclosure = .shown, band: ReportInterval? = nil) {
        self.content = content
        self.interval = interval
        self.disclosure = disclosure
        self.band = band
    }

    /// A text cell.
    package static func text(_ text: String) -> ReportCell {
        ReportCell(content: .text(text))
    }

    /// A number cell.
    ///
    /// - Parameters:
    ///   - value: The stored value (a fraction for percentages and percentage points).
    ///   - format: How it reads (see ``ReportNumberFormat``).
    ///   - interval: Its 95% interval, if standard errors were computed.
    ///   - disclosure: `.suppressed` or `.flagged` under the disclosure rule.
    ///   - band: Its Monte Carlo band, if the options were replicated.
    package static func number(_ value: Double, _ format: ReportNumberFormat, interval: ReportInterval? = nil,
                       disclosure: ReportDisclosure = .shown, band: ReportInterval? = nil) -> ReportCell {
        ReportCell(content: .number(value, format), interval: interval, disclosure: disclosure, band: band)
    }

    /// An empty cell.
    package static let empty = ReportCell(content: .empty)

    /// The number, if the cell holds one.
    package var number: Double? {
        if case .number(let value, _) = content { return value }
        return nil
    }

    /// The number's format, if the cell holds one.
    package var format: ReportNumberFormat? {
        if case .number(_, let format) = content { return format }
        return nil
    }

    /// The text a reader sees on the page (`—` when suppressed; no interval, no marker).
    package var displayText: String {
        if disclosure == .suppressed { return "—" }
        switch content {
        case .text(let text): return text
        case .number(let value, let format): return format.display(value)
        case .empty: return ""
        }
    }

    /// The interval as a reader sees it, e.g. `0.57 to 0.68%`; `nil` when there is none to show.
    package var displayInterval: String? {
        guard disclosure != .suppressed, let interval else { return nil }
        return display(interval)
    }

    /// The Monte Carlo band as a reader sees it, e.g. `0.57 to 0.68%`; `nil` when there is none to show.
    package var displayBand: String? {
        guard disclosure != .suppressed, let band else { return nil }
        return display(band)
    }

    private func display(_ range: ReportInterval) -> String? {
        guard let format else { return nil }
        if format.isScaled(range.lower) || format.isScaled(range.upper) {
            return format.display(range.lower) + " to " + format.display(range.upper)
        }
        let lower = format.display(range.lower, withSuffix: false)
        let upper = format.display(range.upper, withSuffix: false)
        return lower + " to " + upper + format.suffix
    }
}

/// A 95% interval around an estimate, in the estimate's stored unit.
package struct ReportInterval: Sendable, Equatable {
    /// The lower bound.
    package var lower: Double
    /// The upper bound.
    package var upper: Double

    /// The memberwise initializer, visible to the package's other targets.
    package init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// A report cell's disclosure: the one `Disclosure` of SimKernel, decided by `DisclosureRule`.
package typealias ReportDisclosure = Disclosure
