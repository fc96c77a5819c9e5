import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SimAnalysis
import SimKernel
import SimReport
import ZIPFoundation

/// The HTTP side of `simrun serve`: the page, its script and style, and the JSON API (docs/serve.md).
///
/// Every `/api/` request must carry the session token in the `X-Simrun-Token` header; bodies are JSON of at
/// most ``maximumBody`` bytes; while bound to loopback, a request naming another host (DNS rebinding) is refused.
struct WorkshopServer: Sendable {
    let workshop: Workshop
    let token: String
    /// Check the `Host` header (loopback binding only).
    let loopbackOnly: Bool

    /// Request bodies larger than this are refused (413).
    static let maximumBody = 16 * 1024
    static let tokenHeader = HTTPField.Name("X-Simrun-Token")!

    /// A fresh random token (32 hex digits from the system's random generator).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: GuardMiddleware(token: token, loopbackOnly: loopbackOnly))
        router.get("/") { _, _ in Self.asset(WorkshopPage.html, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in Self.asset(WorkshopPage.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in Self.asset(WorkshopPage.style, type: "text/css; charset=utf-8") }

        let api = router.group("api")
        api.get("state") { _, _ in try await self.stateResponse() }
        api.get("scenarios") { _, _ in
            Self.json(ScenarioList(scenarios: self.workshop.choices))
        }
        api.post("options/:id/parameter") { request, context in
            let id = try Self.optionID(context)
            let body = try await Self.decode(ParameterChange.self, request, context)
            try await self.workshop.setParameter(option: id, path: body.path, value: body.value)
            return try await self.stateResponse()
        }
        api.post("options") { request, context in
            let body = try await Self.decode(AddOption.self, request, context)
            _ = try await self.workshop.addOption(choice: body.scenario)
            return try await self.stateResponse()
        }
        api.post("options/:id/duplicate") { _, context in
            _ = try await self.workshop.duplicateOption(try Self.optionID(context))
            return try await self.stateResponse()
        }
        api.delete("options/:id") { _, context in
            try await self.workshop.removeOption(try Self.optionID(context))
            return try await self.stateResponse()
        }
        api.post("options/:id/label") { request, context in
            let id = try Self.optionID(context)
            let body = try await Self.decode(Label.self, request, context)
            try await self.workshop.rename(option: id, to: body.label)
            return try await self.stateResponse()
        }
        api.post("options/:id/save") { request, context in
            let id = try Self.optionID(context)
            let body = try await Self.decode(Save.self, request, context)
            let file = try await self.workshop.save(option: id, name: body.name)
            return Self.json(Saved(file: file), status: .created)
        }
        api.get("options/:id/yaml") { _, context in
            let text = try await self.workshop.yaml(option: try Self.optionID(context))
            return Self.asset(text, type: "text/yaml; charset=utf-8")
        }
        api.post("year") { request, context in
            let body = try await Self.decode(YearChange.self, request, context)
            try await self.workshop.setYear(body.year)
            return try await self.stateResponse()
        }
        api.post("intervals") { request, context in
            let body = try await Self.decode(IntervalRequest.self, request, context)
            guard body.method == "linearized" else {
                throw WorkshopError(400, "intervals: method must be linearized (got '\(body.method.prefix(40))')", field: "method")
            }
            try await self.workshop.startIntervals()
            return Self.json(Self.progressBody(await self.workshop.attachedIntervals()), status: .accepted)
        }
        api.get("intervals") { _, _ in
            Self.json(Self.progressBody(await self.workshop.attachedIntervals()))
        }
        api.post("bands") { request, context in
            let body = try await Self.decode(BandRequest.self, request, context)
            try await self.workshop.startBands(replications: body.replications)
            return Self.json(Self.bandBody(await self.workshop.attachedBands()), status: .accepted)
        }
        api.get("bands") { _, _ in
            Self.json(Self.bandBody(await self.workshop.attachedBands()))
        }
        api.delete("bands") { _, _ in
            await self.workshop.stopBands()
            return try await self.stateResponse()
        }
        api.post("sweep") { request, context in
            let body = try await Self.decode(SweepRequest.self, request, context)
            try await self.workshop.startSweep(option: body.option, vary: body.vary)
            return Self.json(SweepBody(await self.workshop.attachedSweep()), status: .accepted)
        }
        api.get("sweep") { _, _ in
            Self.json(SweepBody(await self.workshop.attachedSweep()))
        }
        api.get("pack") { _, _ in try await self.pack() }
        return router
    }

    // MARK: - Bodies

    struct ParameterChange: Decodable { let path: String; let value: Double }
    struct AddOption: Decodable { let scenario: String }
    struct Label: Decodable { let label: String }
    struct Save: Decodable { let name: String }
    struct YearChange: Decodable { let year: Int? }
    struct IntervalRequest: Decodable { let method: String }
    struct BandRequest: Decodable { let replications: Int }
    struct SweepRequest: Decodable { let option: Int; let vary: [WorkshopSweep.Range] }

    /// `GET /api/sweep`: the progress and, when ready, the rows (as `simrun sweep --format json` names them), the chart
    /// and the table of the variants not dominated.
    struct SweepBody: Encodable {
        struct Row: Encodable {
            let row: Int
            let parameters: [String: Double]
            let figures: [String: Double?]
            let flagged_small_cells: [String]
            let frontier: Bool
        }
        let progress: WorkshopState.Body.Intervals
        let option: Int?
        let label: String?
        let parameters: [String]
        let rows: [Row]
        let chart: String?
        let table: WorkshopState.Body.SimpleTable?

        init(_ snapshot: BackgroundProgress<WorkshopSweep>.Snapshot) {
            var progress = WorkshopState.progress(snapshot, ready: snapshot.result?.result.rows.count ?? 0)
            progress.option = snapshot.result?.option
            self.progress = progress
            let sweep = snapshot.status == .ready ? snapshot.result : nil
            option = sweep?.option
            label = sweep?.label
            parameters = sweep?.result.parameters ?? []
            rows = sweep.map { s in
                s.result.rows.enumerated().map { i, row in
                    Row(row: row.index + 1, parameters: Dictionary(uniqueKeysWithValues: zip(s.result.parameters, row.values)),
                        figures: Dictionary(uniqueKeysWithValues: zip(s.result.figures.map(\.key), row.figures)),
                        flagged_small_cells: row.flagged, frontier: s.frontier[i])
                }
            } ?? []
            chart = sweep?.chart
            table = sweep.map { s in
                WorkshopState.Body.SimpleTable(
                    id: s.table.id, title: s.table.title,
                    columns: s.table.columns.map { column in column.unit.map { "\(column.title) (\($0))" } ?? column.title },
                    rows: s.table.rows.map { $0.map(\.displayText) }, notes: s.table.notes)
            }
        }
    }
    struct ScenarioList: Encodable { let scenarios: [ScenarioChoice] }
    struct Saved: Encodable { let file: String }
    struct ErrorBody: Encodable { let error: String; let field: String?; let option: Int? }

    static func progressBody(_ snapshot: IntervalProgress.Snapshot) -> WorkshopState.Body.Intervals {
        WorkshopState.progress(snapshot, ready: 1)
    }

    static func bandBody(_ snapshot: BackgroundProgress<BandResult>.Snapshot) -> WorkshopState.Body.Intervals {
        var body = WorkshopState.progress(snapshot, ready: (snapshot.result?.replications ?? 1) - 1)
        body.replications = snapshot.result?.replications
        return body
    }

    private func stateResponse() async throws -> Response {
        var clock = Stopwatch()
        let state = try await workshop.state()
        clock.lap("state")
        let body = state.body()
        clock.lap("charts")
        let response = Self.json(body)
        clock.lap("json")
        if WorkshopEngine.timings { clock.report() }
        return response
    }

    static func optionID(_ context: BasicRequestContext) throws -> Int {
        guard let text = context.parameters.get("id"), text.count <= 9, let id = Int(text), id > 0 else {
            throw WorkshopError(404, "there is no such option", field: "id")
        }
        return id
    }

    /// The body as `T`: at most ``maximumBody`` bytes of JSON.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: BasicRequestContext) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBody)
        } catch {
            throw WorkshopError(413, "the request body is larger than \(maximumBody) bytes")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw WorkshopError(400, "the request needs '\(key.stringValue)'", field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw WorkshopError(400, "'\(key)' has the wrong type: \(context.debugDescription)", field: key)
        } catch let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw WorkshopError(400, "'\(key)' is missing a value", field: key)
        } catch {
            throw WorkshopError(400, "the request body is not the JSON expected")
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"the response could not be encoded\"}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: type, .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
        ], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ error: WorkshopError) -> Response {
        json(ErrorBody(error: error.message, field: error.field, option: error.option),
             status: HTTPResponse.Status(code: error.status))
    }

    // MARK: - The pack

    /// The report pack of the options on the page (index.html, tables/*.csv, report.xlsx) as one zip file.
    /// Staged in a hidden folder of the working folder, removed afterwards.
    private func pack() async throws -> Response {
        let document = try await workshop.reportDocument(date: ReportCommand.today())
        let folder = URL(fileURLWithPath: workshop.settings.workingFolder)
            .appendingPathComponent(".simrun-serve-pack-\(Self.newToken().prefix(12))")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try ReportWriter.writeContents(document, into: folder)
            let archive = try Archive(data: Data(), accessMode: .create)
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            var names: [String] = []
            while let url = files?.nextObject() as? URL {
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    names.append(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
                }
            }
            for name in names.sorted() {
                try archive.addEntry(with: "simrun-report/" + name, fileURL: folder.appendingPathComponent(name))
            }
            guard let data = archive.data else { throw WorkshopError(500, "the pack could not be written") }
            return Response(status: .ok, headers: [
                .contentType: "application/zip", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"simrun-report.zip\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch let error as WorkshopError {
            throw error
        } catch {
            throw WorkshopError(500, "the pack could not be written: \(ReportError.reason(error))")
        }
    }
}

/// The token, host and error guard in front of every route.
struct GuardMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String
    let loopbackOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The authority (HTTP/1's Host) and any further Host field: all must name loopback.
        let named = [request.head.authority].compactMap { $0 } + request.headers[values: Self.hostField]
        if loopbackOnly, named.isEmpty || !named.allSatisfy({ Self.isLoopback(host: $0) }) {
            return WorkshopServer.error(WorkshopError(403, "this server answers on the loopback address only"))
        }
        if request.uri.path.hasPrefix("/api/") {
            guard let given = request.headers[WorkshopServer.tokenHeader], Self.equal(given, token) else {
                return WorkshopServer.error(WorkshopError(401, "missing or wrong session token: open the address simrun serve printed"))
            }
        }
        do {
            return try await next(request, context)
        } catch let error as WorkshopError {
            return WorkshopServer.error(error)
        } catch let error as InputError {
            return WorkshopServer.error(WorkshopError(422, error.description))
        } catch let error as HTTPError {
            return WorkshopServer.error(WorkshopError(Int(error.status.code), error.status.reasonPhrase))
        } catch {
            return WorkshopServer.error(WorkshopError(500, "internal error: \(String(describing: error).prefix(200))"))
        }
    }

    static let hostField = HTTPField.Name("Host")!

    /// Whether a `Host` value names a loopback address (127.0.0.0/8, localhost, ::1), with or without a port.
    static func isLoopback(host: String?) -> Bool {
        guard let host, !host.isEmpty else { return false }
        var name = host.lowercased()
        if name.hasPrefix("[") {
            guard let end = name.firstIndex(of: "]") else { return false }
            name = String(name[name.index(after: name.startIndex)..<end])
            return name == "::1"
        }
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        if name == "localhost" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
