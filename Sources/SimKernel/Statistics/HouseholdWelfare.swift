/// Household welfare built from a person-level file: rows are persons,
/// grouped into households by a household column; welfare is the household
/// income (the sum of the members' incomes) divided by an equivalence scale,
/// and every member gets it.
///
/// Checks, each failing with an ``InputError`` naming the file, line and column:
/// the members of a household are on adjacent rows, and the weight (and any
/// column collapsed with ``perHousehold(_:column:labels:)``, e.g. stratum or PSU)
/// is the same on every member.
///
/// ```swift
/// let households = try HouseholdWelfare(file: "silc.csv", income: income, household: hid, weight: rb050,
///                                       ages: age, scale: .oecdModified(), columns: ("db030", "rb050"))
/// let analysis = try WelfareAnalysis(design: SurveyDesign(units: households.count))
/// let profile = try analysis.profile(of: households.distribution)
/// ```
public struct HouseholdWelfare: Sendable {
    /// Welfare per household, person weight `w_h n_h`, adult equivalents per person `s_h / n_h`.
    public let distribution: WelfareDistribution
    /// Rows `householdStart[h]..<householdStart[h + 1]` are the members of household h.
    public let householdStart: [Int]
    /// Each household's adult equivalents s_h.
    public let adultEquivalents: [Double]
    /// The file, for messages.
    public let file: String

    /// The number of households.
    public var count: Int { householdStart.count - 1 }

    /// Groups rows into households and computes equivalised welfare.
    ///
    /// - Parameters:
    ///   - file: The data file, for messages.
    ///   - income: Each person's income (any real number), in the welfare period.
    ///   - household: Each person's household code; a household's members are adjacent rows.
    ///   - weight: Each person's weight, which must equal the household's on every member.
    ///   - ages: Each person's age, needed by scales that count children.
    ///   - scale: The equivalence scale.
    ///   - columns: The file's household and weight column names, for messages.
    ///   - householdLabels: The household codes' labels, for messages.
    /// - Throws: ``InputError`` for a household split over non-adjacent rows or a weight that differs between members;
    ///   ``AnalysisError/invalidOption(_:)`` if the scale needs ages and none are given.
    public init(file: String, income: [Double], household: [Int32], weight: [Double], ages: [Int32]?,
                scale: EquivalenceScale, columns: (household: String, weight: String),
                householdLabels: [String]? = nil) throws {
        let rows = income.count
        guard rows > 0 else { throw InputError(file: file, kind: .missingKey, "the file has no data rows") }
        precondition(household.count == rows && weight.count == rows && (ages?.count ?? rows) == rows,
                     "person columns differ in length")
        try scale.validate()
        if scale.needsAges && ages == nil {
            throw AnalysisError.invalidOption("the \(scale) equivalence scale counts children: give the age column")
        }
        var starts = [0]
        for row in 1..<rows where household[row] != household[row - 1] { starts.append(row) }
        starts.append(rows)
        // A household code seen again after another household's rows.
        var seen = [Int32: Int]()
        seen.reserveCapacity(starts.count)
        for h in 0..<(starts.count - 1) {
            let code = household[starts[h]]
            if let earlier = seen[code] {
                throw InputError(file: file, line: starts[h] + 2, field: columns.household, kind: .inconsistent,
                    "household '\(householdLabels?[Int(code)] ?? String(code))' appears again here, after other households' rows (its first member is on line \(earlier + 2)); the members of a household must be on adjacent rows: sort the file by \(columns.household)")
            }
            seen[code] = starts[h]
            for row in (starts[h] + 1)..<starts[h + 1] where weight[row] != weight[starts[h]] {
                throw InputError(file: file, line: row + 2, field: columns.weight, kind: .inconsistent,
                    "\(columns.weight) is \(weight[row]) here but \(weight[starts[h]]) on line \(starts[h] + 2), the household's first member; the weight must be the same on every member of a household")
            }
        }
        let n = starts.count - 1
        var welfare = [Double](repeating: 0, count: n), personWeight = welfare, equivalents = welfare, scales = welfare
        let childMaxAge = scale.childMaxAge ?? Int.min
        for h in 0..<n {
            var total = CompensatedSum()
            var children = 0
            for row in starts[h]..<starts[h + 1] {
                total.add(income[row])
                if let ages, Int(ages[row]) <= childMaxAge { children += 1 }
            }
            let members = starts[h + 1] - starts[h]
            let s = scale.adultEquivalents(adults: members - children, children: children)
            scales[h] = s
            welfare[h] = total.value / s
            personWeight[h] = weight[starts[h]] * Double(members)
            equivalents[h] = s / Double(members)
        }
        let perCapita = scale == .perCapita
        distribution = WelfareDistribution(welfare: welfare, personWeight: personWeight,
                                           equivalentsPerPerson: perCapita ? nil : equivalents)
        householdStart = starts
        adultEquivalents = scales
        self.file = file
    }

    /// One value per household of a person-level code column (stratum, PSU,
    /// a household characteristic), checking it is the same on every member.
    /// - Throws: ``InputError`` naming the line where a member differs.
    public func perHousehold(_ codes: [Int32], column: String, labels: [String]? = nil) throws -> [Int32] {
        try (0..<count).map { h in
            let first = codes[householdStart[h]]
            for row in (householdStart[h] + 1)..<householdStart[h + 1] where codes[row] != first {
                func show(_ c: Int32) -> String { labels.map { "'\($0[Int(c)])'" } ?? String(c) }
                throw InputError(file: file, line: row + 2, field: column, kind: .inconsistent,
                    "\(column) is \(show(codes[row])) here but \(show(first)) on line \(householdStart[h] + 2), the household's first member; \(column) must be the same on every member of a household")
            }
            return first
        }
    }
}
