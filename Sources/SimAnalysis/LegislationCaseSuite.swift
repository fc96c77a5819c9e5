import Foundation
import Scenarios
import SimKernel

/// `simrun test`'s run of legislation cases (docs/cases.md): every case of the case files found
/// under the given files and folders, in file order, with the checks that failed.
package struct LegislationCaseSuite: Sendable {
    /// A case with at least one failed check.
    package struct Failure: Sendable {
        package let file: String
        package let line: Int
        package let name: String
        /// Its failed checks, in order.
        package let checks: [LegislationCase.Check]
    }

    /// The case files, in order.
    package let files: [String]
    /// The number of cases whose every check passed.
    package let passed: Int
    /// The cases that failed, in file order.
    package let failures: [Failure]

    /// Finds the case files under `roots` (a file itself, a folder's `*.yaml` files at any depth, sorted;
    /// default `inputs/cases`), reads every case and runs it.
    /// - Throws: `InputError` (no input) for a path that does not exist; the case files' `InputError`s.
    package init(paths: [String]) throws {
        var files: [String] = []
        for root in paths.isEmpty ? ["inputs/cases"] : paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
                throw InputError(file: root, kind: .noInput, "no such file or folder")
            }
            if isFolder.boolValue {
                let found = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".yaml") }.sorted()
                files += found.map { (root as NSString).appendingPathComponent($0) }
            } else {
                files.append(root)
            }
        }
        var passed = 0
        var failures: [Failure] = []
        for file in files {
            for legislationCase in try LegislationCase.read(file: file, catalog: ScenarioCatalog.standard) {
                let failed = try legislationCase.run().filter { !$0.passed }
                if failed.isEmpty {
                    passed += 1
                } else {
                    failures.append(Failure(file: legislationCase.file, line: legislationCase.line, name: legislationCase.name, checks: failed))
                }
            }
        }
        self.files = files
        self.passed = passed
        self.failures = failures
    }
}
