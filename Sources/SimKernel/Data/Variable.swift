/// A model variable: a quantity the simulation reads from survey data,
/// such as `age` or `earnings`.
///
/// The data file may call the column something else; a ``ColumnMap`` says
/// which file column holds each variable. A variable's kind and valid range
/// are checked on every row when the data is loaded, so that no rule ever
/// sees a value it was not written for.
public struct Variable: Sendable, Hashable {
    /// How a variable's values are stored and checked.
    public enum Kind: Sendable, Hashable {
        /// A whole-number identifier (household or person id), kept as `Int64`.
        case identifier
        /// A whole number (age, a category code, a flag), kept as `Int32`.
        case integer
        /// A real number (money, a weight), kept as `Double`.
        case real
        /// A category written as text or numbers (a region name, a sex code),
        /// kept as `Int32` codes into a sorted list of labels.
        case category
    }

    /// What a variable's values mean, whatever their storage: money, a
    /// count, a category code, a flag, an age, the sampling weight or an
    /// identifier.
    ///
    /// Every place that takes a variable name (a system's `market_income`, a
    /// tax's `base`, a take-up group, ...) says which measures it accepts
    /// (``VariableRequirement``), and the reader refuses a variable of
    /// another measure with the file, line and key, so that no rule adds an
    /// age to an income or draws take-up groups from earnings.
    public enum Measure: String, Sendable, Hashable, CaseIterable {
        /// An amount of money per month (`earnings`, `other_income`, `pension_income`).
        case money
        /// A number of things or of months (`months_unemployed`).
        case count
        /// A category code: the number names a group, its size means nothing (`region`, `sex`, `labour_status`).
        case code
        /// 1 or 0: whether something holds (`urban`, `disabled`).
        case flag
        /// An age in completed years.
        case age
        /// The household sampling weight.
        case weight
        /// A household or person identifier.
        case identifier
        /// A number simrun knows no meaning of (a column of a statistics file).
        case number

        /// The measure in words, with an article ("an amount of money per month").
        public var phrase: String {
            switch self {
            case .money: return "an amount of money per month"
            case .count: return "a count"
            case .code: return "a category code"
            case .flag: return "a 0/1 flag"
            case .age: return "an age in years"
            case .weight: return "the sampling weight"
            case .identifier: return "an identifier"
            case .number: return "a number"
            }
        }
    }

    /// Whether the variable describes the person or the household.
    public enum Level: Sendable, Hashable {
        /// May differ between members of a household.
        case person
        /// Must be the same on every member of a household (weight, stratum, PSU).
        case household
    }

    /// The model's name for the variable (snake_case), e.g. `other_income`.
    public let name: String
    /// How values are stored and checked.
    public let kind: Kind
    /// What the values mean (money, a code, an age, ...): decides where the variable may be used.
    public let measure: Measure
    /// Person or household.
    public let level: Level
    /// The closed interval of valid values, or `nil` for any finite value.
    public let validRange: ClosedRange<Double>?
    /// Whether the interval's lower bound itself is excluded (weights must be > 0).
    public let lowerBoundExclusive: Bool
    /// The unit, for help and documentation (e.g. `currency per month`).
    public let unit: String
    /// One sentence for documentation and error messages.
    public let summary: String

    /// Creates a variable.
    ///
    /// - Parameters:
    ///   - name: The model name (e.g. `age`), as scenarios, rules and column maps use it.
    ///   - kind: How the values are stored.
    ///   - measure: What the values mean; `nil` takes it from the storage
    ///     kind: identifier → ``Measure/identifier``, category → ``Measure/code``,
    ///     integer → ``Measure/count``, real → ``Measure/number`` (no meaning
    ///     known, so no place that takes money accepts it).
    ///   - level: Whether each person or each household has a value.
    ///   - validRange: The closed interval of valid values, or `nil` for any finite value.
    ///   - lowerBoundExclusive: Whether the interval's lower bound itself is excluded.
    ///   - unit: The unit, for help and documentation.
    ///   - summary: One sentence for documentation and error messages.
    public init(
        _ name: String, kind: Kind, measure: Measure? = nil, level: Level = .person,
        validRange: ClosedRange<Double>? = nil, lowerBoundExclusive: Bool = false,
        unit: String, summary: String
    ) {
        self.name = name
        self.kind = kind
        switch (measure, kind) {
        case (let m?, _): self.measure = m
        case (nil, .identifier): self.measure = .identifier
        case (nil, .category): self.measure = .code
        case (nil, .integer): self.measure = .count
        case (nil, .real): self.measure = .number
        }
        self.level = level
        self.validRange = validRange
        self.lowerBoundExclusive = lowerBoundExclusive
        self.unit = unit
        self.summary = summary
    }

    /// Whether `value` lies in the valid range.
    @inline(__always)
    public func accepts(_ value: Double) -> Bool {
        guard let r = validRange else { return true }
        if lowerBoundExclusive { return value > r.lowerBound && value <= r.upperBound }
        return r.contains(value)
    }

    /// The valid range in words, for error messages ("a number > 0", "a whole number from 0 to 130").
    public var expectation: String {
        let what: String
        switch kind {
        case .identifier: what = "a whole-number identifier"
        case .integer: what = "a whole number"
        case .real: what = "a number"
        case .category: what = "a non-empty category label"
        }
        guard let r = validRange else { return what }
        func fmt(_ x: Double) -> String {
            x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        }
        if r.upperBound == .infinity {
            return "\(what) \(lowerBoundExclusive ? ">" : ">=") \(fmt(r.lowerBound))"
        }
        return "\(what) from \(fmt(r.lowerBound)) to \(fmt(r.upperBound))"
    }
}

extension Variable {
    /// Household identifier; all members of a household are on adjacent rows.
    public static let householdID = Variable(
        "hh_id", kind: .identifier, measure: .identifier, level: .household, unit: "identifier",
        summary: "household identifier; members of a household are on adjacent rows")
    /// Person identifier, unique in the file.
    public static let personID = Variable(
        "person_id", kind: .identifier, measure: .identifier, unit: "identifier",
        summary: "person identifier, unique in the file")
    /// Household sampling weight, the same on every member.
    public static let weight = Variable(
        "weight", kind: .real, measure: .weight, level: .household, validRange: 0...Double.infinity,
        lowerBoundExclusive: true, unit: "households represented",
        summary: "household sampling weight (> 0), the same on every member")
    public static let stratum = Variable(
        "stratum", kind: .integer, measure: .code, level: .household, unit: "code",
        summary: "sampling stratum")
    public static let psu = Variable(
        "psu", kind: .integer, measure: .code, level: .household, unit: "code",
        summary: "primary sampling unit (cluster), unique across strata")
    public static let region = Variable(
        "region", kind: .integer, measure: .code, unit: "code", summary: "region code")
    public static let urban = Variable(
        "urban", kind: .integer, measure: .flag, validRange: 0...1, unit: "flag", summary: "1 urban, 0 rural")
    public static let age = Variable(
        "age", kind: .integer, measure: .age, validRange: 0...130, unit: "years", summary: "age in completed years (0 to 130)")
    public static let sex = Variable(
        "sex", kind: .integer, measure: .code, validRange: 1...2, unit: "code", summary: "1 male, 2 female")
    public static let labourStatus = Variable(
        "labour_status", kind: .integer, measure: .code, validRange: 0...3, unit: "code",
        summary: "0 not in labour force, 1 formal employee, 2 informal worker, 3 unemployed")
    public static let earnings = Variable(
        "earnings", kind: .real, measure: .money, unit: "currency per month", summary: "monthly labour income")
    public static let otherIncome = Variable(
        "other_income", kind: .real, measure: .money, unit: "currency per month",
        summary: "monthly non-labour income (remittances, private transfers, rent)")
    public static let disabled = Variable(
        "disabled", kind: .integer, measure: .flag, validRange: 0...1, unit: "flag",
        summary: "1 if the person has a severe disability")

    /// The variables simrun knows by name (SPEC.md's columns). A scenario may
    /// name others (columns of the analyst's data); they are read as the place
    /// that names them implies (``VariableRequirement/customMeasure``).
    public static let known: [Variable] = [
        householdID, personID, weight, stratum, psu, region, urban, age, sex,
        labourStatus, earnings, otherIncome, disabled,
    ]

    // MARK: Optional columns (docs/data.md): read only by the modules that need them.

    /// Monthly contributory (social insurance) pension, part of `other_income`.
    public static let pensionIncome = Variable(
        "pension_income", kind: .real, measure: .money, validRange: 0...Double.infinity, unit: "currency per month",
        summary: "monthly contributory pension (>= 0), part of other_income")
    /// Months since the woman's most recent live birth, or -1.
    public static let monthsSinceBirth = Variable(
        "months_since_birth", kind: .integer, measure: .count, validRange: -1...600, unit: "months",
        summary: "completed months since the woman's most recent live birth (0 = under a month); -1 if none in the last 24 months or not applicable")
    /// 1 if the woman is pregnant.
    public static let pregnant = Variable(
        "pregnant", kind: .integer, measure: .flag, validRange: 0...1, unit: "flag", summary: "1 if the woman is pregnant")
    /// Contract of the current (or, for the unemployed, the last) job.
    public static let contractType = Variable(
        "contract_type", kind: .integer, measure: .code, validRange: 0...2, unit: "code",
        summary: "contract of the current job, or of the last job for the unemployed: 0 no written contract or no job, 1 permanent, 2 fixed-term")
    /// Kind of the current or most recent job.
    public static let lastJobStatus = Variable(
        "last_job_status", kind: .integer, measure: .code, validRange: 0...2, unit: "code",
        summary: "kind of the current job, or of the last job for the unemployed: 0 none (never worked, or inactive), 1 formal employee, 2 informal worker")
    /// Completed months of the current unemployment spell.
    public static let monthsUnemployed = Variable(
        "months_unemployed", kind: .integer, measure: .count, validRange: 0...600, unit: "months",
        summary: "completed months of the current unemployment spell (0 for people who are not unemployed)")
    /// Months worked in the last 24 months.
    public static let monthsWorkedLast24m = Variable(
        "months_worked_last_24m", kind: .integer, measure: .count, validRange: 0...24, unit: "months",
        summary: "months in work during the last 24 months (for the unemployed: before losing the job)")

    /// Optional columns some modules read (docs/data.md), with their ranges.
    public static let optionalColumns: [Variable] = [
        pensionIncome, monthsSinceBirth, pregnant, contractType, lastJobStatus, monthsUnemployed, monthsWorkedLast24m,
    ]

    /// A categorical person variable read from column `name` (for breakdowns).
    public static func category(_ name: String) -> Variable {
        Variable(name, kind: .category, unit: "category", summary: "a categorical column read from the data")
    }

    /// The known (or optional) variable called `name`, or a real-valued person
    /// variable of no known meaning (``Measure/number``). A place that takes a
    /// variable of a given measure resolves names with
    /// ``VariableRequirement/variable(named:)`` instead.
    public static func named(_ name: String) -> Variable {
        declared(name) ?? custom(name, measure: .number)
    }
}
