import SimAnalysis
import SimKernel
import Foundation

/// A list of SVG elements being drawn, and the finished `<svg>` text.
///
/// Every string placed in it is escaped and every number printed with
/// ``MarkupEscaping/coordinate(_:)``, so the same drawing always gives the same bytes.
/// Text uses only the generic `sans-serif` family: no font files, no external references.
package struct SVGCanvas: Sendable {
    /// The drawing's width in pixels.
    package let width: Double
    /// The drawing's elements, in painting order.
    package private(set) var elements: [String] = []

    /// An empty canvas `width` pixels wide.
    package init(width: Double) {
        self.width = width
    }

    /// How a text is anchored at its `x`.
    package enum Anchor: String, Sendable {
        /// `x` is the text's left end, its centre, or its right end.
        case start, middle, end
    }

    /// Adds a rectangle.
    package mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, opacity: Double? = nil) {
        var element = "<rect x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(max(width, 0)))\" height=\"\(c(max(height, 0)))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\"" }
        if let opacity { element += " fill-opacity=\"\(c(opacity))\"" }
        elements.append(element + "/>")
    }

    /// Adds a straight line.
    package mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        var element = "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(c(width))\""
        if let dash { element += " stroke-dasharray=\"\(dash)\"" }
        elements.append(element + "/>")
    }

    /// Adds a path through `points` (a polyline; `closed` joins the last to the first).
    package mutating func path(_ points: [(x: Double, y: Double)], stroke: String?, fill: String = "none",
                       width: Double = 1, dash: String? = nil, fillOpacity: Double? = nil, closed: Bool = false) {
        guard let first = points.first else { return }
        var d = "M\(c(first.x)) \(c(first.y))"
        for point in points.dropFirst() { d += " L\(c(point.x)) \(c(point.y))" }
        if closed { d += " Z" }
        var element = "<path d=\"\(d)\" fill=\"\(fill)\""
        if let fillOpacity { element += " fill-opacity=\"\(c(fillOpacity))\"" }
        if let stroke {
            element += " stroke=\"\(stroke)\" stroke-width=\"\(c(width))\" stroke-linejoin=\"round\""
            if let dash { element += " stroke-dasharray=\"\(dash)\"" }
        }
        elements.append(element + "/>")
    }

    /// Adds a circle; with `title`, a `<title>` child (escaped): what a browser shows when the pointer rests on it.
    package mutating func circle(x: Double, y: Double, radius: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        var element = "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(radius))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\"" }
        if let title {
            elements.append(element + "><title>\(MarkupEscaping.escape(title))</title></circle>")
        } else {
            elements.append(element + "/>")
        }
    }

    /// Adds a text (escaped) with its baseline at `y`.
    package mutating func text(_ text: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                       weight: String? = nil, fill: String = "#222222", italic: Bool = false) {
        var element = "<text x=\"\(c(x))\" y=\"\(c(y))\" font-size=\"\(c(size))\""
        if anchor != .start { element += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { element += " font-weight=\"\(weight)\"" }
        if italic { element += " font-style=\"italic\"" }
        element += " fill=\"\(fill)\">\(MarkupEscaping.escape(text))</text>"
        elements.append(element)
    }

    /// The finished drawing.
    ///
    /// - Parameters:
    ///   - height: The drawing's height in pixels.
    ///   - title: The accessible name (`<title>` and `aria-label`).
    ///   - standalone: `true` adds the SVG namespace for a `.svg` file; inline SVG in HTML
    ///     needs none (and so carries no URL).
    package func svg(height: Double, title: String, standalone: Bool) -> String {
        let name = MarkupEscaping.escape(title)
        var out = "<svg"
        if standalone { out += " xmlns=\"http://www.w3.org/2000/svg\"" }
        out += " class=\"chart\" width=\"\(c(width))\" height=\"\(c(height))\" viewBox=\"0 0 \(c(width)) \(c(height))\""
        out += " role=\"img\" aria-label=\"\(name)\" font-family=\"sans-serif\">\n"
        out += "<title>\(name)</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(c(width))\" height=\"\(c(height))\" fill=\"#FFFFFF\"/>\n"
        for element in elements { out += element + "\n" }
        return out + "</svg>"
    }

    private func c(_ value: Double) -> String { MarkupEscaping.coordinate(value) }

    /// An estimate of the width of `text` at `size` pixels in a generic sans-serif font.
    ///
    /// Generous on purpose (DejaVu Sans, Debian's default, is wider than Arial), so
    /// layouts built on it leave room rather than overlap.
    package static func textWidth(_ text: String, size: Double) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ", "(", ")", "[", "]", "f", "t", "r":
                ems += 0.36
            case "m", "w", "M", "W", "%", "@", "—":
                ems += 0.95
            case "A"..."Z":
                ems += 0.72
            default:
                ems += 0.62
            }
        }
        return ems * size
    }

    /// `text` broken at spaces into lines no wider than `width` (at most `maxLines`; the
    /// last line keeps the rest of the words).
    package static func wrap(_ text: String, width: Double, size: Double, maxLines: Int = 2) -> [String] {
        let words = text.split(separator: " ").map(String.init)
        var lines: [String] = []
        var current = ""
        for word in words {
            let candidate = current.isEmpty ? word : current + " " + word
            if !current.isEmpty, textWidth(candidate, size: size) > width, lines.count < maxLines - 1 {
                lines.append(current)
                current = word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
