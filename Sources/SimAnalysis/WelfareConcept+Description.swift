import SimKernel

extension WelfareConcept {
    /// The measure in words with its unit, as outputs print it: for the default exactly
    /// "per-capita household disposable income, currency per person per month".
    package var outputDescription: String {
        if isDefault { return "per-capita household disposable income, currency per person per month" }
        return "\(self), currency per \(unit == .perCapita ? "person" : "adult equivalent") per month"
    }

    /// The label of the `mean_income` row: "Mean disposable income" or "Mean consumption (welfare)".
    package var meanLabel: String {
        switch source {
        case .disposableIncome where isDefault: return "Mean disposable income"
        case .disposableIncome: return "Mean welfare (disposable income)"
        case .consumption: return "Mean welfare (consumption)"
        }
    }
}
