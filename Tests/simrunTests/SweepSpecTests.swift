import Foundation
import SimAnalysis
import SimKernel
import Testing

@testable import simrun

/// Reading sweep files and enumerating their variants (docs/solve-and-sweep.md).
@Suite("Sweep files")
struct SweepSpecTests {
    /// A scratch folder holding `sweep.yaml` with `text` and an empty `a.yaml` and `b.yaml` beside it.
    static func sweep(_ text: String) throws -> (file: String, folder: URL) {
        let folder = try makeScratchDirectory("sweep-spec")
        for name in ["a.yaml", "b.yaml"] { try Data("title: x\n".utf8).write(to: folder.appendingPathComponent(name)) }
        let file = folder.appendingPathComponent("sweep.yaml")
        try Data(text.utf8).write(to: file)
        return (file.path, folder)
    }

    /// The error reading `text` as a sweep file.
    static func error(_ text: String) throws -> InputError? {
        let (file, folder) = try sweep(text)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try SweepSpec(file: file)
            return nil
        } catch let error as InputError {
            return error
        }
    }

    @Test("lists and ranges give the cartesian product, options slowest and the last parameter fastest")
    func enumeration() throws {
        let (file, folder) = try Self.sweep("""
            options: [a.yaml, b.yaml]
            vary:
              amount_per_child: [10, 20]
              max_age: {from: 4, to: 6, step: 1}
            replications: 2
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try SweepSpec(file: file)
        #expect(spec.options.map { ($0 as NSString).lastPathComponent } == ["a.yaml", "b.yaml"])
        #expect(spec.optionLabels == ["a.yaml", "b.yaml"])
        #expect(spec.dimensions.map(\.path) == ["amount_per_child", "max_age"])
        #expect(spec.dimensions[1].values == [4, 5, 6])
        // 2 options × 2 amounts × 3 ages × 2 replications.
        #expect(spec.rowCount == 24)
        let rows = (0..<spec.rowCount).map(spec.variant(at:))
        #expect(rows[0] == SweepVariant(index: 0, option: 0, values: [10, 4], replication: 1))
        #expect(rows[1] == SweepVariant(index: 1, option: 0, values: [10, 4], replication: 2))
        #expect(rows[2] == SweepVariant(index: 2, option: 0, values: [10, 5], replication: 1))
        #expect(rows[6] == SweepVariant(index: 6, option: 0, values: [20, 4], replication: 1))
        #expect(rows[12] == SweepVariant(index: 12, option: 1, values: [10, 4], replication: 1))
        #expect(rows[23] == SweepVariant(index: 23, option: 1, values: [20, 6], replication: 2))
        // Every combination exactly once.
        let keys = Set(rows.map { "\($0.option) \($0.values) \($0.replication)" })
        #expect(keys.count == 24)
    }

    @Test("a decimal range is counted from its ends: 0.1 to 0.3 by 0.1 is 0.1, 0.2, 0.3")
    func decimalRange() throws {
        let (file, folder) = try Self.sweep("scenario: a.yaml\nvary:\n  rate: {from: 0.1, to: 0.3, step: 0.1}\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try SweepSpec(file: file)
        #expect(spec.dimensions[0].values == [0.1, 0.2, 0.3])
        #expect(spec.replications == 1)
        #expect(spec.rowCount == 3)
    }

    @Test("each defect is named with its line and key", arguments: [
        ("scenario: a.yaml\nvary:\n  amount: [10, 20]\nreplication: 2\n", InputError.Kind.unknownKey, 4, "did you mean 'replications'"),
        ("vary:\n  amount: [10]\n", .missingKey, nil, "'scenario:'"),
        ("scenario: a.yaml\noptions: [b.yaml]\nvary:\n  x: [1]\n", .inconsistent, 2, "not both"),
        ("scenario: missing.yaml\nvary:\n  x: [1]\n", .noInput, 1, "does not exist"),
        ("options: [a.yaml, a.yaml]\nvary:\n  x: [1]\n", .duplicate, 1, "listed twice"),
        ("scenario: a.yaml\n", .missingKey, nil, "'vary:'"),
        ("scenario: a.yaml\nvary:\n  x: []\n", .badValue, 3, "empty"),
        ("scenario: a.yaml\nvary:\n  x:\n    - 1\n    - ten\n", .wrongType, 5, "expected a number"),
        ("scenario: a.yaml\nvary:\n  x: [1, 2, 1]\n", .duplicate, 3, "listed twice"),
        ("scenario: a.yaml\nvary:\n  x: {from: 1, to: 5}\n", .missingKey, 3, "'step' is missing"),
        ("scenario: a.yaml\nvary:\n  x: {from: 1, to: 5, step: 0}\n", .outOfRange, 3, "'step' must be above 0"),
        ("scenario: a.yaml\nvary:\n  x: {from: 5, to: 1, step: 1}\n", .outOfRange, 3, "must not be above 'to'"),
        ("scenario: a.yaml\nvary:\n  x: {from: 1, to: 5, stp: 1}\n", .unknownKey, 3, "did you mean 'step'"),
        ("scenario: a.yaml\nvary:\n  x: 5\n", .wrongType, 3, "expected a list of numbers"),
        ("scenario: a.yaml\nvary:\n  x: [1]\nreplications: 0\n", .outOfRange, 4, "replications must be from 1"),
        ("scenario: a.yaml\nvary:\n  x: {from: 0, to: 1e9, step: 1}\n", .unsupported, 3, "more than a sweep may have"),
        ("scenario: a.yaml\nvary:\n  x: {from: 0, to: 9999, step: 1}\n  y: {from: 0, to: 9999, step: 1}\n", .unsupported, 4, "more than 10000000 rows"),
    ] as [(String, InputError.Kind, Int?, String)])
    func defects(text: String, kind: InputError.Kind, line: Int?, phrase: String) throws {
        let error = try #require(try Self.error(text))
        #expect(error.kind == kind, "\(error)")
        #expect(error.line == line, "\(error)")
        #expect(error.file.hasSuffix("sweep.yaml"))
        #expect(error.description.contains(phrase), "\(error)")
    }

    @Test("a sweep file that does not exist is 'no input' (exit 66)")
    func missingFile() {
        #expect {
            try SweepSpec(file: "/nonexistent/sweep.yaml")
        } throws: { error in
            (error as? InputError)?.exitStatus == 66
        }
    }
}
