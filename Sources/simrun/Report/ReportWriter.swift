import Foundation

/// Writes a report directory: `index.html`, `tables/<id>.csv` for every table, `report.xlsx`.
///
/// Never a half-written report: everything is written into a hidden staging directory
/// beside the destination (`.<name>.simrun-staging-<uuid>`), and only when all of it has
/// been written is the staging directory renamed into place. A previous report at the
/// destination is first moved aside, then removed once the new one is in place (and put
/// back if the move fails). A destination that holds anything but a simrun report is left
/// alone, with an error, so `--out` can never wipe a user's directory.
///
///     try ReportWriter.write(document, to: URL(fileURLWithPath: "reports/options-2026"))
///     // reports/options-2026/index.html
///     // reports/options-2026/tables/comparison.csv, ...
///     // reports/options-2026/report.xlsx
enum ReportWriter {
    /// The page's file name.
    static let htmlFile = "index.html"
    /// The directory of the CSV files.
    static let tablesDirectory = "tables"
    /// The workbook's file name.
    static let workbookFile = "report.xlsx"

    /// Writes `document` to `directory`, creating missing parent directories.
    ///
    /// - Parameters:
    ///   - document: The report; checked with ``ReportDocument/validate()`` before anything is written.
    ///   - directory: The report directory; it may be new, empty, or hold an earlier report.
    /// - Throws: A ``ReportError``: the document's own errors, ``ReportError/destinationNotDirectory(path:)``,
    ///   ``ReportError/destinationNotReport(path:unexpected:)``, or ``ReportError/fileSystem(path:action:reason:)``
    ///   naming the file and what failed. Nothing is changed at the destination then.
    static func write(_ document: ReportDocument, to directory: URL) throws {
        try document.validate()
        let fileManager = FileManager.default
        let destination = directory.standardizedFileURL
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw ReportError.destinationNotDirectory(path: destination.path) }
            try checkReplaceable(destination)
        }
        try ReportError.wrap("create the directory", parent) {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        }
        let token = UUID().uuidString
        let staging = parent.appendingPathComponent(".\(name).simrun-staging-\(token)")
        do {
            try writeContents(document, into: staging)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
        guard exists else {
            try move(staging, to: destination, cleaningUp: staging)
            return
        }
        let previous = parent.appendingPathComponent(".\(name).simrun-previous-\(token)")
        try move(destination, to: previous, cleaningUp: staging)
        do {
            try move(staging, to: destination, cleaningUp: staging)
        } catch {
            try? fileManager.moveItem(at: previous, to: destination)
            throw error
        }
        try? fileManager.removeItem(at: previous)
    }

    /// Writes the page, the CSV files and the workbook into a new directory `staging`.
    static func writeContents(_ document: ReportDocument, into staging: URL) throws {
        let fileManager = FileManager.default
        let tables = staging.appendingPathComponent(tablesDirectory, isDirectory: true)
        try ReportError.wrap("create the directory", tables) {
            try fileManager.createDirectory(at: tables, withIntermediateDirectories: true)
        }
        let page = staging.appendingPathComponent(htmlFile)
        try ReportError.wrap("write", page) {
            try Data(HTMLReportRenderer().render(document).utf8).write(to: page)
        }
        for table in document.tables {
            let file = tables.appendingPathComponent("\(table.id).csv")
            try ReportError.wrap("write", file) {
                try Data(CSVTableRenderer.render(table).utf8).write(to: file)
            }
        }
        try XLSXWorkbook(document).write(to: staging.appendingPathComponent(workbookFile))
    }

    /// Throws unless `directory` is empty or holds only what a report holds.
    static func checkReplaceable(_ directory: URL) throws {
        let fileManager = FileManager.default
        let entries = try ReportError.wrap("read the directory", directory) {
            try fileManager.contentsOfDirectory(atPath: directory.path)
        }
        for entry in entries.sorted() where entry != ".DS_Store" {
            if entry == htmlFile || entry == workbookFile { continue }
            guard entry == tablesDirectory else {
                throw ReportError.destinationNotReport(path: directory.path, unexpected: entry)
            }
            let tables = directory.appendingPathComponent(tablesDirectory)
            let files = try ReportError.wrap("read the directory", tables) {
                try fileManager.contentsOfDirectory(atPath: tables.path)
            }
            if let stranger = files.sorted().first(where: { !$0.hasSuffix(".csv") && $0 != ".DS_Store" }) {
                throw ReportError.destinationNotReport(path: directory.path, unexpected: "\(tablesDirectory)/\(stranger)")
            }
        }
    }

    /// Renames `source` to `target`; on failure removes `cleanup` and throws.
    private static func move(_ source: URL, to target: URL, cleaningUp cleanup: URL) throws {
        do {
            try FileManager.default.moveItem(at: source, to: target)
        } catch {
            try? FileManager.default.removeItem(at: cleanup)
            throw ReportError.fileSystem(path: target.path, action: "move the report into",
                                         reason: ReportError.reason(error))
        }
    }
}
