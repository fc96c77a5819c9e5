import Foundation
import Testing
@testable import SimKernel

/// The Stata and SPSS readers of ``SurveyTable``, on the fixtures of
/// `Tests/Fixtures/stata/` (made by `make-fixtures.py` there, which lists
/// every value; refresh them with `python3 Tests/Fixtures/stata/make-fixtures.py`).
@Suite("Stata and SPSS files")
struct SurveyTableReadStatTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) -> String { root.appendingPathComponent("Tests/Fixtures/stata/\(name)").path }

    static let names = ["Zoë", "€uro", "", "Ærø", "plain"]
    static let regionLabels: [Double: String] = [1: "Nord", 2: "Süd", 3: "Île-de-France"]

    func numbers(_ table: SurveyTable, _ name: String) throws -> (values: [Double], whole: Bool) {
        let column = try #require(table.column(named: name))
        guard case .numbers(let v, let whole) = column.values else { Issue.record("\(name) is not numeric"); return ([], false) }
        return (v, whole)
    }

    func texts(_ table: SurveyTable, _ name: String) throws -> [String] {
        let column = try #require(table.column(named: name))
        guard case .text(let v) = column.values else { Issue.record("\(name) is not text"); return [] }
        return v
    }

    /// Equal, NaN equal to NaN.
    func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test("every Stata format gives the same values, labels, value labels and missing codes",
          arguments: [114, 115, 117, 118, 119])
    func stataPeople(format: Int) throws {
        let table = try SurveyTable.read(file: Self.fixture("people-\(format).dta"))
        #expect(table.format == .stata(version: format))
        #expect(table.rowCount == 5)
        #expect(table.columns.map(\.name) == ["hhid", "line", "age", "income", "region", "weight", "name"])
        #expect(try texts(table, "hhid") == ["H01", "H02", "H03", "H04", "H05"])
        #expect(table.column(named: "hhid")?.missing == nil)

        let line = try numbers(table, "line")
        #expect(line.values == [1, 2, 1, 2, 3] && line.whole)
        #expect(table.column(named: "line")?.label == "Person line number")

        let age = try numbers(table, "age")
        #expect(same(age.values, [34, .nan, 7, .nan, 101]))
        #expect(table.column(named: "age")?.missing == [.present, .extended("a"), .present, .system, .present])
        #expect(table.column(named: "age")?.label == "Âge (années)")

        let income = try numbers(table, "income")
        #expect(same(income.values, [1250.5, .nan, 0, -3.25, .nan]))
        #expect(!income.whole)
        #expect(table.column(named: "income")?.missing == [.present, .extended("b"), .present, .present, .extended("z")])
        #expect(table.column(named: "income")?.label == "Income, € per month")
        #expect(table.column(named: "income")?.missingCounts == [.extended("b"): 1, .extended("z"): 1])

        let region = try numbers(table, "region")
        #expect(region.values == [1, 2, 3, 1, 2] && region.whole)
        #expect(table.column(named: "region")?.valueLabels == Self.regionLabels)
        #expect(table.column(named: "line")?.valueLabels == [:])

        let weight = try numbers(table, "weight")
        #expect(weight.values == [1.5, 2.25, 0.5, 4, 8] && !weight.whole)

        #expect(try texts(table, "name") == Self.names)
        #expect(table.column(named: "name")?.missing == [.present, .present, .system, .present, .present])
    }

    @Test("a Stata file read in one to five pieces of rows, numbers in place or copied, is the same table")
    func piecesDoNotMatter() throws {
        for format in [114, 117, 119] {
            let file = Self.fixture("people-\(format).dta")
            let one = try SurveyTable.readStat(file: file, kind: .stata, encoding: nil, pieces: 1, inPlace: false)
            for (pieces, inPlace) in [(1, true), (2, true), (2, false), (3, true), (5, false)] {
                let other = try SurveyTable.readStat(file: file, kind: .stata, encoding: nil, pieces: pieces, inPlace: inPlace)
                for (a, b) in zip(one.columns, other.columns) {
                    #expect(a.missing == b.missing)
                    switch (a.values, b.values) {
                    case (.numbers(let x, let wx), .numbers(let y, let wy)):
                        #expect(wx == wy && x.map(\.bitPattern) == y.map(\.bitPattern))
                    case (.text(let x), .text(let y)): #expect(x == y)
                    default: Issue.record("\(a.name): kinds differ")
                    }
                }
            }
        }
    }

    @Test("Stata 117-119 rows decoded directly (StataRows) give ReadStat's table, value for value, on every fixture and the example files")
    func directRowsEqualReadStat() throws {
        let folder = URL(fileURLWithPath: Self.fixture("people-118.dta")).deletingLastPathComponent().path
        var files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".dta") }.map { folder + "/" + $0 }
        files += ["example-households.dta", "example-persons.dta"].map { Self.root.appendingPathComponent("inputs/data/\($0)").path }
        // A fuzz finding: a negative NaN in a float or double column was a present value on the direct path.
        files.append(Self.root.appendingPathComponent("Tests/Fixtures/stata-regressions/direct-rows-negative-nan.dta").path)
        var direct = 0
        for file in files.sorted() {
            let viaReadStat = try SurveyTable.readStat(file: file, kind: .stata, encoding: nil, pieces: 1, inPlace: false)
            let table = try SurveyTable.read(file: file)
            for column in table.columns {
                if case .numbers(let x, _) = column.values {
                    #expect(x.indices.allSatisfy { column.missingCode($0).isMissing || x[$0].isFinite }, "\(file) \(column.name): a present value that is not finite")
                }
            }
            #expect(table.rowCount == viaReadStat.rowCount && table.columns.count == viaReadStat.columns.count, "\(file)")
            for (a, b) in zip(table.columns, viaReadStat.columns) {
                #expect(a.name == b.name && a.label == b.label && a.valueLabels == b.valueLabels && a.missingLabels == b.missingLabels, "\(file) \(a.name)")
                #expect(a.missing == b.missing, "\(file) \(a.name)")
                switch (a.values, b.values) {
                case (.numbers(let x, let wx), .numbers(let y, let wy)):
                    #expect(wx == wy && x.map(\.bitPattern) == y.map(\.bitPattern), "\(file) \(a.name)")
                case (.text(let x), .text(let y)): #expect(x == y, "\(file) \(a.name)")
                default: Issue.record("\(file) \(a.name): kinds differ")
                }
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            let variables = try SurveyTable.readStatVariables(file: file)
            let release = Int(String(decoding: bytes.prefix(31).suffix(3), as: UTF8.self)) ?? 0
            let taken = bytes.withUnsafeBytes { StataRows.read($0, release: release, variables: variables, rows: table.rowCount, plan: ParallelPlan()) } != nil
            if taken { direct += 1 }
        }
        // The direct path is taken for the UTF-8 formats (the example files and the 118/119 fixtures without strL).
        #expect(direct >= 4, "direct path taken for \(direct) files")
    }

    @Test("strL text: UTF-8 in format 118, Windows-1252 in format 117; an empty strL is missing")
    func strL() throws {
        let new = try SurveyTable.read(file: Self.fixture("strl-118.dta"))
        #expect(try texts(new, "note") == ["short", "", "Dé" + String(repeating: "x", count: 2998)])
        #expect(new.column(named: "note")?.missing == [.present, .system, .present])
        let old = try SurveyTable.read(file: Self.fixture("strl-117.dta"))
        #expect(try texts(old, "note") == ["short", "", "Dé" + String(repeating: "x", count: 2999)])
        #expect(try numbers(old, "id").values == [1, 2, 3])
    }

    @Test("an encoding given for an old Stata file is used instead of Windows-1252")
    func encodingOverride() throws {
        let latin = try SurveyTable.read(file: Self.fixture("people-114.dta"), encoding: "ISO-8859-1")
        // 0x80 is € in Windows-1252 but a C1 control in ISO-8859-1.
        #expect(try texts(latin, "name")[1] == "\u{80}uro")
        #expect(try texts(latin, "name")[0] == "Zoë")
    }

    @Test("an unknown encoding is an error naming it")
    func unknownEncoding() throws {
        let error = try #require(throws: InputError.self) {
            try SurveyTable.read(file: Self.fixture("people-114.dta"), encoding: "NO-SUCH-ENCODING")
        }
        #expect(error.kind == .unsupported)
        #expect(error.message.contains("NO-SUCH-ENCODING"))
    }

    @Test("SPSS .sav and .zsav: system-missing, user-missing values and ranges kept with their value, formats without decimals are whole",
          arguments: ["people.sav", "people.zsav"])
    func spssPeople(file: String) throws {
        let table = try SurveyTable.read(file: Self.fixture(file))
        #expect(table.format == .spss)
        #expect(table.rowCount == 5)
        #expect(try texts(table, "hhid") == ["H01", "H02", "H03", "H04", "H05"])
        let line = try numbers(table, "line")
        #expect(line.values == [1, 2, 1, 2, 3] && line.whole)
        let age = try numbers(table, "age")
        #expect(same(age.values, [34, .nan, 7, .nan, 101]) && age.whole)
        #expect(table.column(named: "age")?.missing == [.present, .system, .present, .system, .present])
        #expect(table.column(named: "age")?.label == "Âge (années)")
        let income = try numbers(table, "income")
        #expect(same(income.values, [1250.5, -99, 0, -5, .nan]) && !income.whole)
        #expect(table.column(named: "income")?.missing == [.present, .user, .present, .user, .system])
        let region = try numbers(table, "region")
        #expect(region.values == [1, 2, 3, 1, 2] && region.whole)
        #expect(table.column(named: "region")?.valueLabels == Self.regionLabels)
        let weight = try numbers(table, "weight")
        #expect(weight.values == [1.5, 2.25, 0.5, 4, 8] && !weight.whole)
        #expect(try texts(table, "name") == Self.names)
    }

    @Test("the extension chooses the reader, in any case; readCSV is used for anything else")
    func dispatch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-readstat-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let upper = dir.appendingPathComponent("PEOPLE.DTA").path
        try FileManager.default.copyItem(atPath: Self.fixture("people-118.dta"), toPath: upper)
        #expect(try SurveyTable.read(file: upper).format == .stata(version: 118))
        let csv = dir.appendingPathComponent("x.txt").path
        try "a,b\n1,2\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try SurveyTable.read(file: csv).format == .csv)
    }

    // MARK: Broken files

    func brokenCopy(of fixture: String, named: String, _ change: (inout [UInt8]) -> Void) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture(fixture))))
        change(&bytes)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-readstat-broken-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(named).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a file that is not what its extension says is a data error naming the file",
          arguments: ["x.dta", "x.sav", "x.zsav"])
    func wrongContent(name: String) throws {
        let path = try brokenCopy(of: "people-118.dta", named: name) { bytes in
            bytes = Array("hh_id,age\n1,2\n".utf8)
        }
        let error = try #require(throws: InputError.self) { try SurveyTable.read(file: path) }
        #expect(error.kind == .badValue && error.exitStatus == 65)
        #expect(error.file == path)
        #expect(!error.message.contains("hh_id"))
    }

    @Test("an SPSS file named .dta and an empty file are refused cleanly")
    func spssAsStata() throws {
        let path = try brokenCopy(of: "people.sav", named: "spss.dta") { _ in }
        let error = try #require(throws: InputError.self) { try SurveyTable.read(file: path) }
        #expect(error.kind == .badValue)
        let empty = try brokenCopy(of: "people.sav", named: "empty.sav") { $0 = [] }
        let e2 = try #require(throws: InputError.self) { try SurveyTable.read(file: empty) }
        #expect(e2.message.contains("empty"))
    }

    @Test("a missing file is no input (exit 66)")
    func missingFile() throws {
        let error = try #require(throws: InputError.self) { try SurveyTable.read(file: "/nonexistent/x.dta") }
        #expect(error.kind == .noInput && error.exitStatus == 66)
    }

    @Test("truncated files are errors naming the file (and row where the data stop), at every length",
          arguments: ["people-114.dta", "people-117.dta", "people-118.dta", "people.sav", "people.zsav", "strl-118.dta"])
    func truncated(fixture: String) throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: Self.fixture(fixture))).count
        for length in stride(from: 0, to: full, by: max(1, full / 97)) {
            let ext = (fixture as NSString).pathExtension
            let path = try brokenCopy(of: fixture, named: "cut-\(length).\(ext)") { $0 = Array($0.prefix(length)) }
            do {
                _ = try SurveyTable.read(file: path)
                // Stata's value labels come after the data: a file cut among them may still read.
                #expect(ext == "dta" && length > full / 2, "a file cut at \(length) of \(full) bytes was read")
            } catch let error as InputError {
                #expect(error.file == path)
                #expect(error.exitStatus == 65)
            }
        }
    }

    @Test("a header announcing more rows than the file holds is refused before any memory is reserved")
    func lyingRowCount() throws {
        // Format 118: the row count is the 8 bytes after "<N>" (little-endian here); 2^40 rows.
        let path = try brokenCopy(of: "people-118.dta", named: "rows.dta") { bytes in
            let tag = Array("<N>".utf8)
            let at = (0..<(bytes.count - 3)).first { Array(bytes[$0..<($0 + 3)]) == tag }! + 3
            for k in 0..<8 { bytes[at + k] = k == 5 ? 1 : 0 }
        }
        let error = try #require(throws: InputError.self) { try SurveyTable.read(file: path) }
        #expect(error.kind == .inconsistent)
        #expect(error.message.contains("1099511627776 rows"))
        // Format 114 keeps its value labels after the data: the same lie is found while seeking to them.
        let old = try brokenCopy(of: "people-114.dta", named: "rows.dta") { bytes in
            bytes[6] = 0xFF; bytes[7] = 0xFF; bytes[8] = 0xFF; bytes[9] = 0x7F
        }
        let e2 = try #require(throws: InputError.self) { try SurveyTable.read(file: old) }
        #expect(e2.exitStatus == 65)
    }

    /// Replaces the first occurrence of `text` in `bytes` by `replacement` (same length).
    static func patch(_ bytes: inout [UInt8], _ text: [UInt8], _ replacement: [UInt8]) {
        precondition(text.count == replacement.count)
        let at = (0...(bytes.count - text.count)).first { Array(bytes[$0..<($0 + text.count)]) == text }!
        bytes.replaceSubrange(at..<(at + text.count), with: replacement)
    }

    @Test("text that is not valid in the file's encoding names the row and variable")
    func badText() throws {
        // Row 4's name "Ærø": in format 114 (Windows-1252) 0x81 is undefined; in 118 (UTF-8) 0xFF is invalid.
        let old = try brokenCopy(of: "people-114.dta", named: "bad-1252.dta") { Self.patch(&$0, [0xC6, 0x72], [0x81, 0x72]) }
        let e1 = try #require(throws: InputError.self) { try SurveyTable.read(file: old) }
        #expect(e1.line == 4 && e1.field == "name" && e1.kind == .badValue, "\(e1)")
        let new = try brokenCopy(of: "people-118.dta", named: "bad-utf8.dta") { Self.patch(&$0, Array("Ærø".utf8), [0x41, 0xFF, 0x72, 0x41, 0x41]) }
        let e2 = try #require(throws: InputError.self) { try SurveyTable.read(file: new) }
        #expect(e2.line == 4 && e2.field == "name" && e2.kind == .badValue, "\(e2)")
    }

    @Test("a label-set name filling its whole field (no NUL) is read to the field's end, not beyond (fuzz finding)")
    func fullLabelSetName() throws {
        // Format 114: 109-byte header, then 7 types, 7 × 33 names, 8 × 2 sort list, 7 × 49 formats, then 7 × 33 label-set names.
        let lbllist = 109 + 7 + 7 * 33 + 16 + 7 * 49
        let path = try brokenCopy(of: "people-114.dta", named: "labelset.dta") { bytes in
            let full = [UInt8](repeating: 0x61, count: 33)
            bytes.replaceSubrange((lbllist + 4 * 33)..<(lbllist + 5 * 33), with: full)   // region's set: "aaa…a", no NUL
            bytes.replaceSubrange((lbllist + 5 * 33)..<(lbllist + 5 * 33 + 4), with: Array("bbbb".utf8))   // weight's, right after
            // The value-label table's own name (33 bytes after its 4-byte length), renamed to match.
            let tableName = Array("region0".utf8) + [0]   // pyreadstat names the set region0
            let at = (0...(bytes.count - tableName.count)).last { Array(bytes[$0..<($0 + tableName.count)]) == tableName }!
            bytes.replaceSubrange(at..<(at + 33), with: full)
        }
        let table = try SurveyTable.read(file: path)
        #expect(table.column(named: "region")?.valueLabels == Self.regionLabels)
        #expect(table.column(named: "weight")?.valueLabels == [:])
    }

    @Test("a value label on Stata's .a goes to missingLabels, not to the value labels")
    func extendedMissingLabel() throws {
        // Format 114's "region0" table: 4-byte length, 33-byte name, 3 padding bytes, n, text length,
        // n offsets, then n values (1, 2, 3). The third value becomes .a (long: 0x7FFFFFE6).
        let path = try brokenCopy(of: "people-114.dta", named: "label-a.dta") { bytes in
            let name = Array("region0".utf8) + [0]
            let at = (0...(bytes.count - name.count)).last { Array(bytes[$0..<($0 + name.count)]) == name }!
            let third = at + 33 + 3 + 8 + 3 * 4 + 2 * 4
            precondition(bytes[third] == 3, "the fixture's label table changed")
            bytes.replaceSubrange(third..<(third + 4), with: [0xE6, 0xFF, 0xFF, 0x7F])
        }
        let region = try #require(try SurveyTable.read(file: path).column(named: "region"))
        #expect(region.valueLabels == [1: "Nord", 2: "Süd"])
        #expect(region.missingLabels == [.extended("a"): "Île-de-France"])
    }

    @Test("an SPSS file whose data stop early names the row where they stop", arguments: ["people.sav", "people.zsav"])
    func spssCutShort(fixture: String) throws {
        let ext = (fixture as NSString).pathExtension
        let path = try brokenCopy(of: fixture, named: "short.\(ext)") { $0 = Array($0.dropLast(ext == "sav" ? 12 : 30)) }
        let error = try #require(throws: InputError.self) { try SurveyTable.read(file: path) }
        #expect(error.exitStatus == 65)
        if ext == "sav" { #expect(error.line == 5, "\(error)") }
    }
}

/// The two-file Stata example (inputs/data/make_dta_example.py) against the CSV it was made from.
@Suite("The Stata example survey")
struct ExampleStataSurveyTests {
    static func path(_ name: String) -> String {
        SurveyTableReadStatTests.root.appendingPathComponent("inputs/data/\(name)").path
    }

    func numbers(_ t: SurveyTable, _ name: String) throws -> [Double] {
        guard case .numbers(let v, _) = try #require(t.column(named: name)).values else { Issue.record("\(name)"); return [] }
        return v
    }

    @Test("the person file holds the CSV's persons, with .a/.b for inactive/unemployed earnings and .n for no birth; pieces change nothing")
    func persons() throws {
        let csv = try SurveyTable.readCSV(file: Self.path("example-persons.csv"))
        let dta = try SurveyTable.read(file: Self.path("example-persons.dta"))
        #expect(dta.rowCount == csv.rowCount && dta.format == .stata(version: 118))
        #expect(dta.fileLabel == "Example survey: persons")
        for (dtaName, csvName) in [("hhid", "hh_id"), ("pid", "person_id"), ("age", "age"), ("sex", "sex"),
                                   ("labour_status", "labour_status"), ("disabled", "disabled"), ("pension_income", "pension_income"),
                                   ("pregnant", "pregnant"), ("contract_type", "contract_type"), ("last_job_status", "last_job_status"),
                                   ("months_unemployed", "months_unemployed"), ("months_worked_last_24m", "months_worked_last_24m")] {
            #expect(try numbers(dta, dtaName) == numbers(csv, csvName), "\(dtaName)")
        }
        let status = try numbers(csv, "labour_status")
        let earnings = try numbers(csv, "earnings")
        let annual = try numbers(dta, "earnings_annual")
        let codes = try #require(dta.column(named: "earnings_annual"))
        for r in 0..<dta.rowCount {
            switch status[r] {
            case 0: #expect(codes.missingCode(r) == .extended("a") && annual[r].isNaN)
            case 3: #expect(codes.missingCode(r) == .extended("b") && annual[r].isNaN)
            default:
                #expect(codes.missingCode(r) == .present)
                #expect(abs(annual[r] / 12 - earnings[r]) < 1e-9, "row \(r + 1)")
            }
        }
        let births = try numbers(csv, "months_since_birth")
        let dtaBirths = try #require(dta.column(named: "months_since_birth"))
        let dtaBirthValues = try numbers(dta, "months_since_birth")
        for r in 0..<dta.rowCount {
            if births[r] == -1 { #expect(dtaBirths.missingCode(r) == .extended("n")) } else { #expect(dtaBirthValues[r] == births[r]) }
        }
        #expect(dta.column(named: "labour_status")?.valueLabels == [0: "Inactive", 1: "Formal employee", 2: "Informal worker", 3: "Unemployed"])
        #expect(dta.column(named: "earnings_annual")?.label == "Labour income, per year")
        if case .numbers(_, let whole) = try #require(dta.column(named: "age")).values { #expect(whole) }

        // 13,393 rows: many blocks of staged rows, in one to three pieces, in place or copied.
        let one = try SurveyTable.readStat(file: Self.path("example-persons.dta"), kind: .stata, encoding: nil, pieces: 1, inPlace: false)
        for (pieces, inPlace) in [(2, true), (3, false), (3, true)] {
            let other = try SurveyTable.readStat(file: Self.path("example-persons.dta"), kind: .stata, encoding: nil, pieces: pieces, inPlace: inPlace)
            for (a, b) in zip(one.columns, other.columns) {
                guard case .numbers(let x, _) = a.values, case .numbers(let y, _) = b.values else { continue }
                #expect(x.map(\.bitPattern) == y.map(\.bitPattern) && a.missing == b.missing, "\(a.name)")
            }
        }
    }

    @Test("the household file has one row per household, with the CSV's household variables and labelled regions")
    func households() throws {
        let csv = try SurveyTable.readCSV(file: Self.path("example-persons.csv"))
        let hh = try SurveyTable.read(file: Self.path("example-households.dta"))
        #expect(hh.rowCount == 3000)
        let ids = try numbers(csv, "hh_id")
        let weights = try numbers(csv, "weight")
        let regions = try numbers(csv, "region")
        var first: [Double: Int] = [:]
        for (r, id) in ids.enumerated() where first[id] == nil { first[id] = r }
        let hhid = try numbers(hh, "hhid")
        let hw = try numbers(hh, "weight")
        let hr = try numbers(hh, "region")
        for k in 0..<hh.rowCount {
            let r = try #require(first[hhid[k]])
            #expect(hw[k] == weights[r] && hr[k] == regions[r])
        }
        #expect(hh.column(named: "region")?.valueLabels[1] == "Capital")
        #expect(hh.column(named: "urban")?.valueLabels == [0: "Rural", 1: "Urban"])
        #expect(try numbers(hh, "hh_size").reduce(0, +) == Double(csv.rowCount))
    }
}
