import SimAnalysis
import SimKernel
import Foundation

/// The CSS inlined in every report page: readable on screen, printable on A4.
///
/// Plain CSS, no web fonts, no `url(...)`, no imports, so the page needs nothing beyond
/// itself. On screen the text column is at most about 60 em wide; in print the page is A4
/// with 15 mm margins, charts scale to the text width, and figures, tables and the
/// provenance list avoid breaking across pages. A table too wide for the page is printed
/// from its print-only copy in pieces of columns (``ReportPrintLayout``): `.screen-only`
/// and `.print-only` decide which copy a medium shows.
package enum ReportStyleSheet {
    /// The style sheet's text, placed in the page's `<style>` element.
    package static let css = """
        * { box-sizing: border-box; }
        body { font-family: sans-serif; font-size: 15px; line-height: 1.45; color: #1a1a1a; background: #ffffff;
          max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
        header.report-header { border-bottom: 3px solid #0072B2; padding-bottom: 0.8rem; margin-bottom: 1.2rem; }
        h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 0.4rem; }
        h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #cccccc; padding-bottom: 0.2rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
        p { margin: 0.5rem 0; max-width: 48rem; }
        .subtitle { font-size: 1.1rem; color: #333333; margin: 0; }
        .meta { color: #555555; font-size: 0.9rem; margin: 0.3rem 0 0; }
        nav.contents ol { margin: 0.3rem 0; padding-left: 1.4rem; columns: 2; }
        nav.contents a { color: #0059a0; }
        figure.chart { margin: 1.2rem 0; }
        svg.chart { display: block; max-width: 100%; height: auto; }
        .table-block { margin: 1.2rem 0; overflow-x: auto; }
        table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
        caption { caption-side: top; text-align: left; font-weight: bold; font-size: 1rem; padding: 0 0 0.4rem; }
        th, td { padding: 0.3rem 0.65rem; border-bottom: 1px solid #dddddd; vertical-align: top; text-align: left; }
        thead th { border-bottom: 2px solid #333333; vertical-align: bottom; }
        tbody th { font-weight: normal; min-width: 9em; }
        .num { text-align: right; white-space: nowrap; }
        .unit { display: block; font-weight: normal; font-size: 0.8rem; color: #555555; }
        .ci { display: block; font-size: 0.75rem; color: #555555; }
        .ci.band { font-style: italic; }
        .print-only { display: none; }
        .print-only table + table { margin-top: 1rem; }
        td.suppressed { color: #555555; }
        td.flagged { background: #fff6d6; }
        sup.mark { font-size: 0.7rem; margin-left: 0.1rem; }
        .notes { font-size: 0.82rem; color: #444444; margin: 0.4rem 0 0; }
        .notes p { margin: 0.15rem 0; }
        .files { font-size: 0.8rem; color: #555555; }
        .files a { color: #0059a0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
        dl.facts dt { font-weight: bold; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
        footer.report-footer { margin-top: 2.5rem; border-top: 1px solid #cccccc; padding-top: 0.6rem;
          font-size: 0.85rem; color: #444444; }
        @page { size: A4; margin: 15mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav.contents, .files { display: none; }
          h2, h3 { break-after: avoid; }
          figure.chart, dl.facts { break-inside: avoid; }
          .table-block > table { break-inside: avoid; }
          .table-block { overflow: visible; }
          .screen-only { display: none; }
          .print-only { display: block; }
          .print-only table { break-inside: avoid; }
          table { font-size: 8.5pt; }
          th, td { padding: 0.2rem 0.5rem; }
          thead th.num { white-space: normal; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
