/// A mapped CSV file split into a header and pieces of whole lines.
///
/// Format: fields separated by commas, lines by LF or CRLF; a field may be
/// enclosed in double quotes (a doubled quote inside stands for one quote),
/// but may not contain a line break. A UTF-8 byte-order mark before the
/// header is ignored, as are line breaks at the very end of the file.
struct CSVTable: Sendable {
    let mapped: MappedFile
    /// The header's field names, unquoted and trimmed of spaces.
    let header: [String]
    /// Byte ranges of whole lines; all but the last end just after a line feed.
    let pieces: [Range<Int>]

    private static let comma: UInt8 = 0x2C
    private static let newline: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22

    init(mapped: MappedFile, pieceBytes: Int, headerOnly: Bool = false) throws {
        self.mapped = mapped
        let bytes = mapped.bytes
        let file = mapped.path
        guard bytes.count > 0 else {
            throw InputError(file: file, "the file is empty; expected a header line of column names and one row per person")
        }
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var headerEnd = start
        while headerEnd < bytes.count, bytes[headerEnd] != Self.newline { headerEnd += 1 }
        var headerTextEnd = headerEnd
        if headerTextEnd > start, bytes[headerTextEnd - 1] == Self.carriageReturn { headerTextEnd -= 1 }
        let headerText = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<headerTextEnd]), as: UTF8.self)
        if headerText.trimmingSpaces.isEmpty {
            throw InputError(file: file, line: 1, "the first line is empty; expected a header line of column names")
        }
        header = Self.splitHeader(headerText)
        if headerOnly {
            pieces = []
            return
        }
        var end = bytes.count
        while end > headerEnd, bytes[end - 1] == Self.newline || bytes[end - 1] == Self.carriageReturn { end -= 1 }
        let dataStart = min(headerEnd + 1, end)
        guard dataStart < end else {
            throw InputError(file: file, line: 2, "the file has a header line but no data rows; expected one row per person")
        }
        var pieces: [Range<Int>] = []
        var s = dataStart
        while s < end {
            var e = min(end, s + pieceBytes)
            while e < end, bytes[e - 1] != Self.newline { e += 1 }
            pieces.append(s..<e)
            s = e
        }
        self.pieces = pieces
    }

    private static func splitHeader(_ text: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var chars = Array(text)
        chars.append(",")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { current.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                fields.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        return fields
    }

    /// The number of rows in piece `k`.
    ///
    /// Counts line feeds eight bytes at a time with an exact zero-byte test:
    /// for x = w ^ 0x0A0A…, the high bit of ~(((x & 0x7F…) + 0x7F…) | x | 0x7F…)
    /// is set exactly in the bytes of w equal to 0x0A.
    func countRows(piece k: Int) -> Int {
        let range = pieces[k]
        let base = mapped.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        var n = 0
        var p = range.lowerBound
        while p + 8 <= range.upperBound {
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) ^ newlines
            n += (~(((x & low) &+ low) | x | low)).nonzeroBitCount
            p += 8
        }
        while p < range.upperBound {
            if base[p] == Self.newline { n += 1 }
            p += 1
        }
        return k == pieces.count - 1 ? n + 1 : n
    }

    /// Parses piece `k`, whose first row has index `firstRow`, into `columns`.
    ///
    /// - Returns: The first defect in the piece, or `nil`.
    func parse(piece k: Int, firstRow: Int, layout: FieldLayout, into columns: ParsedColumns) -> PieceResult {
        var labels = [CategoryLabels](repeating: CategoryLabels(), count: columns.categories.count)
        let failure = parse(piece: k, firstRow: firstRow, layout: layout, into: columns, labels: &labels)
        return PieceResult(failure: failure, labels: labels.map(\.labels))
    }

    private func parse(piece k: Int, firstRow: Int, layout: FieldLayout, into columns: ParsedColumns,
                       labels: inout [CategoryLabels]) -> RowFailure? {
        let base = mapped.bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let range = pieces[k]
        let end = range.upperBound
        let slots = layout.slots
        let fieldCount = layout.fieldCount
        let identifiers = columns.identifiers.map(\.buffer)
        let integers = columns.integers.map(\.buffer)
        let reals = columns.reals.map(\.buffer)
        let categories = columns.categories.map(\.buffer)
        // Flat copies of the per-field tables and output addresses, so the hot
        // loop indexes raw memory (no bounds checks, no reference counting).
        let fast = UnsafeMutableBufferPointer<FieldLayout.FastSlot>.allocate(capacity: max(1, layout.fastSlots.count))
        _ = fast.initialize(from: layout.fastSlots)
        let realOut = UnsafeMutableBufferPointer<UnsafeMutablePointer<Double>>.allocate(capacity: max(1, reals.count))
        _ = realOut.initialize(from: reals.map(\.base))
        let integerOut = UnsafeMutableBufferPointer<UnsafeMutablePointer<Int32>>.allocate(capacity: max(1, integers.count))
        _ = integerOut.initialize(from: integers.map(\.base))
        let identifierOut = UnsafeMutableBufferPointer<UnsafeMutablePointer<Int64>>.allocate(capacity: max(1, identifiers.count))
        _ = identifierOut.initialize(from: identifiers.map(\.base))
        let powers = UnsafeMutableBufferPointer<Double>.allocate(capacity: 16)
        for k in 0..<16 { powers[k] = CSVScan.exactPowersOfTen[k] }
        defer {
            fast.deallocate()
            realOut.deallocate()
            integerOut.deallocate()
            identifierOut.deallocate()
            powers.deallocate()
        }
        var p = range.lowerBound
        var row = firstRow
        rows: while p < end {
            // An empty line (or one holding only a carriage return).
            if base[p] == Self.newline || (base[p] == Self.carriageReturn && p + 1 < end && base[p + 1] == Self.newline) {
                return RowFailure(row: row, column: nil,
                    message: "the line is empty; expected \(fieldCount) comma-separated fields")
            }
            var field = 0
            // The first bad value of the line, reported only once the line's
            // field count is known to be right (a missing field shifts values).
            var pending: RowFailure?
            while true {
                // Fast paths: a plain unquoted number where a number is wanted,
                // or an unquoted field that is not read. Anything unusual (quotes,
                // spaces, exponents, long mantissas, errors) falls to the general path.
                if field < fieldCount, p < end, base[p] != Self.quote {
                    let f = fast[field]
                    var next = p
                    var handled = false
                    switch f.kind {
                    case .skip:
                        next = CSVScan.delimiter(base, p, end)
                        handled = true
                    case .real:
                        if let v = CSVScan.plainReal(base, &next, end, powers: powers.baseAddress!), v >= f.low, v <= f.high,
                            !(f.lowExclusive && v == f.low) {
                            realOut[f.index][row] = v
                            handled = true
                        }
                    case .integer:
                        if let v = CSVScan.plainInteger(base, &next, end), Double(v) >= f.low, Double(v) <= f.high {
                            integerOut[f.index][row] = Int32(truncatingIfNeeded: v)
                            handled = true
                        }
                    case .identifier:
                        if let v = CSVScan.plainInteger(base, &next, end) {
                            identifierOut[f.index][row] = v
                            handled = true
                        }
                    case .category:
                        break
                    }
                    if handled {
                        if next < end, base[next] == Self.comma {
                            p = next + 1
                            field += 1
                            continue
                        }
                        if next >= end || base[next] == Self.newline
                            || (base[next] == Self.carriageReturn && next + 1 < end && base[next + 1] == Self.newline) {
                            field += 1
                            p = next >= end ? end : (base[next] == Self.newline ? next + 1 : next + 2)
                            if field != fieldCount {
                                return RowFailure(row: row, column: nil,
                                    message: "the line has \(field) field\(field == 1 ? "" : "s") but the header has \(fieldCount)")
                            }
                            if let pending { return pending }
                            row += 1
                            continue rows
                        }
                        // Not followed by a delimiter (e.g. "12abc"): parse it the general way.
                    }
                }
                var fieldStart = p
                var fieldEnd: Int
                if p < end, base[p] == Self.quote {
                    var q = p + 1
                    while true {
                        if q >= end || base[q] == Self.newline {
                            return RowFailure(row: row, column: field < fieldCount ? layout.header[field] : nil,
                                message: "a quoted field is not closed before the end of the line (fields may not contain line breaks)")
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
                        return RowFailure(row: row, column: field < fieldCount ? layout.header[field] : nil,
                            message: "unexpected text after a closing quote; expected a comma or the end of the line")
                    }
                } else {
                    while p < end, base[p] != Self.comma, base[p] != Self.newline { p += 1 }
                    fieldEnd = p
                    if p >= end || base[p] == Self.newline, fieldEnd > fieldStart, base[fieldEnd - 1] == Self.carriageReturn {
                        fieldEnd -= 1
                    }
                }
                if field < fieldCount {
                    let slot = slots[field]
                    if slot.kind != .skip {
                        let variable = layout.variables[slot.variable]
                        let text = base + fieldStart
                        let length = fieldEnd - fieldStart
                        switch slot.kind {
                        case .identifier:
                            guard let v = DecimalParser.integer(text, length) else {
                                pending = pending ?? failure(row, layout, slot, text, length)
                                break
                            }
                            identifiers[slot.index][row] = v
                        case .integer:
                            guard let v = DecimalParser.integer(text, length),
                                v >= Int64(Int32.min), v <= Int64(Int32.max), variable.accepts(Double(v))
                            else {
                                pending = pending ?? failure(row, layout, slot, text, length)
                                break
                            }
                            integers[slot.index][row] = Int32(truncatingIfNeeded: v)
                        case .real:
                            guard let v = DecimalParser.real(text, length), variable.accepts(v) else {
                                pending = pending ?? failure(row, layout, slot, text, length)
                                break
                            }
                            reals[slot.index][row] = v
                        case .category:
                            var a = fieldStart, b = fieldEnd
                            while a < b, base[a] == 0x20 { a += 1 }
                            while b > a, base[b - 1] == 0x20 { b -= 1 }
                            guard b > a else {
                                pending = pending ?? failure(row, layout, slot, base + fieldStart, fieldEnd - fieldStart)
                                break
                            }
                            categories[slot.index][row] = labels[slot.index].code(of: UnsafeBufferPointer(start: base + a, count: b - a))
                        case .skip:
                            break
                        }
                    }
                }
                field += 1
                if p < end, base[p] == Self.comma {
                    p += 1
                    continue
                }
                p += 1  // past the line feed (or beyond the end)
                break
            }
            if field != fieldCount {
                return RowFailure(row: row, column: nil,
                    message: "the line has \(field) field\(field == 1 ? "" : "s") but the header has \(fieldCount)")
            }
            if let pending { return pending }
            row += 1
        }
        return nil
    }

    /// Describes why a field's text was rejected.
    private func failure(_ row: Int, _ layout: FieldLayout, _ slot: FieldLayout.Slot,
                         _ text: UnsafePointer<UInt8>, _ length: Int) -> RowFailure {
        let variable = layout.variables[slot.variable]
        let column = layout.fileColumns[slot.variable]
        let raw = String(decoding: UnsafeBufferPointer(start: text, count: min(length, 60)), as: UTF8.self)
        let shown = raw.trimmingSpaces
        let name = column == variable.name ? "'\(column)'" : "'\(column)' (model variable '\(variable.name)')"
        let message: String
        if shown.isEmpty {
            message = "empty value in column \(name); expected \(variable.expectation)"
        } else if variable.kind == .category {
            message = "unexpected value '\(shown)' in column \(name); expected \(variable.expectation)"
        } else if variable.kind == .real ? DecimalParser.real(text, length) == nil : DecimalParser.integer(text, length) == nil {
            let why = variable.kind == .real ? "is not a number" : "is not a whole number"
            message = "'\(shown)' in column \(name) \(why); expected \(variable.expectation)"
        } else {
            message = "\(shown) in column \(name) is out of range; expected \(variable.expectation)"
        }
        return RowFailure(row: row, column: column, message: message)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// What parsing one piece gives besides the columns.
struct PieceResult: Sendable {
    let failure: RowFailure?
    /// Per category variable, the labels in the order of their local codes.
    let labels: [[String]]
}

/// The distinct labels of one category column met in one piece, numbered in order of appearance.
struct CategoryLabels {
    private(set) var labels: [String] = []
    private var codes: [String: Int32] = [:]

    /// The local code of `bytes`, adding it if new. Small labels (up to 15
    /// bytes) are held inline by `String`, so the lookup allocates nothing.
    @inline(__always)
    mutating func code(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let label = String(decoding: bytes, as: UTF8.self)
        if let c = codes[label] { return c }
        let c = Int32(labels.count)
        codes[label] = c
        labels.append(label)
        return c
    }
}

/// Byte-level scanning for the parser's fast paths.
enum CSVScan {
    /// The index of the next comma or line feed at or after `p` (or `end`).
    ///
    /// Eight bytes at a time: a byte equal to `c` makes `(w ^ c·0x0101…) - 0x0101…`
    /// borrow into its high bit (the classic "has zero byte" test).
    @inline(__always)
    static func delimiter(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        var i = p
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let commas = ones &* 0x2C
        let newlines = ones &* 0x0A
        while i + 8 <= end {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let a = w ^ commas
            let b = w ^ newlines
            let hit = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if hit != 0 { return i + hit.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < end, base[i] != 0x2C, base[i] != 0x0A { i += 1 }
        return i
    }

    /// 10^0 ... 10^15, each exact as a double.
    static let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

    /// A plain decimal `-?digits(.digits)?` at `p`, with at most 15 significant
    /// digits and 15 decimals, converted exactly (both the integer mantissa and
    /// the power of ten are exact doubles, so one division rounds correctly).
    /// Advances `p` past it; `nil` (and `p` unspecified) if the text is not of that form.
    @inline(__always)
    static func plainReal(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int, powers: UnsafePointer<Double>) -> Double? {
        var i = p
        var negative = false
        if i < end, base[i] == 0x2D { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        let start = i
        while i < end, base[i] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(base[i] &- 0x30)
            i += 1
        }
        var digits = i - start
        guard digits > 0 else { return nil }
        var decimals = 0
        if i < end, base[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < end, base[i] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(base[i] &- 0x30)
                i += 1
            }
            decimals = i - fractionStart
            digits += decimals
        }
        guard digits <= 15, decimals <= 15 else { return nil }
        p = i
        let value = Double(mantissa) / powers[decimals]
        return negative ? -value : value
    }

    /// A plain integer `-?digits` of at most 18 digits at `p`; advances `p` past it.
    @inline(__always)
    static func plainInteger(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int) -> Int64? {
        var i = p
        var negative = false
        if i < end, base[i] == 0x2D { negative = true; i += 1 }
        var value: Int64 = 0
        let start = i
        while i < end, base[i] &- 0x30 < 10 {
            value = value &* 10 &+ Int64(base[i] &- 0x30)
            i += 1
        }
        let digits = i - start
        guard digits > 0, digits <= 18 else { return nil }
        p = i
        return negative ? -value : value
    }
}
