/// Which header field feeds which requested variable, worked out once from
/// the header before any row is parsed.
struct FieldLayout: Sendable {
    /// What the parser does with one field of every row.
    struct Slot: Sendable {
        enum Kind: UInt8, Sendable { case skip, identifier, integer, real, category }
        var kind: Kind = .skip
        /// Index into the parsed columns of that kind.
        var index = 0
        /// Index into ``FieldLayout/variables``.
        var variable = 0
    }

    /// Number of fields in the header (every row must have as many).
    let fieldCount: Int
    /// One slot per header field.
    let slots: [Slot]
    /// The requested variables, in request order.
    let variables: [Variable]
    /// The file column each requested variable is read from.
    let fileColumns: [String]
    /// Each variable's slot kind and index into its kind's columns.
    let placement: [Slot]
    /// For messages: the header name of each field.
    let header: [String]
    /// Per header field, what the fast path needs, without any String (no reference counting in the hot loop).
    let fastSlots: [FastSlot]

    /// A field's kind, destination and valid range, flattened for the parser's fast path.
    struct FastSlot: Sendable {
        var kind: Slot.Kind
        var index: Int
        var low: Double
        var high: Double
        var lowExclusive: Bool
    }

    init(header: [String], requests: [VariableRequest], columnMap: ColumnMap, file: String) throws {
        var indexOf: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if name.isEmpty {
                throw InputError(file: file, line: 1, "header field \(i + 1) has no name; every column needs a name")
            }
            if let first = indexOf[name] {
                throw InputError(file: file, line: 1, field: name,
                    "the column name '\(name)' appears twice in the header (fields \(first + 1) and \(i + 1))")
            }
            indexOf[name] = i
        }
        var slots = [Slot](repeating: Slot(), count: header.count)
        var placement: [Slot] = []
        var counts = [0, 0, 0, 0, 0]
        var missing: [String] = []
        var fileColumns: [String] = []
        for (v, request) in requests.enumerated() {
            let column = columnMap.column(for: request.variable.name)
            fileColumns.append(column)
            let kind: Slot.Kind
            switch request.variable.kind {
            case .identifier: kind = .identifier
            case .integer: kind = .integer
            case .real: kind = .real
            case .category: kind = .category
            }
            let slot = Slot(kind: kind, index: counts[Int(kind.rawValue)], variable: v)
            counts[Int(kind.rawValue)] += 1
            placement.append(slot)
            guard let field = indexOf[column] else {
                let named = column == request.variable.name ? "'\(column)'" : "'\(column)' (model variable '\(request.variable.name)')"
                missing.append("\(named), needed by \(request.neededBy): \(columnMap.howToMap(request.variable.name))")
                continue
            }
            if slots[field].kind != .skip {
                let other = requests[slots[field].variable].variable.name
                throw InputError(file: file, line: 1, field: column,
                    "column '\(column)' is mapped to two model variables, '\(other)' and '\(request.variable.name)'")
            }
            slots[field] = slot
        }
        if !missing.isEmpty {
            let list = missing.map { "  - \($0)" }.joined(separator: "\n")
            throw InputError(file: file, line: 1,
                "missing required column\(missing.count > 1 ? "s" : ""):\n\(list)\n  (the header has: \(header.joined(separator: ", ")))")
        }
        self.fieldCount = header.count
        self.slots = slots
        self.variables = requests.map(\.variable)
        self.fileColumns = fileColumns
        self.placement = placement
        self.header = header
        self.fastSlots = slots.map { slot in
            guard slot.kind != .skip else { return FastSlot(kind: .skip, index: 0, low: 0, high: 0, lowExclusive: false) }
            let v = requests[slot.variable].variable
            var low = v.validRange?.lowerBound ?? -Double.greatestFiniteMagnitude
            var high = v.validRange?.upperBound ?? Double.greatestFiniteMagnitude
            if v.kind == .integer {
                low = max(low, Double(Int32.min))
                high = min(high, Double(Int32.max))
            }
            return FastSlot(kind: slot.kind, index: slot.index, low: low, high: high, lowExclusive: v.lowerBoundExclusive)
        }
    }

    /// How many variables of each kind are parsed.
    func count(of kind: Slot.Kind) -> Int { placement.filter { $0.kind == kind }.count }
}

/// The columns being filled by the parser, one builder per requested variable.
final class ParsedColumns: Sendable {
    let identifiers: [ColumnBuilder<Int64>]
    let integers: [ColumnBuilder<Int32>]
    let reals: [ColumnBuilder<Double>]
    /// Category codes, first local to each piece, then renumbered into the sorted global label list.
    let categories: [ColumnBuilder<Int32>]

    init(layout: FieldLayout, rows: Int) {
        identifiers = (0..<layout.count(of: .identifier)).map { _ in ColumnBuilder(count: rows, filling: 0) }
        integers = (0..<layout.count(of: .integer)).map { _ in ColumnBuilder(count: rows, filling: 0) }
        reals = (0..<layout.count(of: .real)).map { _ in ColumnBuilder(count: rows, filling: 0) }
        categories = (0..<layout.count(of: .category)).map { _ in ColumnBuilder(count: rows, filling: 0) }
    }
}
