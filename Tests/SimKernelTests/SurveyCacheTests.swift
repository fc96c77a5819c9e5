import Foundation
import Testing
@testable import SimKernel

/// A binary survey file is checked like a CSV, in release builds: each test
/// writes a good file, changes one thing, and recomputes every checksum that
/// guards it (column and directory), so that what catches the defect is the
/// structural or value check itself, not a checksum.
@Suite("SurveyCache: crafted binary survey files")
struct SurveyCacheTests {
    static let csv = """
        hh_id,person_id,weight,stratum,age,labour_status,earnings,other_income,region_name
        10,1,100.5,1,40,1,1000.25,0,North
        10,2,100.5,1,8,0,0,0,North
        20,3,50,2,35,2,300,10.5,South
        20,4,50,2,3,0,0,0,South
        30,5,75,2,70,0,0,120,North

        """
    static let variables: [VariableRequest] = [
        VariableRequest(.stratum, neededBy: "test"), VariableRequest(.age, neededBy: "test"),
        VariableRequest(.labourStatus, neededBy: "test"), VariableRequest(.earnings, neededBy: "test"),
        VariableRequest(.otherIncome, neededBy: "test"), VariableRequest(.category("region_name"), neededBy: "test"),
    ]

    /// A binary survey file taken apart: the directory and every column's bytes, in file order.
    struct Crafted {
        var directory: SurveyCache.Directory
        var bytes: [String: [UInt8]]
        /// Offsets to write instead of the laid-out ones (for misplaced columns).
        var offsets: [String: Int] = [:]

        init(file: String) throws {
            let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            func word(_ at: Int) -> Int { data[at..<(at + 8)].reversed().reduce(0) { $0 << 8 | Int($1) } }
            directory = try JSONDecoder().decode(SurveyCache.Directory.self, from: Data(data[word(16)...]))
            bytes = [:]
            for e in directory.columns { bytes[e.name] = Array(data[e.offset..<(e.offset + e.count * e.elementSize)]) }
        }

        /// The entry called `name`.
        subscript(name: String) -> SurveyCache.Directory.Entry {
            get { directory.columns.first { $0.name == name }! }
            set { directory.columns[directory.columns.firstIndex { $0.name == name }!] = newValue }
        }

        /// Replaces the values of column `name`.
        mutating func set<T>(_ name: String, _ values: [T]) {
            bytes[name] = values.withUnsafeBytes { Array($0) }
        }

        /// The values of column `name`.
        func values<T>(_ name: String, as: T.Type) -> [T] {
            bytes[name]!.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
        }

        /// Lays the columns out as the writer does and writes the file, with every checksum recomputed.
        func write(to path: String, header patch: (inout [UInt8]) -> Void = { _ in }) throws {
            var out = [UInt8](repeating: 0, count: 64)
            var d = directory
            for i in d.columns.indices {
                let raw = bytes[d.columns[i].name]!
                while out.count % 64 != 0 { out.append(0) }
                d.columns[i].offset = offsets[d.columns[i].name] ?? out.count
                d.columns[i].checksum = String(raw.withUnsafeBytes { ColumnChecksum.of($0) }, radix: 16)
                out += raw
            }
            while out.count % 64 != 0 { out.append(0) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = [UInt8](try encoder.encode(d))
            func put(_ value: UInt64, _ at: Int) { for k in 0..<8 { out[at + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) } }
            out.replaceSubrange(0..<8, with: Array("SIMDATA1".utf8))
            out[8] = 1
            put(UInt64(out.count), 16)
            put(UInt64(json.count), 24)
            put(json.withUnsafeBytes { ColumnChecksum.of($0) }, 32)
            put(UInt64(out.count + json.count), 40)
            out += json
            patch(&out)
            try Data(out).write(to: URL(fileURLWithPath: path))
        }
    }

    /// A directory holding the CSV and a good binary file made from it.
    static func workspace() throws -> (csv: String, simdata: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let csvPath = dir.appendingPathComponent("persons.csv").path
        try csv.write(toFile: csvPath, atomically: false, encoding: .utf8)
        let population = try SurveyLoader().load(file: csvPath, variables: variables)
        let simdata = dir.appendingPathComponent("survey.simdata").path
        try SurveyCache.write(population, source: csvPath, sourceSHA256: try FileDigest.sha256(of: csvPath),
                              columnMap: ColumnMap(), to: simdata)
        return (csvPath, simdata)
    }

    /// Crafts a file from the good one with `change`, loads it, and returns the error.
    static func error(_ change: (inout Crafted) -> Void, header: (inout [UInt8]) -> Void = { _ in }) throws -> InputError? {
        let (_, simdata) = try workspace()
        var crafted = try Crafted(file: simdata)
        change(&crafted)
        try crafted.write(to: simdata, header: header)
        do {
            _ = try SurveyCache.load(file: simdata, variables: variables, plan: ParallelPlan(threads: 2))
            return nil
        } catch let error as InputError {
            return error
        }
    }

    @Test("the crafting itself is faithful: an unchanged file rewritten loads the CSV's values")
    func faithful() throws {
        let (csv, simdata) = try Self.workspace()
        try Crafted(file: simdata).write(to: simdata)
        let cached = try SurveyCache.load(file: simdata, variables: Self.variables, plan: ParallelPlan(threads: 2))
        let direct = try SurveyLoader().load(file: csv, variables: Self.variables)
        #expect(cached.householdStart.array == direct.householdStart.array)
        #expect(cached.weight.array == direct.weight.array)
        #expect(cached.integers("age").array == direct.integers("age").array)
        #expect(cached.reals("earnings").array == direct.reals("earnings").array)
        #expect(cached.category("region_name").labels == ["North", "South"])
    }

    @Test("a household count of 0 is refused")
    func noHouseholds() throws {
        let error = try #require(try Self.error { $0.directory.households = 0 })
        #expect(error.kind == .inconsistent && error.message.contains("0 households"), "\(error)")
    }

    @Test("household offsets that do not rise are refused, naming the household")
    func offsetsNotRising() throws {
        let error = try #require(try Self.error { c in
            var starts = c.values("household_start", as: Int.self)  // [0, 2, 4, 5]
            starts.swapAt(1, 2)
            c.set("household_start", starts)
        })
        #expect(error.kind == .inconsistent && error.field == "household_start", "\(error)")
        #expect(error.message.contains("household 2 (id 20) starts at person 4 and ends at 2"), "\(error)")
    }

    @Test("offsets that do not end at the person count are refused")
    func offsetsWrongEnd() throws {
        let error = try #require(try Self.error { c in
            var starts = c.values("household_start", as: Int.self)
            starts[3] = 4
            c.set("household_start", starts)
        })
        #expect(error.kind == .inconsistent && error.message.contains("expected 0 to the 5 persons"), "\(error)")
    }

    @Test("a column shorter than the person count is refused")
    func shortColumn() throws {
        let error = try #require(try Self.error { c in
            c.set("age", Array(c.values("age", as: Int32.self).dropLast()))
            c["age"].count = 4
        })
        #expect(error.kind == .inconsistent && error.field == "age" && error.message.contains("4 values, expected 5"), "\(error)")
    }

    @Test("counts beyond what the file can hold are refused before anything is allocated",
          arguments: [Int.max / 2, 1 << 40, 1 << 20])
    func hugeCounts(persons: Int) throws {
        let error = try #require(try Self.error { c in
            c.directory.persons = persons
            for i in c.directory.columns.indices where c.directory.columns[i].level == "person" {
                c.directory.columns[i].count = persons
            }
        })
        #expect(error.kind == .inconsistent && error.message.contains("persons"), "\(error)")
    }

    @Test("a column whose count times its element size overflows or passes the data is refused")
    func columnPastTheData() throws {
        let error = try #require(try Self.error { c in
            c.directory.households = Int.max / 4
            c["household_start"].count = Int.max / 4 + 1
        })
        #expect(error.kind == .inconsistent, "\(error)")
        let placed = try #require(try Self.error { c in c.offsets["earnings"] = 1 << 50 })
        #expect(placed.kind == .inconsistent && placed.field == "earnings" && placed.message.contains("aligned"), "\(placed)")
        let misaligned = try #require(try Self.error { c in c.offsets["earnings"] = 72 })
        #expect(misaligned.field == "earnings" && misaligned.message.contains("aligned"), "\(misaligned)")
    }

    @Test("header sizes past Int.max neither trap nor wrap")
    func hugeHeaderWords() throws {
        for at in [16, 24, 40] {
            let error = try #require(try Self.error({ _ in }, header: { out in
                for k in 0..<8 { out[at + k] = 0xFF }
            }))
            #expect(error.kind == .inconsistent, "\(error)")
        }
    }

    @Test("a weight that is negative, zero, NaN or infinite is refused, naming the household",
          arguments: [-1.0, 0, .nan, .infinity])
    func badWeight(weight: Double) throws {
        let error = try #require(try Self.error { c in
            var w = c.values("weight", as: Double.self)
            w[1] = weight
            c.set("weight", w)
        })
        #expect(error.kind == .outOfRange && error.field == "weight", "\(error)")
        #expect(error.message.contains("household 2 (id 20)") && error.message.contains("> 0"), "\(error)")
    }

    @Test("an age of 500 or -1 is refused, naming the person")
    func badAge() throws {
        for age: Int32 in [500, -1] {
            let error = try #require(try Self.error { c in
                var ages = c.values("age", as: Int32.self)
                ages[3] = age
                c.set("age", ages)
            })
            #expect(error.kind == .outOfRange && error.field == "age", "\(error)")
            #expect(error.message.contains("person 4 (household id 20)") && error.message.contains("0 to 130"), "\(error)")
        }
    }

    @Test("a code outside its range (labour_status 7) is refused")
    func badCode() throws {
        let error = try #require(try Self.error { c in
            var codes = c.values("labour_status", as: Int32.self)
            codes[0] = 7
            c.set("labour_status", codes)
        })
        #expect(error.kind == .outOfRange && error.field == "labour_status", "\(error)")
    }

    @Test("a NaN or infinite amount of money is refused", arguments: [Double.nan, -.infinity])
    func badMoney(value: Double) throws {
        let error = try #require(try Self.error { c in
            var earnings = c.values("earnings", as: Double.self)
            earnings[4] = value
            c.set("earnings", earnings)
        })
        #expect(error.kind == .outOfRange && error.field == "earnings" && error.message.contains("person 5"), "\(error)")
    }

    @Test("a money column relabelled as integers is refused")
    func moneyAsIntegers() throws {
        let error = try #require(try Self.error { c in
            c["earnings"].kind = "integer"
            c["earnings"].elementSize = 4
            c.set("earnings", Array(c.bytes["earnings"]!.prefix(20)))
        })
        #expect(error.kind == .inconsistent && error.field == "earnings" && error.message.contains("kind real"), "\(error)")
    }

    @Test("a category code that indexes no label is refused")
    func categoryCodeOutside() throws {
        let error = try #require(try Self.error { c in
            var codes = c.values("region_name", as: Int32.self)
            codes[2] = 2  // two labels: codes 0 and 1
            c.set("region_name", codes)
        })
        #expect(error.kind == .outOfRange && error.field == "region_name" && error.message.contains("code 2"), "\(error)")
    }

    @Test("category labels that are missing, repeated, empty or out of order are refused",
          arguments: [nil, ["North", "North"], ["", "South"], ["South", "North"]] as [[String]?])
    func categoryLabels(labels: [String]?) throws {
        let error = try #require(try Self.error { c in c["region_name"].labels = labels })
        #expect(error.kind == .inconsistent && error.field == "region_name", "\(error)")
    }

    @Test("a household id that appears twice is refused")
    func duplicateHouseholdID() throws {
        let error = try #require(try Self.error { c in c.set("hh_id", [Int64(10), 30, 10]) })
        #expect(error.kind == .duplicate && error.field == "hh_id" && error.message.contains("10"), "\(error)")
    }

    @Test("unknown kinds and levels, wrong element sizes, labels on numbers and stored person ids are refused")
    func directoryEntries() throws {
        let cases: [(String, (inout Crafted) -> Void)] = [
            ("unknown kind", { $0["age"].kind = "float16" }),
            ("unknown level", { $0["age"].level = "village" }),
            ("elements of 8 bytes", { $0["age"].elementSize = 8 }),
            ("labels on a integer column", { $0["age"].labels = ["a"] }),
            ("stored as household integer", { $0["age"].level = "household"; $0["age"].count = 3; $0.set("age", [Int32(1), 2, 3]) }),
            ("never stored", { c in
                var e = c["earnings"]
                e.name = "person_id"
                c.directory.columns.append(e)
                c.bytes["person_id"] = c.bytes["earnings"]
            }),
            ("two columns", { c in c.directory.columns.append(c["age"]) }),
            ("no weight column", { c in c.directory.columns.removeAll { $0.name == "weight" } }),
            ("a person's number or category", { c in
                var e = c["age"]
                e.name = "favourite_number"
                c.directory.columns.append(e)
                c.bytes["favourite_number"] = c.bytes["age"]
            }),
        ]
        for (phrase, change) in cases {
            let error = try #require(try Self.error(change), "\(phrase) was accepted")
            #expect(error.message.contains(phrase), "expected '\(phrase)' in: \(error)")
        }
    }

    @Test("a directory that is not valid JSON, with a valid checksum, is refused")
    func unreadableDirectory() throws {
        let (_, simdata) = try Self.workspace()
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: simdata)))
        let offset = data[16..<24].reversed().reduce(0) { $0 << 8 | Int($1) }
        data[offset] = UInt8(ascii: "[")
        let checksum = data[offset...].withUnsafeBytes { ColumnChecksum.of($0) }
        for k in 0..<8 { data[32 + k] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt64(k))) }
        try Data(data).write(to: URL(fileURLWithPath: simdata))
        #expect(throws: InputError.self) {
            _ = try SurveyCache.load(file: simdata, variables: Self.variables, plan: ParallelPlan())
        }
        #expect(throws: InputError.self) { _ = try SurveyCache.variableNames(file: simdata) }
    }

    @Test("a household variable kept per person must be the same on every member")
    func householdRealPerPerson() throws {
        let shared = Variable("hh_rent", kind: .real, level: .household, unit: "currency per month", summary: "test")
        let (_, simdata) = try Self.workspace()
        var crafted = try Crafted(file: simdata)
        var e = crafted["earnings"]
        e.name = "hh_rent"
        crafted.directory.columns.append(e)
        crafted.set("hh_rent", [5.0, 5, 7, 8, 9])
        try crafted.write(to: simdata)
        #expect {
            _ = try SurveyCache.load(file: simdata, variables: [VariableRequest(shared, neededBy: "test")], plan: ParallelPlan())
        } throws: { error in
            (error as? InputError).map { $0.kind == .inconsistent && $0.message.contains("household 2 (id 20)") } ?? false
        }
    }
}
