/// A partition of the population into groups (regions, sex, age bands), for
/// indicators by group and the additive FGT decomposition.
///
/// A grouping is either a property of the unit (every member of a household
/// is in the household's region) or of the person (sex, age band). For a
/// person-level grouping of households, household `h` contributes to group
/// `g` with weight `w_h × n_hg` (its weight times its members in `g`) and its
/// welfare `y_h`: exactly what listing every person would give.
///
/// Every person is in exactly one group, so group populations add up to the
/// whole and each group's contribution to an FGT index,
/// `(W_g / W) × FGT_g`, adds up to the national index.
///
/// ```swift
/// let region = Grouping.units(name: "region", labels: ["North", "South"], codes: regionOfHousehold)
/// let sex = Grouping.persons(name: "sex", labels: ["male", "female"], codes: sexOfPerson,
///                            householdStart: population.householdStart.array)
/// ```
public struct Grouping: Sendable {
    enum Members: Sendable {
        /// One code per unit.
        case units([Int32])
        /// One code per person; persons `start[h]..<start[h+1]` make up unit h.
        case persons(codes: [Int32], householdStart: [Int])
    }

    /// The grouping's name (the column, or `age`).
    public let name: String
    /// The group labels; codes index into them.
    public let labels: [String]
    let members: Members

    /// A grouping by a property of the unit (household or row).
    ///
    /// - Precondition: every code is in `0..<labels.count`.
    public static func units(name: String, labels: [String], codes: [Int32]) -> Grouping {
        precondition(codes.allSatisfy { $0 >= 0 && Int($0) < labels.count }, "group code out of range in '\(name)'")
        return Grouping(name: name, labels: labels, members: .units(codes))
    }

    /// A grouping by a property of the person, for household units.
    ///
    /// - Parameters:
    ///   - name: The grouping's name (a column name, as `--by` gives it).
    ///   - labels: The groups' labels, indexed by code.
    ///   - codes: One code per person, in `0..<labels.count`.
    ///   - householdStart: Offsets of each household's persons (`units + 1` entries, the last `codes.count`).
    public static func persons(name: String, labels: [String], codes: [Int32], householdStart: [Int]) -> Grouping {
        precondition(householdStart.first == 0 && householdStart.last == codes.count, "household offsets do not cover the persons")
        precondition(codes.allSatisfy { $0 >= 0 && Int($0) < labels.count }, "group code out of range in '\(name)'")
        return Grouping(name: name, labels: labels, members: .persons(codes: codes, householdStart: householdStart))
    }

    /// A grouping by age band. Persons whose age is in no band form a last
    /// group, "other ages", present only if there are any.
    ///
    /// - Parameters:
    ///   - bands: The bands, e.g. ``AgeBand/standard`` (0-17, 18-64, 65+).
    ///   - ages: Age in completed years, one per person.
    ///   - householdStart: Offsets of each household's persons, or `nil` when every person is a unit.
    ///   - name: The grouping's name.
    public static func ageBands(_ bands: [AgeBand], ages: [Int32], householdStart: [Int]?, name: String = "age") -> Grouping {
        var labels = bands.map(\.description)
        let other = Int32(bands.count)
        func code(_ age: Int32) -> Int32 {
            bands.firstIndex(where: { $0.contains(Int(age)) }).map { Int32($0) } ?? other
        }
        // Each age's band looked up once, in a table over the ages present (when their range is small).
        let low = ages.min() ?? 0, high = ages.max() ?? 0
        let codes: [Int32]
        if Int(high) - Int(low) < 1 << 16 {
            let table = (low...high).map(code)
            codes = table.withUnsafeBufferPointer { table in ages.map { table[Int($0 - low)] } }
        } else {
            codes = ages.map(code)
        }
        let anyOther = codes.contains(other)
        if anyOther { labels.append("other ages") }
        if let householdStart {
            return .persons(name: name, labels: labels, codes: codes, householdStart: householdStart)
        }
        return .units(name: name, labels: labels, codes: codes)
    }

    /// The number of units the grouping describes.
    var unitCount: Int {
        switch members {
        case .units(let codes): return codes.count
        case .persons(_, let starts): return starts.count - 1
        }
    }

    /// Unweighted observations per group, for messages and the disclosure rule: persons for a
    /// grouping of persons, units (households or rows) for a grouping of units; 0 for a group
    /// the data does not have.
    public var personsPerGroup: [Int] {
        var counts = [Int](repeating: 0, count: labels.count)
        switch members {
        case .units(let codes): for c in codes { counts[Int(c)] += 1 }
        case .persons(let codes, _): for c in codes { counts[Int(c)] += 1 }
        }
        return counts
    }
}
