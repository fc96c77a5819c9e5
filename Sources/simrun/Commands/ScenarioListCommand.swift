import SimAnalysis
import SimReport
import ArgumentParser
import Foundation
import Scenarios
import SimKernel

/// `simrun scenario list`: the modules scenario files can use.
struct ScenarioListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the policy modules scenario files can use, with a one-line summary each.",
        discussion: "A benefit, tax or contribution that no module expresses can be written in the scenario or system file "
            + "itself, with 'declare:' instead of 'module:' (docs/rules.md).\n\n" + ExitStatus.help)

    func run() throws {
        let modules = ScenarioCatalog.standard.modules
        let width = modules.map { $0.name.count }.max() ?? 0
        var out = ""
        for m in modules {
            out += m.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + m.summary + "\n"
        }
        try ErrorFunnel.run { try StandardOutput.write(out) }
    }
}

/// `simrun scenario describe MODULE`: a module's parameters.
struct ScenarioDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe a policy module: its parameters with units, defaults and valid ranges.",
        discussion: ExitStatus.help)

    @Argument(help: "The module's name, as `simrun scenario list` shows it.")
    var module: String

    @Option(name: .long, help: "Output format: text (for people) or markdown (the parameter table of docs/scenarios.md). Default: text.")
    var format: DescribeFormat = .text

    enum DescribeFormat: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    func run() throws {
        guard let type = ScenarioCatalog.standard.module(named: module) else {
            var message = "unknown scenario module '\(module)'"
            if let near = closestMatch(to: module, in: ScenarioCatalog.standard.modules.map { $0.name }) {
                message += "; did you mean '\(near)'?"
            }
            throw ValidationError(message)
        }
        var out: String
        switch format {
        case .markdown:
            out = ParameterTable.markdown(type.parameters)
        case .text:
            out = "\(type.name): \(type.summary)\n\nParameters:\n"
            for p in type.parameters {
                out += "  \(p.key)\n"
                out += "      \(p.summary)\n"
                out += "      type: \(p.type.description); unit: \(p.unit); range: \(p.rangeText); default: \(p.defaultValue.map { "\($0)" } ?? "none (required)")\n"
            }
        }
        try ErrorFunnel.run { try StandardOutput.write(out) }
    }
}
