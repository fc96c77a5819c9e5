/// Joins the pieces' households into the household columns and checks the
/// survey's structure.
///
/// A household may start in one piece and continue in the next ones (the
/// next piece's first household has the same id): it is one household, and
/// its members in the later pieces are checked against its first member.
///
/// Checks, in this order, each failing with the line of the offending row:
/// - the members of a household are on adjacent rows (a household id never
///   reappears after another household's rows);
/// - person ids are unique in the file;
/// - every household-level variable (weight, stratum, PSU) is the same on
///   every member (variables in request order).
struct HouseholdAssembler {
    let file: String
    let layout: FieldLayout
    let table: CSVTable
    let plan: ParallelPlan
    /// Every piece's output, all without defect.
    let outputs: [PieceOutput]
    /// Each piece's first row; the last entry is the number of rows.
    let firstRow: [Int]
    /// The person columns, each with one value per row.
    let personReals: [Column<Double>]
    let personIntegers: [Column<Int32>]
    let categories: [CategoryColumn]

    private func line(_ row: Int) -> Int { row + 2 }

    /// Where each piece's households go.
    private struct Stitch {
        /// Whether the piece's first household continues the previous piece's last one.
        var continues: [Bool]
        /// The household index of each piece's first household.
        var offset: [Int]
        var households: Int
    }

    private func stitch() -> Stitch {
        var continues = [Bool](repeating: false, count: outputs.count)
        var offset = [Int](repeating: 0, count: outputs.count)
        var households = 0
        for (k, out) in outputs.enumerated() {
            if layout.grouped, k > 0 {
                let previous = outputs[k - 1]
                continues[k] = out.record(0, 1) == previous.record(previous.householdCount - 1, 1)
            }
            offset[k] = continues[k] ? households - 1 : households
            households += out.householdCount - (continues[k] ? 1 : 0)
        }
        return Stitch(continues: continues, offset: offset, households: households)
    }

    func assemble() throws -> Population {
        let rows = firstRow[outputs.count]
        let stitch = stitch()
        let households = stitch.households
        let starts = try ReservedColumn<Int>(capacity: households + 1)
        let ids = try ReservedColumn<Int64>(capacity: households)
        let reals = try (0..<layout.householdRealCount).map { _ in try ReservedColumn<Double>(capacity: households) }
        let integers = try (0..<layout.householdIntegerCount).map { _ in try ReservedColumn<Int32>(capacity: households) }
        let startOut = starts.buffer, idOut = ids.buffer
        let realOut = reals.map(\.buffer), integerOut = integers.map(\.buffer)
        let grouped = layout.grouped
        let realCount = layout.householdRealCount
        let valuesAt = grouped ? 2 : 0
        plan.forEach(pieces: outputs.count) { k in
            let out = outputs[k]
            let first = stitch.continues[k] ? 1 : 0
            for h in first..<out.householdCount {
                let g = stitch.offset[k] + h
                if grouped {
                    startOut[g] = firstRow[k] + Int(out.record(h, 0))
                    idOut[g] = Int64(bitPattern: out.record(h, 1))
                } else {
                    startOut[g] = firstRow[k] + h
                    idOut[g] = Int64(firstRow[k] + h + 1)
                }
                for i in 0..<realCount { realOut[i][g] = Double(bitPattern: out.record(h, valuesAt + i)) }
                for i in 0..<integerOut.count {
                    let word = out.records.base + (h * out.stride + valuesAt + realCount + i)
                    integerOut[i][g] = UnsafeRawPointer(word).load(as: Int32.self)
                }
            }
        }
        startOut[households] = rows
        let householdStart = starts.finish(count: households + 1)
        let householdID = ids.finish(count: households)
        let householdReals = reals.map { $0.finish(count: households) }
        let householdIntegers = integers.map { $0.finish(count: households) }

        if grouped {
            try checkAdjacency(householdID.values, starts: householdStart.values)
            try checkUniquePersonIDs(rows: rows)
            try checkHouseholdVariables(stitch, starts: householdStart.values, reals: householdReals, integers: householdIntegers)
        }

        var realColumns: [String: Column<Double>] = [:]
        var integerColumns: [String: Column<Int32>] = [:]
        var householdIntegerColumns: [String: Column<Int32>] = [:]
        var categoryColumns: [String: CategoryColumn] = [:]
        var weight: Column<Double>?
        for (v, variable) in layout.variables.enumerated() {
            switch layout.roles[v] {
            case .personReal(let i): realColumns[variable.name] = personReals[i]
            case .personInteger(let i): integerColumns[variable.name] = personIntegers[i]
            case .category(let i): categoryColumns[variable.name] = categories[i]
            case .householdReal(let i): weight = householdReals[i]
            case .householdInteger(let i): householdIntegerColumns[variable.name] = householdIntegers[i]
            case .householdKey, .personKey, .ignoredIdentifier: break
            }
        }
        return Population(
            source: file, householdStart: householdStart, householdID: householdID, weight: weight!,
            personReals: realColumns, personIntegers: integerColumns, householdIntegers: householdIntegerColumns,
            categories: categoryColumns)
    }

    /// Fails if a household id reappears after another household's rows.
    private func checkAdjacency(_ householdIDs: UnsafeBufferPointer<Int64>, starts: UnsafeBufferPointer<Int>) throws {
        var increasing = true
        for h in 1..<max(1, householdIDs.count) where householdIDs[h] <= householdIDs[h - 1] {
            increasing = false
            break
        }
        if increasing { return }
        var firstSeen: [Int64: Int] = [:]
        firstSeen.reserveCapacity(householdIDs.count)
        for (h, id) in householdIDs.enumerated() {
            if let earlier = firstSeen[id] {
                throw InputError(file: file, line: line(starts[h]), field: column(of: Variable.householdID.name), kind: .inconsistent,
                    "household \(id) appears again here, after other households' rows (its first member is on line \(line(starts[earlier]))); the members of a household must be on adjacent rows: sort the file by household")
            }
            firstSeen[id] = h
        }
    }

    /// Fails if a person id appears twice: at once when the ids rise through
    /// the file (each piece's, and from each piece to the next), otherwise by
    /// reading the ids again (``PersonIDCheck``).
    private func checkUniquePersonIDs(rows: Int) throws {
        var rising = true
        for (k, out) in outputs.enumerated() where !out.personIDsRise || (k > 0 && outputs[k - 1].lastPersonID >= out.firstPersonID) {
            rising = false
            break
        }
        if rising { return }
        guard let field = layout.fieldVariable.firstIndex(where: { $0.map { layout.roles[$0] == .personKey } ?? false }) else { return }
        if let repeated = PersonIDCheck.firstRepeat(table: table, field: field, fieldCount: layout.fieldCount,
                                                    firstRow: firstRow, plan: plan) {
            throw InputError(file: file, line: line(repeated.row), field: column(of: Variable.personID.name), kind: .duplicate,
                "person id \(repeated.id) appears twice (lines \(line(repeated.earlier)) and \(line(repeated.row))); person ids must be unique")
        }
    }

    /// Fails at the first member (in file order) of a household whose value of
    /// a household-level variable differs from the household's first member's,
    /// taking the variables in request order.
    private func checkHouseholdVariables(_ stitch: Stitch, starts: UnsafeBufferPointer<Int>,
                                         reals: [Column<Double>], integers: [Column<Int32>]) throws {
        for (v, variable) in layout.variables.enumerated() {
            let column = layout.fileColumns[v]
            switch layout.roles[v] {
            case .householdReal(let i):
                try check(column, stitch, starts, household: reals[i].values, mismatch: { $0.realMismatch[i] },
                          firstOfPiece: { Double(bitPattern: $0.record(0, 2 + i)) })
            case .householdInteger(let i):
                let at = 2 + layout.householdRealCount + i
                try check(column, stitch, starts, household: integers[i].values, mismatch: { $0.integerMismatch[i] },
                          firstOfPiece: { UnsafeRawPointer($0.records.base + at).load(as: Int32.self) })
            case .personReal(let i) where variable.level == .household:
                try collapse(personReals[i].values, starts: starts, column: column)
            default:
                break
            }
        }
    }

    private func check<T: Equatable & CustomStringConvertible>(
        _ column: String, _ stitch: Stitch, _ starts: UnsafeBufferPointer<Int>, household values: UnsafeBufferPointer<T>,
        mismatch: (PieceOutput) -> Mismatch<T>?, firstOfPiece: (PieceOutput) -> T
    ) throws {
        func fail(row: Int, value: T, first: T, firstRow: Int) -> InputError {
            InputError(file: file, line: line(row), field: column, kind: .inconsistent,
                "\(column) is \(value) here but \(first) on line \(line(firstRow)), the household's first member; \(column) is a household variable and must be the same on every member")
        }
        for (k, out) in outputs.enumerated() {
            let chain = stitch.offset[k]
            if stitch.continues[k] {
                let mine = firstOfPiece(out)
                if mine != values[chain] {
                    throw fail(row: firstRow[k], value: mine, first: values[chain], firstRow: starts[chain])
                }
            }
            if let m = mismatch(out) {
                let firstMember = starts[stitch.offset[k] + m.household]
                throw fail(row: firstRow[k] + m.row, value: m.value, first: m.first, firstRow: firstMember)
            }
        }
    }

    /// For a household-level variable kept per person: fails if a member's value differs from the first member's.
    private func collapse(_ values: UnsafeBufferPointer<Double>, starts: UnsafeBufferPointer<Int>, column: String) throws {
        for h in 0..<(starts.count - 1) {
            let first = values[starts[h]]
            for row in (starts[h] + 1)..<starts[h + 1] where values[row] != first {
                throw InputError(file: file, line: line(row), field: column, kind: .inconsistent,
                    "\(column) is \(values[row]) here but \(first) on line \(line(starts[h])), the household's first member; \(column) is a household variable and must be the same on every member")
            }
        }
    }

    private func column(of name: String) -> String {
        layout.variableIndex(named: name).map { layout.fileColumns[$0] } ?? name
    }
}
