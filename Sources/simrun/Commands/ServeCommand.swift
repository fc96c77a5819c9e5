import SimAnalysis
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import SimKernel
import SimReport

/// `simrun serve [A.yaml ...]`: the live workshop page on the analyst's laptop (docs/serve.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a live workshop page: change the options' parameters and see the comparison, charts and coverage at once.",
        discussion: """
            Loads the survey and the options once, then serves a page (offline: no internet needed) where the \
            room changes any parameter of any option, adds, copies and removes options, switches the year, asks \
            for confidence intervals, saves an option as a scenario file in the working folder and downloads the \
            report pack. The figures are those of `scenario compare` and `report`.

            Listens on 127.0.0.1 only unless --host is given, and prints the page's address with a session \
            token: only a browser given that address can change anything. Stop with Ctrl-C. See docs/serve.md.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp(
        "Scenario files shown as the first options (and offered for 'add', with the shipped inputs/scenarios). Default: inputs/scenarios/universal-child-grant.yaml.",
        valueName: "scenario.yaml"))
    var scenarioFiles: [String] = []

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: ArgumentHelp(
        "Country profile: a name under inputs/countries or a YAML path. Default: the first scenario's costing.country.",
        valueName: "name|file"))
    var country: String?

    @Option(name: .long, help: ArgumentHelp("Port to listen on; 0 picks any free port. Default: 8080.", valueName: "n"))
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp(
        "Address to listen on. Default: 127.0.0.1 (this laptop only). Any other address lets other machines reach the page: a warning is printed.",
        valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Seed of every random draw. Default: 1.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Disclosure threshold, as in compare. Default: 30.", valueName: "n"))
    var minCell: Int = 30

    @Flag(name: .long, help: "Withhold figures below --min-cell instead of flagging them.")
    var suppressSmallCells = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535 (got \(port))") }
        if minCell < 1 { throw ValidationError("--min-cell must be at least 1") }
        guard !host.isEmpty, host.count <= 255, host.allSatisfy({ $0.isLetter || $0.isNumber || ".:-[]".contains($0) }) else {
            throw ValidationError("--host must be an address or host name (got '\(host.prefix(60))')")
        }
    }

    /// The default first option when no scenario is given.
    static let defaultScenario = "inputs/scenarios/universal-child-grant.yaml"

    func run() throws {
        GSL.prepare()
        var workshop: Workshop?
        try ErrorFunnel.run {
            var settings = WorkshopSettings(scenarioFiles: scenarioFiles.isEmpty ? [Self.defaultScenario] : scenarioFiles)
            settings.data = dataOptions.data
            settings.columns = dataOptions.columns
            settings.country = country
            settings.seed = seed
            settings.threads = dataOptions.threads
            settings.rule = DisclosureRule(minimumObservations: minCell, suppress: suppressSmallCells)
            for file in settings.scenarioFiles where !FileManager.default.fileExists(atPath: file) {
                throw InputError(file: file, kind: .noInput, "scenario file not found")
            }
            workshop = try Workshop(settings: settings)
        }
        guard let workshop else { return }
        let loopback = GuardMiddleware.isLoopback(host: host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)
        if !loopback {
            Diagnostics.note("warning: listening on \(host): other machines on the network can reach the page (they still need the token). Use the default 127.0.0.1 unless the room must connect from other devices.")
        }
        let server = WorkshopServer(workshop: workshop, token: WorkshopServer.newToken(), loopbackOnly: loopback)
        let hostText = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let token = server.token
        let app = Application(
            router: server.router(),
            // An idle connection is closed after a minute, so that a client that connects and sends nothing
            // (or a CONNECT left open) cannot hold the page's connections.
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "simrun"),
            onServerRunning: { channel in
                let actual = channel.localAddress?.port ?? port
                try? FileHandle.standardOutput.write(contentsOf: Data("http://\(hostText):\(actual)/?token=\(token)\n".utf8))
                Diagnostics.note("serving \(workshop.engine.dataFile); open the address above in a browser; Ctrl-C stops")
            },
            logger: ServeCommand.quietLogger())
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await app.runService() } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let error = failure.get() {
            Diagnostics.error("cannot serve on \(hostText):\(port): \(error)")
            throw ExitCode(74)
        }
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "simrun-serve")
        logger.logLevel = .error
        return logger
    }
}

/// The server task's error, read by the waiting thread.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.lock(); self.error = error; lock.unlock() }
    func get() -> (any Error)? { lock.lock(); defer { lock.unlock() }; return error }
}
