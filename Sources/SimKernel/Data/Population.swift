/// A household survey in memory: one column per variable, persons grouped
/// by household.
///
/// Persons `householdStart[h] ..< householdStart[h + 1]` are the members of
/// household `h`, in file order. Person-level variables have one value per
/// person; household-level ones (weight, stratum, PSU) one per household.
/// A population is built once by the loader, is immutable, and is shared by
/// every thread of a run.
///
/// ```swift
/// let population = try SurveyLoader().load(file: "persons.csv", variables: requests)
/// let ages = population.integers("age")     // Column<Int32>, one per person
/// ```
public struct Population: Sendable {
    /// The data file, as the user named it.
    public let source: String
    /// Start of each household's persons; `householdCount + 1` entries, the last being `personCount`.
    public let householdStart: Column<Int>
    /// Each household's identifier from the data.
    public let householdID: Column<Int64>
    /// Each household's sampling weight (> 0).
    public let weight: Column<Double>
    /// The largest household's number of members.
    public let largestHousehold: Int
    /// What a data recipe did to make this population (files, checksums,
    /// rows dropped and why), or `nil` for a file read as it is.
    public internal(set) var preparation: DataPreparation?
    private let personReals: [String: Column<Double>]
    private let personIntegers: [String: Column<Int32>]
    private let householdIntegers: [String: Column<Int32>]
    private let categories: [String: CategoryColumn]

    /// Assembles a population; the loader has already checked every invariant.
    init(
        source: String, householdStart: Column<Int>, householdID: Column<Int64>, weight: Column<Double>,
        personReals: [String: Column<Double>], personIntegers: [String: Column<Int32>],
        householdIntegers: [String: Column<Int32>], categories: [String: CategoryColumn] = [:]
    ) {
        self.categories = categories
        self.source = source
        self.householdStart = householdStart
        self.householdID = householdID
        self.weight = weight
        self.personReals = personReals
        self.personIntegers = personIntegers
        self.householdIntegers = householdIntegers
        var largest = 0
        let starts = householdStart.values
        for h in 0..<(starts.count - 1) { largest = max(largest, starts[h + 1] - starts[h]) }
        self.largestHousehold = largest
        assert(checkInvariants())
    }

    /// The number of households.
    public var householdCount: Int { householdStart.count - 1 }
    /// The number of persons.
    public var personCount: Int { householdStart[householdStart.count - 1] }

    /// The persons of household `h`.
    @inline(__always)
    public func persons(of h: Int) -> Range<Int> { householdStart[h]..<householdStart[h + 1] }

    /// The names of the variables present, sorted.
    public var variableNames: [String] {
        (Array(personReals.keys) + Array(personIntegers.keys) + Array(householdIntegers.keys) + Array(categories.keys)
            + ["weight"]).sorted()
    }

    /// Whether the population holds variable `name`.
    public func has(_ name: String) -> Bool {
        name == "weight" || personReals[name] != nil || personIntegers[name] != nil || householdIntegers[name] != nil
            || categories[name] != nil
    }

    /// The person-level real variable `name`.
    ///
    /// - Precondition: the variable was requested when loading (modules
    ///   declare their variables, and the loader fails if one is missing).
    public func reals(_ name: String) -> Column<Double> {
        guard let c = personReals[name] else { preconditionFailure("variable '\(name)' was not loaded as a real column") }
        return c
    }

    /// The person-level integer variable `name` (age, codes, flags).
    /// - Precondition: the variable was requested when loading.
    public func integers(_ name: String) -> Column<Int32> {
        guard let c = personIntegers[name] else { preconditionFailure("variable '\(name)' was not loaded as an integer column") }
        return c
    }

    /// The household-level integer variable `name` (stratum, PSU), one value per household.
    /// - Precondition: the variable was requested when loading.
    public func householdIntegers(_ name: String) -> Column<Int32> {
        guard let c = householdIntegers[name] else { preconditionFailure("variable '\(name)' was not loaded as a household column") }
        return c
    }

    /// The categorical person-level variable `name`: codes into sorted labels.
    /// - Precondition: the variable was requested (as ``Variable/category(_:)``) when loading.
    public func category(_ name: String) -> CategoryColumn {
        guard let c = categories[name] else { preconditionFailure("variable '\(name)' was not loaded as a category") }
        return c
    }

    /// Every stored variable, for writing a binary survey file.
    var storedVariables: (reals: [String: Column<Double>], integers: [String: Column<Int32>],
                          householdIntegers: [String: Column<Int32>], categories: [String: CategoryColumn]) {
        (personReals, personIntegers, householdIntegers, categories)
    }

    /// Debug-build checks of the layout: offsets rise, columns have the right length.
    func checkInvariants() -> Bool {
        let starts = householdStart.values
        guard starts.first == 0 else { return false }
        for h in 0..<(starts.count - 1) where starts[h + 1] <= starts[h] { return false }
        let persons = personCount
        let households = householdCount
        return personReals.values.allSatisfy { $0.count == persons }
            && personIntegers.values.allSatisfy { $0.count == persons }
            && householdIntegers.values.allSatisfy { $0.count == households }
            && categories.values.allSatisfy { $0.codes.count == persons }
            && householdID.count == households && weight.count == households
    }
}

/// A categorical variable: one code per person into a sorted list of labels.
///
/// Labels are sorted numerically when every label is a number (`1, 2, 10`),
/// otherwise in byte order (`"Burgenland", "Carinthia", ...`).
public struct CategoryColumn: Sendable {
    /// Each person's code, an index into ``labels``.
    public let codes: Column<Int32>
    /// The distinct labels, sorted.
    public let labels: [String]
}
