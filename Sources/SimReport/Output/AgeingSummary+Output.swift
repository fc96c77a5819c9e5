import Foundation
import SimAnalysis

/// How the survey was aged, as `scenario run`'s table header line and JSON `ageing` object (docs/output.md).
extension AgeingSummary {
    /// The header line of a table.
    package var line: String {
        let indices = uprating.map { AgeingOutput.uprated($0.variable, factor: $0.factor, index: $0.index) }
        return "Ageing   : survey \(surveyYear) aged to \(targetYear) with \(countryFile)\(marginsFile.map { " and \($0)" } ?? ""): weights \(method) to population by age group and sex (\(iterations) iterations, largest deviation \(String(format: "%.1e", largestRelativeDeviation)), weight ratios \(String(format: "%.3f", weightRatioMin))-\(String(format: "%.3f", weightRatioMax))); " + (indices.isEmpty ? "no money variables" : indices.joined(separator: ", "))
    }

    /// The JSON object.
    package var json: JSONWriter.Value {
        .object([
            ("survey_year", .number(Double(surveyYear))), ("target_year", .number(Double(targetYear))),
            ("country_file", .string(countryFile)), ("margins_file", marginsFile.map { .string($0) } ?? .null),
            ("method", .string("calibration (\(method)) to the population by age group and sex, money variables uprated by index")),
            ("calibration_method", .string(method)),
            ("uprating", .array(uprating.map {
                .object([("variable", .string($0.variable)), ("index", .string($0.index)), ("factor", .number($0.factor))])
            })),
            ("iterations", .number(Double(iterations))),
            ("largest_relative_deviation", .number(largestRelativeDeviation)),
            ("weight_ratio_min", .number(weightRatioMin)),
            ("weight_ratio_max", .number(weightRatioMax)),
        ])
    }
}
