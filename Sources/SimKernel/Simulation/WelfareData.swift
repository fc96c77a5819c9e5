/// A scenario's welfare concept (``WelfareConcept``) applied to a loaded
/// population: per household, what welfare is divided by and who it counts.
///
/// For household h with sampling weight `w_h`:
///
/// - persons `n_h`: the household's rows, or its `household_size` value (one row per household);
/// - divisor `D_h = s_h × d_h × z_a(h) / z`, with `s_h` = `n_h` (per capita) or the
///   scale's adult equivalents, `d_h` the price index (1 without a deflator),
///   `z_a(h)` the line of the household's area and `z` the scenario's line
///   (`z_a = z` without area lines);
/// - person weight `w_h × n_h`.
///
/// Welfare under a system is `W_h / D_h`, with `W_h` the household's
/// disposable income, or its monthly consumption plus `mpc × ΔY_h`
/// (``distributions(baseline:reform:)``).
public struct WelfareData: Sendable {
    public let concept: WelfareConcept
    /// Monthly household consumption (consumption concepts), else `nil`.
    public let consumption: [Double]?
    /// `D_h`.
    public let divisor: [Double]
    /// `w_h × n_h`.
    public let personWeight: [Double]
    /// `D_h / n_h`, the household's money per unit of welfare and per person (`s_h / n_h`
    /// without deflator or area lines), so that the statistics engine's money figures (the
    /// poverty gap in money, incidence in money) are in the household's own money: lifting
    /// household h to its line costs `D_h (z − y_h)`. `nil` when `D_h = n_h` for every household.
    public let equivalentsPerPerson: [Double]?
    /// Persons per household `n_h`.
    public let persons: [Double]
    /// With `household_size` (one row per household): the persons each row
    /// stands for, `n_h / rows_h` per household (``validate(scenario:population:)``
    /// requires one row); `nil` otherwise (each row is a person).
    public let personsPerRow: [Double]?

    /// Reads the concept's inputs from `population`.
    ///
    /// Never fails: a code with no line or index, or a code that differs
    /// between members, is given the factor 1 here; ``validate(scenario:population:)``
    /// reports them, and every command calls it (through
    /// ``ScenarioRun/requireFiniteResults(population:)``) before printing.
    public init(scenario: ScenarioDefinition, population: Population) {
        let concept = scenario.welfare
        self.concept = concept
        let n = population.householdCount
        let starts = population.householdStart.values, weight = population.weight.values
        let requests = concept.requests(existing: ScenarioRun.systemVariables(of: scenario))
        func variable(_ name: String) -> Variable? { requests.first { $0.variable.name == name }?.variable }
        var size = [Double](repeating: 0, count: n)
        if let column = concept.householdSize {
            let values = population.householdIntegers(column).values
            for h in 0..<n { size[h] = Double(values[h]) }
        } else {
            for h in 0..<n { size[h] = Double(starts[h + 1] - starts[h]) }
        }
        persons = size
        personsPerRow = concept.householdSize == nil ? nil : (0..<n).map { size[$0] / Double(starts[$0 + 1] - starts[$0]) }
        var divisor = size
        if case .adultEquivalent(let scale) = concept.unit {
            let ages = scale.needsAges ? population.integers(Variable.age.name).values : nil
            let childMaxAge = scale.childMaxAge ?? Int.min
            for h in 0..<n {
                var children = 0
                if let ages { for p in starts[h]..<starts[h + 1] where Int(ages[p]) <= childMaxAge { children += 1 } }
                let members = Int(size[h])
                divisor[h] = scale.adultEquivalents(adults: members - children, children: children)
            }
        }
        if case .consumption(let name, let perYear) = concept.source {
            let values = population.reals(name).values
            consumption = (0..<n).map { h in perYear ? values[starts[h]] / 12 : values[starts[h]] }
        } else {
            consumption = nil
        }
        switch concept.deflator {
        case .variable(let name)?:
            let values = population.reals(name).values
            for h in 0..<n { divisor[h] *= values[starts[h]] }
        case .table(let name, let table)?:
            if let codes = Self.codes(variable(name), population) {
                for h in 0..<n { divisor[h] *= table[Int(codes[h])] ?? 1 }
            }
        case nil: break
        }
        if let lines = concept.lines, let codes = Self.codes(variable(lines.variable), population) {
            let z = scenario.povertyLine
            for h in 0..<n { divisor[h] *= (lines.values[Int(codes[h])] ?? z) / z }
        }
        self.divisor = divisor
        equivalentsPerPerson = divisor == size ? nil : (0..<n).map { divisor[$0] / size[$0] }
        personWeight = (0..<n).map { weight[$0] * size[$0] }
    }

    /// Each household's code of an integer variable (its first member's), or
    /// `nil` when the variable is not read as whole numbers.
    static func codes(_ variable: Variable?, _ population: Population) -> [Int32]? {
        guard let variable, variable.kind == .integer else { return nil }
        if variable.level == .household { return population.householdIntegers(variable.name).array }
        let values = population.integers(variable.name).values, starts = population.householdStart.values
        return (0..<population.householdCount).map { values[starts[$0]] }
    }

    /// Baseline and reform welfare from the two systems' household disposable incomes.
    ///
    /// `disposable_income`: `Y_h / D_h` under each system. `consumption`:
    /// `C_h / D_h` for the baseline and `(C_h + mpc × (Y_h(reform) − Y_h(baseline))) / D_h`
    /// for the reform.
    public func distributions(baseline: SystemOutcome, reform: SystemOutcome) -> (baseline: WelfareDistribution, reform: WelfareDistribution) {
        let yb = baseline.disposableIncome.values, yr = reform.disposableIncome.values
        let n = divisor.count
        var b = [Double](repeating: 0, count: n), r = b
        if let consumption {
            let mpc = concept.mpc
            for h in 0..<n {
                b[h] = consumption[h] / divisor[h]
                r[h] = (consumption[h] + mpc * (yr[h] - yb[h])) / divisor[h]
            }
        } else {
            for h in 0..<n {
                b[h] = yb[h] / divisor[h]
                r[h] = yr[h] / divisor[h]
            }
        }
        return (WelfareDistribution(welfare: b, personWeight: personWeight, equivalentsPerPerson: equivalentsPerPerson),
                WelfareDistribution(welfare: r, personWeight: personWeight, equivalentsPerPerson: equivalentsPerPerson))
    }

    /// Checks the data against the concept: every code of the area-line and
    /// deflator variables has a line or index, is a whole number, and is the
    /// same on every member of a household.
    ///
    /// - Throws: ``InputError`` at the data file's line of the first
    ///   offending row (naming the variable and code and the scenario key to
    ///   add it to), or at the scenario file for a variable not read as whole numbers.
    public static func validate(scenario: ScenarioDefinition, population: Population) throws {
        let concept = scenario.welfare
        let requests = concept.requests(existing: ScenarioRun.systemVariables(of: scenario))
        var tables: [(key: String, variable: String, codes: Set<Int>)] = []
        if case .table(let v, let values)? = concept.deflator { tables.append(("deflator", v, Set(values.keys))) }
        if let lines = concept.lines { tables.append(("lines", lines.variable, Set(lines.values.keys))) }
        let starts = population.householdStart.values
        if let size = concept.householdSize {
            for h in 0..<population.householdCount where starts[h + 1] - starts[h] != 1 {
                throw InputError(file: population.source, line: starts[h] + 3, field: Variable.householdID.name, kind: .inconsistent,
                    "household \(population.householdID[h]) has \(starts[h + 1] - starts[h]) rows (from line \(starts[h] + 2)), but the scenario's welfare: household_size: \(size) says each row is a household of that many persons (\(scenario.file)); give one row per household, or drop household_size to count the rows as persons")
            }
        }
        for (key, name, known) in tables {
            let variable = requests.first(where: { $0.variable.name == name })?.variable ?? Variable.named(name)
            guard variable.kind == .integer else {
                throw InputError(file: scenario.file, field: "welfare.\(key).variable", kind: .wrongType,
                    "welfare: \(key) by '\(name)' needs whole-number codes, but the rules read '\(name)' as \(variable.measure.phrase) not stored as whole numbers; give a code column of whole numbers")
            }
            if variable.level == .person {
                let values = population.integers(name).values
                for h in 0..<population.householdCount {
                    for p in starts[h]..<starts[h + 1] where values[p] != values[starts[h]] {
                        throw InputError(file: population.source, line: p + 2, field: name, kind: .inconsistent,
                            "\(name) is \(values[p]) here but \(values[starts[h]]) on line \(starts[h] + 2), the household's first member; welfare: \(key) by \(name) needs the same code on every member of a household")
                    }
                }
            }
            let codes = Self.codes(variable, population)!
            for h in 0..<population.householdCount where !known.contains(Int(codes[h])) {
                let what = key == "lines" ? "poverty line" : "price index"
                throw InputError(file: population.source, line: starts[h] + 2, field: name, kind: .badValue,
                    "household \(population.householdID[h]) has \(name) \(codes[h]), which has no \(what) in the scenario \(scenario.file) (welfare.\(key).values lists \(known.sorted().map(String.init).joined(separator: ", "))); add code \(codes[h]) there")
            }
        }
    }
}
