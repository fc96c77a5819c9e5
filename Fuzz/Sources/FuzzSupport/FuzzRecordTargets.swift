import Foundation
import SimReport

extension FuzzTargets {
    /// The versioned result records (`ResultRecords`, docs/output.md "One record behind every
    /// format"): the input's first byte picks the kind (comparison, scenario run, assessment,
    /// provenance; mod 4), the rest is read as its JSON. A record refused is a `DecodingError`
    /// (any other error, a crash or a hang is a finding); a record accepted is rendered in every
    /// format, and the record as written again must read back to the same bytes.
    public static func records(_ input: UnsafeRawBufferPointer) {
        guard let mode = input.first else { return }
        let kinds = ResultRecords.Kind.allCases
        let kind = kinds[Int(mode) % kinds.count]
        let data = Data(input.dropFirst())
        do {
            let first = try ResultRecords.render(data, as: kind)
            let again = try ResultRecords.render(first.rewritten, as: kind)
            guard again.rewritten == first.rewritten, again.renderings == first.renderings else {
                fatalError("records: a \(kind.rawValue) record written again does not read back to the same record")
            }
            if verbose { FileHandle.standardError.write(Data("records: \(kind.rawValue) accepted\n".utf8)) }
        } catch is DecodingError {
            if verbose { FileHandle.standardError.write(Data("records: \(kind.rawValue) refused\n".utf8)) }
        } catch {
            fatalError("records: threw \(type(of: error)), not DecodingError: \(String(describing: error).prefix(300))")
        }
    }
}
