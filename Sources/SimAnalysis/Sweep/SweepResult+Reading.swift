import Foundation
import SimKernel

extension SweepResult {
    /// Reads a result `simrun sweep` (or `sweep merge`) wrote, as JSON or CSV (by its first character).
    ///
    /// - Throws: `InputError` naming the file (and line, for CSV) when it is not a sweep result.
    public static func read(file: String) throws -> SweepResult {
        guard FileManager.default.fileExists(atPath: file) else { throw InputError(file: file, kind: .noInput, "no such file") }
        let data = try SweepShardFile.readBounded(file)
        let text = String(decoding: data, as: UTF8.self)
        if text.first(where: { !$0.isWhitespace }) == "{" { return try json(data, file: file) }
        return try csv(text, file: file)
    }

    private static func json(_ data: Data, file: String) throws -> SweepResult {
        func bad(_ what: String) -> InputError {
            InputError(file: file, kind: .badValue, "not a sweep result written by simrun sweep --format json: \(what)")
        }
        guard let root = (try? JSONDecoder().decode(JSONTree.self, from: data))?.value as? [String: Any] else { throw bad("not a JSON object") }
        guard let parameters = root["parameters"] as? [String], let rows = root["rows"] as? [[String: Any]],
            let p = root["provenance"] as? [String: Any]
        else { throw bad("no provenance, parameters or rows") }
        var keys: [String] = []
        var units: [String: String] = [:]
        if let first = rows.first, let figures = first["figures"] as? [String: Any] {
            // JSONSerialization forgets key order: take it from the units in file order when we can.
            units = root["units"] as? [String: String] ?? [:]
            // The file's order when it names exactly the units' keys once each, else sorted.
            if let ordered = Self.orderedKeys(in: data, object: "units"), ordered.count == units.count, Set(ordered) == Set(units.keys) {
                keys = ordered
            } else {
                keys = (units.isEmpty ? Array(figures.keys) : Array(units.keys)).sorted()
            }
        }
        /// A whole number in `range` (a count, a row number), absent allowed; anything else is an error.
        func whole(_ value: Any?, _ key: String, in range: ClosedRange<Int>, absent: Int?) throws -> Int? {
            guard let value, !(value is NSNull) else { return absent }
            guard let x = Self.wholeNumber(value, in: range) else {
                throw bad("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return x
        }
        let seedValue = p["seed"] as? Double ?? 0
        // simrun writes the seed as a JSON number (a double): any whole number from 0 below 2^64.
        guard seedValue >= 0, seedValue < 0x1p64, seedValue == seedValue.rounded() else {
            throw bad("provenance.seed must be a whole number from 0 below 2^64")
        }
        let provenance = Provenance(
            simrunVersion: p["simrun_version"] as? String ?? "", sweepFile: p["sweep_file"] as? String ?? "",
            sweepHash: p["sweep_sha256"] as? String ?? "", dataFile: p["data_file"] as? String ?? "",
            dataHash: p["data_sha256"] as? String ?? "",
            households: try whole(p["households"], "provenance.households", in: 0...Self.maxCount, absent: 0)!,
            persons: try whole(p["persons"], "provenance.persons", in: 0...Self.maxCount, absent: 0)!, seed: UInt64(seedValue),
            year: try whole(p["year"], "provenance.year", in: 1...9999, absent: nil), countryFile: p["country_file"] as? String,
            options: p["options"] as? [String] ?? [],
            replications: try whole(p["replications"], "provenance.replications", in: 1...SweepSpec.maxReplications, absent: 1)!)
        var out: [Row] = []
        for (i, row) in rows.enumerated() {
            guard let values = row["parameters"] as? [String: Any], let figures = row["figures"] as? [String: Any] else {
                throw bad("row \(i + 1) has no parameters or figures")
            }
            let number = try whole(row["row"], "row \(i + 1)'s row", in: 1...SweepSpec.maxRows, absent: i + 1)!
            out.append(Row(index: number - 1, option: row["option"] as? String ?? "",
                           replication: try whole(row["replication"], "row \(i + 1)'s replication", in: 1...SweepSpec.maxReplications, absent: 1)!,
                           values: parameters.map { values[$0] as? Double ?? .nan },
                           figures: keys.map { figures[$0] as? Double },
                           flagged: row["flagged_small_cells"] as? [String] ?? []))
        }
        return SweepResult(provenance: provenance, parameters: parameters,
                           figures: keys.map { Figure(key: $0, unit: units[$0] ?? "") }, rows: out)
    }

    /// A JSON value with its numbers read exactly (`Double`), strings, `Bool`, `NSNull`, arrays
    /// and objects (`[String: Any]`), through `JSONDecoder`: `JSONSerialization` on Linux reads some
    /// decimals as a neighbouring double (0.30000000000000004 as 0.3000000000000001), so a result
    /// read back differed from the one simrun wrote (found by the `sweepresult` fuzz target).
    struct JSONTree: Decodable {
        let value: Any

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                value = NSNull()
            } else if let b = try? c.decode(Bool.self) {
                value = b
            } else if let x = try? c.decode(Double.self) {
                value = x
            } else if let t = try? c.decode(String.self) {
                value = t
            } else if let a = try? c.decode([JSONTree].self) {
                value = a.map(\.value)
            } else {
                value = try c.decode([String: JSONTree].self).mapValues(\.value)
            }
        }
    }

    /// The largest count of households or persons a result may name (2^53, the largest whole number
    /// a JSON number holds exactly).
    static let maxCount = 1 << 53

    /// `value` as a whole number in `range`, or `nil` (not a number, a fraction, out of range).
    static func wholeNumber(_ value: Any, in range: ClosedRange<Int>) -> Int? {
        guard let x = value as? Double else { return nil }
        guard x.isFinite, x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else { return nil }
        return Int(x)
    }

    /// The keys of the top-level object `name` in file order (simrun writes one key per line).
    private static func orderedKeys(in data: Data, object name: String) -> [String]? {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0 == "  \"\(name)\": {" }) else { return nil }
        var keys: [String] = []
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("    \"") else { break }
            // The key's literal runs to the first quote not escaped by a backslash; decoded as JSON
            // (a key with an escaped quote or control character is written escaped).
            var literal = "", escaped = false, closed = false
            for c in line.dropFirst(5) {
                if !escaped && c == "\"" { closed = true; break }
                escaped = !escaped && c == "\\"
                literal.append(c)
            }
            guard closed, let key = try? JSONDecoder().decode(String.self, from: Data(("\"" + literal + "\"").utf8)) else { return nil }
            keys.append(key)
        }
        return keys
    }

    private static func csv(_ text: String, file: String) throws -> SweepResult {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first.map(fields), header.prefix(3) == ["row", "option", "replication"],
            let firstFigure = header.firstIndex(of: "net_cost_annual"), header.last == "flagged_small_cells"
        else {
            throw InputError(file: file, line: 1, kind: .badValue,
                             "not a sweep result: expected simrun sweep's CSV header (row,option,replication,...,net_cost_annual,...,flagged_small_cells) or its JSON")
        }
        var named = Set<String>()
        if let repeated = header.first(where: { !named.insert($0).inserted }) {
            throw InputError(file: file, line: 1, kind: .duplicate, "the column \(InputExcerpt.quoted(repeated)) is named twice (simrun sweep names each once)")
        }
        let parameters = Array(header[3..<firstFigure]), keys = Array(header[firstFigure..<(header.count - 1)])
        var rows: [Row] = []
        for (n, line) in lines.enumerated().dropFirst() {
            let cells = fields(line)
            guard cells.count == header.count, let row = Int(cells[0]), let replication = Int(cells[2]),
                (1...SweepSpec.maxRows).contains(row), (1...SweepSpec.maxReplications).contains(replication)
            else {
                throw InputError(file: file, line: n + 1, kind: .badValue,
                                 "expected \(header.count) fields starting with a row number (1 to \(SweepSpec.maxRows)) and a replication (1 to \(SweepSpec.maxReplications))")
            }
            rows.append(Row(index: row - 1, option: cells[1], replication: replication,
                            values: cells[3..<firstFigure].map { Double($0) ?? .nan },
                            figures: cells[firstFigure..<(header.count - 1)].map { Double($0) },
                            flagged: cells.last!.split(separator: ";").map(String.init)))
        }
        let provenance = Provenance(simrunVersion: "", sweepFile: file, sweepHash: "", dataFile: "", dataHash: "", households: 0,
                                    persons: 0, seed: 0, year: nil, countryFile: nil,
                                    options: Array(Set(rows.map(\.option))).sorted(), replications: 1)
        return SweepResult(provenance: provenance, parameters: parameters, figures: keys.map { Figure(key: $0, unit: "") }, rows: rows)
    }

    /// A CSV line's fields as ``csv()`` writes them (quotes doubled inside quoted fields).
    private static func fields(_ line: String) -> [String] {
        var out: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(field); field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }
}
