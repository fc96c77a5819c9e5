import Foundation
import SimKernel

/// A sweep file (`simrun sweep SWEEP.yaml`): the options, the parameter values to
/// vary and the replications, read with every check before anything runs.
///
/// ```yaml
/// scenario: universal-child-grant.yaml     # relative to this file; or options: [a.yaml, b.yaml]
/// vary:                                    # cartesian product of the listed values
///   amount_per_child: [10, 20, 30, 40, 50]
///   max_age: {from: 4, to: 17, step: 1}
/// replications: 1
/// ```
///
/// The variants are the cartesian product of the options and the `vary`
/// lists, in a fixed order (``variant(at:)``); docs/solve-and-sweep.md.
public struct SweepSpec: Sendable {
    /// One varied parameter: its path in the scenario (``ScenarioDocument`` paths) and its values in order.
    public struct Dimension: Sendable, Equatable {
        /// The parameter's path (`amount_per_child`, `personal_income_tax.brackets[1].rate`).
        public let path: String
        /// The values, in the file's order (a range's from `from` to `to`).
        public let values: [Double]
        /// Where the key is in the sweep file (for messages).
        package let line: Int
        /// Per value, its line in the sweep file (a `{from, to, step}` range: the range's line for every value).
        package let valueLines: [Int]
    }

    /// The largest number of rows (variants × replications) a sweep may have: 10,000,000.
    /// It bounds the memory and time a hostile file can ask for before anything runs.
    public static let maxRows = 10_000_000
    /// The most replications per variant: 100,000.
    package static let maxReplications = 100_000

    package static let topKeys = ["scenario", "options", "vary", "replications"]

    /// The sweep file as the user named it.
    package let file: String
    /// The option files, resolved against the sweep file's folder (paths as simrun opens them).
    public let options: [String]
    /// The option files as the sweep file writes them (the `option` column of the output).
    package let optionLabels: [String]
    /// The varied parameters, in file order (the first varies slowest).
    public let dimensions: [Dimension]
    /// Monte Carlo replications per variant (replication `r` runs with seed `seed + r − 1`).
    public let replications: Int
    /// The sweep file's SHA-256.
    package let sha256: String

    /// Reads and checks a sweep file.
    ///
    /// - Throws: `InputError` naming the file, line and key: no such file (66), an unknown or
    ///   missing key, a value that is not a number, an empty list, a repeated value, a bad range
    ///   (`step` not positive, `from` above `to`), an option file that does not exist, too many rows.
    public init(file: String) throws {
        let root = try YAMLNode.load(file: file)
        let entries = try root.entries()
        for e in entries where !Self.topKeys.contains(e.key) {
            var message = "unknown key '\(InputExcerpt.text(e.key))'"
            if let near = closestMatch(to: e.key, in: Self.topKeys) { message += "; did you mean '\(near)'?" }
            throw InputError(file: file, line: e.keyLine, field: e.key, kind: .unknownKey,
                             message + " (expected: \(Self.topKeys.joined(separator: ", ")))")
        }
        self.file = file
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        var labels: [(String, YAMLNode)] = []
        switch (root["scenario"], root["options"]) {
        case (.some, .some):
            throw InputError(file: file, line: entries.first { $0.key == "options" }?.keyLine, field: "options", kind: .inconsistent,
                             "give either 'scenario:' (one option) or 'options:' (a list of scenario files), not both")
        case (.none, .none):
            throw InputError(file: file, kind: .missingKey, "no 'scenario:' (a scenario file, relative to the sweep file) or 'options:' (a list of them)")
        case (.some(let one), .none):
            labels = [(try one.text(), one)]
        case (.none, .some(let list)):
            let items = try list.items()
            if items.isEmpty { throw list.error(kind: .badValue, "'options:' is empty; list one or more scenario files") }
            labels = try items.map { (try $0.text(), $0) }
        }
        var seen: Set<String> = []
        var resolved: [String] = []
        for (label, node) in labels {
            guard !label.isEmpty else { throw node.error(kind: .badValue, "expected a scenario file name, found an empty text") }
            guard seen.insert(label).inserted else {
                throw node.error(kind: .duplicate, "the option \(InputExcerpt.quoted(label)) is listed twice")
            }
            let path = label.hasPrefix("/") ? label : Self.relative(folder.appendingPathComponent(label).standardizedFileURL.path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                throw node.error(kind: .noInput, "the scenario file \(InputExcerpt.quoted(label)) (resolved against the sweep file's folder: \(InputExcerpt.quoted(path))) does not exist")
            }
            resolved.append(path)
        }
        optionLabels = labels.map(\.0)
        options = resolved

        guard let vary = root["vary"] else {
            throw InputError(file: file, kind: .missingKey, "no 'vary:' (a mapping from parameter paths to lists of values or {from, to, step})")
        }
        let varied = try vary.entries()
        if varied.isEmpty { throw vary.error(kind: .badValue, "'vary:' is empty; name at least one parameter and its values") }
        dimensions = try varied.map { try Self.dimension($0) }

        if let node = root["replications"] {
            let n = try node.integer()
            guard (1...Self.maxReplications).contains(n) else {
                throw node.error(kind: .outOfRange, "replications must be from 1 to \(Self.maxReplications) (got \(n))")
            }
            replications = n
        } else {
            replications = 1
        }
        // The product, checked for overflow on the way, against the row cap.
        var rows = resolved.count * replications
        for d in dimensions {
            let (product, overflow) = rows.multipliedReportingOverflow(by: d.values.count)
            guard !overflow, product <= Self.maxRows else {
                throw InputError(file: file, line: d.line, field: "vary.\(d.path)", kind: .unsupported,
                                 "the sweep has more than \(Self.maxRows) rows (options × values × replications); split it into several sweep files")
            }
            rows = product
        }
        sha256 = try FileDigest.sha256(of: file)
    }

    /// A `vary:` entry: a list of numbers or `{from, to, step}`.
    private static func dimension(_ entry: YAMLNode.Entry) throws -> Dimension {
        let node = entry.value
        let field = "vary.\(entry.key)"
        func fail(_ kind: InputError.Kind, _ message: String, line: Int? = nil) -> InputError {
            InputError(file: node.file, line: line ?? node.line, field: field, kind: kind, message)
        }
        guard !entry.key.isEmpty else { throw fail(.badValue, "a parameter path is empty", line: entry.keyLine) }
        var values: [Double] = []
        var lines: [Int] = []
        switch node.content {
        case .sequence(let items):
            if items.isEmpty { throw fail(.badValue, "the list of values is empty; give at least one number") }
            for item in items {
                values.append(try item.number())
                lines.append(item.line)
            }
        case .mapping(let parts):
            let allowed = ["from", "to", "step"]
            for p in parts where !allowed.contains(p.key) {
                var message = "unknown key '\(InputExcerpt.text(p.key))' in a range"
                if let near = closestMatch(to: p.key, in: allowed) { message += "; did you mean '\(near)'?" }
                throw InputError(file: node.file, line: p.keyLine, field: "\(field).\(p.key)", kind: .unknownKey,
                                 message + " (expected: from, to, step)")
            }
            func number(_ key: String) throws -> Double {
                guard let n = node[key] else { throw fail(.missingKey, "a range needs 'from', 'to' and 'step'; '\(key)' is missing") }
                return try n.number()
            }
            let from = try number("from"), to = try number("to"), step = try number("step")
            guard step > 0 else { throw fail(.outOfRange, "'step' must be above 0 (got \(JSONWriter.number(step)))", line: node["step"]?.line) }
            guard from <= to else {
                throw fail(.outOfRange, "'from' (\(JSONWriter.number(from))) must not be above 'to' (\(JSONWriter.number(to)))", line: node["from"]?.line)
            }
            // Counted from the ends, not accumulated, so 0.1 steps do not drift; a value within
            // 1e-9 steps of `to` is the last one.
            let count = ((to - from) / step + 1e-9).rounded(.down) + 1
            guard count <= Double(maxRows) else {
                throw fail(.unsupported, "the range has \(JSONWriter.number(count)) values, more than a sweep may have (\(maxRows))")
            }
            values = (0..<Int(count)).map { tidy(from + Double($0) * step) }
            lines = Array(repeating: node.line, count: values.count)
        case .scalar:
            throw fail(.wrongType, "expected a list of numbers ([10, 20, 30]) or a range ({from: 4, to: 17, step: 1}), found \(node.shapeName)")
        }
        var distinct: Set<Double> = []
        for (v, line) in zip(values, lines) where !distinct.insert(v).inserted {
            throw fail(.duplicate, "the value \(JSONWriter.number(v)) is listed twice", line: line)
        }
        return Dimension(path: entry.key, values: values, line: entry.keyLine, valueLines: lines)
    }

    /// `x` to 12 significant digits, so that `0.1 + 2 × 0.1` is written 0.3, as the analyst meant.
    package static func tidy(_ x: Double) -> Double {
        Double(String(format: "%.12g", x)) ?? x
    }

    package static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}

// MARK: - The variants

/// One row of a sweep: an option, one value per varied parameter, a replication.
public struct SweepVariant: Sendable, Equatable {
    /// 0-based position in the sweep's order.
    public let index: Int
    /// 0-based index into ``SweepSpec/options``.
    public let option: Int
    /// One value per ``SweepSpec/dimensions``, in order.
    public let values: [Double]
    /// 1-based replication.
    public let replication: Int

    /// The memberwise initializer, visible to the package's other targets.
    package init(index: Int, option: Int, values: [Double], replication: Int) {
        self.index = index
        self.option = option
        self.values = values
        self.replication = replication
    }
}

extension SweepSpec {
    /// The number of rows: options × the product of the value counts × replications.
    public var rowCount: Int { dimensions.reduce(options.count * replications) { $0 * $1.values.count } }

    /// The row at `index` (0-based) in the sweep's order: options slowest, then the varied
    /// parameters in file order (the last fastest among them), the replication fastest — the
    /// order of nested loops written in that order.
    ///
    /// - Precondition: `0 <= index < rowCount`.
    public func variant(at index: Int) -> SweepVariant {
        precondition(index >= 0 && index < rowCount, "variant index \(index) out of 0..<\(rowCount)")
        var rest = index
        let replication = rest % replications
        rest /= replications
        var values = [Double](repeating: 0, count: dimensions.count)
        for d in dimensions.indices.reversed() {
            let n = dimensions[d].values.count
            values[d] = dimensions[d].values[rest % n]
            rest /= n
        }
        return SweepVariant(index: index, option: rest, values: values, replication: replication + 1)
    }
}
