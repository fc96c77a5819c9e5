import SimReport
import Foundation
import Testing

@testable import simrun

extension ReportTests {
    /// The HTML page: self-contained, escaped, with visible suppression and provenance.
    @Suite("Report HTML page")
    struct HTMLTests {
        static let document = ReportDocument.sample()
        static let html = HTMLReportRenderer().render(document)

        @Test("the page refers to nothing outside itself: no URL, script, stylesheet link or import")
        func selfContained() {
            let html = Self.html.lowercased()
            for forbidden in ["http://", "https://", "//cdn", "<script", "<link", "<img", "<iframe", "src=", "url(", "@import"] {
                #expect(!html.contains(forbidden), "found \(forbidden)")
            }
            #expect(html.hasPrefix("<!doctype html>"))
            #expect(html.contains("<meta charset=\"utf-8\">"))
            #expect(html.contains("<style>"))
            #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        }

        @Test("the page prints on A4 and keeps figures and tables whole")
        func printable() {
            #expect(Self.html.contains("@page { size: A4"))
            #expect(Self.html.contains("break-inside: avoid"))
        }

        @Test("title, subtitle, date and every section are on the page, with contents linking to them")
        func structure() {
            #expect(Self.html.contains("<h1>Closing coverage gaps: child &amp; old-age benefit options</h1>"))
            #expect(Self.html.contains("<title>Closing coverage gaps: child &amp; old-age benefit options</title>"))
            #expect(Self.html.contains("Produced 2026-03-14"))
            for (index, section) in Self.document.sections.enumerated() {
                #expect(Self.html.contains("<section id=\"section-\(index + 1)\">\n<h2>\(MarkupEscaping.escape(section.heading))</h2>"))
                #expect(Self.html.contains("<a href=\"#section-\(index + 1)\">"))
            }
            #expect(Self.html.contains("<a href=\"#methods\">"))
        }

        @Test("headers carry units and numbers sit in right-aligned cells")
        func tables() {
            #expect(Self.html.contains("<th scope=\"col\" class=\"num\">Before<span class=\"unit\">% of persons</span></th>"))
            #expect(Self.html.contains("<td class=\"num\">34.2%<span class=\"ci\">33.1 to 35.3%</span></td>"))
            #expect(Self.html.contains("<th scope=\"row\">Children 0-17</th>"))
            #expect(Self.html.contains(".num { text-align: right;"))
            #expect(Self.html.contains("<caption>Poverty headcount (FGT 0) by age group</caption>"))
        }

        @Test("intervals show under their estimate")
        func intervals() {
            #expect(Self.html.contains("-3.1 pp<span class=\"ci\">-3.6 to -2.6 pp</span>"))
            #expect(Self.html.contains("95% confidence interval"))
        }

        @Test("suppressed cells show a dash and a footnote, and their values appear nowhere")
        func suppressed() {
            #expect(Self.html.contains("<td class=\"num suppressed\">—<sup class=\"mark\" title=\"suppressed\">†</sup></td>"))
            #expect(Self.html.contains("<p>† Suppressed: fewer than 30 unweighted observations.</p>"))
            // The 80+ group's values (30.1%, 29.7%, 15.2%, 29.9%) and its change of -14.9 pp are suppressed.
            for hidden in ["30.1%", "29.7%", "15.2%", "29.9%", "-14.9 pp"] {
                #expect(!Self.html.contains(hidden), "\(hidden) leaked")
            }
            #expect(Self.html.contains("Disclosure control: figures computed from fewer than 30 unweighted survey observations"))
        }

        @Test("flagged cells keep their value with a mark and a footnote")
        func flagged() {
            #expect(Self.html.contains("<td class=\"num flagged\">51.2%<sup class=\"mark\" title=\"few observations\">*</sup></td>"))
            #expect(Self.html.contains("<p>* Fewer than 50 unweighted observations: interpret with care.</p>"))
        }

        @Test("the methods section lists definitions and provenance, the date first")
        func methods() throws {
            let methods = try #require(Self.html.range(of: "<section id=\"methods\">"))
            let tail = String(Self.html[methods.lowerBound...])
            #expect(tail.contains("<dt>FGT(0)</dt><dd>Share of persons"))
            let date = try #require(tail.range(of: "<dt>Date</dt><dd>2026-03-14</dd>"))
            let version = try #require(tail.range(of: "<dt>simrun version</dt><dd>\(Simrun.version)</dd>"))
            #expect(date.lowerBound < version.lowerBound)
            #expect(tail.contains("<dt>Seed</dt><dd>20260314</dd>"))
        }

        @Test("document text is escaped, never interpreted as markup")
        func escaping() {
            let table = ReportTable(id: "t", title: "<b>bold</b> & co", columns: [ReportColumn("A <i>", unit: "\"q\"")],
                                    rows: [[.text("<script>alert(1)</script>")]], notes: ["5 > 4"])
            let html = HTMLReportRenderer().render(smallDocument(table: table, title: "R&D <report>"))
            #expect(!html.contains("<script>") && !html.contains("<b>bold") && !html.contains("<i>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("<caption>&lt;b&gt;bold&lt;/b&gt; &amp; co</caption>"))
            #expect(html.contains("<span class=\"unit\">&quot;q&quot;</span>"))
            #expect(html.contains("<p>5 &gt; 4</p>"))
            #expect(html.contains("<h1>R&amp;D &lt;report&gt;</h1>"))
        }

        @Test("each table links to its CSV file and sheet by relative path, unless asked not to")
        func fileLinks() {
            #expect(Self.html.contains("<a href=\"tables/comparison.csv\">tables/comparison.csv</a>"))
            #expect(!HTMLReportRenderer(linksToCSVFiles: false).render(Self.document).contains("tables/comparison.csv"))
        }

        @Test("the same document always gives the same page")
        func deterministic() {
            #expect(HTMLReportRenderer().render(ReportDocument.sample()) == Self.html)
        }
    }
}
