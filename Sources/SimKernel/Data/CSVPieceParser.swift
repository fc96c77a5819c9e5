/// Parses one piece of a ``CSVTable``: person values into a scratch,
/// households (start, id, household-level values) into a list, and what the
/// checks of the household structure need.
///
/// Every value's text, type and range is checked on the way; the first
/// defect of the piece ends it (a defect in a field is reported only once
/// the line's field count is known to be right, since a missing field
/// shifts the values after it).
struct CSVPieceParser {
    let table: CSVTable
    let layout: FieldLayout

    private static let comma: UInt8 = 0x2C
    private static let newline: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22

    /// What the parser does with one field: the value's kind, its valid range,
    /// and where it goes (`destination + row * stride`; a stride of 0 for the
    /// values held for the current row only). No String, no reference
    /// counting: the hot loop reads these from flat memory.
    struct FieldOp {
        var kind: FieldLayout.Kind
        var destination: UnsafeMutableRawPointer
        var stride: Int
        var low: Double
        var high: Double
        var lowExclusive: Bool
        /// Whole numbers: the same range as integers (`low...high`, `low` excluded if so marked).
        var lowInteger: Int64
        var highInteger: Int64
        /// Category variables: index among them (for the labels).
        var category: Int
        /// Fields not read: how many fields from this one on are not read.
        var run: Int
        /// Whether a value written exactly as on the previous row is taken
        /// from that row instead of parsed (household values repeat on every
        /// member; many person values repeat, such as 0.00 incomes). Not for
        /// the person id, which never repeats.
        var repeats: Bool
    }

    /// The words held for the current row: household id, person id, household
    /// reals, household integers, and one for identifiers that are not kept.
    private var householdRealSlot: Int { 2 }
    private var householdIntegerSlot: Int { 2 + layout.householdRealCount }
    private var discardSlot: Int { 2 + layout.householdRealCount + layout.householdIntegerCount }

    /// Points the field operations at `scratch`'s columns and the row's words.
    private func bind(_ ops: UnsafeMutablePointer<FieldOp>, _ scratch: PieceScratch, _ slots: UnsafeMutablePointer<UInt64>) {
        for field in 0..<layout.fieldCount {
            let range = layout.range(ofField: field)
            var op = FieldOp(kind: layout.kind(ofField: field), destination: UnsafeMutableRawPointer(slots + discardSlot),
                             stride: 0, low: range.low, high: range.high, lowExclusive: range.lowExclusive, lowInteger: 0, highInteger: 0,
                             category: 0, run: 0, repeats: false)
            if op.kind == .integer {
                // The range in whole numbers; `low` and `high` are within Int32 for integer fields.
                let low = range.low.rounded(.up)
                op.lowInteger = Int64(low) + (range.lowExclusive && low == range.low ? 1 : 0)
                op.highInteger = Int64(range.high.rounded(.down))
            }
            if let v = layout.fieldVariable[field] {
                switch layout.roles[v] {
                case .personReal(let i): op.destination = UnsafeMutableRawPointer(scratch.reals[i]); op.stride = 8
                case .personInteger(let i): op.destination = UnsafeMutableRawPointer(scratch.integers[i]); op.stride = 4
                case .category(let i): op.destination = UnsafeMutableRawPointer(scratch.categories[i]); op.stride = 4; op.category = i
                case .householdReal(let i): op.destination = UnsafeMutableRawPointer(slots + householdRealSlot + i)
                case .householdInteger(let i): op.destination = UnsafeMutableRawPointer(slots + householdIntegerSlot + i)
                case .householdKey: op.destination = UnsafeMutableRawPointer(slots)
                case .personKey: op.destination = UnsafeMutableRawPointer(slots + 1)
                case .ignoredIdentifier: break
                }
                op.repeats = op.kind != .category && layout.roles[v] != .personKey
            }
            ops[field] = op
        }
        var run = 0
        for field in stride(from: layout.fieldCount - 1, through: 0, by: -1) {
            run = ops[field].kind == .skip ? run + 1 : 0
            ops[field].run = run
        }
    }

    /// Parses piece `k` into `scratch` (rows numbered from 0).
    func parse(piece k: Int, into scratch: PieceScratch) -> PieceOutput {
        let base = table.mapped.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let range = table.pieces[k]
        let end = range.upperBound
        // The word-at-a-time paths may read a little past a field, never past the file.
        let wordLimit = table.mapped.bytes.count - CSVScan.lookahead
        let fieldCount = layout.fieldCount
        let grouped = layout.grouped
        let realCount = layout.householdRealCount
        let integerCount = layout.householdIntegerCount
        let stride = (grouped ? 2 : 0) + realCount + integerCount
        let realSlot = householdRealSlot
        let integerSlot = householdIntegerSlot

        let ops = UnsafeMutablePointer<FieldOp>.allocate(capacity: max(1, fieldCount))
        let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: discardSlot + 1)
        slots.initialize(repeating: 0, count: discardSlot + 1)
        let tables = NumberTables()
        defer {
            ops.deallocate()
            slots.deallocate()
            tables.free()
        }
        bind(ops, scratch, slots)
        // Per field, where the previous row's text of a repeating value was and
        // its length (-1: not known to be a plain valid value).
        let previousText = UnsafeMutablePointer<Int>.allocate(capacity: max(1, fieldCount))
        let previousLength = UnsafeMutablePointer<Int>.allocate(capacity: max(1, fieldCount))
        previousText.initialize(repeating: 0, count: max(1, fieldCount))
        previousLength.initialize(repeating: -1, count: max(1, fieldCount))
        defer {
            previousText.deallocate()
            previousLength.deallocate()
        }
        var capacity = scratch.capacity
        var labels = [CategoryLabels](repeating: CategoryLabels(), count: layout.categoryCount)
        var records = RawList<UInt64>(capacity: (range.count / 160 + 1) * max(stride, 1))
        var realMismatch = [Mismatch<Double>?](repeating: nil, count: realCount)
        var integerMismatch = [Mismatch<Int32>?](repeating: nil, count: integerCount)
        var currentKey: UInt64 = 0
        var household = -1
        var personIDsRise = true
        var firstPersonID: Int64 = 0
        var lastPersonID: Int64 = 0
        var failure: RowFailure?

        var blocks = DelimiterBlocks(base: base, limit: table.mapped.bytes.count - 64)

        var p = range.lowerBound
        var row = 0
        rows: while p < end {
            if row == capacity {
                scratch.grow(to: capacity * 2, keeping: row)
                capacity = scratch.capacity
                bind(ops, scratch, slots)
            }
            // An empty line (or one holding only a carriage return).
            if base[p] == Self.newline || (base[p] == Self.carriageReturn && p + 1 < end && base[p + 1] == Self.newline) {
                failure = RowFailure(row: row, column: nil,
                    message: "the line is empty; expected \(fieldCount) comma-separated fields")
                break rows
            }
            var field = 0
            // The first bad value of the line, reported only once the line's
            // field count is known to be right (a missing field shifts values).
            var pending: RowFailure?
            fields: while true {
                // Fast paths: a plain unquoted number where a number is wanted,
                // or an unquoted field that is not read. Anything unusual (quotes,
                // spaces, exponents, long mantissas, errors) falls to the general path.
                if field < fieldCount, p < end, base[p] != Self.quote {
                    let op = ops[field]
                    var next = p
                    var handled = false
                    if op.repeats, p <= wordLimit, previousLength[field] >= 0, previousLength[field] < 8 {
                        // The same bytes as the previous row's value, and the same
                        // delimiter after them: the same value (a value held for
                        // the row is still in its slot; a person value is copied).
                        let n = previousLength[field] + 1
                        let mask: UInt64 = ~0 >> UInt64(64 - 8 * n)
                        if (CSVScan.word(base, p) ^ CSVScan.word(base, previousText[field])) & mask == 0 {
                            let here = op.destination + row &* op.stride
                            if op.stride == 8 {
                                here.storeBytes(of: (here - 8).load(as: UInt64.self), as: UInt64.self)
                            } else if op.stride == 4 {
                                here.storeBytes(of: (here - 4).load(as: UInt32.self), as: UInt32.self)
                            }
                            next = p + n - 1
                            handled = true
                        }
                    }
                    // Tests in order of frequency, not a `switch`: a jump table's
                    // indirect branch mispredicts on the pattern of field kinds.
                    if handled {
                        // Taken from the previous row.
                    } else if op.kind == .skip {
                        // This field and the skipped fields after it, up to the
                        // run's end, a line feed, or a field that opens a quote.
                        var q = blocks.next(from: p, end: end)
                        var skipped = 1
                        while skipped < op.run, q + 1 < end, base[q] == Self.comma, base[q + 1] != Self.quote {
                            q = blocks.next(from: q + 1, end: end)
                            skipped += 1
                        }
                        field += skipped - 1
                        next = q
                        handled = true
                    } else if op.kind == .real {
                        var value: Double?
                        if p <= wordLimit { value = CSVScan.wordReal(base, &next, tables) }
                        if value == nil { value = CSVScan.plainReal(base, &next, end, tables) }
                        if let v = value, v >= op.low, v <= op.high, !(op.lowExclusive && v == op.low) {
                            (op.destination + row &* op.stride).storeBytes(of: v, as: Double.self)
                            handled = true
                        }
                    } else if op.kind != .category {
                        var value: Int64?
                        if p <= wordLimit { value = CSVScan.wordInteger(base, &next, tables) }
                        if value == nil { value = CSVScan.plainInteger(base, &next, end) }
                        if let v = value {
                            if op.kind == .identifier {
                                op.destination.storeBytes(of: v, as: Int64.self)
                                handled = true
                            } else if v >= op.lowInteger, v <= op.highInteger {
                                (op.destination + row &* op.stride).storeBytes(of: Int32(truncatingIfNeeded: v), as: Int32.self)
                                handled = true
                            }
                        }
                    }
                    if handled, op.repeats {
                        previousText[field] = p
                        previousLength[field] = next - p
                    }
                    if handled {
                        if next >= end {
                            p = end
                            field += 1
                            break fields
                        }
                        let c = base[next]
                        if c == Self.comma {
                            p = next + 1
                            field += 1
                            continue fields
                        }
                        if c == Self.newline {
                            p = next + 1
                            field += 1
                            break fields
                        }
                        if c == Self.carriageReturn, next + 1 < end, base[next + 1] == Self.newline {
                            p = next + 2
                            field += 1
                            break fields
                        }
                        // Not followed by a delimiter (e.g. "12abc"): parse it the general way.
                    }
                }
                var fieldStart = p
                var fieldEnd: Int
                var quoted = false
                if p < end, base[p] == Self.quote {
                    quoted = true
                    var q = p + 1
                    while true {
                        if q >= end || base[q] == Self.newline {
                            failure = RowFailure(row: row, column: field < fieldCount ? layout.header[field] : nil,
                                message: "a quoted field is not closed before the end of the line (fields may not contain line breaks)")
                            break rows
                        }
                        if base[q] == Self.quote {
                            if q + 1 < end, base[q + 1] == Self.quote { q += 2; continue }
                            break
                        }
                        q += 1
                    }
                    fieldStart = p + 1
                    fieldEnd = q
                    p = q + 1
                    if p < end, base[p] == Self.carriageReturn, p + 1 < end, base[p + 1] == Self.newline { p += 1 }
                    if p < end, base[p] != Self.comma, base[p] != Self.newline {
                        failure = RowFailure(row: row, column: field < fieldCount ? layout.header[field] : nil,
                            message: "unexpected text after a closing quote; expected a comma or the end of the line")
                        break rows
                    }
                } else {
                    while p < end, base[p] != Self.comma, base[p] != Self.newline { p += 1 }
                    fieldEnd = p
                    if p >= end || base[p] == Self.newline, fieldEnd > fieldStart, base[fieldEnd - 1] == Self.carriageReturn {
                        fieldEnd -= 1
                    }
                }
                if field < fieldCount { previousLength[field] = -1 }
                if field < fieldCount, let v = layout.fieldVariable[field] {
                    let op = ops[field]
                    let variable = layout.variables[v]
                    let text = base + fieldStart
                    let length = fieldEnd - fieldStart
                    switch op.kind {
                    case .identifier:
                        if let value = DecimalParser.integer(text, length) {
                            op.destination.storeBytes(of: value, as: Int64.self)
                        } else {
                            pending = pending ?? rejection(row, v, text, length)
                        }
                    case .integer:
                        if let value = DecimalParser.integer(text, length), value >= Int64(Int32.min), value <= Int64(Int32.max),
                            variable.accepts(Double(value)) {
                            (op.destination + row * op.stride).storeBytes(of: Int32(truncatingIfNeeded: value), as: Int32.self)
                        } else {
                            pending = pending ?? rejection(row, v, text, length)
                        }
                    case .real:
                        if let value = DecimalParser.real(text, length), variable.accepts(value) {
                            (op.destination + row * op.stride).storeBytes(of: value, as: Double.self)
                        } else {
                            pending = pending ?? rejection(row, v, text, length)
                        }
                    case .category:
                        var a = fieldStart, b = fieldEnd
                        while a < b, base[a] == 0x20 { a += 1 }
                        while b > a, base[b - 1] == 0x20 { b -= 1 }
                        // A quoted label's doubled quotes stand for one quote.
                        let code = b <= a ? nil : quoted
                            ? Self.unquoted(base + a, b - a) { labels[op.category].code(of: $0) }
                            : labels[op.category].code(of: UnsafeBufferPointer(start: base + a, count: b - a))
                        if let code {
                            (op.destination + row * op.stride).storeBytes(of: code, as: Int32.self)
                        } else {
                            pending = pending ?? rejection(row, v, text, length)
                        }
                    case .skip:
                        break
                    }
                }
                field += 1
                if p < end, base[p] == Self.comma {
                    p += 1
                    continue fields
                }
                p += 1  // past the line feed (or beyond the end)
                break fields
            }
            if field != fieldCount {
                failure = RowFailure(row: row, column: nil,
                    message: "the line has \(field) field\(field == 1 ? "" : "s") but the header has \(fieldCount)")
                break rows
            }
            if let pending {
                failure = pending
                break rows
            }
            // The row is good: place it in its household.
            if grouped {
                let key = slots[0]
                if household < 0 || key != currentKey {
                    records.append(UInt64(row))
                    records.append(key)
                    for i in 0..<(realCount + integerCount) { records.append(slots[realSlot + i]) }
                    currentKey = key
                    household += 1
                } else {
                    let first = records.base + (records.count - stride)
                    for i in 0..<realCount {
                        let value = Double(bitPattern: slots[realSlot + i])
                        let firstValue = Double(bitPattern: first[2 + i])
                        if value != firstValue, realMismatch[i] == nil {
                            realMismatch[i] = Mismatch(row: row, household: household, value: value, first: firstValue)
                        }
                    }
                    for i in 0..<integerCount {
                        let value = UnsafeRawPointer(slots + integerSlot + i).load(as: Int32.self)
                        let firstValue = UnsafeRawPointer(first + 2 + realCount + i).load(as: Int32.self)
                        if value != firstValue, integerMismatch[i] == nil {
                            integerMismatch[i] = Mismatch(row: row, household: household, value: value, first: firstValue)
                        }
                    }
                }
                let person = Int64(bitPattern: slots[1])
                if row == 0 {
                    firstPersonID = person
                } else if person <= lastPersonID {
                    personIDsRise = false
                }
                lastPersonID = person
            } else {
                for i in 0..<(realCount + integerCount) { records.append(slots[realSlot + i]) }
            }
            row += 1
        }
        return PieceOutput(rows: row, failure: failure, records: records, stride: stride, realMismatch: realMismatch,
                           integerMismatch: integerMismatch, personIDsRise: personIDsRise, firstPersonID: firstPersonID,
                           lastPersonID: lastPersonID, labels: labels.map(\.labels))
    }

    /// Why a number that the parser rejected is too large, if it is a
    /// well-formed number: a real beyond ±1.8e308 (the largest double), a
    /// whole number beyond ±9.2e18 (64 bits); `nil` for text that is not a
    /// number at all.
    static func tooLarge(_ text: String, kind: Variable.Kind) -> String? {
        let t = text.lowercased()
        guard !t.contains("inf"), !t.contains("nan"), !t.contains("x") else { return nil }
        if kind == .real {
            guard let value = Double(text), value.isInfinite else { return nil }
            return "beyond the largest number a double holds (about 1.8e308)"
        }
        // A whole number (digits, optionally a decimal part of zeros) with too many digits.
        var digits = Substring(t)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        if let dot = digits.firstIndex(of: ".") {
            guard digits[digits.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return nil }
            digits = digits[..<dot]
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return "beyond the largest whole number stored (about ±9.2e18)"
    }

    /// Calls `body` with the bytes of a quoted field's content, each doubled
    /// quote (`""`) replaced by one.
    static func unquoted<R>(_ text: UnsafePointer<UInt8>, _ length: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var doubled = false
        for k in 0..<length where text[k] == quote { doubled = true; break }
        guard doubled else { return body(UnsafeBufferPointer(start: text, count: length)) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { out in
            var n = 0, k = 0
            while k < length {
                out[n] = text[k]
                n += 1
                k += text[k] == quote && k + 1 < length && text[k + 1] == quote ? 2 : 1
            }
            return body(UnsafeBufferPointer(rebasing: out[0..<n]))
        }
    }

    /// Describes why a field's text was rejected.
    private func rejection(_ row: Int, _ v: Int, _ text: UnsafePointer<UInt8>, _ length: Int) -> RowFailure {
        let variable = layout.variables[v]
        let column = layout.fileColumns[v]
        let raw = String(decoding: UnsafeBufferPointer(start: text, count: min(length, 60)), as: UTF8.self)
        let shown = raw.trimmingSpaces
        let name = column == variable.name ? "'\(column)'" : "'\(column)' (model variable '\(variable.name)')"
        let message: String
        if shown.isEmpty {
            message = "empty value in column \(name); expected \(variable.expectation)"
        } else if variable.kind == .category {
            if String(validating: UnsafeBufferPointer(start: text, count: length), as: UTF8.self) == nil {
                message = "the value in column \(name) is not valid UTF-8 text; save the file as UTF-8"
            } else {
                message = "unexpected value '\(shown)' in column \(name); expected \(variable.expectation)"
            }
        } else if variable.kind == .real ? DecimalParser.real(text, length) == nil : DecimalParser.integer(text, length) == nil {
            if let limit = Self.tooLarge(shown, kind: variable.kind) {
                message = "'\(shown)' in column \(name) is too large: \(limit); expected \(variable.expectation)"
            } else {
                let why = variable.kind == .real ? "is not a number" : "is not a whole number"
                message = "'\(shown)' in column \(name) \(why); expected \(variable.expectation)"
            }
        } else if variable.kind == .integer, let value = DecimalParser.integer(text, length),
                  value < Int64(Int32.min) || value > Int64(Int32.max) {
            message = "\(shown) in column \(name) is out of range: whole numbers here are between \(Int32.min) and \(Int32.max); expected \(variable.expectation)"
        } else {
            message = "\(shown) in column \(name) is out of range; expected \(variable.expectation)"
        }
        return RowFailure(row: row, column: column, message: message)
    }
}
