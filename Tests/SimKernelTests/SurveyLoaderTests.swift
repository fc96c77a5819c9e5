import Foundation
import Testing
@testable import SimKernel

/// The survey loader through its API: the CSV dialects it accepts, the column
/// map, the independence of the result from the piece size, and the line
/// numbers in its errors.
@Suite("SurveyLoader")
struct SurveyLoaderTests {
    static let header = "hh_id,person_id,weight,age,labour_status,earnings,other_income"
    /// Three households, five persons, in SPEC.md's names.
    static let rows = [
        "1,1,100.5,40,1,1000.25,0",
        "1,2,100.5,8,0,0,0",
        "2,3,50,35,2,300,10.5",
        "2,4,50,3,0,0,0",
        "3,5,75,70,0,0,120",
    ]
    static var plain: String { ([header] + rows).joined(separator: "\n") + "\n" }

    static let variables: [VariableRequest] = [
        VariableRequest(.age, neededBy: "test"), VariableRequest(.labourStatus, neededBy: "test"),
        VariableRequest(.earnings, neededBy: "test"), VariableRequest(.otherIncome, neededBy: "test"),
    ]

    /// A population's contents as plain arrays, for comparisons.
    struct Snapshot: Equatable {
        var starts: [Int], ids: [Int64], weights: [Double]
        var ages: [Int32], status: [Int32], earnings: [Double], other: [Double]
    }

    /// What `plain` holds.
    static let expected = Snapshot(
        starts: [0, 2, 4, 5], ids: [1, 2, 3], weights: [100.5, 50, 75],
        ages: [40, 8, 35, 3, 70], status: [1, 0, 2, 0, 0],
        earnings: [1000.25, 0, 300, 0, 0], other: [0, 0, 10.5, 0, 120])

    /// Writes `bytes` to a fresh temporary file and loads it.
    static func load(_ bytes: [UInt8], loader: SurveyLoader = SurveyLoader(),
                     variables: [VariableRequest] = variables) throws -> Population {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-loader-\(UUID().uuidString).csv")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try loader.load(file: file.path, variables: variables)
    }

    static func load(_ text: String, loader: SurveyLoader = SurveyLoader()) throws -> Population {
        try load(Array(text.utf8), loader: loader)
    }

    /// The InputError `body` throws, with the file name replaced by `FILE`; `nil` if none.
    static func caught(_ body: () throws -> Population) -> InputError? {
        do {
            _ = try body()
            return nil
        } catch let error as InputError {
            var e = error
            e.file = "FILE"
            return e
        } catch {
            return nil
        }
    }

    /// The InputError loading `text` throws (with the temporary file's name replaced by `FILE`).
    static func error(loading text: String, loader: SurveyLoader = SurveyLoader()) -> InputError? {
        caught { try load(text, loader: loader) }
    }

    @Test("a plain file loads into households, weights and columns")
    func plainFile() throws {
        let population = try Self.load(Self.plain)
        #expect(Snapshot(population) == Self.expected)
        #expect(population.householdCount == 3)
        #expect(population.personCount == 5)
        #expect(population.largestHousehold == 2)
        #expect(population.persons(of: 1) == 2..<4)
    }

    @Test("CRLF line endings give the same population")
    func crlf() throws {
        let text = Self.plain.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(Snapshot(try Self.load(text)) == Self.expected)
    }

    @Test("a UTF-8 byte-order mark before the header is ignored")
    func byteOrderMark() throws {
        #expect(Snapshot(try Self.load([0xEF, 0xBB, 0xBF] + Array(Self.plain.utf8))) == Self.expected)
    }

    @Test("quoted fields, quoted header names and doubled quotes are read")
    func quotedFields() throws {
        let text = """
            "hh_id","person_id",weight,age,labour_status,earnings,other_income,note
            "1","1",100.5,40,1,"1000.25",0,"says ""hello"", twice"
            1,2,100.5,"8",0,0,0,""
            2,3,50,35,2,300,"10.5","a, b, c"
            2,4,50,3,0,0,0,plain
            3,5,75,70,0,0,120,"x"

            """
        #expect(Snapshot(try Self.load(text)) == Self.expected)
    }

    @Test("quoted fields with CRLF line endings are read")
    func quotedCRLF() throws {
        let text = Self.plain.replacingOccurrences(of: ",0\n", with: ",\"0\"\n").replacingOccurrences(of: "\n", with: "\r\n")
        #expect(text.contains("\"0\"\r\n"))
        #expect(Snapshot(try Self.load(text)) == Self.expected)
    }

    @Test("no trailing newline, or several trailing newlines, are all accepted",
          arguments: ["", "\n", "\n\n\n", "\r\n\r\n"])
    func trailingNewlines(ending: String) throws {
        let text = ([Self.header] + Self.rows).joined(separator: "\n") + ending
        #expect(Snapshot(try Self.load(text)) == Self.expected)
    }

    @Test("columns not requested are ignored, whatever they hold")
    func extraColumns() throws {
        let text = (["comment," + Self.header + ",region"] + Self.rows.map { "n/a — ok," + $0 + ",north" })
            .joined(separator: "\n")
        let population = try Self.load(text)
        #expect(Snapshot(population) == Self.expected)
        #expect(!population.has("region"))
        #expect(!population.has("comment"))
    }

    @Test("a column map reads variables from renamed columns")
    func columnMap() throws {
        let text = "hhid,pid,wgt_hh,ageyrs,lstat,earn,oth_inc\n" + Self.rows.joined(separator: "\n")
        let map = ColumnMap(["hh_id": "hhid", "person_id": "pid", "weight": "wgt_hh", "age": "ageyrs",
                             "labour_status": "lstat", "earnings": "earn", "other_income": "oth_inc"])
        #expect(Snapshot(try Self.load(text, loader: SurveyLoader(columnMap: map))) == Self.expected)
    }

    @Test("a column map read from YAML maps variables to columns")
    func columnMapFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-map-\(UUID().uuidString).yaml")
        try "# map\nhh_id: hhid\nage: ageyrs\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let map = try ColumnMap(file: file.path)
        #expect(map.column(for: "hh_id") == "hhid")
        #expect(map.column(for: "age") == "ageyrs")
        #expect(map.column(for: "weight") == "weight")
    }

    @Test("a missing column names the mapped column, the model variable and the map")
    func mapToMissingColumn() throws {
        let map = ColumnMap(["age": "ageyrs"], source: "map.yaml")
        let e = try #require(Self.error(loading: Self.plain, loader: SurveyLoader(columnMap: map)))
        #expect(e.line == 1)
        #expect(e.message.contains("'ageyrs' (model variable 'age')"))
        #expect(e.message.contains("map.yaml"))
    }

    @Test("tiny pieces (16 bytes) and any thread count give the same population as the default",
          arguments: [1, 16, 17, 64, 1 << 21])
    func pieceSize(pieceBytes: Int) throws {
        let text = Self.plain.replacingOccurrences(of: "\n", with: "\r\n")
        let reference = Snapshot(try Self.load(text))
        for threads in [1, 2, 3] {
            let loader = SurveyLoader(plan: ParallelPlan(threads: threads), pieceBytes: pieceBytes)
            #expect(Snapshot(try Self.load(text, loader: loader)) == reference, "threads \(threads)")
        }
    }

    @Test("with tiny pieces a defect is still reported at its own line")
    func pieceSizeKeepsLines() throws {
        var rows = Self.rows
        rows[3] = "2,4,50,3,0,oops,0"  // line 5
        let text = ([Self.header] + rows).joined(separator: "\n")
        for pieceBytes in [16, 1 << 21] {
            let e = try #require(Self.error(loading: text, loader: SurveyLoader(pieceBytes: pieceBytes)))
            #expect(e.line == 5, "pieceBytes \(pieceBytes)")
            #expect(e.field == "earnings")
        }
    }

    @Test("of several defects the first in file order is reported, even with many pieces")
    func firstDefectWins() throws {
        var rows = Self.rows
        rows[1] = "1,2,100.5,200,0,0,0"  // line 3: age 200
        rows[4] = "3,5,75,70,9,0,120"    // line 6: labour_status 9
        let text = ([Self.header] + rows).joined(separator: "\n")
        let e = try #require(Self.error(loading: text, loader: SurveyLoader(plan: ParallelPlan(threads: 2), pieceBytes: 16)))
        #expect(e.line == 3)
        #expect(e.field == "age")
    }

    /// The error for each defect, and the 1-based line it names (line 1 is the header).
    @Test("errors carry the line of the defect", arguments: [
        (3, "1,2,100.5,x,0,0,0", "age"),
        (3, "1,2,100.5,8.5,0,0,0", "age"),
        (4, "2,3,-50,35,2,300,10.5", "weight"),
        (4, "2,3,0,35,2,300,10.5", "weight"),
        (5, "2,4,50,3,0,,0", "earnings"),
        (6, "3,5,75,131,0,0,120", "age"),
    ])
    func errorLines(line: Int, row: String, field: String) throws {
        var rows = Self.rows
        rows[line - 2] = row
        let e = try #require(Self.error(loading: ([Self.header] + rows).joined(separator: "\n")))
        #expect(e.line == line)
        #expect(e.field == field)
        #expect(e.description.hasPrefix("FILE:\(line) (\(field)): "))
    }

    @Test("an empty line inside the data is an error at its line")
    func emptyLine() throws {
        var rows = Self.rows
        rows.insert("", at: 2)  // line 4
        let e = try #require(Self.error(loading: ([Self.header] + rows).joined(separator: "\n")))
        #expect(e.line == 4)
        #expect(e.message.contains("empty"))
    }

    @Test("a row with too many fields is an error at its line")
    func tooManyFields() throws {
        var rows = Self.rows
        rows[2] += ",7"  // line 4
        let e = try #require(Self.error(loading: ([Self.header] + rows).joined(separator: "\n")))
        #expect(e.line == 4)
        #expect(e.message.contains("8 fields"))
    }

    @Test("household structure errors carry the lines involved")
    func structureErrors() throws {
        var rows = Self.rows
        rows[3] = "2,4,60,3,0,0,0"  // line 5: weight 60 in a household of weight 50
        var e = try #require(Self.error(loading: ([Self.header] + rows).joined(separator: "\n")))
        #expect(e.line == 5)
        #expect(e.field == "weight")
        #expect(e.message.contains("line 4"))

        rows = Self.rows
        rows[4] = "1,5,100.5,70,0,0,120"  // line 6: household 1 again, after household 2
        e = try #require(Self.error(loading: ([Self.header] + rows).joined(separator: "\n")))
        #expect(e.line == 6)
        #expect(e.field == "hh_id")

        rows = Self.rows
        rows[4] = "3,1,75,70,0,0,120"  // line 6: person id 1 again (first on line 2)
        e = try #require(Self.error(loading: ([Self.header] + rows).joined(separator: "\n")))
        #expect(e.line == 6)
        #expect(e.field == "person_id")
        #expect(e.message.contains("lines 2 and 6"))
    }

    @Test("an empty file and a header-only file are errors")
    func emptyAndHeaderOnly() throws {
        let empty = try #require(Self.error(loading: ""))
        #expect(empty.message.contains("empty"))
        let headerOnly = try #require(Self.error(loading: Self.header + "\n"))
        #expect(headerOnly.line == 2)
        #expect(headerOnly.message.contains("no data rows"))
    }

    @Test("a duplicated header name is an error on line 1")
    func duplicateHeader() throws {
        let e = try #require(Self.error(loading: Self.header + ",age\n" + Self.rows.map { $0 + ",1" }.joined(separator: "\n")))
        #expect(e.line == 1)
        #expect(e.field == "age")
    }

    @Test("a household weight written differently but equal on every member (50, 50.00, 5e1) is accepted")
    func equalWeightsWrittenDifferently() throws {
        var rows = Self.rows
        rows[2] = "2,3,50.00,35,2,300,10.5"
        rows[3] = "2,4,5e1,3,0,0,0"
        #expect(Snapshot(try Self.load(([Self.header] + rows).joined(separator: "\n"))) == Self.expected)
    }

    @Test("whole numbers may be written with a zero decimal part; exponents are accepted for reals")
    func numberForms() throws {
        let text = Self.header + "\n1,1,1e2,40.0,1,1.00025e3,0\n"
        let population = try Self.load(text)
        #expect(population.weight.array == [100])
        #expect(population.integers("age").array == [40])
        #expect(population.reals("earnings").array == [1000.25])
    }
}

extension SurveyLoaderTests.Snapshot {
    init(_ p: Population) {
        self.init(
            starts: p.householdStart.array, ids: p.householdID.array, weights: p.weight.array,
            ages: p.integers("age").array, status: p.integers("labour_status").array,
            earnings: p.reals("earnings").array, other: p.reals("other_income").array)
    }
}
