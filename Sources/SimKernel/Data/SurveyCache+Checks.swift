/// The checks the CSV loader makes on every value, made again on the
/// columns a run takes from a binary survey file.
///
/// A `.simdata` file is checked like a CSV: household offsets start at 0,
/// rise strictly and end at the person count; household ids are distinct
/// (a CSV household's members are adjacent, so an id never comes back);
/// weights are finite and > 0; every requested variable's values are finite
/// and in its valid range (an age of 500 or a NaN income is refused); category
/// codes index their labels; a household-level variable kept per person is
/// the same on every member. Each check is a branch-free pass over fixed
/// pieces of the column (``ParallelPlan``), so it vectorises and runs on
/// every thread; only a piece with a defect is read again, to name the first
/// offending value.
extension SurveyCache {
    /// Elements per piece of a check (fixed, so the defect reported never depends on the thread count).
    static let checkPiece = 1 << 16

    /// The first index (in column order) at which `fails` finds a defect, checking pieces in parallel.
    ///
    /// - Parameter fails: For a range, the first failing index in it, or `nil`.
    static func firstFailure(count: Int, plan: ParallelPlan, _ fails: @Sendable (Range<Int>) -> Int?) -> Int? {
        let ranges = pieceRanges(count: count, size: checkPiece)
        return plan.map(pieces: ranges.count) { fails(ranges[$0]) }.lazy.compactMap { $0 }.first
    }

    /// The bounds a variable's values must lie in, as the CSV parser applies them.
    static func bounds(of variable: Variable, integer: Bool) -> (low: Double, high: Double) {
        var low = variable.validRange?.lowerBound ?? -Double.greatestFiniteMagnitude
        var high = variable.validRange?.upperBound ?? Double.greatestFiniteMagnitude
        if variable.lowerBoundExclusive { low = integer ? low.rounded(.down) + 1 : low.nextUp }
        if integer {
            low = max(low.rounded(.up), Double(Int32.min))
            high = min(high.rounded(.down), Double(Int32.max))
        }
        return (max(low, -Double.greatestFiniteMagnitude), min(high, Double.greatestFiniteMagnitude))
    }

    /// The first value of `column` outside `low...high` (NaN and infinities included), if any.
    static func firstOutside(_ column: Column<Double>, low: Double, high: Double, plan: ParallelPlan) -> Int? {
        firstFailure(count: column.count, plan: plan) { range in
            let v = column.values
            var bad: UInt8 = 0
            for i in range { bad |= (v[i] >= low && v[i] <= high) ? 0 : 1 }
            guard bad != 0 else { return nil }
            return range.first { !(v[$0] >= low && v[$0] <= high) }
        }
    }

    /// The first value of `column` outside `low...high`, if any.
    static func firstOutside(_ column: Column<Int32>, low: Int32, high: Int32, plan: ParallelPlan) -> Int? {
        firstFailure(count: column.count, plan: plan) { range in
            let v = column.values
            var smallest = Int32.max, largest = Int32.min
            for i in range {
                smallest = min(smallest, v[i])
                largest = max(largest, v[i])
            }
            guard smallest < low || largest > high else { return nil }
            return range.first { v[$0] < low || v[$0] > high }
        }
    }

    /// The first household `h` whose offset does not rise (`starts[h + 1] <= starts[h]`), if any.
    static func firstNotRising<T: BinaryInteger & BitwiseCopyable & SendableMetatype>(_ column: Column<T>, plan: ParallelPlan) -> Int? {
        firstFailure(count: max(0, column.count - 1), plan: plan) { range in
            let v = column.values
            var bad: UInt8 = 0
            for i in range { bad |= v[i + 1] > v[i] ? 0 : 1 }
            guard bad != 0 else { return nil }
            return range.first { v[$0 + 1] <= v[$0] }
        }
    }

    /// Checks the household structure: offsets, ids and weights.
    static func checkHouseholds(starts: Column<Int>, ids: Column<Int64>, weights: Column<Double>, persons: Int,
                                plan: ParallelPlan, file: String) throws {
        guard starts[0] == 0, starts[starts.count - 1] == persons else {
            throw damaged(file, "household offsets run from \(starts[0]) to \(starts[starts.count - 1]), expected 0 to the \(persons) persons",
                          field: "household_start")
        }
        if let h = firstNotRising(starts, plan: plan) {
            throw damaged(file, "household \(h + 1) (id \(ids[h])) starts at person \(starts[h]) and ends at \(starts[h + 1]); every household has at least one person and households follow each other",
                          field: "household_start")
        }
        if firstNotRising(ids, plan: plan) != nil {
            // Ids need not rise, only differ (members of a CSV household are adjacent).
            var seen = Set<Int64>(minimumCapacity: ids.count)
            for h in 0..<ids.count where !seen.insert(ids[h]).inserted {
                throw damaged(file, "household id \(ids[h]) appears twice (household \(h + 1) and an earlier one); household ids are unique",
                              field: "hh_id", kind: .duplicate)
            }
        }
        let (low, high) = bounds(of: .weight, integer: false)
        if let h = firstOutside(weights, low: low, high: high, plan: plan) {
            throw InputError(file: file, field: "weight", kind: .outOfRange,
                "the binary survey file holds weight \(weights[h]) for household \(h + 1) (id \(ids[h])); expected \(Variable.weight.expectation). Import the CSV again with `simrun data import`")
        }
    }

    /// Where value `index` of a column of `level` is, in words.
    static func location(_ index: Int, household: Bool, starts: Column<Int>, ids: Column<Int64>) -> String {
        if household { return "household \(index + 1) (id \(ids[index]))" }
        var low = 0, high = starts.count - 1  // the household h with starts[h] <= index < starts[h + 1]
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= index { low = mid } else { high = mid }
        }
        return "person \(index + 1) (household id \(ids[low]))"
    }

    /// Checks one requested variable's values as the CSV parser checks them.
    static func checkValues(of variable: Variable, reals: Column<Double>? = nil, integers: Column<Int32>? = nil,
                            labels: [String]? = nil, household: Bool, starts: Column<Int>, ids: Column<Int64>,
                            plan: ParallelPlan, file: String) throws {
        func outOfRange(_ index: Int, _ value: String, expected: String) -> InputError {
            InputError(file: file, field: variable.name, kind: .outOfRange,
                "the binary survey file holds \(variable.name) = \(value) for \(location(index, household: household, starts: starts, ids: ids)); expected \(expected). Import the CSV again with `simrun data import`")
        }
        if let reals {
            let (low, high) = bounds(of: variable, integer: false)
            if let i = firstOutside(reals, low: low, high: high, plan: plan) {
                throw outOfRange(i, "\(reals[i])", expected: variable.expectation)
            }
            if variable.level == .household, !household {
                try checkSameInHousehold(reals, variable: variable, starts: starts, ids: ids, plan: plan, file: file)
            }
        }
        if let integers {
            let low: Int32, high: Int32
            if let labels {
                (low, high) = (0, Int32(labels.count) - 1)
            } else {
                let b = bounds(of: variable, integer: true)
                guard b.low <= b.high else { throw outOfRange(0, "\(integers[0])", expected: variable.expectation) }
                (low, high) = (Int32(b.low), Int32(b.high))
            }
            if let i = firstOutside(integers, low: low, high: high, plan: plan) {
                throw outOfRange(i, labels == nil ? "\(integers[i])" : "code \(integers[i])",
                                 expected: labels == nil ? variable.expectation : "a code of one of its \(labels!.count) labels")
            }
        }
    }

    /// Fails if a household-level variable kept per person differs between members of a household.
    static func checkSameInHousehold(_ values: Column<Double>, variable: Variable, starts: Column<Int>, ids: Column<Int64>,
                                     plan: ParallelPlan, file: String) throws {
        let households = starts.count - 1
        let bad = firstFailure(count: households, plan: plan) { range in
            let v = values.values, s = starts.values
            for h in range {
                for p in s[h]..<s[h + 1] where v[p] != v[s[h]] { return h }
            }
            return nil
        }
        if let h = bad {
            throw InputError(file: file, field: variable.name, kind: .inconsistent,
                "the binary survey file holds different values of \(variable.name) for the members of household \(h + 1) (id \(ids[h])); \(variable.name) is a household variable and must be the same on every member. Import the CSV again with `simrun data import`")
        }
    }
}
