import SimAnalysis
import SimKernel
import Foundation

/// Escaping of plain text for HTML, SVG and the XML parts of a workbook.
///
/// Every string that comes from a document (titles, labels, cell texts, provenance) goes
/// through ``escape(_:)`` before it is placed in markup, in text or in an attribute:
/// `&`, `<`, `>`, `"` and `'` become entities, and characters that XML 1.0 forbids
/// (control characters other than tab, newline and carriage return; U+FFFE, U+FFFF;
/// unpaired surrogates cannot occur in a Swift `String`) are dropped, since a spreadsheet
/// program refuses a workbook containing one.
package enum MarkupEscaping {
    /// `text` safe to place in XML or HTML text and in quoted attribute values.
    ///
    ///     MarkupEscaping.escape("Tom & Jerry's <b>")  // "Tom &amp; Jerry&#39;s &lt;b&gt;"
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate or length for SVG: at most one decimal, no `-0`, no exponent.
    ///
    /// Rounding to a tenth of a pixel keeps the output short and identical on every
    /// platform (the same `Double` always prints the same way).
    package static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (min(max(value, -1e9), 1e9) * 10).rounded()
        if tenths == 0 { return "0" }
        let whole = Int(tenths / 10)
        let fraction = Int(abs(tenths).truncatingRemainder(dividingBy: 10))
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
