import SimReport
import Foundation
import Testing

@testable import simrun

extension ReportTests {
    /// Renders the sample report's page in a real browser (headless Chromium) and checks a
    /// screenshot came out: a PNG of the requested size, big enough not to be blank.
    ///
    /// Skipped, saying why, where no Chromium is installed (Debian: `apt-get install chromium`).
    /// Set `SIMRUN_REPORT_SCREENSHOT_DIR` to keep the report and `screenshot.png` there, to
    /// look at them.
    @Suite("Report in a browser")
    struct BrowserTests {
        /// The first Chromium found on the usual paths, or `nil`.
        static let chromium: URL? = {
            let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                              "/usr/local/bin/chromium", "/snap/bin/chromium"]
            return candidates.map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }
        }()

        static let width = 1200
        static let height = 2400

        @Test("headless Chromium renders the page to a non-blank PNG of the window's size",
              .enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium); browser rendering not checked"),
              .timeLimit(.minutes(3)))
        func screenshot() throws {
            let browser = try #require(Self.chromium)
            let keep = ProcessInfo.processInfo.environment["SIMRUN_REPORT_SCREENSHOT_DIR"]
            let scratch = try makeScratchDirectory("browser")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let base = keep.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? scratch
            let report = base.appendingPathComponent("report")
            let png = base.appendingPathComponent("screenshot.png")
            try? FileManager.default.removeItem(at: png)
            try ReportWriter.write(ReportDocument.sample(), to: report)

            let process = Process()
            process.executableURL = browser
            process.arguments = [
                "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
                "--screenshot=\(png.path)", "--window-size=\(Self.width),\(Self.height)",
                report.appendingPathComponent("index.html").absoluteString,
            ]
            let log = scratch.appendingPathComponent("chromium.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""

            let data = try #require(try? Data(contentsOf: png), "no screenshot; Chromium said:\n\(output.suffix(2000))")
            let bytes = [UInt8](data)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
            // IHDR follows the signature: length (4), "IHDR" (4), width (4, big-endian), height (4).
            try #require(bytes.count > 24)
            #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
            func bigEndian(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 << 8 | Int($1) } }
            #expect(bigEndian(16..<20) == Self.width)
            #expect(bigEndian(20..<24) == Self.height)
            // A blank 1200 x 2400 page compresses to about 10 KB; text, tables and charts to far more.
            #expect(data.count > 60_000, "screenshot is only \(data.count) bytes: blank page?")
        }
    }
}
