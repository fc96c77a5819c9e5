import Foundation
import Testing
@testable import SimKernel

/// `SurveyTable.writeCSV`: what it writes reads back as the same table.
@Suite("Writing a survey table as CSV")
struct SurveyTableWriteCSVTests {
    func temporary(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test("numbers read back bit for bit, texts with commas and quotes survive, missing values stay missing")
    func roundTrip() throws {
        let numbers: [Double] = [0.1 + 0.2, 1e-300, 123456789012345678, -2.5e16, 70.100438204726714, 5e-324, -0.75, 42, 1e15 + 1, .nan]
        let texts = ["plain", "a, b", "say \"hi\"", "semi;colon", "tab\tinside", "ünï", "x", "", "y", "z"]
        let missing: [MissingCode] = [.present, .present, .present, .present, .present, .present, .present, .present, .present, .system]
        let table = SurveyTable(file: "in.csv", format: .csv, rowCount: numbers.count, columns: [
            SurveyTableColumn(name: "n", values: .numbers(numbers, integerStorage: false), missing: missing),
            SurveyTableColumn(name: "t, text", values: .text(texts)),
        ])
        let extra = numbers.map { $0.isNaN ? 1 : $0 / 3 }
        let path = try temporary("out.csv")
        try table.writeCSV(to: path, adding: [("w", extra)])
        let back = try SurveyTable.read(file: path)
        #expect(back.columns.map(\.name) == ["n", "t, text", "w"])
        guard case .numbers(let n, _) = back.columns[0].values, case .text(let t) = back.columns[1].values,
              case .numbers(let w, _) = back.columns[2].values else { Issue.record("column types"); return }
        for i in 0..<9 { #expect(n[i].bitPattern == numbers[i].bitPattern, "row \(i): \(n[i]) vs \(numbers[i])") }
        #expect(back.columns[0].missingCode(9).isMissing)
        #expect(Array(t[0..<7]) == Array(texts[0..<7]))
        for i in extra.indices { #expect(w[i].bitPattern == extra[i].bitPattern) }
    }

    @Test("an extra column named like an existing one is refused, and nothing is written")
    func duplicateName() throws {
        let table = SurveyTable(file: "in.csv", format: .csv, rowCount: 1, columns: [SurveyTableColumn(name: "w", values: .numbers([1], integerStorage: true))])
        let path = try temporary("out.csv")
        #expect { try table.writeCSV(to: path, adding: [("w", [2])]) } throws: { ($0 as? InputError)?.kind == .duplicate }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
