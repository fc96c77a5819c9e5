/// The estimates of one population or group, indicator by indicator, in a
/// fixed order (the order of ``IndicatorOptions``: summary statistics,
/// inequality, shares, then each poverty line's indicators).
public struct IndicatorTable: Sendable, Equatable {
    /// The indicators, in output order.
    public let indicators: [Indicator]
    /// One estimate per indicator.
    public let estimates: [Estimate]

    /// A table; one estimate per indicator, in the same order.
    public init(indicators: [Indicator], estimates: [Estimate]) {
        precondition(indicators.count == estimates.count, "one estimate per indicator")
        self.indicators = indicators
        self.estimates = estimates
    }

    /// The estimate of `indicator`, if the table has it.
    public subscript(_ indicator: Indicator) -> Estimate? {
        indicators.firstIndex(of: indicator).map { estimates[$0] }
    }

    /// The value of `indicator` (`nan` if absent).
    public func value(_ indicator: Indicator) -> Double {
        self[indicator]?.value ?? .nan
    }

    /// Pairs of indicator and estimate, in order.
    public var rows: Zip2Sequence<[Indicator], [Estimate]> { zip(indicators, estimates) }
}

/// The tables of every group of one grouping.
public struct GroupTables: Sendable, Equatable {
    /// The grouping's name (its column, or `age`).
    public let name: String
    /// The group labels, in code order.
    public let labels: [String]
    /// One table per group: the distribution's indicators (poverty at the
    /// national lines), then the population share and each FGT contribution.
    public let tables: [IndicatorTable]
}
