import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimKernel

/// `simrun test [FILES or folders]`: legislation cases (docs/cases.md).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run legislation cases: hand-worked households with the amounts the rules must give them.",
        discussion: """
            Each YAML file holds a list of cases (format: docs/cases.md): a household (its members' \
            variables), a scenario or system (optionally with some parameters given anew), and the expected monthly amounts of components and of \
            disposable income, with an error margin. Folders are searched for *.yaml files. Prints every \
            failure with the expected and computed values and ends with the line 'N passed, M failed'. \
            Exit status 0 when no case failed, 1 when one did.
            """ + ExitStatus.paragraph)

    @Argument(help: ArgumentHelp("Case files or folders. Default: inputs/cases.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        GSL.prepare()
        var passed = 0, failed = 0
        try ErrorFunnel.run {
            let roots = paths.isEmpty ? ["inputs/cases"] : paths
            var files: [String] = []
            for root in roots {
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
            var report = ""
            for file in files {
                for legislationCase in try LegislationCase.read(file: file, catalog: ScenarioCatalog.standard) {
                    let checks = try legislationCase.run()
                    let failures = checks.filter { !$0.passed }
                    if failures.isEmpty {
                        passed += 1
                        continue
                    }
                    failed += 1
                    report += "FAIL \(legislationCase.file):\(legislationCase.line) \(legislationCase.name)\n"
                    for f in failures {
                        report += "  \(f.system == "system" ? "" : f.system + ".")\(f.key): expected \(ParameterValue.number(f.expected)), computed \(f.computed)\n"
                    }
                }
            }
            report += "\(passed) passed, \(failed) failed\n"
            try StandardOutput.write(report)
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
