import SimAnalysis
import SimKernel

extension DataImportResult {
    /// What `simrun data import` says it wrote (on standard error, without `--quiet`): the file, its
    /// households, persons and variables, and the columns kept as categories.
    package var summary: String {
        "wrote \(out): \(population.householdCount) households, \(population.personCount) persons, "
            + "\(population.variableNames.count) variables" + (categories.isEmpty ? "" : " (\(categories.joined(separator: ", ")) as categories)")
    }
}
