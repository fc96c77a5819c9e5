import Foundation
import SimKernel

/// What `simrun data calibrate` asks: calibrate a survey's weights to known totals (as R survey's
/// `calibrate()`, docs/calibration.md) and write the data with the new weights as CSV.
///
/// ```swift
/// let request = DataCalibrationRequest(file: "persons.csv", weight: "w", marginsFile: "margins.yaml",
///                                      options: CalibrationOptions(method: .raking), out: "calibrated.csv")
/// let report = try request.run()
/// ```
package struct DataCalibrationRequest: Sendable {
    /// The survey data file (one row per person or household).
    package var file: String
    /// The column of initial weights (each > 0).
    package var weight: String
    /// The margins file (YAML or JSON).
    package var marginsFile: String
    /// The household id column, when members keep one weight.
    package var household: String?
    package var options: CalibrationOptions
    /// The name of the new weight column.
    package var column = "calibrated_weight"
    /// The CSV file to write: a new path or a regular file to replace.
    package var out: String

    package init(file: String, weight: String, marginsFile: String, options: CalibrationOptions, out: String) {
        self.file = file
        self.weight = weight
        self.marginsFile = marginsFile
        self.options = options
        self.out = out
    }
}

/// The diagnostics of a calibration: the engine's result, the settings, and what was written.
/// SimReport renders it as text lines (standard error) or JSON (`--format json`).
package struct CalibrationReport: Sendable {
    package let result: CalibrationResult
    package let options: CalibrationOptions
    /// The data's rows.
    package let rows: Int
    /// The number of households (with `--household`).
    package let households: Int?
    /// The file written and the new column.
    package let out: String
    package let column: String

    package init(result: CalibrationResult, options: CalibrationOptions, rows: Int, households: Int?, out: String, column: String) {
        self.result = result
        self.options = options
        self.rows = rows
        self.households = households
        self.out = out
        self.column = column
    }
}

extension DataCalibrationRequest {
    /// Reads the margins and the data, calibrates, and writes the data plus the new column to ``out``
    /// atomically (an interrupt while writing removes the temporary file, ``InterruptCleanup``).
    ///
    /// - Returns: The diagnostics.
    /// - Throws: `InputError`: `out` not replaceable (exit 73), the margins and data (naming the margin,
    ///   category or column), a column already named ``column`` (kind `InputError/Kind/duplicate`), a
    ///   calibration that cannot meet the margins, a failed write.
    package func run() throws -> CalibrationReport {
        try SurveyCache.checkReplaceable(out)
        let margins = try CalibrationMarginsFile.load(file: marginsFile)
        let table = try SurveyTable.read(file: file)
        if table.column(named: column) != nil {
            throw InputError(file: file, line: 1, field: column, kind: .duplicate,
                             "the data already has a column \(InputExcerpt.quoted(column)); choose another --name for the calibrated weights")
        }
        let (weights, design) = try margins.design(for: table, weight: weight, household: household)
        let result: CalibrationResult
        do {
            result = try Calibration.calibrate(weights: weights, design: design, options: options)
        } catch let error as CalibrationError {
            throw margins.inputError(error, table: table, weight: weight, household: household)
        }
        // Interrupted while writing: the temporary file goes, `out` is as it was.
        try InterruptCleanup.shared.removingTemporaryFile { created in
            try table.writeCSV(to: out, adding: [(column, result.weights)], temporaryCreated: created)
        }
        return CalibrationReport(result: result, options: options, rows: table.rowCount,
                                 households: design.households.map { Set($0).count }, out: out, column: column)
    }
}
