/// The checks the CSV loader makes on every value, made again on the
/// columns a run takes from a binary survey file.
///
/// A `.simdata` file is checked like a CSV: household offsets start at 0,
/// rise strictly and end at the person count; household ids are distinct
/// (a CSV household's members are adjacent, so an id never comes back);
/// weights are finite and > 0; every requested variable's values are finite
/// and in its valid range (an age of 500 or a NaN income is refused); category
/// codes index their labels; a household-level variable kept per person is
/// the same on every member.
///
/// Each check is a branch-free pass (eight doubles or a min/max of integers
/// at a time) over fixed pieces of its column; the pieces of every check and
/// the columns' checksums run as one ``ParallelPlan`` pass (``LoadChecks``),
/// so a load waits for its threads once, not once per column. Only a piece
/// with a defect is read again, to name the first offending value.
extension SurveyCache {
    /// Elements per piece of a check (fixed, so the defect reported never depends on the thread count).
    static let checkPiece = 1 << 16

    /// The checks of one load, run together as one parallel pass.
    ///
    /// Checks are added in the order their defects are reported: when
    /// several fail, the first added wins, and within it the first piece.
    struct LoadChecks {
        private var tasks: [@Sendable () -> Int?] = []
        private var owners: [Int] = []
        private var errors: [(Int) -> InputError?] = []

        /// Adds a check over `count` elements, split into pieces.
        ///
        /// - Parameters:
        ///   - fails: For a range, the first failing index in it, or `nil`.
        ///   - error: The error for the first failing index (`nil`: no defect after all).
        mutating func add(count: Int, _ fails: @escaping @Sendable (Range<Int>) -> Int?,
                          error: @escaping (Int) -> InputError?) {
            let check = errors.count
            errors.append(error)
            for range in pieceRanges(count: count, size: checkPiece) {
                tasks.append { fails(range) }
                owners.append(check)
            }
        }

        /// Adds a check done in one piece (a checksum): `fails` says whether it failed.
        mutating func add(whole fails: @escaping @Sendable () -> Bool, error: @escaping () -> InputError) {
            errors.append { _ in error() }
            tasks.append { fails() ? 0 : nil }
            owners.append(errors.count - 1)
        }

        /// Runs every check; throws the first defect.
        func run(plan: ParallelPlan) throws {
            let tasks = self.tasks
            let results = plan.map(pieces: tasks.count) { tasks[$0]() }
            var done = Set<Int>()
            for (t, result) in results.enumerated() {
                guard let index = result, done.insert(owners[t]).inserted else { continue }
                if let error = errors[owners[t]](index) { throw error }
            }
        }
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

    /// A check: the first value in `range` of `column` outside `low...high` (NaN and infinities included).
    static func outside(_ column: Column<Double>, low: Double, high: Double) -> @Sendable (Range<Int>) -> Int? {
        { range in
            let v = column.values
            // Eight lanes at a time; a NaN fails both comparisons.
            let lows = SIMD8<Double>(repeating: low), highs = SIMD8<Double>(repeating: high)
            var ok = SIMDMask<SIMD8<Int64>>(repeating: true)
            let raw = UnsafeRawPointer(v.baseAddress!)
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let x = raw.loadUnaligned(fromByteOffset: i * 8, as: SIMD8<Double>.self)
                ok .&= (x .>= lows) .& (x .<= highs)
                i += 8
            }
            var tailOK = true
            while i < range.upperBound {
                tailOK = tailOK && v[i] >= low && v[i] <= high
                i += 1
            }
            guard !all(ok) || !tailOK else { return nil }
            return range.first { !(v[$0] >= low && v[$0] <= high) }
        }
    }

    /// A check: the first value in `range` of `column` outside `low...high`.
    static func outside(_ column: Column<Int32>, low: Int32, high: Int32) -> @Sendable (Range<Int>) -> Int? {
        { range in
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

    /// A check: the first `i` in `range` with `column[i + 1] <= column[i]` (the column must rise strictly).
    static func notRising<T: BinaryInteger & BitwiseCopyable & SendableMetatype>(_ column: Column<T>) -> @Sendable (Range<Int>) -> Int? {
        { range in
            let v = column.values
            var bad: UInt8 = 0
            for i in range { bad |= v[i + 1] > v[i] ? 0 : 1 }
            guard bad != 0 else { return nil }
            return range.first { v[$0 + 1] <= v[$0] }
        }
    }

    /// Adds the checks of the household structure: offsets, ids and weights.
    static func checkHouseholds(_ checks: inout LoadChecks, starts: Column<Int>, ids: Column<Int64>, weights: Column<Double>,
                                persons: Int, file: String) throws {
        guard starts[0] == 0, starts[starts.count - 1] == persons else {
            throw damaged(file, "household offsets run from \(starts[0]) to \(starts[starts.count - 1]), expected 0 to the \(persons) persons",
                          field: "household_start")
        }
        let households = ids.count
        checks.add(count: households, notRising(starts)) { h in
            damaged(file, "household \(h + 1) (id \(ids[h])) starts at person \(starts[h]) and ends at \(starts[h + 1]); every household has at least one person and households follow each other",
                    field: "household_start")
        }
        checks.add(count: households - 1, notRising(ids)) { _ in
            // Ids need not rise, only differ (members of a CSV household are adjacent).
            var seen = Set<Int64>(minimumCapacity: households)
            for h in 0..<households where !seen.insert(ids[h]).inserted {
                return damaged(file, "household id \(ids[h]) appears twice (household \(h + 1) and an earlier one); household ids are unique",
                               field: "hh_id", kind: .duplicate)
            }
            return nil
        }
        let (low, high) = bounds(of: .weight, integer: false)
        checks.add(count: households, outside(weights, low: low, high: high)) { h in
            InputError(file: file, field: "weight", kind: .outOfRange,
                "the binary survey file holds weight \(weights[h]) for household \(h + 1) (id \(ids[h])); expected \(Variable.weight.expectation). Import the CSV again with `simrun data import`")
        }
    }

    /// Where value `index` of a column is, in words.
    static func location(_ index: Int, household: Bool, starts: Column<Int>, ids: Column<Int64>) -> String {
        if household { return "household \(index + 1) (id \(ids[index]))" }
        var low = 0, high = starts.count - 1  // the household h with starts[h] <= index < starts[h + 1]
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= index { low = mid } else { high = mid }
        }
        return "person \(index + 1) (household id \(ids[low]))"
    }

    /// Adds the checks of one requested variable's values, as the CSV parser checks them.
    static func checkValues(_ checks: inout LoadChecks, of variable: Variable, reals: Column<Double>? = nil,
                            integers: Column<Int32>? = nil, labels: [String]? = nil, household: Bool,
                            starts: Column<Int>, ids: Column<Int64>, file: String) throws {
        func outOfRange(_ index: Int, _ value: String, expected: String) -> InputError {
            InputError(file: file, field: variable.name, kind: .outOfRange,
                "the binary survey file holds \(variable.name) = \(value) for \(location(index, household: household, starts: starts, ids: ids)); expected \(expected). Import the CSV again with `simrun data import`")
        }
        if let reals {
            let (low, high) = bounds(of: variable, integer: false)
            checks.add(count: reals.count, outside(reals, low: low, high: high)) { i in
                outOfRange(i, "\(reals[i])", expected: variable.expectation)
            }
            if variable.level == .household, !household {
                checks.add(count: starts.count - 1, differsInHousehold(reals, starts: starts)) { h in
                    InputError(file: file, field: variable.name, kind: .inconsistent,
                        "the binary survey file holds different values of \(variable.name) for the members of household \(h + 1) (id \(ids[h])); \(variable.name) is a household variable and must be the same on every member. Import the CSV again with `simrun data import`")
                }
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
            checks.add(count: integers.count, outside(integers, low: low, high: high)) { i in
                outOfRange(i, labels == nil ? "\(integers[i])" : "code \(integers[i])",
                           expected: labels == nil ? variable.expectation : "a code of one of its \(labels!.count) labels")
            }
        }
    }

    /// A check over households: the first whose members' values of a household-level variable differ.
    static func differsInHousehold(_ values: Column<Double>, starts: Column<Int>) -> @Sendable (Range<Int>) -> Int? {
        { range in
            let v = values.values, s = starts.values
            for h in range {
                for p in s[h]..<s[h + 1] where v[p] != v[s[h]] { return h }
            }
            return nil
        }
    }
}
