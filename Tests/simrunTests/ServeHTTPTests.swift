import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SimAnalysis
import SimKernel
import SimReport
import Testing

@testable import simrun

/// `simrun serve`'s HTTP API, driven in process (HummingbirdTesting): every endpoint with a valid request,
/// invalid ones, a missing or wrong token and path traversal attempts (docs/serve.md).
@Suite("simrun serve: the HTTP API", .serialized)
struct ServeHTTPTests {
    static let childGrant = packageRoot.appendingPathComponent("inputs/scenarios/universal-child-grant.yaml").path
    static let targeted = packageRoot.appendingPathComponent("inputs/scenarios/child-grant-targeted.yaml").path
    static let token = "0123456789abcdef0123456789abcdef"

    /// A workshop on the example survey, writing into a fresh folder.
    static func workshop(_ files: [String] = [childGrant, targeted], folder: URL, country: String? = nil) throws -> Workshop {
        var settings = WorkshopSettings(scenarioFiles: files)
        settings.country = country
        settings.shippedScenarios = packageRoot.appendingPathComponent("inputs/scenarios").path
        settings.workingFolder = folder.path
        return try Workshop(settings: settings)
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `body` against the server in process.
    static func withServer(_ files: [String] = [childGrant, targeted], folder: URL? = nil, country: String? = nil,
                           _ body: @Sendable @escaping (any TestClientProtocol, URL) async throws -> Void) async throws {
        GSL.prepare()
        let folder = try folder ?? Self.folder()
        let server = WorkshopServer(workshop: try workshop(files, folder: folder, country: country), token: token, loopbackOnly: true)
        let app = Application(router: server.router())
        try await app.test(.router) { client in try await body(client, folder) }
    }

    static var headers: HTTPFields { [WorkshopServer.tokenHeader: token, .contentType: "application/json"] }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// The row `key` of a state's table.
    static func row(_ state: [String: Any], _ key: String) throws -> [String: Any] {
        let table = try #require(state["table"] as? [String: Any])
        let rows = try #require(table["rows"] as? [[String: Any]])
        return try #require(rows.first { $0["key"] as? String == key })
    }

    static func value(_ state: [String: Any], _ key: String, option: Int) throws -> Double? {
        let values = try #require(try row(state, key)["values"] as? [Any])
        return (values[option] as? NSNumber).map { Double($0.stringValue) ?? $0.doubleValue }
    }

    static func parameter(_ state: [String: Any], option: Int, path: String) throws -> Double {
        let options = try #require(state["options"] as? [[String: Any]])
        let parameters = try #require(options[option]["parameters"] as? [[String: Any]])
        let p = try #require(parameters.first { $0["path"] as? String == path })
        return try #require(p["value"] as? Double)
    }

    // MARK: - Page and token

    @Test("the page, its script and style are served without the token, with nothing fetched from elsewhere")
    func page() async throws {
        try await Self.withServer { client, _ in
            for (path, type) in [("/", "text/html"), ("/app.js", "text/javascript"), ("/app.css", "text/css")] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true)
                    #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                    let text = String(buffer: response.body)
                    #expect(!text.contains("http://") && !text.contains("https://"), "\(path) refers to another site")
                }
            }
        }
    }

    @Test("every API endpoint refuses a request without the token or with a wrong one (401)")
    func token() async throws {
        try await Self.withServer { client, _ in
            let endpoints: [(String, HTTPRequest.Method, String?)] = [
                ("/api/state", .get, nil), ("/api/scenarios", .get, nil), ("/api/options/1/parameter", .post, #"{"path":"amount_per_child","value":40}"#),
                ("/api/options", .post, #"{"scenario":"social-pension"}"#), ("/api/options/1/duplicate", .post, nil),
                ("/api/options/1", .delete, nil), ("/api/options/1/label", .post, #"{"label":"A"}"#),
                ("/api/options/1/save", .post, #"{"name":"x"}"#), ("/api/options/1/yaml", .get, nil), ("/api/year", .post, #"{"year":2026}"#),
                ("/api/intervals", .post, #"{"method":"linearized"}"#), ("/api/intervals", .get, nil), ("/api/pack", .get, nil),
                ("/api/bands", .post, #"{"replications":5}"#), ("/api/bands", .get, nil), ("/api/bands", .delete, nil),
                ("/api/sweep", .post, #"{"option":1,"vary":[{"path":"amount_per_child","from":10,"to":50,"step":10}]}"#), ("/api/sweep", .get, nil),
            ]
            for (uri, method, body) in endpoints {
                for headers: HTTPFields in [[:], [WorkshopServer.tokenHeader: "wrong"], [WorkshopServer.tokenHeader: String(Self.token.dropLast())]] {
                    try await client.execute(uri: uri, method: method, headers: headers, body: body.map(Self.body)) { response in
                        #expect(response.status == .unauthorized, "\(method) \(uri) answered \(response.status)")
                    }
                }
            }
            // Nothing changed: still two options, no file written.
            try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { response in
                let state = try Self.json(response)
                #expect((state["options"] as? [Any])?.count == 2)
            }
        }
    }

    @Test("a request naming another host than loopback is refused (DNS rebinding)")
    func host() async throws {
        #expect(GuardMiddleware.isLoopback(host: "127.0.0.1:8080"))
        #expect(GuardMiddleware.isLoopback(host: "localhost"))
        #expect(GuardMiddleware.isLoopback(host: "[::1]:80"))
        #expect(!GuardMiddleware.isLoopback(host: "evil.example:8080"))
        #expect(!GuardMiddleware.isLoopback(host: "127.0.0.1.evil.example"))
        #expect(!GuardMiddleware.isLoopback(host: nil))
        GSL.prepare()
        let server = WorkshopServer(workshop: try Self.workshop(folder: try Self.folder()), token: Self.token, loopbackOnly: true)
        try await Application(router: server.router()).test(.live) { client in
            var headers = Self.headers
            headers[HTTPField.Name("Host")!] = "evil.example"
            try await client.execute(uri: "/api/state", method: .get, headers: headers) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { response in
                #expect(response.status == .ok)
            }
        }
    }

    // MARK: - State

    @Test("the state's table has compare's rows, values and small-cell decisions for the same options")
    func stateMatchesCompare() async throws {
        let compare = runSimrun(["scenario", "compare", Self.childGrant, Self.targeted, "--format", "json"])
        try #require(compare.status == 0, "\(compare.stderr)")
        let output = compare.stdout
        try await Self.withServer { client, _ in
            let expected = try parseJSONObject(output)
            let options = try #require(expected["options"] as? [[String: Any]])
            try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { response in
                #expect(response.status == .ok)
                let state = try Self.json(response)
                let table = try #require(state["table"] as? [String: Any])
                let rows = try #require(table["rows"] as? [[String: Any]])
                for (i, option) in options.enumerated() {
                    let figures = try #require(option["figures"] as? [String: Any])
                    #expect(Set(figures.keys) == Set(rows.compactMap { $0["key"] as? String }))
                    for row in rows {
                        let key = try #require(row["key"] as? String)
                        let page = (row["values"] as? [Any])?[i] as? NSNumber
                        let cli = figures[key] as? NSNumber
                        #expect(page.map { Double($0.stringValue)! } == cli.map { Double($0.stringValue)! }, "\(key) of option \(i + 1)")
                        let disclosure = (row["disclosure"] as? [String])?[i]
                        let flagged = (option["flagged_small_cells"] as? [String] ?? []).contains(key)
                        #expect((disclosure == "flagged") == flagged, "\(key) of option \(i + 1): \(disclosure ?? "-")")
                    }
                }
                // The charts of the report: poverty by age group and gains by decile at least, as SVG.
                let charts = try #require(state["charts"] as? [[String: Any]])
                let titles = charts.compactMap { $0["title"] as? String }
                #expect(titles.contains("Poverty headcount by age group"))
                #expect(titles.contains("Mean gain by baseline income decile"))
                #expect(charts.allSatisfy { ($0["svg"] as? String)?.hasPrefix("<svg") == true })
                let tables = try #require(state["tables"] as? [[String: Any]])
                #expect(tables.contains { $0["id"] as? String == "coverage-gaps" })
            }
        }
    }

    // MARK: - Parameters

    @Test("a parameter change recomputes the option; the saved file gives scenario run's figures for it")
    func parameterChange() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.withServer(folder: folder) { client, _ in
            let before = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try Self.json($0) }
            #expect(try Self.parameter(before, option: 0, path: "amount_per_child") == 30)
            let after = try await client.execute(uri: "/api/options/1/parameter", method: .post, headers: Self.headers,
                                                 body: Self.body(#"{"path":"amount_per_child","value":45}"#)) { response in
                #expect(response.status == .ok)
                return try Self.json(response)
            }
            #expect(try Self.parameter(after, option: 0, path: "amount_per_child") == 45)
            // The title says the change (the file's title names the old amount).
            let title = try #require((after["options"] as? [[String: Any]])?.first?["title"] as? String)
            #expect(title.hasSuffix(", changed: amount per child 45"), "\(title)")
            #expect((after["options"] as? [[String: Any]])?.map { $0["changed"] as? Bool } == [true, false])
            let cost = try #require(try Self.value(after, "benefit_change_annual", option: 0))
            let old = try #require(try Self.value(before, "benefit_change_annual", option: 0))
            #expect(abs(cost / old - 1.5) < 1e-9, "the cost of a universal grant scales with its amount")
            // Money is shown scaled for reading on the page, in full in the tooltip (as compare prints it).
            let money = try Self.row(after, "benefit_change_annual")
            let shown = try #require((money["display"] as? [String])?.first)
            let full = try #require((money["full"] as? [String])?.first)
            #expect(shown == ReportNumberFormat.readableMoney.display(cost), "\(shown)")
            #expect(shown.hasSuffix("million") || shown.hasSuffix("billion") || shown.hasSuffix("thousand"), "\(shown)")
            #expect(full == ComparisonRenderer.show(cost, .money), "\(full)")
            // The second option did not change.
            #expect(try Self.value(after, "net_cost_annual", option: 1) == (try Self.value(before, "net_cost_annual", option: 1)))
            let saved = try await client.execute(uri: "/api/options/1/save", method: .post, headers: Self.headers,
                                                 body: Self.body(#"{"name":"grant 45"}"#)) { response in
                #expect(response.status == .created)
                return try Self.json(response)
            }
            #expect(saved["file"] as? String == "grant-45.yaml")
            let file = folder.appendingPathComponent("grant-45.yaml").path
            let run = runSimrun(["scenario", "run", file, "--format", "json"])
            try #require(run.status == 0, "\(run.stderr)")
            let figures = try parseJSONObject(run.stdout)
            let change = try #require(figures["change"] as? [String: Any])
            #expect(try number(change, "cost_annual") == cost)
        }
    }

    @Test("an invalid parameter change is refused with the option's message and changes nothing")
    func invalidParameter() async throws {
        try await Self.withServer { client, _ in
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"path":"no_such_parameter","value":1}"#, .unprocessableContent, "no_such_parameter"),
                (#"{"path":"amount_per_child","value":-5}"#, .unprocessableContent, "amount_per_child"),
                (#"{"path":"max_age","value":17.5}"#, .unprocessableContent, "max_age"),
                (#"{"path":"amount_per_child","value":"forty"}"#, .badRequest, "value"),
                (#"{"path":"amount_per_child"}"#, .badRequest, "value"),
                (#"{"path":"amount_per_child","value":1e999}"#, .badRequest, ""),
                ("not json", .badRequest, ""),
            ]
            for (body, status, field) in cases {
                try await client.execute(uri: "/api/options/1/parameter", method: .post, headers: Self.headers, body: Self.body(body)) { response in
                    #expect(response.status == status, "\(body): \(response.status)")
                    let error = try Self.json(response)
                    #expect((error["error"] as? String)?.isEmpty == false)
                    if !field.isEmpty { #expect(error["field"] as? String == field || (error["error"] as? String)?.contains(field) == true, "\(body)") }
                }
            }
            try await client.execute(uri: "/api/options/99/parameter", method: .post, headers: Self.headers,
                                     body: Self.body(#"{"path":"amount_per_child","value":40}"#)) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/options/..%2F..%2Fetc/parameter", method: .post, headers: Self.headers,
                                     body: Self.body(#"{"path":"amount_per_child","value":40}"#)) { #expect($0.status == .notFound) }
            let big = "{\"path\":\"" + String(repeating: "a", count: WorkshopServer.maximumBody) + "\",\"value\":1}"
            try await client.execute(uri: "/api/options/1/parameter", method: .post, headers: Self.headers, body: Self.body(big)) {
                #expect($0.status == .contentTooLarge)
            }
            let state = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try Self.json($0) }
            #expect(try Self.parameter(state, option: 0, path: "amount_per_child") == 30)
            #expect(state["revision"] as? Int == 0)
        }
    }

    // MARK: - Options

    @Test("options are added from the started or shipped scenarios only, copied, renamed and removed")
    func options() async throws {
        try await Self.withServer { client, _ in
            let list = try await client.execute(uri: "/api/scenarios", method: .get, headers: Self.headers) { try Self.json($0) }
            let scenarios = try #require(list["scenarios"] as? [[String: Any]])
            #expect(scenarios.contains { $0["id"] as? String == "social-pension" && $0["origin"] as? String == "shipped" })
            #expect(scenarios.contains { $0["id"] as? String == "universal-child-grant" && $0["origin"] as? String == "started" })
            #expect(scenarios.allSatisfy { Set($0.keys) == ["id", "title", "origin"] && !($0["id"] as? String ?? "/").contains("/") },
                    "no path is shown to the page")
            var state = try await client.execute(uri: "/api/options", method: .post, headers: Self.headers,
                                                 body: Self.body(#"{"scenario":"social-pension"}"#)) { try Self.json($0) }
            #expect((state["options"] as? [[String: Any]])?.map { $0["id"] as? Int } == [1, 2, 3])
            for attempt in ["../../../etc/passwd", "/etc/passwd", "../systems/current_law", "social-pension.yaml", ""] {
                try await client.execute(uri: "/api/options", method: .post, headers: Self.headers,
                                         body: Self.body("{\"scenario\":\"\(attempt)\"}")) { #expect($0.status == .notFound, "\(attempt)") }
            }
            state = try await client.execute(uri: "/api/options/1/duplicate", method: .post, headers: Self.headers) { try Self.json($0) }
            let ids = (state["options"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }
            #expect(ids == [1, 4, 2, 3])
            state = try await client.execute(uri: "/api/options/4/label", method: .post, headers: Self.headers,
                                             body: Self.body(#"{"label":"Grant, copy"}"#)) { try Self.json($0) }
            #expect((state["options"] as? [[String: Any]])?[1]["label"] as? String == "Grant, copy")
            try await client.execute(uri: "/api/options/4/label", method: .post, headers: Self.headers,
                                     body: Self.body(#"{"label":"a\nb"}"#)) { #expect($0.status == .badRequest) }
            for id in [4, 2, 3] {
                try await client.execute(uri: "/api/options/\(id)", method: .delete, headers: Self.headers) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/api/options/1", method: .delete, headers: Self.headers) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/api/options/7", method: .delete, headers: Self.headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/options/7/duplicate", method: .post, headers: Self.headers) { #expect($0.status == .notFound) }
        }
    }

    @Test("the year is switched for every option; a year out of range is refused")
    func year() async throws {
        try await Self.withServer { client, _ in
            let state = try await client.execute(uri: "/api/year", method: .post, headers: Self.headers,
                                                 body: Self.body(#"{"year":2026}"#)) { try Self.json($0) }
            #expect(state["year"] as? Int == 2026)
            #expect((state["options"] as? [[String: Any]])?.allSatisfy { $0["year"] as? Int == 2026 } == true)
            for body in [#"{"year":1800}"#, #"{"year":"soon"}"#, #"{"year":2026.5}"#] {
                try await client.execute(uri: "/api/year", method: .post, headers: Self.headers, body: Self.body(body)) {
                    #expect($0.status == .badRequest, "\(body)")
                }
            }
            let back = try await client.execute(uri: "/api/year", method: .post, headers: Self.headers,
                                                body: Self.body(#"{"year":null}"#)) { try Self.json($0) }
            #expect(back["year"] == nil || back["year"] is NSNull)
        }
    }

    @Test("a year the country profile does not cover is refused at the year control, and the page keeps its figures (was: accepted, then every state failed)")
    func yearOutsideProfile() async throws {
        let profile = try CountryProfile(file: packageRoot.appendingPathComponent("inputs/countries/example.yaml").path)
        let outside = profile.years.upperBound + 1
        try await Self.withServer(country: "example") { client, _ in
            let before = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try Self.json($0) }
            try await client.execute(uri: "/api/year", method: .post, headers: Self.headers, body: Self.body("{\"year\":\(outside)}")) { response in
                #expect(response.status == .unprocessableContent)
                let error = try Self.json(response)
                #expect(error["field"] as? String == "year")
                #expect((error["error"] as? String)?.contains("outside the country profile") == true, "\(error)")
            }
            // The page as it was: its state answers, with the same year, revision and figures.
            let after = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { response in
                #expect(response.status == .ok)
                return try Self.json(response)
            }
            #expect(after["revision"] as? Int == before["revision"] as? Int)
            #expect(after["year"] == nil || after["year"] is NSNull)
            #expect(try Self.value(after, "net_cost_annual", option: 0) == Self.value(before, "net_cost_annual", option: 0))
            // And it still takes changes.
            try await client.execute(uri: "/api/options/1/parameter", method: .post, headers: Self.headers,
                                     body: Self.body(#"{"path":"amount_per_child","value":40}"#)) { #expect($0.status == .ok) }
        }
    }

    @Test("a sweep whose step is too small to count its variants is refused in words (was: 'the sweep has null variants')")
    func sweepCountOverflow() async throws {
        try await Self.withServer(country: "example") { client, _ in
            // (to - from) / step overflows to infinity: the smallest positive step, and a range wider than the largest double.
            for vary in [#"{"path":"amount_per_child","from":0,"to":10,"step":5e-324}"#,
                         #"{"path":"amount_per_child","from":-1.7e308,"to":1.7e308,"step":1e-300}"#] {
                try await client.execute(uri: "/api/sweep", method: .post, headers: Self.headers,
                                         body: Self.body(#"{"option":1,"vary":["# + vary + "]}")) { response in
                    #expect(response.status == .unprocessableContent)
                    let message = try #require(try Self.json(response)["error"] as? String)
                    #expect(message.contains("more variants than can be counted"), "\(message)")
                    #expect(!message.contains("null") && !message.contains("inf") && !message.contains("nan"), "\(message)")
                }
            }
        }
    }

    // MARK: - Files

    @Test("save writes into the working folder only, under a cleaned name, never over a file")
    func save() async throws {
        let root = try Self.folder()
        let folder = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.withServer(folder: folder) { client, _ in
            for (name, file) in [("../escape", "escape.yaml"), ("/tmp/abs", "tmp-abs.yaml"), ("..\\..\\win", "win.yaml"), ("ok.yaml", "ok.yaml")] {
                let saved = try await client.execute(uri: "/api/options/1/save", method: .post, headers: Self.headers,
                                                     body: Self.body("{\"name\":\"\(name.replacingOccurrences(of: "\\", with: "\\\\"))\"}")) { response in
                    #expect(response.status == .created, "\(name)")
                    return try Self.json(response)
                }
                #expect(saved["file"] as? String == file)
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["work"], "nothing outside the working folder")
            try await client.execute(uri: "/api/options/1/save", method: .post, headers: Self.headers, body: Self.body(#"{"name":"ok"}"#)) {
                #expect($0.status == .conflict)
            }
            // A link planted in the working folder is never followed, even a dangling one.
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("linked.yaml").path,
                                                       withDestinationPath: root.appendingPathComponent("outside.yaml").path)
            try await client.execute(uri: "/api/options/1/save", method: .post, headers: Self.headers, body: Self.body(#"{"name":"linked"}"#)) {
                #expect($0.status == .conflict)
            }
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("outside.yaml").path))
            for name in ["", "...", "///", String(repeating: "a", count: 61)] {
                try await client.execute(uri: "/api/options/1/save", method: .post, headers: Self.headers, body: Self.body("{\"name\":\"\(name)\"}")) {
                    #expect($0.status == .badRequest, "\(name)")
                }
            }
            try await client.execute(uri: "/api/options/1/yaml", method: .get, headers: Self.headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("amount_per_child"))
            }
        }
    }

    @Test("the pack is the report of the options on the page, as a zip; nothing is left in the working folder")
    func pack() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Self.withServer(folder: folder) { client, _ in
            try await client.execute(uri: "/api/pack", method: .get, headers: Self.headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/zip")
                let bytes = Array(response.body.readableBytesView)
                #expect(bytes.prefix(2) == [0x50, 0x4b])
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(text.contains("simrun-report/index.html") && text.contains("simrun-report/report.xlsx"))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
    }

    @Test("the pack's tables are simrun report's for the same options (--flag-only, as serve flags like compare)")
    func packMatchesReport() async throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = runSimrun(["report", Self.childGrant, Self.targeted, "--flag-only", "--out", out.appendingPathComponent("r").path, "--quiet"])
        try #require(report.status == 0, "\(report.stderr)")
        let tables = out.appendingPathComponent("r/tables")
        // The sections the page shows (the baseline profile and the one-draw note: ServeBandsSweepTests).
        let names = ["comparison.csv", "poverty-by-age.csv", "gain-by-decile.csv", "coverage-gaps.csv"]
        let expected = try names.map { ($0, try String(contentsOf: tables.appendingPathComponent($0), encoding: .utf8)) }
        try await Self.withServer { client, _ in
            try await client.execute(uri: "/api/pack", method: .get, headers: Self.headers) { response in
                // The pack's entries are stored (not deflated): each table's bytes appear as they are.
                let text = String(decoding: Array(response.body.readableBytesView), as: UTF8.self)
                for (name, csv) in expected {
                    #expect(text.contains("simrun-report/tables/\(name)"), "\(name)")
                    #expect(text.contains(csv), "tables/\(name) differs from simrun report's")
                }
            }
        }
    }

    // MARK: - Intervals

    @Test("confidence intervals are computed in the background with progress, then shown in the table")
    func intervals() async throws {
        try await Self.withServer { client, _ in
            try await client.execute(uri: "/api/intervals", method: .post, headers: Self.headers, body: Self.body(#"{"method":"bootstrap"}"#)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/intervals", method: .post, headers: Self.headers, body: Self.body(#"{"method":"linearized"}"#)) {
                #expect($0.status == .accepted)
            }
            var status = ""
            for _ in 0..<600 {
                let progress = try await client.execute(uri: "/api/intervals", method: .get, headers: Self.headers) { try Self.json($0) }
                status = progress["status"] as? String ?? ""
                if status != "running" { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(status == "ready")
            let state = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try Self.json($0) }
            let row = try Self.row(state, "fgt0_change")
            let intervals = try #require(row["ci95"] as? [Any])
            #expect(intervals.allSatisfy { ($0 as? [Double])?.count == 2 })
            #expect((row["display"] as? [String])?.allSatisfy { $0.contains("[") } == true)
        }
    }
}
