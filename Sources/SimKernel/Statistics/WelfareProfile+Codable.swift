import Foundation

// The statistics engine's results as Codable values, so that a result record (`scenario run`'s,
// Sources/SimAnalysis) can hold them and be read back. Enumerations use Swift's synthesized
// coding (`{"relative": {"share": 0.6, "of": "median"}}`); a value read back is checked as the
// engine would have produced it, so that no renderer meets a table it cannot lay out: one
// estimate per indicator, one table per group label, poverty indicators naming a line the
// options have, deciles and quintiles numbered within range, ten incidence deciles, and the
// three profiles of a comparison with the same indicators and groups. Non-finite figures
// are the encoder's business (SimAnalysis writes them as the strings "inf", "-inf", "nan").

/// A decoding failure at `key` of `container` saying what is wrong.
private func corrupt<K: CodingKey>(_ key: K, _ container: KeyedDecodingContainer<K>, _ message: String) -> DecodingError {
    DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
}

extension QuantileDefinition: Codable {}
extension LonelyPSURule: Codable {}
extension BootstrapInterval: Codable {}
extension PovertyLine.Reference: Codable {}

extension PovertyLine: Codable {
    private enum CodingKeys: String, CodingKey { case absolute, relative }
    private enum RelativeKeys: String, CodingKey { case share, of }

    /// `{"absolute": 150}` or `{"relative": {"share": 0.6, "of": "median"}}`, checked as a command-line line is.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.absolute) {
            self = .absolute(try c.decode(Double.self, forKey: .absolute))
        } else {
            let r = try c.nestedContainer(keyedBy: RelativeKeys.self, forKey: .relative)
            self = .relative(share: try r.decode(Double.self, forKey: .share), of: try r.decode(Reference.self, forKey: .of))
        }
        do { try validate() } catch { throw corrupt(c.contains(.absolute) ? .absolute : .relative, c, "\(error)") }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .absolute(let z): try c.encode(z, forKey: .absolute)
        case .relative(let share, let reference):
            var r = c.nestedContainer(keyedBy: RelativeKeys.self, forKey: .relative)
            try r.encode(share, forKey: .share)
            try r.encode(reference, forKey: .of)
        }
    }
}

extension Inference: Codable {
    private enum CodingKeys: String, CodingKey { case method, replicates, seed, interval }

    /// `{"method": "none" | "linearized"}` or `{"method": "bootstrap", "replicates": B, "seed": S, "interval": "percentile"}` (B ≥ 1).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .method) {
        case "none": self = .none
        case "linearized": self = .linearized
        case "bootstrap":
            let replicates = try c.decode(Int.self, forKey: .replicates)
            guard replicates >= 1 else { throw corrupt(.replicates, c, "a bootstrap needs at least one replicate (got \(replicates))") }
            self = .bootstrap(replicates: replicates, seed: try c.decode(UInt64.self, forKey: .seed),
                              interval: try c.decode(BootstrapInterval.self, forKey: .interval))
        default: throw corrupt(.method, c, "the inference method must be none, linearized or bootstrap")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .none: try c.encode("none", forKey: .method)
        case .linearized: try c.encode("linearized", forKey: .method)
        case .bootstrap(let replicates, let seed, let interval):
            try c.encode("bootstrap", forKey: .method)
            try c.encode(replicates, forKey: .replicates)
            try c.encode(seed, forKey: .seed)
            try c.encode(interval, forKey: .interval)
        }
    }
}

extension AgeBand: Codable {
    private enum CodingKeys: String, CodingKey { case lower, upper }

    /// `{"lower": 18, "upper": 64}` (`upper` null for an open band), 0 ≤ lower ≤ upper ≤ 150.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let lower = try c.decode(Int.self, forKey: .lower)
        let upper = try c.decodeIfPresent(Int.self, forKey: .upper)
        guard (0...150).contains(lower), upper.map({ (lower...150).contains($0) }) ?? true else {
            throw corrupt(.lower, c, "an age band runs from 0 to 150 with lower <= upper")
        }
        self.init(lower, upper)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lower, forKey: .lower)
        try c.encode(upper, forKey: .upper)
    }
}

extension IndicatorOptions: Codable {
    private enum CodingKeys: String, CodingKey {
        case lines, fgtAlphas = "fgt_alphas", quantiles, generalizedEntropy = "generalized_entropy", atkinson
        case quantileDefinition = "quantile_definition", periodsPerYear = "periods_per_year", unchangedTolerance = "unchanged_tolerance"
    }

    /// Every option read back is checked as ``validate()`` checks a command line's.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(lines: try c.decode([PovertyLine].self, forKey: .lines), fgtAlphas: try c.decode([Double].self, forKey: .fgtAlphas),
                  quantiles: try c.decode([Double].self, forKey: .quantiles),
                  generalizedEntropy: try c.decode([Double].self, forKey: .generalizedEntropy),
                  atkinson: try c.decode([Double].self, forKey: .atkinson),
                  quantileDefinition: try c.decode(QuantileDefinition.self, forKey: .quantileDefinition),
                  periodsPerYear: try c.decode(Double.self, forKey: .periodsPerYear),
                  unchangedTolerance: try c.decode(Double.self, forKey: .unchangedTolerance))
        do { try validate() } catch { throw corrupt(.lines, c, "\(error)") }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lines, forKey: .lines)
        try c.encode(fgtAlphas, forKey: .fgtAlphas)
        try c.encode(quantiles, forKey: .quantiles)
        try c.encode(generalizedEntropy, forKey: .generalizedEntropy)
        try c.encode(atkinson, forKey: .atkinson)
        try c.encode(quantileDefinition, forKey: .quantileDefinition)
        try c.encode(periodsPerYear, forKey: .periodsPerYear)
        try c.encode(unchangedTolerance, forKey: .unchangedTolerance)
    }
}

extension Indicator: Codable {
    private enum CodingKeys: String, CodingKey { case name, parameter, position, line }

    /// The family names of the record (the output key of every indicator but those whose key carries a parameter).
    private var family: String {
        switch self {
        case .generalizedEntropy: return "generalized_entropy"
        case .atkinson: return "atkinson"
        case .fgt: return "fgt"
        case .fgtContribution: return "fgt_contribution"
        default: return key
        }
    }

    /// `{"name": "fgt", "parameter": 0, "line": 0}`, `{"name": "decile_share", "position": 3}`,
    /// `{"name": "quantile", "parameter": 0.5}`, `{"name": "gini"}`: the family, its real parameter
    /// (quantile probability, GE α, Atkinson ε, FGT α), its position (decile 1-10, quintile 1-5) and
    /// its poverty line (an index into the options' lines, checked by the profile that holds it).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name)
        func parameter() throws -> Double {
            let x = try c.decode(Double.self, forKey: .parameter)
            guard x.isFinite else { throw corrupt(.parameter, c, "\(name): the parameter must be finite") }
            return x
        }
        func position(_ range: ClosedRange<Int>) throws -> Int {
            let k = try c.decode(Int.self, forKey: .position)
            guard range.contains(k) else { throw corrupt(.position, c, "\(name): the position must be from \(range.lowerBound) to \(range.upperBound)") }
            return k
        }
        func line() throws -> Int {
            let k = try c.decode(Int.self, forKey: .line)
            guard k >= 0 else { throw corrupt(.line, c, "\(name): the line index must be >= 0") }
            return k
        }
        switch name {
        case "population": self = .population
        case "population_share": self = .populationShare
        case "mean": self = .mean
        case "median": self = .median
        case "quantile": self = .quantile(try parameter())
        case "gini": self = .gini
        case "generalized_entropy": self = .generalizedEntropy(try parameter())
        case "atkinson": self = .atkinson(try parameter())
        case "s80_s20": self = .s80s20
        case "palma": self = .palma
        case "decile_share": self = .decileShare(try position(1...10))
        case "decile_mean": self = .decileMean(try position(1...10))
        case "quintile_share": self = .quintileShare(try position(1...5))
        case "quintile_mean": self = .quintileMean(try position(1...5))
        case "line": self = .line(try line())
        case "poor_persons": self = .poorPersons(line: try line())
        case "fgt": self = .fgt(alpha: try parameter(), line: try line())
        case "watts": self = .watts(line: try line())
        case "poverty_gap_money": self = .povertyGapMoney(line: try line())
        case "rmpg": self = .medianPovertyGap(line: try line())
        case "fgt_contribution": self = .fgtContribution(alpha: try parameter(), line: try line())
        default: throw corrupt(.name, c, "no indicator is called \(String(reflecting: String(name.prefix(40))))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(family, forKey: .name)
        switch self {
        case .quantile(let x), .generalizedEntropy(let x), .atkinson(let x): try c.encode(x, forKey: .parameter)
        case .fgt(let a, _), .fgtContribution(let a, _): try c.encode(a, forKey: .parameter)
        case .decileShare(let k), .decileMean(let k), .quintileShare(let k), .quintileMean(let k): try c.encode(k, forKey: .position)
        default: break
        }
        if let k = lineIndex { try c.encode(k, forKey: .line) }
    }
}

extension IndicatorTable: Codable {
    private enum CodingKeys: String, CodingKey { case indicators, estimates }

    /// One estimate per indicator, else refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let indicators = try c.decode([Indicator].self, forKey: .indicators)
        let estimates = try c.decode([Estimate].self, forKey: .estimates)
        guard indicators.count == estimates.count else { throw corrupt(.estimates, c, "one estimate per indicator (\(indicators.count))") }
        self.init(indicators: indicators, estimates: estimates)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(indicators, forKey: .indicators)
        try c.encode(estimates, forKey: .estimates)
    }
}

extension GroupTables: Codable {
    private enum CodingKeys: String, CodingKey { case name, labels, tables }

    /// One table per label, else refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let labels = try c.decode([String].self, forKey: .labels)
        let tables = try c.decode([IndicatorTable].self, forKey: .tables)
        guard labels.count == tables.count else { throw corrupt(.tables, c, "one table per group label (\(labels.count))") }
        self.init(name: try c.decode(String.self, forKey: .name), labels: labels, tables: tables)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(labels, forKey: .labels)
        try c.encode(tables, forKey: .tables)
    }
}

extension WelfareProfile: Codable {
    private enum CodingKeys: String, CodingKey { case options, inference, overall, groups, warnings }

    /// Every poverty indicator names one of the options' lines and the groups of a grouping have
    /// the same indicators, else refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let options = try c.decode(IndicatorOptions.self, forKey: .options)
        let overall = try c.decode(IndicatorTable.self, forKey: .overall)
        let groups = try c.decode([GroupTables].self, forKey: .groups)
        let tables = [overall] + groups.flatMap(\.tables)
        guard tables.allSatisfy({ $0.indicators.allSatisfy { $0.lineIndex.map { $0 < options.lines.count } ?? true } }) else {
            throw corrupt(.overall, c, "a poverty indicator names a line the options do not have (\(options.lines.count) lines)")
        }
        guard groups.allSatisfy({ g in g.tables.allSatisfy { $0.indicators == g.tables.first?.indicators } }) else {
            throw corrupt(.groups, c, "every group of a grouping must have the same indicators")
        }
        self.init(options: options, inference: try c.decode(Inference.self, forKey: .inference), overall: overall,
                  groups: groups, warnings: try c.decode([AnalysisWarning].self, forKey: .warnings))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(options, forKey: .options)
        try c.encode(inference, forKey: .inference)
        try c.encode(overall, forKey: .overall)
        try c.encode(groups, forKey: .groups)
        try c.encode(warnings, forKey: .warnings)
    }

    /// Whether `other` has the same indicators overall and the same groupings, labels and indicators per group.
    func hasSameLayout(as other: WelfareProfile) -> Bool {
        overall.indicators == other.overall.indicators && options == other.options && groups.count == other.groups.count
            && zip(groups, other.groups).allSatisfy { a, b in
                a.name == b.name && a.labels == b.labels && zip(a.tables, b.tables).allSatisfy { $0.indicators == $1.indicators }
            }
    }
}

extension Incidence: Codable {
    private enum CodingKeys: String, CodingKey { case deciles, total }

    /// Ten deciles, else refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let deciles = try c.decode([Row].self, forKey: .deciles)
        guard deciles.count == 10 else { throw corrupt(.deciles, c, "the incidence has ten deciles (got \(deciles.count))") }
        self.init(deciles: deciles, total: try c.decode(Row.self, forKey: .total))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(deciles, forKey: .deciles)
        try c.encode(total, forKey: .total)
    }
}

extension WelfareComparison: Codable {
    private enum CodingKeys: String, CodingKey { case baseline, reform, change, incidence }

    /// Baseline, reform and change laid out alike (indicators, groupings, labels, options), else refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let baseline = try c.decode(WelfareProfile.self, forKey: .baseline)
        let reform = try c.decode(WelfareProfile.self, forKey: .reform)
        let change = try c.decode(WelfareProfile.self, forKey: .change)
        guard baseline.hasSameLayout(as: reform), baseline.hasSameLayout(as: change) else {
            throw corrupt(.change, c, "baseline, reform and change must have the same indicators, groups and options")
        }
        self.init(baseline: baseline, reform: reform, change: change, incidence: try c.decode(Incidence.self, forKey: .incidence))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(reform, forKey: .reform)
        try c.encode(change, forKey: .change)
        try c.encode(incidence, forKey: .incidence)
    }
}
