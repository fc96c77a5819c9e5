import SimAnalysis
import SimKernel
import Foundation

/// Writes a report directory: `index.html`, `tables/<id>.csv` for every table, `report.xlsx`.
///
/// Never a half-written report: everything is written into a hidden staging directory
/// beside the destination (`.<name>.simrun-staging-p<pid>-<uuid>`), and only when all of it
/// has been written is the staging directory renamed into place. A previous report at the
/// destination is first moved aside (`.<name>.simrun-previous-p<pid>-<uuid>`), then removed
/// once the new one is in place, even if it was made read-only (and put back if the move
/// fails). A destination that holds anything but a simrun report is left alone, with an
/// error, so `--out` can never wipe a user's directory.
///
/// Nothing is left behind when the write is interrupted: on SIGINT or SIGTERM the staging
/// folder is removed and an earlier report moved aside is put back (`InterruptCleanup`),
/// and what a killed run (SIGKILL, power loss) left is removed by the next report written
/// to the same place (``removeLeftovers(of:in:)``).
///
///     try ReportWriter.write(document, to: URL(fileURLWithPath: "reports/options-2026"))
///     // reports/options-2026/index.html
///     // reports/options-2026/tables/comparison.csv, ...
///     // reports/options-2026/report.xlsx
package enum ReportWriter {
    /// The page's file name.
    package static let htmlFile = "index.html"
    /// The directory of the CSV files.
    package static let tablesDirectory = "tables"
    /// The workbook's file name.
    package static let workbookFile = "report.xlsx"

    /// Writes `document` to `directory`, creating missing parent directories.
    ///
    /// - Parameters:
    ///   - document: The report; checked with ``ReportDocument/validate()`` before anything is written.
    ///   - directory: The report directory; it may be new, empty, or hold an earlier report.
    /// - Throws: A ``ReportError``: the document's own errors, ``ReportError/destinationNotDirectory(path:)``,
    ///   ``ReportError/destinationNotReport(path:unexpected:)``, or ``ReportError/fileSystem(path:action:reason:)``
    ///   naming the file and what failed. Nothing is changed at the destination then.
    package static func write(_ document: ReportDocument, to directory: URL) throws {
        try document.validate()
        let fileManager = FileManager.default
        let destination = directory.standardizedFileURL
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        // First, so that an earlier report a killed run had moved aside is back before anything is decided.
        removeLeftovers(of: name, in: parent)
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw ReportError.destinationNotDirectory(path: destination.path) }
            try checkReplaceable(destination)
        }
        try ReportError.wrap("create the directory", parent) {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        }
        let token = "p\(getpid())-\(UUID().uuidString)"
        let staging = parent.appendingPathComponent(".\(name).\(stagingMarker)\(token)")
        let previous = parent.appendingPathComponent(".\(name).\(previousMarker)\(token)")
        // Interrupted (Ctrl-C, kill): the staging folder goes, an earlier report moved aside comes back.
        let cleanup = InterruptCleanup.shared
        let registration = cleanup.register {
            try? FileManager.default.removeItem(at: staging)
            restoreOrRemove(previous, destination: destination)
        }
        defer { cleanup.unregister(registration) }
        // Writing holds off an interruption's clean-up, so it never races a half-written file.
        do {
            try cleanup.critical { try writeContents(document, into: staging) }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
        InterruptCleanup.pauseForTests()
        try cleanup.critical {
            guard exists, fileManager.fileExists(atPath: destination.path) else {
                try move(staging, to: destination, cleaningUp: staging)
                return
            }
            try move(destination, to: previous, cleaningUp: staging)
            do {
                try move(staging, to: destination, cleaningUp: staging)
            } catch {
                try? fileManager.moveItem(at: previous, to: destination)
                throw error
            }
            removeTree(previous)
        }
    }

    /// The part of a staging folder's name after `.<report name>.`.
    package static let stagingMarker = "simrun-staging-"
    /// The part of a moved-aside earlier report's name after `.<report name>.`.
    package static let previousMarker = "simrun-previous-"

    /// After an interruption between the two renames: the earlier report back
    /// in place if the new one is not there, else removed.
    package static func restoreOrRemove(_ previous: URL, destination: URL) {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: previous.path) else { return }
        if fileManager.fileExists(atPath: destination.path) {
            removeTree(previous)
        } else {
            try? fileManager.moveItem(at: previous, to: destination)
        }
    }

    /// Removes a folder simrun wrote, making its folders writable first (an
    /// earlier report may have been made read-only: its files cannot be
    /// removed from a read-only folder).
    package static func removeTree(_ url: URL) {
        let fileManager = FileManager.default
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if info.st_mode & S_IRWXU != S_IRWXU { chmod(url.path, (info.st_mode & 0o7777) | S_IRWXU) }
            for entry in (try? fileManager.contentsOfDirectory(atPath: url.path)) ?? [] {
                removeTree(url.appendingPathComponent(entry))
            }
        }
        try? fileManager.removeItem(at: url)
    }

    /// Removes what an interrupted or killed earlier run left beside the
    /// report `name` in `parent`: staging folders, and earlier reports moved
    /// aside (put back if the report itself is missing).
    ///
    /// Only what is certainly simrun's is touched: a folder (not a link)
    /// named `.<name>.simrun-staging-p<pid>-<uuid>` or
    /// `.<name>.simrun-previous-p<pid>-<uuid>` whose process `<pid>` no
    /// longer runs, owned by this user, holding nothing but report files
    /// (``checkReplaceable(_:)``). Folders named by earlier simrun versions
    /// (no process id) count as left over once they are an hour old.
    package static func removeLeftovers(of name: String, in parent: URL) {
        let fileManager = FileManager.default
        let prefix = ".\(name)."
        for entry in (try? fileManager.contentsOfDirectory(atPath: parent.path)) ?? [] where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            let marker = [stagingMarker, previousMarker].first { rest.hasPrefix($0) }
            guard let marker else { continue }
            let token = rest.dropFirst(marker.count)
            let url = parent.appendingPathComponent(entry)
            var info = stat()
            guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid() else { continue }
            if token.hasPrefix("p"), let dash = token.firstIndex(of: "-"),
                let pid = Int32(token[token.index(after: token.startIndex)..<dash]),
                UUID(uuidString: String(token[token.index(after: dash)...])) != nil
            {
                guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }  // still running
            } else if UUID(uuidString: String(token)) != nil {
                guard Date().timeIntervalSince1970 - Double(info.st_mtim.tv_sec) > 3600 else { continue }
            } else {
                continue
            }
            guard (try? checkReplaceable(url)) != nil else { continue }
            if marker == previousMarker {
                restoreOrRemove(url, destination: parent.appendingPathComponent(name))
            } else {
                removeTree(url)
            }
        }
    }

    /// Writes the page, the CSV files and the workbook into a new directory `staging`.
    package static func writeContents(_ document: ReportDocument, into staging: URL) throws {
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
    package static func checkReplaceable(_ directory: URL) throws {
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
