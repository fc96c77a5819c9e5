import SimKernel

/// What `simrun data describe` asks: every variable of a data file, or of a data recipe's result,
/// with its type, label, value labels, missing values by kind and weighted summary (docs/data.md,
/// "Describing data"). The table and JSON are rendered from the `DataDescription` in SimReport.
///
/// ```swift
/// let description = try DataDescriptionRequest(file: "survey.dta").run()
/// ```
package struct DataDescriptionRequest: Sendable {
    /// A CSV, Stata or SPSS file, or a data recipe (`.yaml`).
    package var file: String
    /// The column to weight rows by (`nil`: `weight` when the file has it, else every row weighs 1).
    package var weight: String?
    /// Every row weighs 1, even with a `weight` column.
    package var unweighted = false

    package init(file: String, weight: String? = nil, unweighted: Bool = false) {
        self.file = file
        self.weight = weight
        self.unweighted = unweighted
    }

    /// Reads the file (or assembles the recipe, keeping what it dropped) and describes it.
    ///
    /// - Throws: `InputError` naming the file (or recipe) and what is wrong, or the weight column.
    package func run() throws -> DataDescription {
        if SurveyRecipe.isRecipe(file) {
            let prepared = try SurveyRecipe(file: file).assemble()
            return try DataDescription(table: prepared.table, weight: unweighted ? nil : (weight ?? "weight"),
                                       origin: prepared.origin, preparation: prepared.preparation)
        }
        let table = try SurveyTable.read(file: file)
        let chosen = unweighted ? nil : weight ?? (table.column(named: "weight") != nil ? "weight" : nil)
        return try DataDescription(table: table, weight: chosen)
    }
}
