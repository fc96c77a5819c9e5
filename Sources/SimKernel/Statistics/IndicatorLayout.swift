/// The order in which the kernel writes a distribution's indicators into a
/// flat vector of values, and where each one is.
///
/// Point estimates, bootstrap replicates and changes are all flat vectors
/// in this order, so inference works position by position without knowing
/// what an indicator is. ``IndicatorKernel`` writes exactly ``distribution``
/// (checked in debug builds); the analysis appends ``groupExtras`` after a
/// group's block.
struct IndicatorLayout: Sendable {
    let options: IndicatorOptions
    let moments: InequalityMoments
    /// The options' quantile probabilities and FGT parameters without repeats, in order.
    let quantiles: [Double]
    let fgtAlphas: [Double]
    /// A distribution's indicators, in the kernel's writing order.
    let distribution: [Indicator]
    /// What a group block adds after its distribution indicators.
    let groupExtras: [Indicator]
    private let position: [Indicator: Int]

    /// The decile cut points 0.1 ... 0.9 (the quintile cuts are the even ones).
    static let decileCuts: [Double] = (1...9).map { Double($0) / 10 }

    init(options: IndicatorOptions) {
        self.options = options
        moments = InequalityMoments(options: options)
        func unique(_ xs: [Double]) -> [Double] {
            var seen: [Double] = []
            for x in xs where !seen.contains(x) { seen.append(x) }
            return seen
        }
        quantiles = unique(options.quantiles)
        fgtAlphas = unique(options.fgtAlphas)
        var list: [Indicator] = [.population, .mean, .median]
        list += quantiles.map { .quantile($0) }
        list.append(.gini)
        for m in moments.measures {
            switch m.kind {
            case .generalizedEntropy(let a): list.append(.generalizedEntropy(a))
            case .atkinson(let e): list.append(.atkinson(e))
            }
        }
        list += [.s80s20, .palma]
        list += (1...10).map { .decileShare($0) }
        list += (1...10).map { .decileMean($0) }
        list += (1...5).map { .quintileShare($0) }
        list += (1...5).map { .quintileMean($0) }
        for k in options.lines.indices {
            list += [.line(k), .poorPersons(line: k)]
            list += fgtAlphas.map { .fgt(alpha: $0, line: k) }
            list += [.watts(line: k), .povertyGapMoney(line: k), .medianPovertyGap(line: k)]
        }
        distribution = list
        var extras: [Indicator] = [.populationShare]
        for k in options.lines.indices {
            extras += fgtAlphas.map { .fgtContribution(alpha: $0, line: k) }
        }
        groupExtras = extras
        var position: [Indicator: Int] = [:]
        for (i, indicator) in (list + extras).enumerated() where position[indicator] == nil {
            position[indicator] = i
        }
        self.position = position
    }

    /// The offset of `indicator` inside a distribution block (followed by the group extras).
    func offset(of indicator: Indicator) -> Int {
        guard let p = position[indicator] else { preconditionFailure("indicator \(indicator) is not in the layout") }
        return p
    }

    /// Values in one block: a distribution block, or a group block with its extras.
    func blockSize(group: Bool) -> Int { distribution.count + (group ? groupExtras.count : 0) }
}
