import Foundation
import Testing
@testable import SimKernel

/// The one-pass CSV loader: households assembled while parsing and joined
/// across piece boundaries, the household checks (adjacency, one weight per
/// household, unique person ids) wherever the pieces fall, and the same
/// population for every piece size and thread count.
@Suite("CSV load: households across pieces")
struct CSVLoadHouseholdTests {
    typealias SplitMix64 = CSVLoadScanTests.SplitMix64

    static let header = "hh_id,person_id,weight,stratum,age,labour_status,earnings,other_income"
    static let variables: [VariableRequest] = [
        VariableRequest(.age, neededBy: "test"), VariableRequest(.labourStatus, neededBy: "test"),
        VariableRequest(.earnings, neededBy: "test"), VariableRequest(.otherIncome, neededBy: "test"),
        VariableRequest(.stratum, neededBy: "test"),
    ]
    /// Piece sizes from one byte (a piece per line) to more than the file.
    static let pieceSizes = [1, 7, 16, 53, 64, 200, 4096, 1 << 21]

    /// Writes `text` to a temporary file, calls `body` with its path, removes it.
    static func withFile<R>(_ text: String, _ body: (String) throws -> R) throws -> R {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-csvload-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// The error loading `path` throws, with the file name left out.
    static func error(_ path: String, loader: SurveyLoader, variables: [VariableRequest] = variables) -> InputError? {
        SurveyLoaderTests.caught { try loader.load(file: path, variables: variables) }
    }

    /// Every loader setting worth trying: piece sizes times thread counts.
    static var loaders: [SurveyLoader] {
        pieceSizes.flatMap { piece in [1, 2, 3].map { SurveyLoader(plan: ParallelPlan(threads: $0), pieceBytes: piece) } }
    }

    /// A population's contents, as bit patterns.
    struct Snapshot: Equatable {
        var starts: [Int], ids: [Int64], weights: [UInt64], strata: [Int32]
        var ages: [Int32], status: [Int32], earnings: [UInt64], other: [UInt64]

        init(_ p: Population) {
            starts = p.householdStart.array
            ids = p.householdID.array
            weights = p.weight.array.map(\.bitPattern)
            strata = p.householdIntegers("stratum").array
            ages = p.integers("age").array
            status = p.integers("labour_status").array
            earnings = p.reals("earnings").array.map(\.bitPattern)
            other = p.reals("other_income").array.map(\.bitPattern)
        }

        init(starts: [Int], ids: [Int64], weights: [Double], strata: [Int32], ages: [Int32], status: [Int32],
             earnings: [Double], other: [Double]) {
            self.starts = starts
            self.ids = ids
            self.weights = weights.map(\.bitPattern)
            self.strata = strata
            self.ages = ages
            self.status = status
            self.earnings = earnings.map(\.bitPattern)
            self.other = other.map(\.bitPattern)
        }
    }

    /// A random survey in awkward but valid writing (CRLF lines, quoted
    /// fields, one value written several ways, long ids), with what it holds.
    static func survey(households: Int, seed: UInt64) -> (text: String, expected: Snapshot) {
        var rng = SplitMix64(state: seed)
        var lines = [header]
        var starts: [Int] = [], ids: [Int64] = [], weights: [Double] = [], strata: [Int32] = []
        var ages: [Int32] = [], status: [Int32] = [], earnings: [Double] = [], other: [Double] = []
        var person: Int64 = 1_000_000_000_000 - 50
        var household: Int64 = 0
        let spellings: [(String, Double)] = [("0.00", 0), ("0", 0), ("1729.58", 1729.58), ("1729.580", 1729.58),
                                             ("\"12.5\"", 12.5), ("12.50", 12.5), ("-3.25", -3.25), ("1e3", 1000),
                                             ("123456789.125", 123456789.125), ("0.1", 0.1), (".5", 0.5)]
        for _ in 0..<households {
            household += Int64.random(in: 1...3, using: &rng)
            starts.append(ages.count)
            ids.append(household)
            let weight = Double(Int.random(in: 1...9999, using: &rng)) / 100
            weights.append(weight)
            let stratum = Int32.random(in: 1...40, using: &rng)
            strata.append(stratum)
            for member in 0..<Int.random(in: 1...9, using: &rng) {
                person += Int64.random(in: 1...2, using: &rng)
                let age = Int32.random(in: 0...99, using: &rng)
                let work = Int32.random(in: 0...3, using: &rng)
                let (earnText, earn) = spellings.randomElement(using: &rng)!
                let (otherText, otherValue) = spellings.randomElement(using: &rng)!
                // The weight written as the household's first member wrote it, or another way.
                let weightText = member > 0 && Bool.random(using: &rng) ? "\"\(weight)\"" : String(format: "%.2f", weight)
                let idText = Bool.random(using: &rng) ? "\(household)" : "\"\(household)\""
                let ending = Int.random(in: 0..<4, using: &rng) == 0 ? "\r" : ""
                lines.append("\(idText),\(person),\(weightText),\(stratum),\(age),\(work),\(earnText),\(otherText)\(ending)")
                ages.append(age)
                status.append(work)
                earnings.append(earn)
                other.append(otherValue)
            }
        }
        starts.append(ages.count)
        let expected = Snapshot(starts: starts, ids: ids, weights: weights, strata: strata, ages: ages, status: status,
                                earnings: earnings, other: other)
        return (lines.joined(separator: "\n") + "\n", expected)
    }

    @Test("every piece size and thread count gives the same population, the one written", arguments: [11, 12, 13])
    func samePopulationEverywhere(seed: UInt64) throws {
        let (text, expected) = Self.survey(households: 300, seed: seed)
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                let population = try loader.load(file: path, variables: Self.variables)
                #expect(Snapshot(population) == expected, "piece \(loader.pieceBytes), threads \(loader.plan.threads)")
            }
        }
    }

    @Test("many tiny pieces on four threads: pieces finished out of order wait for their rows")
    func outOfOrderPieces() throws {
        let (text, expected) = Self.survey(households: 3_000, seed: 14)
        try Self.withFile(text) { path in
            for piece in [1, 30, 100] {
                let loader = SurveyLoader(plan: ParallelPlan(threads: 4), pieceBytes: piece)
                let population = try loader.load(file: path, variables: Self.variables)
                #expect(Snapshot(population) == expected, "piece \(piece)")
            }
        }
    }

    /// A household of six members (lines 4-9) between two others.
    static func sixMembers(_ change: (inout [String]) -> Void) -> String {
        var rows = ["1,1,10.5,1,30,1,100,0"]
        for k in 0..<6 { rows.append("2,\(2 + k),20.25,2,\(20 + k),0,0.00,0.00") }
        rows.append("3,8,30,3,50,1,5,0")
        rows.insert("1,0,10.5,1,31,1,100,0", at: 0)
        change(&rows)
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    @Test("a member whose weight differs from the first member's is named with that member's line, wherever pieces fall",
          arguments: [4, 5, 8])
    func weightMismatchAcrossPieces(member: Int) throws {
        // Lines: header 1, household 1 on lines 2-3, household 2 on lines 4-9, household 3 on line 10.
        let text = Self.sixMembers { rows in
            rows[member - 2] = rows[member - 2].replacingOccurrences(of: "20.25", with: "20.26")
        }
        try Self.withFile(text) { path in
            for loader in Self.loaders + (1...90).map({ SurveyLoader(pieceBytes: $0) }) {
                let e = try #require(Self.error(path, loader: loader), "piece \(loader.pieceBytes)")
                if member == 4 {
                    // The first member differs from the others: the second member is the first to differ.
                    #expect(e.line == 5)
                    #expect(e.message == "weight is 20.25 here but 20.26 on line 4, the household's first member; weight is a household variable and must be the same on every member")
                } else {
                    #expect(e.line == member)
                    #expect(e.message == "weight is 20.26 here but 20.25 on line 4, the household's first member; weight is a household variable and must be the same on every member")
                }
                #expect(e.field == "weight")
            }
        }
    }

    @Test("a household integer (stratum) must be the same on every member, wherever pieces fall")
    func stratumMismatchAcrossPieces() throws {
        let text = Self.sixMembers { rows in rows[6] = rows[6].replacingOccurrences(of: ",20.25,2,", with: ",20.25,9,") }
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                let e = try #require(Self.error(path, loader: loader))
                #expect(e.line == 8)
                #expect(e.field == "stratum")
                #expect(e.message.hasPrefix("stratum is 9 here but 2 on line 4, the household's first member"))
            }
        }
    }

    @Test("a household that reappears is reported at its second start, wherever pieces fall")
    func householdNotAdjacent() throws {
        let text = Self.sixMembers { rows in rows[8] = "1,8,10.5,1,50,1,5,0" }
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                let e = try #require(Self.error(path, loader: loader))
                #expect(e.line == 10)
                #expect(e.field == "hh_id")
                #expect(e.message.hasPrefix("household 1 appears again here, after other households' rows (its first member is on line 2)"))
            }
        }
    }

    @Test("person ids that do not rise are checked by sorting; unique ones load", arguments: [
        [5, 4, 3, 2, 1, 0, 9, 8, 10], [0, 1, 2, 3, 4, 5, 6, 7, 8], [7, 1, 2, 3, 4, 5, 6, 0, 8], [100, 1, 2, 3, 4, 5, 6, -100, 8],
    ])
    func uniqueUnorderedPersonIDs(ids: [Int]) throws {
        let text = Self.sixMembers { rows in
            for (i, id) in ids.enumerated() {
                var fields = rows[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[1] = String(id)
                rows[i] = fields.joined(separator: ",")
            }
        }
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                #expect(Self.error(path, loader: loader) == nil, "piece \(loader.pieceBytes)")
            }
        }
    }

    @Test("a repeated person id is reported at its second line with its first, wherever pieces fall", arguments: [
        // (ids on lines 2-9, line of the repeat, line of the first)
        ([1, 2, 3, 4, 5, 6, 7, 7], 9, 8), ([1, 2, 3, 4, 4, 6, 7, 8], 6, 5), ([9, 2, 3, 4, 5, 6, 7, 9], 9, 2),
        ([8, 7, 6, 5, 8, 7, 2, 1], 6, 2), ([1, 2, 3, 3, 3, 3, 1, 0], 5, 4),
    ])
    func repeatedPersonID(ids: [Int], line: Int, first: Int) throws {
        let text = Self.sixMembers { rows in
            for (i, id) in ids.enumerated() {
                var fields = rows[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[1] = i % 2 == 0 ? "\"\(id)\"" : " \(id)"
                rows[i] = fields.joined(separator: ",")
            }
        }
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                let e = try #require(Self.error(path, loader: loader), "piece \(loader.pieceBytes)")
                #expect(e.line == line)
                #expect(e.field == "person_id")
                #expect(e.message == "person id \(ids[line - 2]) appears twice (lines \(first) and \(line)); person ids must be unique")
            }
        }
    }

    @Test("checks come in a fixed order: a bad value, then adjacency, then person ids, then household values")
    func checkOrder() throws {
        // A weight mismatch on line 5 and a repeated person id on line 9: the person id is reported.
        var text = Self.sixMembers { rows in
            rows[3] = rows[3].replacingOccurrences(of: "20.25", with: "20.5")
            rows[7] = "2,1,20.25,2,25,0,0.00,0.00"
        }
        try Self.withFile(text) { path in
            for loader in Self.loaders { #expect(Self.error(path, loader: loader)?.field == "person_id") }
        }
        // Add a bad age on the last line: it comes first.
        text = text.replacingOccurrences(of: "3,8,30,3,50,", with: "3,8,30,3,500,")
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                let e = Self.error(path, loader: loader)
                #expect(e?.field == "age")
                #expect(e?.line == 10)
            }
        }
    }

    @Test("a value written like the previous row's is that row's value; written otherwise, it is read again")
    func repeatedText() throws {
        let rows = [
            "1,1,50,1,7,1,\"12.5\",0.00", "1,2,50.00,1,7,1,12.5,0.00", "1,3,5e1,1,7,1,12.5,0.00", "1,4,50,1,7,1,12.50,0.00",
            "2,5,50,1,70,1,12.50,0.01", "2,6,50,1,70,1,12.50,0.010", "2,7,50,1,7,2,-12.50,-0.01\r", "2,8,50,1,7,2,-12.50,-0.01",
        ]
        let text = ([Self.header] + rows).joined(separator: "\n")
        try Self.withFile(text) { path in
            for loader in Self.loaders {
                let p = try loader.load(file: path, variables: Self.variables)
                #expect(p.weight.array == [50, 50])
                #expect(p.integers("age").array == [7, 7, 7, 7, 70, 70, 7, 7])
                #expect(p.integers("labour_status").array == [1, 1, 1, 1, 1, 1, 2, 2])
                #expect(p.reals("earnings").array == [12.5, 12.5, 12.5, 12.5, 12.5, 12.5, -12.5, -12.5])
                #expect(p.reals("other_income").array.map(\.bitPattern) == [0, 0, 0, 0, 0.01, 0.01, -0.01, -0.01].map(\.bitPattern))
            }
        }
        // Text that ends like the previous row's is not taken for it: an error at its own line.
        let bad = ([Self.header] + ["1,1,50,1,31,1,0,0", "1,2,50,1,131,1,0,0", "1,3,50,1,31,1,0,0"]).joined(separator: "\n")
        try Self.withFile(bad) { path in #expect(Self.error(path, loader: SurveyLoader())?.line == 3) }
    }

    @Test("one-row-per-unit files give each row its own household, for any piece size")
    func rowPerUnit() throws {
        let text = "income,weight\n" + (1...500).map { "\($0 % 17).25,\(1 + $0 % 3)" }.joined(separator: "\n")
        try Self.withFile(text) { path in
            for piece in Self.pieceSizes {
                for threads in [1, 3] {
                    let loader = SurveyLoader(plan: ParallelPlan(threads: threads), pieceBytes: piece, households: .rowPerUnit)
                    let p = try loader.load(file: path, variables: [VariableRequest("income", neededBy: "test")])
                    #expect(p.householdCount == 500)
                    #expect(p.householdStart.array == Array(0...500))
                    #expect(p.householdID.array == (1...500).map(Int64.init))
                    #expect(p.weight.array == (1...500).map { Double(1 + $0 % 3) })
                    #expect(p.reals("income").array == (1...500).map { Double($0 % 17) + 0.25 })
                }
            }
        }
    }

    @Test("rows as short as they can be fit the columns reserved for them")
    func shortestRows() throws {
        // Every field one byte, unread fields empty: the bound on the number of rows is tight.
        let grouped = "hh_id,person_id,weight,x,y\n" + (1...9).map { "\($0),\($0),1,," }.joined(separator: "\n")
        try Self.withFile(grouped) { path in
            for piece in [1, 3, 1 << 20] {
                let p = try SurveyLoader(pieceBytes: piece).load(file: path, variables: [])
                #expect(p.personCount == 9)
            }
        }
        try Self.withFile("weight\n1\n2\n3") { path in
            let p = try SurveyLoader(pieceBytes: 1, households: .rowPerUnit).load(file: path, variables: [])
            #expect(p.weight.array == [1, 2, 3])
        }
    }
}
