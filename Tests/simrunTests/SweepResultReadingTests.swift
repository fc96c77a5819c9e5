import Foundation
import SimAnalysis
import SimKernel
import Testing

/// Reading a sweep result as `report --sweep` does (`SweepResult.read`): hostile numbers are
/// errors naming the file (and line), never a crash (regressions from the `sweepresult` fuzz target).
@Suite("Sweep results read back")
struct SweepResultReadingTests {
    /// The error reading `text` as a result file.
    static func error(_ text: String) throws -> InputError? {
        let folder = try makeScratchDirectory("sweep-read")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("result").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try SweepResult.read(file: file)
            return nil
        } catch let error as InputError {
            return error
        }
    }

    static let header = "row,option,replication,amount,net_cost_annual,flagged_small_cells\n"

    @Test("a CSV row or replication number out of range is an error at its line (Int.min as the row overflowed)", arguments: [
        "-9223372036854775808,a,1,5,6,", "0,a,1,5,6,", "1,a,0,5,6,", "1,a,-9223372036854775808,5,6,", "10000001,a,1,5,6,", "1,a,100001,5,6,",
    ])
    func csvNumbers(line: String) throws {
        let error = try #require(try Self.error(Self.header + line + "\n"))
        #expect(error.kind == .badValue && error.line == 2, "\(error)")
        #expect(error.description.contains("row number (1 to \(SweepSpec.maxRows))"), "\(error)")
    }

    @Test("a JSON row, replication or count that is not a whole number in range is an error naming it (1e300 as the row overflowed)", arguments: [
        ("\"row\": 1e300", "row 1's row"), ("\"row\": -9223372036854775808", "row 1's row"), ("\"row\": 0", "row 1's row"),
        ("\"row\": 1.5", "row 1's row"), ("\"replication\": 1e19", "row 1's replication"), ("\"replication\": -1", "row 1's replication"),
    ])
    func jsonRowNumbers(field: String, named: String) throws {
        let text = "{\"provenance\": {}, \"parameters\": [], \"rows\": [{\(field), \"parameters\": {}, \"figures\": {}}]}"
        let error = try #require(try Self.error(text))
        #expect(error.kind == .badValue && error.description.contains(named), "\(error)")
    }

    @Test("provenance numbers out of range are errors naming them", arguments: [
        ("\"seed\": -1", "provenance.seed"), ("\"seed\": 1e20", "provenance.seed"), ("\"households\": 1e300", "provenance.households"),
        ("\"persons\": -5", "provenance.persons"), ("\"year\": 1e10", "provenance.year"), ("\"replications\": 0", "provenance.replications"),
    ])
    func provenanceNumbers(field: String, named: String) throws {
        let error = try #require(try Self.error("{\"provenance\": {\(field)}, \"parameters\": [], \"rows\": []}"))
        #expect(error.kind == .badValue && error.description.contains(named), "\(error)")
    }

    @Test("a result simrun wrote reads back to the same result")
    func roundTrip() throws {
        let folder = try makeScratchDirectory("sweep-read-back")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = SweepShardTests.result(rows: 0..<5)
        for (name, text) in [("r.json", result.json()), ("r.csv", result.csv())] {
            let file = folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let again = try SweepResult.read(file: file)
            #expect(again.rows == result.rows, "\(name)")
            if name == "r.json" { #expect(again == result) }
        }
    }

    @Test("figure keys with escaped characters (NUL, a quote) keep their order and values when written as JSON and read back (fuzz finding)")
    func escapedKeys() throws {
        let folder = try makeScratchDirectory("sweep-read-keys")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("r.csv").path
        try Data("row,option,replication,amount,net_cost_annual,b\u{0}e,\"q\"\"z\",flagged_small_cells\n1,a,1,5,6,7,8,\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let result = try SweepResult.read(file: csv)
        #expect(result.figures.map(\.key) == ["net_cost_annual", "b\u{0}e", "q\"z"])
        let json = folder.appendingPathComponent("r.json").path
        try Data(result.json().utf8).write(to: URL(fileURLWithPath: json))
        let again = try SweepResult.read(file: json)
        #expect(again.figures.map(\.key) == result.figures.map(\.key))
        #expect(again.rows == result.rows)
        #expect(again.json() == result.json())
    }

    @Test("a CSV column named twice is refused (its two values could not both be written as JSON)")
    func repeatedColumn() throws {
        let error = try #require(try Self.error("row,option,replication,a,a,net_cost_annual,flagged_small_cells\n1,x,1,1,2,3,\n"))
        #expect(error.kind == .duplicate && error.line == 1 && error.description.contains("'a' is named twice"), "\(error)")
    }
}
