import SimKernel

/// The short names that head each option's column in `scenario compare` and the report.
///
/// An option's name is its scenario's `label:`; without one, its `title:` when that is at
/// most `ScenarioDefinition.maximumLabelLength` (SimKernel) characters; else "Option N". The full
/// titles go in a legend. Names are made unique by adding " (N)" to a repeated one, so
/// two columns never share a header. File paths are never used.
///
///     OptionLabels.labels(for: scenarios)   // ["Child grant 30", "Social pension", "Option 3"]
public enum OptionLabels {
    /// One name per scenario, in order.
    public static func labels(for scenarios: [ScenarioDefinition]) -> [String] {
        let names = scenarios.enumerated().map { i, s in
            s.label ?? (s.title.count <= ScenarioDefinition.maximumLabelLength ? s.title : "Option \(i + 1)")
        }
        return names.enumerated().map { i, name in
            names.filter { $0 == name }.count > 1 ? "\(name) (\(i + 1))" : name
        }
    }
}
