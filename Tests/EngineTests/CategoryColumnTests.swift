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
}
