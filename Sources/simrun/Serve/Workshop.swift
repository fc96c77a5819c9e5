import Foundation
import Scenarios
import SimAnalysis
import SimKernel
import SimReport

/// What `simrun serve` was started with: the only data and scenarios the page may read.
struct WorkshopSettings: Sendable {
    /// Scenario files given on the command line (the options shown first; also offered for "add").
    var scenarioFiles: [String]
    var data: String?
    var columns: String?
    var country: String?
    var seed: UInt64 = 1
    var rule = DisclosureRule(minimumObservations: 30, suppress: false)
    var threads: Int?
    /// The shipped scenarios (offered for "add"): every `*.yaml` directly in this folder.
    var shippedScenarios = "inputs/scenarios"
    /// Where "save" writes (the working folder).
    var workingFolder = FileManager.default.currentDirectoryPath
}

/// A scenario the page can add as an option: named by a short id, never by a path.
struct ScenarioChoice: Codable, Sendable, Equatable {
    let id: String
    let title: String
    /// `started` (given on the command line) or `shipped` (inputs/scenarios).
    let origin: String
}

/// A failure the page shows next to the control that caused it.
struct WorkshopError: Error, Sendable, Equatable {
    /// HTTP status: 400 bad request, 404 unknown option or scenario, 409 conflict, 422 a value the option rejects.
    let status: Int
    let message: String
    /// The parameter path or field the message is about, if any.
    var field: String?
    var option: Int?

    init(_ status: Int, _ message: String, field: String? = nil, option: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.option = option
    }
}

/// The live workshop: the survey loaded once, the options on the page, and their figures.
///
/// An actor, so requests change the options one at a time; the figures of a state are computed once
/// (``state()`` caches them until the next change).
actor Workshop {
    struct Option: Sendable {
        let id: Int
        var label: String
        /// The choice it came from (for the page), and the document with the room's changes.
        let origin: String
        var document: ScenarioDocument
        /// The room's changes, in order (path and value), said in the option's title.
        var changes: [(path: String, value: Double)] = []
        /// The scenario's own title, before the room's changes.
        var originalTitle: String? = nil
    }

    let settings: WorkshopSettings
    let choices: [ScenarioChoice]
    /// choice id -> file, never shown to the page.
    private let choiceFiles: [String: String]
    let engine: WorkshopEngine
    private(set) var options: [Option] = []
    private(set) var year: Int?
    private var nextID = 1
    private(set) var revision = 0
    /// The figures of the current revision, computed once.
    private var cached: (figures: WorkshopFigures, definitions: [ScenarioDefinition], parameters: [[EditableParameter]])?
    let intervals = IntervalProgress()
    private var intervalTask: Task<Void, Never>?

    /// Loads the survey and the options named on the command line (every check the CLI makes).
    init(settings: WorkshopSettings) throws {
        self.settings = settings
        var choices: [ScenarioChoice] = []
        var files: [String: String] = [:]
        func add(_ file: String, origin: String) {
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            var id = stem
            var n = 2
            while files[id] != nil { id = "\(stem)-\(n)"; n += 1 }
            guard let definition = try? ScenarioDefinition(file: file, catalog: ScenarioCatalog.standard) else { return }
            files[id] = file
            choices.append(ScenarioChoice(id: id, title: definition.title, origin: origin))
        }
        var documents: [(String, ScenarioDocument)] = []
        for file in settings.scenarioFiles {
            documents.append((file, try ScenarioDocument(file: file)))
            add(file, origin: "started")
        }
        let shipped = ((try? FileManager.default.contentsOfDirectory(atPath: settings.shippedScenarios)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        let started = Set(settings.scenarioFiles.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        for name in shipped {
            let file = settings.shippedScenarios + "/" + name
            if started.contains(URL(fileURLWithPath: file).standardizedFileURL.path) { continue }
            add(file, origin: "shipped")
        }
        self.choices = choices
        choiceFiles = files
        let definitions = try documents.map { try $0.1.definition(year: nil) }
        engine = try WorkshopEngine(settings: settings, scenarios: definitions)
        // The column names of `compare` and `report` (the scenario's label:, a short title, else "Option N").
        let labels = OptionLabels.labels(for: definitions).map { String($0.prefix(Self.maximumLabel)) }
        var first: [Option] = []
        for (i, (file, document)) in documents.enumerated() {
            let id = choices.first { files[$0.id] == file }?.id ?? file
            first.append(Option(id: i + 1, label: labels[i], origin: id, document: document))
        }
        options = first
        nextID = first.count + 1
    }

    /// An added option's name: as `report` would name it, made unique among the page's.
    private func newLabel(_ definition: ScenarioDefinition) -> String {
        var name = String((definition.label ?? (definition.title.count <= ScenarioDefinition.maximumLabelLength
            ? definition.title : "Option \(options.count + 1)")).prefix(Self.maximumLabel - 4))
        let taken = Set(options.map(\.label))
        if taken.contains(name) { name += " (\(options.count + 1))" }
        return name
    }

    /// The maximum number of options on the page (each is simulated on every change).
    static let maximumOptions = 8

    // MARK: - Changes

    /// Makes a change of the options or the year only if the page's figures can be computed after it.
    ///
    /// A change the survey or the country profile cannot take (a year the profile does not cover, an option whose
    /// figures fail) is refused with the reason, placed at `field` of `option`, and the page stays as it was; were it
    /// accepted, every later state would fail and the page would be stuck until the change was undone. The figures
    /// computed here are the new state's (``state()`` reuses them).
    private func commit(field: String?, option: Int? = nil, _ change: () throws -> Void) throws {
        let before = (options: options, year: year, nextID: nextID, cached: cached)
        do {
            try change()
            cached = nil
            _ = try computed()
        } catch {
            options = before.options
            year = before.year
            nextID = before.nextID
            cached = before.cached
            guard var refused = error as? WorkshopError else { throw error }
            refused.field = refused.field ?? field
            refused.option = refused.option ?? option
            throw refused
        }
        changed()
    }

    /// After a change (``commit(field:option:_:)``): a new revision; what was computed for the old one in the
    /// background is cancelled.
    private func changed() {
        revision += 1
        intervalTask?.cancel()
        intervalTask = nil
        intervals.reset()
        // Bands are of the options as they were: cancelled, never shown for the new ones.
        bandTask?.cancel()
        bandTask = nil
        bandsAsked = nil
        bands.reset()
        // A sweep stays while its option is unchanged (its key is the option's text and year); else it stops.
        if sweepKey(sweepOption) != sweeps.currentKey {
            sweepTask?.cancel()
            sweepTask = nil
        }
    }

    private func index(of id: Int) throws -> Int {
        guard let i = options.firstIndex(where: { $0.id == id }) else {
            throw WorkshopError(404, "there is no option \(id) on the page", option: id)
        }
        return i
    }

    /// Sets one parameter of one option from 1 January of the simulated year on.
    func setParameter(option id: Int, path: String, value: Double) throws {
        let i = try index(of: id)
        try commit(field: path, option: id) { try setParameter(at: i, path: path, value: value) }
    }

    private func setParameter(at i: Int, path: String, value: Double) throws {
        let id = options[i].id
        do {
            var document = try options[i].document.setting(path, to: value, year: year)
            // Say the change in the title (page, charts' legends, pack, saved file): the file's title no longer tells the amount.
            if options[i].originalTitle == nil { options[i].originalTitle = try options[i].document.definition(year: year).title }
            var changes = options[i].changes.filter { $0.path != path }
            changes.append((path, value))
            let said = changes.map { "\($0.path.replacingOccurrences(of: "_", with: " ")) \(ReportNumberFormat.grouped($0.value, decimals: $0.value == $0.value.rounded() ? 0 : 2))" }
            let title = "\(options[i].originalTitle ?? ""), changed: " + said.joined(separator: ", ")
            document = ScenarioDocument(file: document.file, tree: document.tree.setting("title", to: .scalar(title, plain: false)))
            options[i].changes = changes
            // The option must still run on the survey (e.g. a variable the data lacks).
            try engine.check(document.definition(year: year))
            options[i].document = document
        } catch let error as InputError {
            throw WorkshopError(422, error.description, field: path, option: id)
        }
    }

    /// Adds an option from a scenario the server was started with or a shipped one.
    func addOption(choice: String) throws -> Int {
        guard options.count < Self.maximumOptions else {
            throw WorkshopError(409, "the page shows at most \(Self.maximumOptions) options; remove one first")
        }
        guard let file = choiceFiles[choice] else {
            throw WorkshopError(404, "no scenario '\(choice.prefix(80))' to add; choose one from the list", field: "scenario")
        }
        try commit(field: "scenario") {
            do {
                let document = try ScenarioDocument(file: file)
                let definition = try document.definition(year: year)
                try engine.check(definition)
                options.append(Option(id: nextID, label: newLabel(definition), origin: choice, document: document))
            } catch let error as InputError {
                throw WorkshopError(422, error.description, field: "scenario")
            }
            nextID += 1
        }
        return nextID - 1
    }

    /// Adds a copy of an option (with the room's changes) after it.
    func duplicateOption(_ id: Int) throws -> Int {
        let i = try index(of: id)
        guard options.count < Self.maximumOptions else {
            throw WorkshopError(409, "the page shows at most \(Self.maximumOptions) options; remove one first")
        }
        let original = options[i]
        let copy = Option(id: nextID, label: String((original.label + " (copy)").prefix(Self.maximumLabel)), origin: original.origin,
                          document: original.document, changes: original.changes, originalTitle: original.originalTitle)
        try commit(field: nil, option: id) {
            options.insert(copy, at: i + 1)
            nextID += 1
        }
        return copy.id
    }

    /// Removes an option (at least one stays).
    func removeOption(_ id: Int) throws {
        let i = try index(of: id)
        guard options.count > 1 else { throw WorkshopError(409, "the last option cannot be removed", option: id) }
        try commit(field: nil, option: id) { options.remove(at: i) }
    }

    static let maximumLabel = 40

    /// Renames an option (the column header).
    func rename(option id: Int, to label: String) throws {
        let i = try index(of: id)
        let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= Self.maximumLabel, !trimmed.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }) else {
            throw WorkshopError(400, "a label is 1 to \(Self.maximumLabel) characters on one line", field: "label", option: id)
        }
        try commit(field: "label", option: id) { options[i].label = trimmed }
    }

    /// Simulates every option in `year` (nil: each scenario's own year).
    func setYear(_ newYear: Int?) throws {
        if let newYear {
            guard (1900...2200).contains(newYear) else {
                throw WorkshopError(400, "the year must be between 1900 and 2200 (got \(newYear))", field: "year")
            }
            do {
                for option in options { try engine.check(option.document.definition(year: newYear)) }
            } catch let error as InputError {
                throw WorkshopError(422, error.description, field: "year")
            }
        }
        try commit(field: "year") { year = newYear }
    }

    /// Writes an option as a scenario file into the working folder (never elsewhere).
    /// - Returns: The file name written.
    func save(option id: Int, name: String) throws -> String {
        let i = try index(of: id)
        let file = try WorkshopFiles.scenarioFileName(name)
        let url = URL(fileURLWithPath: settings.workingFolder).appendingPathComponent(file)
        // Nothing there, not even a link (a dangling link is not "existing" to fileExists but would be followed).
        guard !FileManager.default.fileExists(atPath: url.path),
            (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == nil else {
            throw WorkshopError(409, "\(file) already exists in the working folder; choose another name", field: "name", option: id)
        }
        var text = "# Saved by simrun serve from \(options[i].origin) with the room's changes.\n"
        do {
            text += try options[i].document.yaml(for: url.path)
        } catch let error as InputError {
            throw WorkshopError(422, error.description, option: id)
        }
        if let year, !text.contains("\nyear:") { text += "year: \(year)\n" }
        // Create only (O_EXCL, O_NOFOLLOW): never follow or replace an existing file or link.
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw WorkshopError(errno == EEXIST || errno == ELOOP ? 409 : 500,
                                "cannot create \(file) in the working folder (\(String(cString: strerror(errno))))", field: "name", option: id)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw WorkshopError(500, "cannot write \(file) in the working folder", field: "name", option: id)
        }
        return file
    }

    // MARK: - Figures

    /// Per option: its text and the simulated year (what its figures depend on besides the survey).
    private func cacheKeys() -> [String] { options.map { "\(year.map(String.init) ?? "own")\n" + $0.document.tree.text() } }

    /// The page's state: options with their parameters, the comparison, charts and coverage.
    func state() throws -> WorkshopState {
        let (figures, definitions, parameters) = try computed()
        return WorkshopState(
            revision: revision, year: year, engine: engine, options: options, definitions: definitions,
            parameters: parameters, figures: figures, intervals: attachedIntervals(), bands: attachedBands(),
            sweep: attachedSweep())
    }

    /// The figures of the current revision (computed once).
    private func computed() throws -> (figures: WorkshopFigures, definitions: [ScenarioDefinition], parameters: [[EditableParameter]]) {
        if let cached { return cached }
        let definitions: [ScenarioDefinition]
        do {
            definitions = try options.map { try $0.document.definition(year: year) }
        } catch let error as InputError {
            throw WorkshopError(422, error.description)
        }
        let figures: WorkshopFigures
        do {
            figures = try engine.figures(definitions, labels: options.map(\.label), keys: cacheKeys())
        } catch let error as InputError {
            throw WorkshopError(422, error.description)
        } catch let error as StatisticsError {
            throw WorkshopError(422, error.description)
        }
        var parameters: [[EditableParameter]] = []
        for option in options {
            parameters.append((try? option.document.parameters(year: year)) ?? [])
        }
        cached = (figures, definitions, parameters)
        return (figures, definitions, parameters)
    }

    /// The report pack (the same document as `simrun report`) of the options as they are now: with `report`'s
    /// baseline profile and note on options costed on one draw, and the room's Monte Carlo bands
    /// (as `report --replications N`) or intervals (as `report --se linearized`) when they are shown.
    func reportDocument(date: String) throws -> ReportDocument {
        let figures = try computed().figures
        let labels = options.map(\.label)
        var table = figures.table
        var replications = 1
        var method: String? = nil
        if case .ready = attachedBands().status, let result = attachedBands().result {
            table = result.table
            replications = result.replications
        } else if case .ready = intervals.snapshot(key: String(revision)).status {
            try engine.reportIntervals(&table, comparison: figures.comparison)
            method = "linearized"
        }
        let (profile, notes) = try engine.reportExtras(figures.comparison, labels: labels, currency: table.currency,
                                                       replications: replications)
        return try figures.document(date: date, extras: PackExtras(table: table, profile: profile, notes: notes,
                                                                  replications: replications, intervals: method))
    }

    /// The options' YAML (for tests and the "save" preview).
    func yaml(option id: Int) throws -> String { try options[try index(of: id)].document.yaml() }

    // MARK: - Confidence intervals

    /// Starts computing 95% intervals (linearized) of the poverty and Gini changes for the current options.
    /// - Throws: ``WorkshopError`` 409 while Monte Carlo bands are shown (as `compare` refuses `--se` with `--replications`).
    func startIntervals() throws {
        if case .running = attachedIntervals().status { return }
        let shown = attachedBands()
        switch shown.status {
        case .running, .ready: try WorkshopEngine.checkReplications(shown.result?.replications ?? bandsAsked ?? 2, intervals: true)
        default: break
        }
        let definitions = try options.map { try $0.document.definition(year: year) }
        let key = String(revision)
        let engine = self.engine
        let population = engine.population
        let progress = intervals
        progress.start(key: key, total: definitions.count)
        intervalTask = Task.detached {
            do {
                let result = try engine.intervals(definitions, population: population) { done in
                    progress.advance(key: key, done: done)
                    return !Task.isCancelled
                }
                progress.finish(key: key, result: result)
            } catch {
                progress.fail(key: key, message: String(describing: error))
            }
        }
    }

    func attachedIntervals() -> IntervalProgress.Snapshot { intervals.snapshot(key: String(revision)) }

    // MARK: - Monte Carlo bands

    /// The bands' computation: the comparison table of the current options, each figure the mean of N draws with its band.
    let bands = BackgroundProgress<BandResult>()
    private var bandTask: Task<Void, Never>?
    /// The replications asked for in this revision (while they compute).
    private var bandsAsked: Int?

    /// Starts simulating every option `replications` times in the background (`scenario compare --replications N`).
    /// - Throws: ``WorkshopError`` 422 with the command line's message for a number out of bounds, or while intervals
    ///   are shown (the CLI refuses `--replications` with `--se`).
    func startBands(replications n: Int) throws {
        let intervalsShown: Bool
        switch attachedIntervals().status {
        case .running, .ready: intervalsShown = true
        default: intervalsShown = false
        }
        try WorkshopEngine.checkReplications(n, intervals: intervalsShown)
        if case .running = attachedBands().status, bandsAsked == n { return }
        if attachedBands().result?.replications == n { return }
        bandTask?.cancel()
        // Each run its own key: a cancelled run's last word never lands on the run that replaced it.
        bandRun += 1
        let key = bandKey
        let (figures, definitions, _) = try computed()
        let engine = self.engine
        let population = engine.population
        let progress = bands
        bandsAsked = n
        progress.start(key: key, total: n - 1)
        bandTask = Task.detached {
            do {
                let table = try engine.bands(figures.table, scenarios: definitions, replications: n, population: population) { done in
                    progress.advance(key: key, done: done)
                    return !Task.isCancelled
                }
                progress.finish(key: key, result: BandResult(replications: n, table: table))
            } catch is CancellationError {
                progress.fail(key: key, message: "cancelled")
            } catch {
                progress.fail(key: key, message: String(describing: error))
            }
        }
    }

    func attachedBands() -> BackgroundProgress<BandResult>.Snapshot { bands.snapshot(key: bandKey) }

    /// Counts the runs of bands (and of sweeps): part of their keys.
    private var bandRun = 0
    private var sweepRun = 0
    private var bandKey: String { "\(revision)/\(bandRun)" }

    /// Stops the bands and drops them (the table shows one draw again).
    func stopBands() {
        bandTask?.cancel()
        bandTask = nil
        bandsAsked = nil
        bands.reset()
    }

    // MARK: - Sweep

    /// The sweep's computation: tied to the option's text and year, so a change to that option drops it.
    let sweeps = BackgroundProgress<WorkshopSweep>()
    private var sweepTask: Task<Void, Never>?
    private var sweepOption: Int?

    private func sweepKey(_ id: Int?) -> String {
        guard let id, let i = options.firstIndex(where: { $0.id == id }) else { return "" }
        return "\(sweepRun)/\(id)\n\(cacheKeys()[i])"
    }

    /// Starts a sweep of option `id` over one or two of its parameters (``WorkshopSweep/run``) in the background.
    /// - Throws: ``WorkshopError`` with `simrun sweep`'s message for a bad range or parameter, or more variants than the page runs.
    func startSweep(option id: Int, vary: [WorkshopSweep.Range]) throws {
        let i = try index(of: id)
        let plan = try WorkshopSweep.Plan(option: id, document: options[i].document, label: options[i].label, vary: vary, year: year,
                                          folder: settings.workingFolder, hasProfile: engine.profile != nil)
        sweepTask?.cancel()
        sweepRun += 1
        let key = sweepKey(id)
        sweepOption = id
        let engine = self.engine
        let progress = sweeps
        progress.start(key: key, total: plan.spec.rowCount)
        sweepTask = Task.detached {
            do {
                let result = try plan.run(engine: engine) { done in
                    progress.advance(key: key, done: done)
                    return !Task.isCancelled
                }
                progress.finish(key: key, result: result)
            } catch is CancellationError {
                progress.fail(key: key, message: "cancelled")
            } catch let error as WorkshopError {
                progress.fail(key: key, message: error.message)
            } catch let error as InputError {
                progress.fail(key: key, message: error.message)
            } catch {
                progress.fail(key: key, message: String(describing: error))
            }
        }
    }

    func attachedSweep() -> BackgroundProgress<WorkshopSweep>.Snapshot { sweeps.snapshot(key: sweepKey(sweepOption)) }
}

/// Monte Carlo bands: the comparison table as `scenario compare --replications N` makes it.
struct BandResult: @unchecked Sendable {
    let replications: Int
    let table: ComparisonTable
}

/// Progress and result of a background computation (intervals, bands, a sweep), read without waiting for the actor.
///
/// Each run is tied to a key (the state's revision, or what a sweep was computed from): a snapshot asked for another
/// key says `idle`, so a result of options that have since changed is never shown.
final class BackgroundProgress<Result: Sendable>: @unchecked Sendable {
    enum Status: Sendable, Equatable {
        case idle
        case running(done: Int, total: Int)
        case ready
        case failed(String)
    }
    struct Snapshot: Sendable {
        let status: Status
        let result: Result?
    }
    private let lock = NSLock()
    private var key = ""
    private var status: Status = .idle
    private var result: Result?

    func reset() {
        lock.lock(); defer { lock.unlock() }
        key = ""; status = .idle; result = nil
    }
    func start(key: String, total: Int) {
        lock.lock(); defer { lock.unlock() }
        self.key = key; status = .running(done: 0, total: total); result = nil
    }
    func advance(key: String, done: Int) {
        lock.lock(); defer { lock.unlock() }
        guard key == self.key, case .running(_, let total) = status else { return }
        status = .running(done: done, total: total)
    }
    func finish(key: String, result: Result) {
        lock.lock(); defer { lock.unlock() }
        guard key == self.key else { return }
        status = .ready; self.result = result
    }
    func fail(key: String, message: String) {
        lock.lock(); defer { lock.unlock() }
        guard key == self.key else { return }
        status = .failed(message)
    }
    func snapshot(key: String) -> Snapshot {
        lock.lock(); defer { lock.unlock() }
        guard key == self.key, !key.isEmpty else { return Snapshot(status: .idle, result: nil) }
        return Snapshot(status: status, result: result)
    }
    /// The key of the run under way or done ("" when none).
    var currentKey: String {
        lock.lock(); defer { lock.unlock() }
        return key
    }
}

/// The intervals of the changes in FGT(0-2) and the Gini, by row key.
typealias IntervalProgress = BackgroundProgress<[String: [ConfidenceInterval?]]>

/// File names the page may write.
enum WorkshopFiles {
    /// A saved scenario's file name from what the room typed: letters, digits, `-` and `_` only
    /// (everything else becomes `-`), at most 60 characters, `.yaml` added; never a path.
    static func scenarioFileName(_ name: String) throws -> String {
        var stem = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if stem.lowercased().hasSuffix(".yaml") { stem = String(stem.dropLast(5)) }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        var cleaned = String(stem.map { allowed.contains($0) ? $0 : "-" })
        while cleaned.contains("--") { cleaned = cleaned.replacingOccurrences(of: "--", with: "-") }
        cleaned = cleaned.trimmingCharacters(in: CharacterSet(charactersIn: "-_"))
        guard !cleaned.isEmpty, cleaned.count <= 60 else {
            throw WorkshopError(400, "a file name needs 1 to 60 letters, digits, '-' or '_' (got '\(name.prefix(80))')", field: "name")
        }
        return cleaned + ".yaml"
    }
}
