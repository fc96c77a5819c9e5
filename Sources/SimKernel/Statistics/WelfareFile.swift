/// A survey file read for statistics on a welfare variable already in it
/// (`simrun stats`): which columns play which role, and the distribution,
/// design and groupings they give.
///
/// Without a household column every row is a unit (a person, or a household
/// row with a person weight); with a household-size column (DASP's `hsize`)
/// every row is a household whose welfare is per person, counting
/// `weight × size` persons, exactly as the file expanded to one row per person would. With one, rows are persons grouped into
/// households by it; welfare is the household's income (the sum of the
/// income column over its members) divided by an ``EquivalenceScale``, and
/// the person weight of a household is its weight times its members.
/// Strata and PSU, when given, must then be the same on every member.
///
/// ```swift
/// var roles = WelfareFile.Columns(income: "eqIncome", weight: "rb050")
/// roles.stratum = "db040"; roles.psu = "db030"; roles.by = ["db040", "rb090"]
/// let data = try WelfareFile(file: "eusilc.csv", columns: roles)
/// let profile = try WelfareAnalysis(design: data.design, groupings: data.groupings).profile(of: data.distribution)
/// ```
public struct WelfareFile: Sendable {
    /// The file columns that play each role (file column names, after any column map).
    public struct Columns: Sendable, Hashable {
        /// Welfare (rows are units) or person income summed into household income (with ``household``).
        public var income: String
        /// Sampling weight (> 0).
        public var weight: String
        /// Household identifier: rows are persons grouped into households.
        public var household: String?
        /// Sampling stratum.
        public var stratum: String?
        /// Primary sampling unit (nested in strata).
        public var psu: String?
        /// Categorical columns to break indicators down by.
        public var by: [String] = []
        /// Age in completed years (age bands; children for equivalence scales).
        public var age: String?
        /// Persons in each row's household, for a file with one row per household
        /// whose welfare is already per person (DASP's `hsize`): the row then
        /// counts `weight × size` persons. Not with ``household`` or ``age``.
        public var householdSize: String?
        /// With ``householdSize``: the income column is the household's total, divided by the
        /// household's adult equivalents (its size per capita, √size on the square-root scale).
        public var householdTotal = false

        /// The roles' columns; `nil` for roles not used.
        public init(income: String, weight: String, household: String? = nil, stratum: String? = nil, psu: String? = nil,
                    by: [String] = [], age: String? = nil, householdSize: String? = nil, householdTotal: Bool = false) {
            self.income = income
            self.weight = weight
            self.household = household
            self.stratum = stratum
            self.psu = psu
            self.by = by
            self.age = age
            self.householdSize = householdSize
            self.householdTotal = householdTotal
        }

        /// The columns read as categories (household, stratum, PSU, groups), without repeats.
        var categories: [String] {
            var list: [String] = []
            for c in [household, stratum, psu].compactMap({ $0 }) + by where !list.contains(c) { list.append(c) }
            return list
        }

        /// Checks that one column does not play two incompatible roles.
        /// - Throws: ``AnalysisError/invalidOption(_:)`` naming the column.
        public func validate() throws {
            let numeric = [income, weight] + (age.map { [$0] } ?? [])
            for c in categories where numeric.contains(c) {
                throw AnalysisError.invalidOption("column '\(c)' cannot be both a number (income, weight or age) and a category (household, stratum, PSU or group)")
            }
            if income == weight { throw AnalysisError.invalidOption("the income and weight columns are both '\(income)'") }
            if let age, age == income || age == weight { throw AnalysisError.invalidOption("column '\(age)' cannot be both age and income or weight") }
            if let size = householdSize {
                if household != nil {
                    throw AnalysisError.invalidOption("--household-size is for a file with one row per household; with --household the rows are persons and each household's members are counted")
                }
                if age != nil {
                    throw AnalysisError.invalidOption("--household-size: a row is a household, so it has no age; drop the age column")
                }
                if size == income || size == weight || categories.contains(size) {
                    throw AnalysisError.invalidOption("column '\(size)' cannot be both the household size and another role")
                }
            }
        }
    }

    /// Welfare per unit with person weights.
    public let distribution: WelfareDistribution
    /// The units' design (one stratum of one-unit PSUs when no strata or PSUs are given).
    public let design: SurveyDesign
    /// One grouping per `by` column, then the age bands when an age column is given.
    public let groupings: [Grouping]
    /// Rows read.
    public let rows: Int
    /// Household offsets when rows are grouped into households.
    public let householdStart: [Int]?
    /// What a data recipe did to make the file's rows (`nil` for a file read as it is).
    public let preparation: DataPreparation?

    /// Reads `file` and builds the distribution, design and groupings.
    ///
    /// - Parameters:
    ///   - file: The survey file (CSV, Stata, SPSS, binary survey or data recipe), as the user named it.
    ///   - columns: The roles' file columns.
    ///   - scale: Equivalence scale (needs `columns.household`; OECD-modified and parametric need `columns.age`).
    ///   - ageBands: The bands for the age grouping.
    ///   - lonelyPSU: The single-PSU rule for the design.
    ///   - columnMapSource: The column map file the columns were named in, for messages; `nil` for none.
    ///   - plan: Threads for loading.
    /// - Throws: ``InputError`` for any defect of the file (a missing column, a bad value, a
    ///   household split over rows, a stratum differing between members); ``AnalysisError`` for bad options.
    public init(file: String, columns: Columns, scale: EquivalenceScale = .perCapita, ageBands: [AgeBand] = AgeBand.standard,
                lonelyPSU: LonelyPSURule = .fail, columnMapSource: String? = nil, plan: ParallelPlan = ParallelPlan()) throws {
        try columns.validate()
        if columns.householdTotal {
            guard columns.householdSize != nil else {
                throw AnalysisError.invalidOption("a household total needs the household size column to divide it by")
            }
            if scale.needsAges {
                throw AnalysisError.invalidOption("the \(scale) scale counts children, but a household row has no ages: use per-capita or square-root")
            }
        } else if columns.household == nil && scale != .perCapita {
            throw AnalysisError.invalidOption("an equivalence scale applies to household income: name the household column")
        }
        var requests = [VariableRequest(Variable(columns.income, kind: .real, unit: "welfare unit", summary: "income"), neededBy: "income")]
        if let age = columns.age {
            requests.append(VariableRequest(Variable(age, kind: .integer, unit: "years", summary: "age in completed years"), neededBy: "age"))
        }
        for c in columns.categories { requests.append(VariableRequest(.category(c), neededBy: "grouping, household or design")) }
        if let size = columns.householdSize {
            requests.append(VariableRequest(Variable(size, kind: .integer, measure: .count, validRange: 1...100_000, unit: "persons",
                                                     summary: "persons in the household (1 to 100000)"), neededBy: "--household-size"))
        }
        let loader = SurveyLoader(columnMap: ColumnMap(["weight": columns.weight], source: columnMapSource), plan: plan,
                                  households: .rowPerUnit)
        let population = try loader.load(file: file, variables: requests)
        preparation = population.preparation
        rows = population.personCount
        let income = population.reals(columns.income).array, weight = population.weight.array
        let ages = columns.age.map { population.integers($0).array }
        let strata = columns.stratum.map { population.category($0) }, psu = columns.psu.map { population.category($0) }
        var stratumCodes = strata?.codes.array, psuCodes = psu?.codes.array
        if let householdColumn = columns.household {
            let labels = population.category(householdColumn)
            let households = try HouseholdWelfare(file: file, income: income, household: labels.codes.array, weight: weight,
                                                  ages: ages, scale: scale, columns: (householdColumn, columns.weight),
                                                  householdLabels: labels.labels)
            distribution = households.distribution
            householdStart = households.householdStart
            if let s = strata, let c = stratumCodes { stratumCodes = try households.perHousehold(c, column: columns.stratum!, labels: s.labels) }
            if let p = psu, let c = psuCodes { psuCodes = try households.perHousehold(c, column: columns.psu!, labels: p.labels) }
        } else if let size = columns.householdSize {
            // One row per household (DASP's hsize): each row stands for weight × size persons.
            let sizes = population.integers(size).array
            let personWeight = zip(weight, sizes).map { $0 * Double($1) }
            if columns.householdTotal {
                // The household's total over its adult equivalents s (size, or √size).
                let s = sizes.map { scale.adultEquivalents(adults: Int($0), children: 0) }
                distribution = WelfareDistribution(welfare: zip(income, s).map { $0 / $1 }, personWeight: personWeight,
                                                   equivalentsPerPerson: scale == .perCapita ? nil : zip(s, sizes).map { $0 / Double($1) })
            } else {
                distribution = WelfareDistribution(welfare: income, personWeight: personWeight)
            }
            householdStart = nil
        } else {
            distribution = WelfareDistribution(welfare: income, personWeight: weight)
            householdStart = nil
        }
        let units = distribution.count
        if stratumCodes == nil && psuCodes == nil {
            design = SurveyDesign(units: units)
        } else {
            design = try SurveyDesign(stratum: stratumCodes, psu: psuCodes, stratumLabels: strata?.labels, lonelyPSU: lonelyPSU)
        }
        var groupings: [Grouping] = []
        for c in columns.by {
            let column = population.category(c)
            if let starts = householdStart {
                groupings.append(.persons(name: c, labels: column.labels, codes: column.codes.array, householdStart: starts))
            } else {
                groupings.append(.units(name: c, labels: column.labels, codes: column.codes.array))
            }
        }
        if let ages {
            groupings.append(.ageBands(ageBands, ages: ages, householdStart: householdStart))
        }
        self.groupings = groupings
    }
}
