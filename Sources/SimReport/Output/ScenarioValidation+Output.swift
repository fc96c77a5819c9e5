import SimAnalysis
import SimKernel

extension ScenarioValidation {
    /// `scenario validate`'s report: the scenario's title, baseline and its components, what the reform
    /// changes, year and poverty line (and welfare), the data variables needed, the example data or the
    /// survey checked.
    package var report: String {
        var out = "valid: \(scenarioFile) — \(scenario.title)\n"
        out += "  baseline \(scenario.baseline.name) (\(scenario.baseline.source ?? "")): "
        out += scenario.baseline.components.map { "\($0.name) [\($0.moduleName)]" }.joined(separator: ", ") + "\n"
        out += "  reform changes: " + scenario.changedComponents.joined(separator: ", ") + "\n"
        out += "  year: \(scenario.year.map(String.init) ?? "latest values"); poverty line \(scenario.povertyLine) per person per month\n"
        if !scenario.welfare.isDefault {
            out += "  welfare: \(scenario.welfare.outputDescription); poverty line \(scenario.welfare.linesText(povertyLine: scenario.povertyLine))\n"
        }
        out += "  data variables needed: hh_id, person_id, weight, " + variables.joined(separator: ", ") + "\n"
        if let exampleData { out += "  example data: \(exampleData)\n" }
        if let data { out += "  data \(data.file): valid, \(data.households) households, \(data.persons) persons\n" }
        return out
    }
}
