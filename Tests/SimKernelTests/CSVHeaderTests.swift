import Foundation
import Testing
@testable import SimKernel

/// The CSV header is split by the rows' quoting rules (RFC 4180): a quote
/// means something only at the start of a field; a quote inside an unquoted
/// name, text after a closing quote and a quote left open are errors on
/// line 1 naming the header field and the byte where the defect is.
@Suite("CSV header")
struct CSVHeaderTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simrun-header-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func headerError(_ header: String) throws -> InputError? {
        let file = try Self.write(header + "\n1,1,1,40\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try SurveyLoader.header(of: file)
            return nil
        } catch let e as InputError {
            return e
        }
    }

    @Test("quoted names keep commas and doubled quotes; spaces around names are dropped")
    func quotedNames() throws {
        let file = try Self.write("\u{FEFF}\"hh_id\", person_id ,\"a,b\",\"c\"\"d\",\" e \"\r\n1,1,1,1,1\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try SurveyLoader.header(of: file) == ["hh_id", "person_id", "a,b", "c\"d", "e"])
    }

    @Test("a header field with an unquoted comma-free plain name is unchanged")
    func plainNames() throws {
        let file = try Self.write("hh_id,person_id,weight,age\n1,1,1,40\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try SurveyLoader.header(of: file) == ["hh_id", "person_id", "weight", "age"])
    }

    @Test("a quote inside an unquoted name is an error on line 1 with its field and byte (it used to be dropped)", arguments: [
        ("hh_id,person_id,ea\"rn\"ings,age", 3, 19, "'ea\"rn\"ings'"),
        ("hh_id,person_id,weight,age\"", 4, 27, "'age\"'"),
        ("hh_id, \"person_id\",weight,age", 2, 8, "' \"person_id\"'"),
    ])
    func quoteInsideUnquoted(header: String, field: Int, byte: Int, shown: String) throws {
        let error = try #require(try Self.headerError(header))
        #expect(error.line == 1)
        #expect(error.field == "header field \(field)")
        #expect(error.kind == .badValue && error.exitStatus == 65)
        #expect(error.message.contains("byte \(byte) of the line"), "\(error.message)")
        #expect(error.message.contains("a quote (\") inside the unquoted column name \(shown)"), "\(error.message)")
    }

    @Test("an unclosed quote in the header is reported on line 1, not as a field count on line 2")
    func unclosedQuote() throws {
        let error = try #require(try Self.headerError("hh_id,\"person_id,weight,age"))
        #expect(error.line == 1 && error.field == "header field 2")
        #expect(error.message.contains("byte 7 of the line: a quoted field is not closed before the end of the line"))
    }

    @Test("text after a closing quote is an error on line 1, as in the rows")
    func textAfterClosingQuote() throws {
        let error = try #require(try Self.headerError("hh_id,\"person\"_id,weight,age"))
        #expect(error.line == 1 && error.field == "header field 2")
        #expect(error.message.contains("byte 15 of the line: unexpected text after a closing quote"))
    }

    @Test("a long offending name is shown as a short excerpt")
    func excerpt() throws {
        let long = String(repeating: "x", count: 5000) + "\"y"
        let error = try #require(try Self.headerError("hh_id,person_id,weight," + long))
        #expect(error.message.count < 400)
        #expect(error.message.contains("...'"))
    }

    @Test("loading a file reports the header defect, whatever the piece size")
    func loaderReportsHeader() throws {
        let file = try Self.write("hh_id,person_id,weight,ea\"rn\"ings\n1,1,1,40\n2,2,1,50\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        for piece in [1, 7, 1 << 20] {
            let request = VariableRequest(.earnings, neededBy: "test")
            let error = #expect(throws: InputError.self) {
                _ = try SurveyLoader(pieceBytes: piece).load(file: file, variables: [request])
            }
            #expect(error?.line == 1 && error?.field == "header field 4")
        }
    }
}
