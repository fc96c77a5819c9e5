extension Calibration {
    /// The relative difference between two categorical margins' grand totals
    /// above which they contradict each other: 1e-9.
    public static let grandTotalTolerance = 1e-9

    /// The most design columns (an intercept, each category but a margin's
    /// first, each numeric margin) a calibration may have: 500. The design
    /// matrix holds rows × columns numbers and each iteration costs
    /// rows × columns² operations, so a margin on an identifier or a
    /// continuous variable written as categories is refused before it
    /// exhausts memory.
    public static let maxDesignColumns = 500

    /// Checks everything ``calibrate(weights:design:options:)`` needs before any arithmetic.
    static func validate(weights: [Double], design: CalibrationDesign, options: CalibrationOptions) throws {
        let n = weights.count
        for (i, w) in weights.enumerated() where !(w > 0 && w.isFinite) {
            throw CalibrationError.badWeight(row: i, value: w)
        }
        try validate(options)
        guard !design.margins.isEmpty else { throw CalibrationError.badMargins("no margins to calibrate to") }
        var columns = design.margins.contains { if case .categorical = $0.values { return true } else { return false } } ? 1 : 0
        for margin in design.margins {
            if case .categorical(_, let categories, _) = margin.values { columns += categories.count - 1 } else { columns += 1 }
        }
        guard columns <= maxDesignColumns else {
            throw CalibrationError.badMargins("the margins need \(columns) design columns (an intercept, every category but each margin's first, every numeric margin); at most \(maxDesignColumns) are allowed: calibrate to coarser categories")
        }
        var names: Set<String> = []
        var firstGrand: (name: String, total: Double)? = nil
        for margin in design.margins {
            guard names.insert(margin.name).inserted else { throw CalibrationError.badMargins("the margin \(margin.name) is given twice") }
            guard margin.rowCount == n else { throw CalibrationError.lengthMismatch(what: "margin \(margin.name)", count: margin.rowCount, expected: n) }
            switch margin.values {
            case .categorical(let codes, let categories, let totals):
                guard !categories.isEmpty, categories.count == totals.count else {
                    throw CalibrationError.badMargins("margin \(margin.name) has \(categories.count) categories and \(totals.count) totals; expected at least one category, each with its total")
                }
                for (k, t) in totals.enumerated() where !(t.isFinite && t >= 0) {
                    throw CalibrationError.badTotal(margin: margin.name, category: categories[k], value: t)
                }
                var counts = [Int](repeating: 0, count: categories.count)
                for (i, c) in codes.enumerated() {
                    guard c >= 0, c < categories.count else { throw CalibrationError.badCode(margin: margin.name, row: i, code: c) }
                    counts[c] += 1
                }
                if let empty = counts.firstIndex(of: 0) {
                    throw CalibrationError.emptyCategory(margin: margin.name, category: categories[empty])
                }
                let grand = totals.reduce(0, +)
                if let first = firstGrand {
                    if abs(grand - first.total) > grandTotalTolerance * Swift.max(abs(grand), abs(first.total)) {
                        throw CalibrationError.contradictoryTotals(margin: first.name, total: first.total, otherMargin: margin.name, otherTotal: grand)
                    }
                } else {
                    firstGrand = (margin.name, grand)
                }
            case .numeric(let values, let total):
                guard total.isFinite else { throw CalibrationError.badTotal(margin: margin.name, category: nil, value: total) }
                if let i = values.firstIndex(where: { !$0.isFinite }) {
                    throw CalibrationError.badValue(margin: margin.name, row: i, value: values[i])
                }
                if total != 0, values.allSatisfy({ $0 == 0 }) { throw CalibrationError.zeroColumn(margin: margin.name, total: total) }
            }
        }
        if let households = design.households {
            guard households.count == n else { throw CalibrationError.lengthMismatch(what: "the household list", count: households.count, expected: n) }
            var first: [Int: Int] = [:]
            for (i, h) in households.enumerated() {
                if let j = first[h] {
                    let a = weights[j], b = weights[i]
                    if abs(a - b) > 1e-12 * Swift.max(a, b) { throw CalibrationError.weightsDifferWithinHousehold(row: i, otherRow: j) }
                } else {
                    first[h] = i
                }
            }
        }
    }

    /// Checks bounds, trimming limits, tolerance and iteration limit.
    static func validate(_ options: CalibrationOptions) throws {
        try options.validate()
    }
}

extension CalibrationOptions {
    /// Checks the options alone, before any data is read: finite bounds need
    /// lower < 1 < upper, logit needs finite bounds, trimming limits need
    /// lower < upper, epsilon > 0 and at least one iteration.
    ///
    /// - Throws: ``CalibrationError/badBounds(_:)`` saying what is wrong.
    public func validate() throws {
        let options = self
        let b = options.bounds
        if !b.isUnbounded {
            guard !b.lower.isNaN, !b.upper.isNaN, b.lower < 1, b.upper > 1 else {
                throw CalibrationError.badBounds("the bounds \(b) must contain 1 strictly inside (lower < 1 < upper): a ratio of 1 leaves a weight as it was")
            }
        }
        if options.method == .logit, !(b.lower.isFinite && b.upper.isFinite) {
            throw CalibrationError.badBounds("logit calibration needs finite bounds (lower < 1 < upper), e.g. 0.5,2")
        }
        if let trim = options.trim {
            guard !trim.lower.isNaN, !trim.upper.isNaN, trim.lower < trim.upper else {
                throw CalibrationError.badBounds("the trimming limits \(trim) must satisfy lower < upper")
            }
        }
        guard options.epsilon > 0, options.epsilon.isFinite else {
            throw CalibrationError.badBounds("the tolerance epsilon must be a positive number (got \(options.epsilon))")
        }
        guard options.maxIterations >= 1 else {
            throw CalibrationError.badBounds("the iteration limit must be at least 1 (got \(options.maxIterations))")
        }
    }
}
