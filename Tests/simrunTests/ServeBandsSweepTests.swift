import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SimKernel
import Testing

@testable import simrun

/// `simrun serve`'s Monte Carlo bands, the pack's report sections and the sweep frontier, each checked against the
/// command that computes it (`scenario compare --replications`, `report`, `sweep`).
@Suite("simrun serve: bands, the full pack and the sweep", .serialized)
struct ServeBandsSweepTests {
    typealias HTTP = ServeHTTPTests
    static var headers: HTTPFields { HTTP.headers }

    static func number(_ any: Any?) -> Double? {
        (any as? NSNumber).map { Double($0.stringValue) ?? $0.doubleValue }
    }

    /// Polls `GET /api/NAME` until it is no longer running; returns the last answer.
    static func wait(_ client: any TestClientProtocol, _ name: String, status path: [String] = []) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        for _ in 0..<2400 {
            last = try await client.execute(uri: "/api/\(name)", method: .get, headers: headers) { try HTTP.json($0) }
            var progress = last
            for key in path { progress = progress[key] as? [String: Any] ?? [:] }
            if progress["status"] as? String != "running" { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return last
    }

    // MARK: - Bands

    @Test("the page's Monte Carlo bands are scenario compare --replications N's, figure for figure, bit for bit")
    func bandsMatchCompare() async throws {
        let n = 7
        let compare = runSimrun(["scenario", "compare", HTTP.childGrant, HTTP.targeted, "--replications", String(n), "--format", "json"])
        try #require(compare.status == 0, "\(compare.stderr)")
        let output = compare.stdout
        try await HTTP.withServer { client, _ in
            let expected = try #require(try parseJSONObject(output)["options"] as? [[String: Any]])
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":\#(n)}"#)) {
                #expect($0.status == .accepted)
            }
            let progress = try await Self.wait(client, "bands")
            #expect(progress["status"] as? String == "ready", "\(progress)")
            #expect(progress["replications"] as? Int == n)
            let state = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try HTTP.json($0) }
            var compared = 0
            for (i, option) in expected.enumerated() {
                let figures = try #require(option["figures"] as? [String: Any])
                let bands = try #require(option["bands_2_5_97_5"] as? [String: Any])
                for (key, cli) in figures {
                    let row = try HTTP.row(state, key)
                    #expect(Self.number((row["values"] as? [Any])?[i]) == Self.number(cli), "mean of \(key), option \(i + 1)")
                    let band = (row["band"] as? [Any])?[i] as? [Any]
                    let cliBand = bands[key] as? [Any]
                    #expect(band?.map(Self.number) == cliBand?.map(Self.number), "band of \(key), option \(i + 1)")
                    if cliBand != nil { compared += 1 }
                }
            }
            #expect(compared > 20)
            // The targeted grant draws its take-up: its bands have width; the page says what the figures are.
            let lifted = try HTTP.row(state, "benefit_change_annual")
            let band = try #require((lifted["band"] as? [Any])?[1] as? [Double])
            #expect(band[0] < band[1])
            #expect((lifted["display"] as? [String])?[1].contains("[") == true)
            // The universal grant draws nothing: its band has width 0 and is not printed (as in report).
            let fixed = try #require((lifted["band"] as? [Any])?[0] as? [Double])
            #expect(fixed[0] == fixed[1] && (lifted["display"] as? [String])?[0].contains("[") == false)
            #expect((state["notes"] as? [String])?.first?.contains("mean of \(n) draws") == true)
        }
    }

    @Test("an option costed on one draw of its random parts says so on the page, naming the options compare names")
    func oneDrawNote() async throws {
        let compare = runSimrun(["scenario", "compare", HTTP.childGrant, HTTP.targeted])
        try #require(compare.status == 0, "\(compare.stderr)")
        let line = try #require(compare.stdout.split(separator: "\n").first { $0.contains("depends on random draws") })
        let named = String(line[..<line.range(of: " depends on random draws")!.lowerBound]).trimmingCharacters(in: .whitespaces)
        try await HTTP.withServer { client, _ in
            let state = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try HTTP.json($0) }
            let notes = try #require(state["notes"] as? [String])
            let note = try #require(notes.first { $0.contains("depends on random draws") }, "\(notes)")
            #expect(note.hasPrefix(named + " depends on random draws"), "\(note) vs compare's \(named)")
            #expect(note.contains("Monte Carlo bands"))
            // With the bands shown the figures are means of several draws: the note goes.
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":3}"#)) {
                #expect($0.status == .accepted)
            }
            _ = try await Self.wait(client, "bands")
            let after = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try HTTP.json($0) }
            #expect((after["notes"] as? [String])?.contains { $0.contains("depends on random draws") } == false)
        }
    }

    @Test("bands: a number out of bounds is refused with the command line's message; intervals and bands exclude each other")
    func bandsValidation() async throws {
        try await HTTP.withServer { client, _ in
            for (body, fragment) in [("0", "--replications must be at least 1 (got 0)"), ("201", "from 2 to 200"), ("1", "from 2 to 200")] {
                try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":\#(body)}"#)) { response in
                    #expect(response.status == .unprocessableContent)
                    let error = try HTTP.json(response)
                    #expect((error["error"] as? String)?.contains(fragment) == true, "\(error)")
                    #expect(error["field"] as? String == "replications")
                }
            }
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":"many"}"#)) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/api/intervals", method: .post, headers: Self.headers, body: HTTP.body(#"{"method":"linearized"}"#)) {
                #expect($0.status == .accepted)
            }
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":5}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let error = try HTTP.json(response)
                #expect((error["error"] as? String)?.contains("cannot be combined") == true)
            }
        }
    }

    @Test("bands of options that have since changed are never shown: a change cancels them")
    func bandsStale() async throws {
        try await HTTP.withServer { client, _ in
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":200}"#)) {
                #expect($0.status == .accepted)
            }
            let changed = try await client.execute(uri: "/api/options/1/parameter", method: .post, headers: Self.headers,
                                                   body: HTTP.body(#"{"path":"amount_per_child","value":45}"#)) { try HTTP.json($0) }
            #expect((changed["bands"] as? [String: Any])?["status"] as? String == "none")
            let band = try #require(try HTTP.row(changed, "fgt0_change")["band"] as? [Any])
            #expect(band.allSatisfy { $0 is NSNull })
            try await Task.sleep(nanoseconds: 300_000_000)
            let later = try await client.execute(uri: "/api/bands", method: .get, headers: Self.headers) { try HTTP.json($0) }
            #expect(later["status"] as? String == "none")
            // Asked again for the new options, then dropped on request: the table shows one draw again.
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":3}"#)) {
                #expect($0.status == .accepted)
            }
            let ready = try await Self.wait(client, "bands")
            #expect(ready["status"] as? String == "ready")
            let hidden = try await client.execute(uri: "/api/bands", method: .delete, headers: Self.headers) { try HTTP.json($0) }
            #expect((hidden["bands"] as? [String: Any])?["status"] as? String == "none")
            let oneDraw = try HTTP.row(changed, "fgt0_change")["values"] as? [Double]
            #expect(try HTTP.row(hidden, "fgt0_change")["values"] as? [Double] == oneDraw)
        }
    }

    // MARK: - The pack

    @Test("the pack holds report's baseline profile and its note on options costed on one draw; with bands, report --replications's table")
    func packSections() async throws {
        let out = try HTTP.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let one = runSimrun(["report", HTTP.childGrant, HTTP.targeted, "--flag-only", "--out", out.appendingPathComponent("one").path, "--quiet"])
        try #require(one.status == 0, "\(one.stderr)")
        let five = runSimrun(["report", HTTP.childGrant, HTTP.targeted, "--flag-only", "--replications", "5",
                              "--out", out.appendingPathComponent("five").path, "--quiet"])
        try #require(five.status == 0, "\(five.stderr)")
        func csv(_ run: String, _ name: String) throws -> String {
            try String(contentsOf: out.appendingPathComponent("\(run)/tables/\(name)"), encoding: .utf8)
        }
        let tables = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("one/tables").path)
        let profile = try #require(tables.first { $0.contains("baseline") || $0.contains("today") }, "\(tables)")
        let profileCSV = try csv("one", profile), comparisonCSV = try csv("one", "comparison.csv"), bandsCSV = try csv("five", "comparison.csv")
        let html = try String(contentsOf: out.appendingPathComponent("one/index.html"), encoding: .utf8)
        #expect(html.contains("depends on random draws"))
        try await HTTP.withServer { client, _ in
            try await client.execute(uri: "/api/pack", method: .get, headers: Self.headers) { response in
                let text = String(decoding: Array(response.body.readableBytesView), as: UTF8.self)
                #expect(text.contains("simrun-report/tables/\(profile)"))
                #expect(text.contains(profileCSV), "the baseline profile differs from simrun report's")
                #expect(text.contains(comparisonCSV))
                #expect(text.contains("depends on random draws (take-up, durations or assessment errors): the figures come from one draw"))
            }
            try await client.execute(uri: "/api/bands", method: .post, headers: Self.headers, body: HTTP.body(#"{"replications":5}"#)) {
                #expect($0.status == .accepted)
            }
            _ = try await Self.wait(client, "bands")
            try await client.execute(uri: "/api/pack", method: .get, headers: Self.headers) { response in
                let text = String(decoding: Array(response.body.readableBytesView), as: UTF8.self)
                #expect(text.contains(bandsCSV), "the pack's comparison with bands differs from report --replications 5")
                #expect(text.contains("is the mean of 5 simulations"))
                #expect(!text.contains("the figures come from one draw"))
            }
        }
    }

    @Test("with intervals shown, the page's are compare --se linearized's and the pack's comparison is report --se linearized's")
    func intervalsMatchCLI() async throws {
        let out = try HTTP.folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = runSimrun(["report", HTTP.childGrant, HTTP.targeted, "--flag-only", "--se", "linearized",
                                "--out", out.appendingPathComponent("se").path, "--quiet"])
        try #require(report.status == 0, "\(report.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("se/tables/comparison.csv"), encoding: .utf8)
        let compare = runSimrun(["scenario", "compare", HTTP.childGrant, HTTP.targeted, "--se", "linearized", "--format", "json"])
        try #require(compare.status == 0, "\(compare.stderr)")
        let output = compare.stdout
        try await HTTP.withServer { client, _ in
            let expected = try #require(try parseJSONObject(output)["options"] as? [[String: Any]])
            try await client.execute(uri: "/api/intervals", method: .post, headers: Self.headers, body: HTTP.body(#"{"method":"linearized"}"#)) {
                #expect($0.status == .accepted)
            }
            let progress = try await Self.wait(client, "intervals")
            #expect(progress["status"] as? String == "ready")
            let state = try await client.execute(uri: "/api/state", method: .get, headers: Self.headers) { try HTTP.json($0) }
            for (i, option) in expected.enumerated() {
                let intervals = try #require(option["ci95"] as? [String: Any])
                #expect(intervals.count >= 4)
                for (key, cli) in intervals {
                    let page = (try HTTP.row(state, key)["ci95"] as? [Any])?[i] as? [Any]
                    #expect(page?.map(Self.number) == (cli as? [Any])?.map(Self.number), "ci95 of \(key), option \(i + 1)")
                }
            }
            try await client.execute(uri: "/api/pack", method: .get, headers: Self.headers) { response in
                let text = String(decoding: Array(response.body.readableBytesView), as: UTF8.self)
                #expect(text.contains(csv), "the pack's comparison with intervals differs from report --se linearized")
            }
        }
    }

    @Test("an option added later that needs a column the first did not (the targeted grant's urban) runs, and the pack keeps its profile")
    func addedOptionAndProfile() async throws {
        try await HTTP.withServer([HTTP.childGrant]) { client, _ in
            try await client.execute(uri: "/api/options", method: .post, headers: Self.headers,
                                     body: HTTP.body(#"{"scenario":"child-grant-targeted"}"#)) { response in
                #expect(response.status == .ok)
                let state = try HTTP.json(response)
                #expect((state["options"] as? [Any])?.count == 2)
            }
            try await client.execute(uri: "/api/pack", method: .get, headers: Self.headers) { response in
                #expect(response.status == .ok)
                let text = String(decoding: Array(response.body.readableBytesView), as: UTF8.self)
                #expect(text.contains("Everyone"))
            }
        }
    }

    // MARK: - Sweep

    @Test("the page's sweep rows are simrun sweep's on the equivalent sweep file; the frontier chart tells each point's values")
    func sweepMatchesCLI() async throws {
        let folder = try HTTP.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sweepFile = folder.appendingPathComponent("grid.yaml")
        try """
            scenario: \(HTTP.childGrant)
            vary:
              amount_per_child: {from: 10, to: 50, step: 10}
              max_age: {from: 10, to: 17, step: 1}
            """.write(to: sweepFile, atomically: true, encoding: .utf8)
        let cli = runSimrun(["sweep", sweepFile.path, "--country", "example", "--format", "json", "--quiet"])
        try #require(cli.status == 0, "\(cli.stderr)")
        let output = cli.stdout
        try await HTTP.withServer(country: "example") { client, working in
            let expected = try #require(try parseJSONObject(output)["rows"] as? [[String: Any]])
            let request = #"{"option":1,"vary":[{"path":"amount_per_child","from":10,"to":50,"step":10},{"path":"max_age","from":10,"to":17,"step":1}]}"#
            try await client.execute(uri: "/api/sweep", method: .post, headers: Self.headers, body: HTTP.body(request)) {
                #expect($0.status == .accepted)
            }
            let result = try await Self.wait(client, "sweep", status: ["progress"])
            #expect((result["progress"] as? [String: Any])?["status"] as? String == "ready", "\(result["progress"] ?? "")")
            let rows = try #require(result["rows"] as? [[String: Any]])
            #expect(rows.count == expected.count && rows.count == 40)
            for (page, row) in zip(rows, expected) {
                #expect(page["row"] as? Int == row["row"] as? Int)
                let pp = try #require(page["parameters"] as? [String: Any]), cp = try #require(row["parameters"] as? [String: Any])
                #expect(pp.mapValues(Self.number) == cp.mapValues(Self.number))
                let pf = try #require(page["figures"] as? [String: Any]), cf = try #require(row["figures"] as? [String: Any])
                #expect(Set(pf.keys) == Set(cf.keys))
                for (key, value) in cf { #expect(Self.number(pf[key]) == Self.number(value), "\(key) of row \(row["row"] ?? "")") }
            }
            // The chart of report --sweep, every point telling its parameter values; the frontier marked.
            let chart = try #require(result["chart"] as? String)
            #expect(chart.hasPrefix("<svg") && chart.contains("Net cost against poverty-gap reduction"))
            #expect(chart.components(separatedBy: "<circle").count - 1 == 40)
            #expect(chart.contains("amount per child 30, max age 14: net cost "))
            let frontier = rows.filter { $0["frontier"] as? Bool == true }.count
            #expect(frontier > 0 && frontier < 40)
            #expect(chart.components(separatedBy: "<title>Not dominated.").count - 1 == frontier)
            // The table of the variants not dominated names the option as the page does.
            let table = try #require(result["table"] as? [String: Any])
            let cells = try #require(table["rows"] as? [[String]])
            #expect(cells.count == frontier && cells.allSatisfy { $0[1] == "Child grant 30" }, "\(cells.first ?? [])")
            // Nothing staged is left in the working folder.
            #expect(try FileManager.default.contentsOfDirectory(atPath: working.path).isEmpty)
            // A change to another option keeps the sweep; a change to the swept option drops it.
            let other = try await client.execute(uri: "/api/options/2/label", method: .post, headers: Self.headers,
                                                 body: HTTP.body(#"{"label":"B"}"#)) { try HTTP.json($0) }
            #expect((other["sweep"] as? [String: Any])?["status"] as? String == "ready")
            let changed = try await client.execute(uri: "/api/options/1/parameter", method: .post, headers: Self.headers,
                                                   body: HTTP.body(#"{"path":"amount_per_child","value":45}"#)) { try HTTP.json($0) }
            #expect((changed["sweep"] as? [String: Any])?["status"] as? String == "none")
            let after = try await client.execute(uri: "/api/sweep", method: .get, headers: Self.headers) { try HTTP.json($0) }
            #expect((after["rows"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a sweep asked again replaces the one under way: the first's cancellation never lands on the second")
    func sweepReplaced() async throws {
        try await HTTP.withServer(country: "example") { client, _ in
            let long = #"{"option":1,"vary":[{"path":"amount_per_child","from":1,"to":400,"step":1}]}"#
            let short = #"{"option":1,"vary":[{"path":"amount_per_child","from":10,"to":50,"step":10}]}"#
            for body in [long, short] {
                try await client.execute(uri: "/api/sweep", method: .post, headers: Self.headers, body: HTTP.body(body)) {
                    #expect($0.status == .accepted)
                }
            }
            var statuses: [String] = []
            var last: [String: Any] = [:]
            for _ in 0..<2400 {
                last = try await client.execute(uri: "/api/sweep", method: .get, headers: Self.headers) { try HTTP.json($0) }
                let status = (last["progress"] as? [String: Any])?["status"] as? String ?? ""
                statuses.append(status)
                if status != "running" { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            #expect(statuses.last == "ready", "\(Set(statuses)) \(last["progress"] ?? "")")
            #expect((last["rows"] as? [Any])?.count == 5)
        }
    }

    @Test("a sweep request is checked with simrun sweep's messages, placed at the control; more than 400 variants is refused")
    func sweepValidation() async throws {
        try await HTTP.withServer(country: "example") { client, working in
            let cases: [(String, HTTPResponse.Status, String, String?)] = [
                (#"{"option":1,"vary":[{"path":"amount_per_child","from":10,"to":50,"step":0}]}"#, .unprocessableContent, "'step' must be above 0", "vary.0.step"),
                (#"{"option":1,"vary":[{"path":"amount_per_child","from":50,"to":10,"step":5}]}"#, .unprocessableContent, "must not be above 'to'", "vary.0.from"),
                (#"{"option":1,"vary":[{"path":"amount_per_chil","from":10,"to":50,"step":5}]}"#, .unprocessableContent, "has no numeric parameter", "vary.0"),
                (#"{"option":1,"vary":[{"path":"max_age","from":4,"to":17,"step":0.5}]}"#, .unprocessableContent, "is a whole number", "vary.0"),
                (#"{"option":1,"vary":[{"path":"amount_per_child","from":0,"to":1000,"step":1}]}"#, .unprocessableContent, "at most 400", "vary"),
                (#"{"option":1,"vary":[{"path":"amount_per_child","from":1,"to":40,"step":1},{"path":"max_age","from":1,"to":17,"step":1}]}"#, .unprocessableContent, "680 variants", "vary"),
                (#"{"option":1,"vary":[{"path":"../../etc","from":1,"to":4,"step":1}]}"#, .badRequest, "choose a parameter", "vary.0.path"),
                (#"{"option":1,"vary":[]}"#, .badRequest, "one or two parameters", "vary"),
                (#"{"option":9,"vary":[{"path":"amount_per_child","from":10,"to":50,"step":10}]}"#, .notFound, "no option 9", nil),
            ]
            for (body, status, fragment, field) in cases {
                try await client.execute(uri: "/api/sweep", method: .post, headers: Self.headers, body: HTTP.body(body)) { response in
                    #expect(response.status == status, "\(body)")
                    let error = try HTTP.json(response)
                    #expect((error["error"] as? String)?.contains(fragment) == true, "\(body): \(error)")
                    if let field { #expect(error["field"] as? String == field, "\(body): \(error)") }
                }
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: working.path).isEmpty)
        }
        // Without a country profile there is no cost in % of GDP to draw against.
        try await HTTP.withServer { client, _ in
            try await client.execute(uri: "/api/sweep", method: .post, headers: Self.headers,
                                     body: HTTP.body(#"{"option":1,"vary":[{"path":"amount_per_child","from":10,"to":50,"step":10}]}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let error = try HTTP.json(response)
                #expect((error["error"] as? String)?.contains("--country") == true)
            }
        }
    }
}
