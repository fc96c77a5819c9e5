/// Groups parsed rows into households and checks the survey's structure.
///
/// Checks, each failing with the line of the offending row:
/// - the members of a household are on adjacent rows (a household id never
///   reappears after another household's rows);
/// - every household-level variable (weight, stratum, PSU) is the same on
///   every member;
/// - person ids are unique in the file.
struct HouseholdAssembler {
    let file: String
    let layout: FieldLayout
    let columns: ParsedColumns
    let rows: Int
    /// Per category variable, its sorted labels.
    let labels: [[String]]
    /// Every row is its own household (no `hh_id` or `person_id` read).
    var rowPerUnit = false

    private func placement(of name: String) -> FieldLayout.Slot {
        let v = layout.variables.firstIndex { $0.name == name }!
        return layout.placement[v]
    }

    private func line(_ row: Int) -> Int { row + 2 }

    func assemble() throws -> Population {
        var starts: [Int] = [0]
        var householdIDList: [Int64]
        if rowPerUnit {
            starts = Array(0...rows)
            householdIDList = (0..<rows).map { Int64($0 + 1) }
        } else {
            let householdIDs = columns.identifiers[placement(of: "hh_id").index].finish()
            let personIDs = columns.identifiers[placement(of: "person_id").index].finish()
            let ids = householdIDs.values
            // Household boundaries: a new household starts where the id changes.
            householdIDList = [ids[0]]
            for row in 1..<rows where ids[row] != ids[row - 1] {
                starts.append(row)
                householdIDList.append(ids[row])
            }
            starts.append(rows)
            try checkAdjacency(householdIDList, starts: starts)
            try checkUnique(personIDs.values)
        }

        var personReals: [String: Column<Double>] = [:]
        var personIntegers: [String: Column<Int32>] = [:]
        var householdIntegers: [String: Column<Int32>] = [:]
        var categories: [String: CategoryColumn] = [:]
        var weight: Column<Double>?
        for (v, variable) in layout.variables.enumerated() {
            let slot = layout.placement[v]
            switch (slot.kind, variable.level) {
            case (.real, .household):
                let column = columns.reals[slot.index].finish()
                let perHousehold = try collapse(column.values, starts: starts, variable: layout.fileColumns[v])
                if variable.name == "weight" { weight = Column(perHousehold) } else { personReals[variable.name] = column }
            case (.integer, .household):
                let column = columns.integers[slot.index].finish()
                householdIntegers[variable.name] = Column(try collapse(column.values, starts: starts, variable: layout.fileColumns[v]))
            case (.real, .person):
                personReals[variable.name] = columns.reals[slot.index].finish()
            case (.integer, .person):
                personIntegers[variable.name] = columns.integers[slot.index].finish()
            case (.category, _):
                categories[variable.name] = CategoryColumn(codes: columns.categories[slot.index].finish(), labels: labels[slot.index])
            case (.identifier, _), (.skip, _):
                break
            }
        }
        return Population(
            source: file, householdStart: Column(starts), householdID: Column(householdIDList), weight: weight!,
            personReals: personReals, personIntegers: personIntegers, householdIntegers: householdIntegers,
            categories: categories)
    }

    /// One value per household, after checking every member has the first member's value.
    private func collapse<T: Equatable & CustomStringConvertible>(
        _ values: UnsafeBufferPointer<T>, starts: [Int], variable column: String
    ) throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(starts.count - 1)
        for h in 0..<(starts.count - 1) {
            let first = values[starts[h]]
            for row in (starts[h] + 1)..<starts[h + 1] where values[row] != first {
                throw InputError(file: file, line: line(row), field: column,
                    "\(column) is \(values[row]) here but \(first) on line \(line(starts[h])), the household's first member; \(column) is a household variable and must be the same on every member")
            }
            out.append(first)
        }
        return out
    }

    /// Fails if a household id reappears after another household's rows.
    private func checkAdjacency(_ householdIDs: [Int64], starts: [Int]) throws {
        var increasing = true
        for h in 1..<householdIDs.count where householdIDs[h] <= householdIDs[h - 1] {
            increasing = false
            break
        }
        if increasing { return }
        var firstSeen: [Int64: Int] = [:]
        firstSeen.reserveCapacity(householdIDs.count)
        for (h, id) in householdIDs.enumerated() {
            if let earlier = firstSeen[id] {
                throw InputError(file: file, line: line(starts[h]), field: layout.fileColumns[0],
                    "household \(id) appears again here, after other households' rows (its first member is on line \(line(starts[earlier]))); the members of a household must be on adjacent rows: sort the file by household")
            }
            firstSeen[id] = h
        }
    }

    /// Fails if a person id appears twice.
    private func checkUnique(_ personIDs: UnsafeBufferPointer<Int64>) throws {
        var increasing = true
        for row in 1..<personIDs.count where personIDs[row] <= personIDs[row - 1] {
            increasing = false
            break
        }
        if increasing { return }
        var firstSeen: [Int64: Int] = [:]
        firstSeen.reserveCapacity(personIDs.count)
        for row in 0..<personIDs.count {
            if let earlier = firstSeen[personIDs[row]] {
                throw InputError(file: file, line: line(row), field: layout.fileColumns[1],
                    "person id \(personIDs[row]) appears twice (lines \(line(earlier)) and \(line(row))); person ids must be unique")
            }
            firstSeen[personIDs[row]] = row
        }
    }
}
