import Foundation
import Testing

/// `simrun data describe`: figures checked against a hand computation on a
/// six-row file.
@Suite("data describe")
struct DataDescribeTests {
    /// w: 1, 2, 3, 4, 0.5, 1.5 (total 12); income 10, 20, (empty), 40, 50, 60; area text.
    static let csv = """
        weight,income,area
        1,10,north
        2,20,south
        3,,south
        4,40,north
        0.5,50,east
        1.5,60,south

        """

    static func file() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-describe-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("weighted mean, laeken quantiles, missing counts and category shares equal the hand computation")
    func figures() throws {
        let path = try Self.file()
        let result = runSimrun(["data", "describe", path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try parseJSONObject(result.stdout)
        #expect(json["weight"] as? String == "weight")
        #expect(json["rows"] as? Double == 6)
        let variables = try #require(json["variables"] as? [[String: Any]])
        let income = try #require(variables.first { $0["name"] as? String == "income" })
        #expect(income["present"] as? Double == 5)
        #expect((income["missing"] as? [String: Any])?["."] as? Double == 1)
        let s = try #require(income["summary"] as? [String: Double])
        // Present rows: (10, w1), (20, w2), (40, w4), (50, w0.5), (60, w1.5); W = 9.
        // Mean = (10 + 40 + 160 + 25 + 90) / 9 = 325 / 9.
        #expect(abs(s["mean"]! - 325.0 / 9.0) < 1e-12)
        // Cumulative shares: 1/9 = 0.111, 3/9 = 0.333, 7/9 = 0.778, 7.5/9 = 0.833, 1.
        // laeken: the first value whose share is > p: p10 -> 10, p25 -> 20, p50 -> 40, p75 -> 40, p90 -> 60.
        let order = ["min", "p10", "p25", "median", "p75", "p90", "max"]
        let expected: [Double] = [10, 10, 20, 40, 40, 60, 60]
        #expect(order.map { s[$0] ?? .nan } == expected)
        let area = try #require(variables.first { $0["name"] as? String == "area" })
        let summary = try #require(area["summary"] as? [String: Any])
        let categories = try #require(summary["categories"] as? [[String: Any]])
        // south 2 + 3 + 1.5 = 6.5, north 5, east 0.5, of 12.
        let labels: [String] = categories.map { ($0["label"] as? String) ?? "" }
        #expect(labels == ["south", "north", "east"])
        let shares: [Double] = categories.map { ($0["share"] as? Double) ?? .nan }
        let expectedShares: [Double] = [6.5 / 12, 5.0 / 12, 0.5 / 12]
        #expect(shares == expectedShares)
        let table = runSimrun(["data", "describe", path])
        #expect(table.stdout.contains("income  [whole number]") && table.stdout.contains("missing: 1 ."), "\(table.stdout)")
    }

    @Test("--unweighted weighs rows equally; a bad weight names its line")
    func weights() throws {
        let path = try Self.file()
        let json = try parseJSONObject(runSimrun(["data", "describe", path, "--unweighted", "--format", "json"]).stdout)
        let income = try #require((json["variables"] as? [[String: Any]])?.first { $0["name"] as? String == "income" })
        #expect((income["summary"] as? [String: Double])?["mean"] == 36)
        let bad = runSimrun(["data", "describe", path, "--weight", "income"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains(":4") && bad.stderr.contains("the weight is missing"), "\(bad.stderr)")
    }
}
