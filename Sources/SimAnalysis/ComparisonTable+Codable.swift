import Foundation
import SimKernel

/// The comparison as a versioned record: every figure, flag, interval and band with the options'
/// names, years, welfare and the disclosure rule, so a program or a later session can keep it
/// and read it back. The terminal table, JSON, CSV, the report and the page are views of this
/// one value (``ComparisonTable``).
///
/// The record's own `schema_version` (``recordVersion``) is raised when a key is renamed or
/// removed or a value changes meaning. Figures can be non-finite (a cost per person lifted when
/// no one is lifted): ``recordEncoder()`` and ``recordDecoder()`` write and read them as the
/// strings "inf", "-inf" and "nan".
extension ComparisonTable {
    /// The version of the record's shape.
    public static let recordVersion = 1

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", titles, files, years, targetGroups = "target_groups", welfare, rows, currency, rule
    }

    private struct WelfareEntry: Codable {
        let concept: WelfareConcept
        let line: Double
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(Int.self, forKey: .schemaVersion)
        guard version == Self.recordVersion else {
            throw DecodingError.dataCorruptedError(forKey: .schemaVersion, in: c,
                                                   debugDescription: "a comparison record of schema version \(version); this simrun reads version \(Self.recordVersion)")
        }
        let titles = try c.decode([String].self, forKey: .titles)
        let files = try c.decode([String].self, forKey: .files)
        let years = try c.decode([Int?].self, forKey: .years)
        let targetGroups = try c.decode([String].self, forKey: .targetGroups)
        let welfare = try c.decode([WelfareEntry].self, forKey: .welfare)
        let rows = try c.decode([Row].self, forKey: .rows)
        let n = titles.count
        guard files.count == n, years.count == n, targetGroups.count == n, welfare.count == n,
              rows.allSatisfy({ $0.values.count == n && $0.observations.count == n && $0.disclosure.count == n
                                && ($0.intervals.isEmpty || $0.intervals.count == n) && ($0.bands.isEmpty || $0.bands.count == n) }) else {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: c, debugDescription: "every list must have one entry per option (\(n))")
        }
        self.init(titles: titles, files: files, years: years, targetGroups: targetGroups,
                  welfare: welfare.map { ($0.concept, $0.line) }, rows: rows,
                  currency: try c.decode(String.self, forKey: .currency), rule: try c.decode(DisclosureRule.self, forKey: .rule))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.recordVersion, forKey: .schemaVersion)
        try c.encode(titles, forKey: .titles)
        try c.encode(files, forKey: .files)
        try c.encode(years, forKey: .years)
        try c.encode(targetGroups, forKey: .targetGroups)
        try c.encode(welfare.map { WelfareEntry(concept: $0.concept, line: $0.line) }, forKey: .welfare)
        try c.encode(rows, forKey: .rows)
        try c.encode(currency, forKey: .currency)
        try c.encode(rule, forKey: .rule)
    }

    /// A JSON encoder for the record: sorted keys (the same bytes for the same table) and non-finite figures as strings.
    public static func recordEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching ``recordEncoder()``.
    public static func recordDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
