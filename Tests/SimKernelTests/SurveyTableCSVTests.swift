import Foundation
import Testing
@testable import SimKernel

/// `SurveyTable.readCSV`: a CSV as delivered, column by column.
@Suite("SurveyTable: CSV files as delivered")
struct SurveyTableCSVTests {
    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-table-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("numbers, whole numbers and text columns; empty fields are missing (.), nothing else is")
    func types() throws {
        let path = try Self.write("id,x,name,code\n1,1.5,\"Hà Nội\",NA\n2,,\" a, \"\"b\"\" \",-99\n3,2, c ,\n")
        let t = try SurveyTable.readCSV(file: path)
        #expect(t.rowCount == 3 && t.format == .csv)
        guard case .numbers(let id, true) = t.column(named: "id")!.values else { Issue.record("id"); return }
        #expect(id == [1, 2, 3])
        let x = t.column(named: "x")!
        guard case .numbers(let xs, false) = x.values else { Issue.record("x"); return }
        #expect(xs[0] == 1.5 && xs[1].isNaN && xs[2] == 2)
        #expect(x.missingCode(1) == .system && x.missingCounts == [.system: 1])
        guard case .text(let names) = t.column(named: "name")!.values else { Issue.record("name"); return }
        #expect(names == ["Hà Nội", " a, \"b\" ", "c"])
        // NA and -99 are values: the column is text, and only the empty field is missing.
        let code = t.column(named: "code")!
        guard case .text(let codes) = code.values else { Issue.record("code"); return }
        #expect(codes == ["NA", "-99", ""] && code.missingCounts == [.system: 1])
    }

    @Test("the same table for any thread count and piece boundary")
    func threads() throws {
        var text = "a,b,c\n"
        for i in 0..<300_000 { text += "\(i),\(Double(i) / 7),\(i % 3 == 0 ? "" : "t\(i % 5)")\n" }
        let path = try Self.write(text)
        let one = try SurveyTable.readCSV(file: path, plan: ParallelPlan(threads: 1))
        let four = try SurveyTable.readCSV(file: path, plan: ParallelPlan(threads: 4))
        #expect(one.rowCount == 300_000 && four.rowCount == 300_000)
        for (a, b) in zip(one.columns, four.columns) {
            switch (a.values, b.values) {
            case (.numbers(let x, let wx), .numbers(let y, let wy)):
                #expect(wx == wy && x.elementsEqual(y) { $0.bitPattern == $1.bitPattern })
            case (.text(let x), .text(let y)): #expect(x == y)
            default: Issue.record("column \(a.name) differs in type")
            }
            #expect(a.missing == b.missing)
        }
    }

    @Test("defects name the line and the column: a short row, a bad quote, text that is not UTF-8, a repeated name")
    func defects() throws {
        let short = try Self.write("a,b\n1,2\n3\n")
        let e1 = try #require(throws: InputError.self) { _ = try SurveyTable.readCSV(file: short) }
        #expect(e1.line == 3 && e1.message.contains("the line has 1 field but the header has 2"), "\(e1)")
        let quote = try Self.write("a,b\n1,2\n3,x\"y\n")
        let e2 = try #require(throws: InputError.self) { _ = try SurveyTable.readCSV(file: quote) }
        #expect(e2.line == 3 && e2.field == "b", "\(e2)")
        let bytes: [UInt8] = Array("a,b\n1,x\n2,".utf8) + [0xFF, 0x0A]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-table-\(UUID().uuidString).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let e3 = try #require(throws: InputError.self) { _ = try SurveyTable.readCSV(file: path) }
        #expect(e3.line == 3 && e3.field == "b" && e3.message.contains("not valid UTF-8"), "\(e3)")
        let twice = try Self.write("a,a\n1,2\n")
        let e4 = try #require(throws: InputError.self) { _ = try SurveyTable.readCSV(file: twice) }
        #expect(e4.line == 1 && e4.kind == .duplicate)
    }
}
