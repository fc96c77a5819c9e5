import SimReport
import Foundation
import Testing
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import simrun

/// The report tests: one suite per renderer nested in this one, so that
/// `swift test --filter ReportTests` runs them all.
@Suite("Report")
struct ReportTests {}

// Helpers shared by the report tests: well-formedness checks, reading a workbook back,
// scratch directories.

/// Whether `text` is well-formed XML, with the parser's message if not.
func xmlProblem(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    parser.shouldProcessNamespaces = false
    if parser.parse() { return nil }
    return parser.parserError.map { "\($0)" } ?? "unknown XML error"
}

/// Collects the text of every element named `name` (e.g. `t` or `v` in a worksheet).
final class ElementTextCollector: NSObject, XMLParserDelegate {
    let names: Set<String>
    private(set) var texts: [String] = []
    private var current: String?

    init(names: Set<String>) {
        self.names = names
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if names.contains(elementName) { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if names.contains(elementName), let text = current {
            texts.append(text)
            current = nil
        }
    }

    /// The texts of the elements named `names` in `xml`, in document order.
    static func texts(of names: Set<String>, in xml: String) -> [String] {
        let collector = ElementTextCollector(names: names)
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        _ = parser.parse()
        return collector.texts
    }
}

/// The entries of the ZIP file at `url`, path → UTF-8 text, and their order.
func zipEntries(at url: URL) throws -> (order: [String], texts: [String: String]) {
    let archive = try Archive(url: url, accessMode: .read)
    var order: [String] = []
    var texts: [String: String] = [:]
    for entry in archive {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        order.append(entry.path)
        texts[entry.path] = String(decoding: data, as: UTF8.self)
    }
    return (order, texts)
}

/// A new empty scratch directory under the system's temporary directory.
func makeScratchDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("simrun-report-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A small document with one table and one chart, for focused tests.
func smallDocument(table: ReportTable, chart: ReportChart? = nil, title: String = "Small report") -> ReportDocument {
    var blocks: [ReportBlock] = [.table(table)]
    if let chart { blocks.insert(.chart(chart), at: 0) }
    return ReportDocument(title: title, date: "2026-01-02", sections: [ReportSection(heading: "Results", blocks: blocks)],
                          methods: ReportMethods(provenance: [ReportFact("Seed", "7")]))
}

/// One element of a parsed XML text: its name, attributes and direct text.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    var text: String
}

/// Every element of an XML text, in document order.
final class ElementCollector: NSObject, XMLParserDelegate {
    private(set) var elements: [ParsedElement] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        _ = open.popLast()
    }

    /// The elements of `xml` (empty if it is not well-formed).
    static func elements(in xml: String) -> [ParsedElement] {
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        return parser.parse() ? collector.elements : []
    }
}
