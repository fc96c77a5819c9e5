/// How `compare --years` carries an option's cost to later years (docs/costing.md).
public enum ProjectionMethod: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The base-year microsimulation's amounts by age group and sex, scaled by
    /// population growth, an indexation factor and coverage; revenue with GDP
    /// (``CostProjection/init(run:population:profile:settings:years:aged:)``). Fast; thresholds and means
    /// tests do not react to income growth.
    case scaled
    /// Each year simulated on the survey aged to it (weights calibrated to the
    /// year's population by age group and sex, money variables uprated;
    /// ``SurveyAgeing/age(_:to:profile:moneyVariables:uprating:extraMargins:options:)``):
    /// means tests, tax brackets and thresholds react to income growth.
    case microsim

    public var description: String { rawValue }
}

extension SurveyAgeing {
    /// What ageing to one year did, without the aged population (kept by a projection).
    public struct Summary: Sendable {
        public let year: Int
        public let uprating: [Uprating]
        public let iterations: Int
        /// The calibration's largest remaining deviation relative to its target.
        public let largestRelativeDeviation: Double
        public let weightRatioRange: ClosedRange<Double>
    }
}

extension SurveyAgeing.AgedSurvey {
    /// The diagnostics of this ageing.
    public var summary: SurveyAgeing.Summary {
        SurveyAgeing.Summary(year: year, uprating: uprating, iterations: reweighting.calibration.iterations,
                             largestRelativeDeviation: reweighting.calibration.largestRelativeDeviation?.relative ?? 0,
                             weightRatioRange: weightRatioRange)
    }
}
