import Foundation
import SimKernel

/// How the survey was aged (`--age-survey`), for every output's provenance:
/// the table's header line and the JSON `ageing` object (docs/output.md).
package struct AgeingOutput {
    package let countryFile: String
    package let marginsFile: String?
    package let method: CalibrationMethod
    package let aged: SurveyAgeing.AgedSurvey

    /// The calibration's largest remaining deviation relative to its target.
    package var largestRelativeDeviation: Double { aged.reweighting.calibration.largestRelativeDeviation?.relative ?? 0 }

    /// Ages `population` as `--age-survey` does: the money variables of `requests`, the profile's
    /// the scenario's and profile's uprating, raking without bounds, any `--margins` file's margins.
    package static func age(_ population: Population, to year: Int, profile: CountryProfile, requests: [VariableRequest],
                    uprating: [String: UpratingIndex], margins: CalibrationMarginsFile?) throws -> AgeingOutput {
        let money = requests.filter { $0.variable.measure == .money && $0.variable.level == .person }.map(\.variable.name)
        let method = CalibrationMethod.raking
        do {
            let aged = try SurveyAgeing.age(population, to: year, profile: profile, moneyVariables: money, uprating: uprating,
                                            extraMargins: try margins?.margins(for: population) ?? [],
                                            options: CalibrationOptions(method: method))
            return AgeingOutput(countryFile: profile.file, marginsFile: margins?.file, method: method, aged: aged)
        } catch let error as CalibrationError {
            throw InputError(file: margins?.file ?? profile.file, kind: .inconsistent,
                             "cannot age the survey \(population.source) to \(year): \(error)")
        }
    }

    /// The memberwise initializer, visible to the package's other targets.
    package init(countryFile: String, marginsFile: String?, method: CalibrationMethod, aged: SurveyAgeing.AgedSurvey) {
        self.countryFile = countryFile
        self.marginsFile = marginsFile
        self.method = method
        self.aged = aged
    }
}

extension AgeingOutput {
    /// A money variable's uprating as the header lines say it: `earnings × 1.0612 (wages)`.
    package static func uprated(_ variable: String, factor: Double, index: String) -> String {
        "\(variable) × \(String(format: "%.4f", factor)) (\(index))"
    }

    /// The header lines of `compare --years`: the projection method and, with microsim, each year's ageing.
    package static func projectionLines(_ comparison: OptionComparison) -> [String] {
        switch comparison.projectionMethod {
        case .scaled:
            return ["Projection: scaled (survey-year amounts by age group and sex × population growth × indexation; docs/costing.md)"]
        case .microsim:
            var lines = ["Projection: microsim (each year simulated on the survey aged to it: raking to the population by age group and sex, money variables uprated; docs/costing.md)"]
            for a in comparison.ageing {
                let factors = a.uprating.map { uprated($0.variable, factor: $0.factor, index: $0.index.rawValue) }.joined(separator: ", ")
                lines.append("  \(a.year): \(a.iterations) iterations, largest deviation \(String(format: "%.1e", a.largestRelativeDeviation)), weight ratios \(String(format: "%.3f", a.weightRatioRange.lowerBound))-\(String(format: "%.3f", a.weightRatioRange.upperBound)); \(factors.isEmpty ? "no money variables" : factors)")
            }
            return lines
        }
    }

    /// The JSON array of each projection year's ageing (empty for the scaled method).
    package static func json(_ ageing: [SurveyAgeing.Summary]) -> JSONWriter.Value {
        .array(ageing.map { a in
            .object([
                ("target_year", .number(Double(a.year))),
                ("uprating", .array(a.uprating.map {
                    .object([("variable", .string($0.variable)), ("index", .string($0.index.rawValue)), ("factor", .number($0.factor))])
                })),
                ("iterations", .number(Double(a.iterations))),
                ("largest_relative_deviation", .number(a.largestRelativeDeviation)),
                ("weight_ratio_min", .number(a.weightRatioRange.lowerBound)),
                ("weight_ratio_max", .number(a.weightRatioRange.upperBound)),
            ])
        })
    }
}
