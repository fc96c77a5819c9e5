import Foundation
import Testing
@testable import SimKernel

@Suite("Categorical columns")
struct CategoryColumnTests {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-category-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("text labels become codes into the sorted labels, the same for any piece size")
    func textLabels() throws {
        let file = try write("hh_id,person_id,weight,region\n1,1,1,\"Tyrol\"\n1,2,1,Tyrol\n2,3,2,Vienna\n3,4,1,Carinthia\n4,5,1, Vienna \n")
        for piece in [1, 8, 1 << 20] {
            let p = try SurveyLoader(pieceBytes: piece).load(file: file, variables: [VariableRequest(.category("region"), neededBy: "test")])
            let region = p.category("region")
            #expect(region.labels == ["Carinthia", "Tyrol", "Vienna"])
            #expect(region.codes.array == [1, 1, 2, 0, 2])
        }
    }

    @Test("numeric labels sort as numbers")
    func numericLabels() throws {
        let file = try write("hh_id,person_id,weight,stratum_code\n1,1,1,10\n2,2,1,2\n3,3,1,1\n")
        let p = try SurveyLoader().load(file: file, variables: [VariableRequest(.category("stratum_code"), neededBy: "test")])
        #expect(p.category("stratum_code").labels == ["1", "2", "10"])
        #expect(p.category("stratum_code").codes.array == [2, 1, 0])
    }

    @Test("an empty label is an error naming the line and column")
    func emptyLabel() throws {
        let file = try write("hh_id,person_id,weight,region\n1,1,1,A\n2,2,1,\n")
        #expect {
            try SurveyLoader().load(file: file, variables: [VariableRequest(.category("region"), neededBy: "test")])
        } throws: { error in
            let e = error as? InputError
            return e?.line == 3 && e?.field == "region" && e!.message.contains("empty value")
        }
    }

    func writeBytes(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-category-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url.path
    }

    func labels(_ file: String, piece: Int = 1 << 20, threads: Int = 2) throws -> CategoryColumn {
        try SurveyLoader(plan: ParallelPlan(threads: threads), pieceBytes: piece)
            .load(file: file, variables: [VariableRequest(.category("grp"), neededBy: "test")]).category("grp")
    }

    @Test("a 'nan' label makes the column text: byte order, the same on every load (was random)")
    func nanLabel() throws {
        let file = try write("hh_id,person_id,weight,grp\n1,1,1,nan\n2,2,1,1\n3,3,1,2\n4,4,1,10\n5,5,1,-1\n6,6,1,3\n7,7,1,0.5\n")
        for (piece, threads) in [(1 << 20, 2), (7, 2), (13, 1), (1 << 20, 1), (3, 4), (1 << 20, 2), (1 << 20, 2)] {
            let grp = try labels(file, piece: piece, threads: threads)
            #expect(grp.labels == ["-1", "0.5", "1", "10", "2", "3", "nan"])
            #expect(grp.codes.array == [6, 2, 4, 3, 0, 5, 1])
        }
    }

    @Test("numeric labels: by value, equal values ('1', '1.0') by bytes")
    func equalValues() throws {
        let file = try write("hh_id,person_id,weight,grp\n1,1,1,10\n2,2,1,1.0\n3,3,1,-2\n4,4,1,1\n")
        let grp = try labels(file)
        #expect(grp.labels == ["-2", "1", "1.0", "10"])
        #expect(grp.codes.array == [3, 2, 0, 1])
    }

    @Test("labels are distinct by their bytes: a precomposed and a combining accent are two categories")
    func byteDistinct() throws {
        let nfc: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9], nfd: [UInt8] = Array("cafe".utf8) + [0xCC, 0x81]
        let file = try writeBytes(Array("hh_id,person_id,weight,grp\n1,1,1,".utf8) + nfc + Array("\n2,2,1,".utf8) + nfd
            + Array("\n3,3,1,".utf8) + nfc + [0x0A])
        let grp = try labels(file)
        #expect(grp.labels.count == 2)
        #expect(grp.labels.map { Array($0.utf8) } == [nfd, nfc])  // byte order: "cafe…" before "caf\u{C3}…"
        #expect(grp.codes.array == [1, 0, 1])
    }

    @Test("a label that is not valid UTF-8 is an error naming line and column")
    func invalidUTF8() throws {
        let file = try writeBytes(Array("hh_id,person_id,weight,grp\n1,1,1,A\n2,2,1,B".utf8) + [0xFF] + [0x0A])
        #expect {
            try labels(file)
        } throws: { error in
            let e = error as? InputError
            return e?.line == 3 && e?.field == "grp" && e!.message.contains("not valid UTF-8")
        }
    }

    @Test("a quoted label's doubled quotes are one quote: \"a\"\"b\" is the label a\"b")
    func quotedQuotes() throws {
        let file = try write("hh_id,person_id,weight,grp\n1,1,1,\"a\"\"b\"\n2,2,1,a\"b\n3,3,1,\"x,y\"\n")
        for piece in [1, 5, 1 << 20] {
            let grp = try labels(file, piece: piece)
            #expect(grp.labels == ["a\"b", "x,y"])
            #expect(grp.codes.array == [0, 0, 1])
        }
    }

    @Test("numbers too large for their type say so (not 'not a number')")
    func tooLarge() throws {
        func message(_ csv: String, _ variables: [VariableRequest]) throws -> String {
            let file = try write(csv)
            do {
                _ = try SurveyLoader().load(file: file, variables: variables)
                return ""
            } catch let e as InputError {
                return e.message
            }
        }
        let earnings = try message("hh_id,person_id,weight,earnings\n1,1,1,1e400\n", [VariableRequest(.earnings, neededBy: "test")])
        #expect(earnings.contains("'1e400' in column 'earnings' is too large"), "\(earnings)")
        let id = try message("hh_id,person_id,weight,earnings\n1,123456789012345678901,1,5\n", [VariableRequest(.earnings, neededBy: "test")])
        #expect(id.contains("is too large") && id.contains("9.2e18"), "\(id)")
        let region = try message("hh_id,person_id,weight,region\n1,1,1,3000000000\n", [VariableRequest(.region, neededBy: "test")])
        #expect(region.contains("between -2147483648 and 2147483647"), "\(region)")
        let text = try message("hh_id,person_id,weight,earnings\n1,1,1,abc\n", [VariableRequest(.earnings, neededBy: "test")])
        #expect(text.contains("is not a number"), "\(text)")
    }

    @Test("a header name starting with a combining mark is its own column (the header is split by bytes, like the rows)")
    func headerCombiningMark() throws {
        let file = try write("hh_id,person_id,weight,earnings,\u{301}note\n1,1,1,5,a\n1,2,1,7,b\n")
        let p = try SurveyLoader().load(file: file, variables: [VariableRequest(.earnings, neededBy: "test")])
        #expect(p.reals("earnings").array == [5, 7])
        let grp = try SurveyLoader().load(file: file, variables: [VariableRequest(.category("\u{301}note"), neededBy: "test")])
        #expect(grp.category("\u{301}note").labels == ["a", "b"])
    }
}
