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
            throw InputError(file: file, kind: .missingKey, "the file is empty; expected a header line of column names and one row per person")
        }
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var headerEnd = start
        while headerEnd < bytes.count, bytes[headerEnd] != Self.newline { headerEnd += 1 }
        var headerTextEnd = headerEnd
        if headerTextEnd > start, bytes[headerTextEnd - 1] == Self.carriageReturn { headerTextEnd -= 1 }
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[start..<headerTextEnd])
        if String(decoding: headerBytes, as: UTF8.self).trimmingSpaces.isEmpty {
            throw InputError(file: file, line: 1, kind: .badValue, "the first line is empty; expected a header line of column names")
        }
        header = try Self.splitHeader(headerBytes, file: file)
        if headerOnly {
            pieces = []
            return
        }
        var end = bytes.count
        while end > headerEnd, bytes[end - 1] == Self.newline || bytes[end - 1] == Self.carriageReturn { end -= 1 }
        let dataStart = min(headerEnd + 1, end)
        guard dataStart < end else {
            throw InputError(file: file, line: 2, kind: .missingKey, "the file has a header line but no data rows; expected one row per person")
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

    /// An upper bound on the number of data rows a file without defect can
    /// have: every row holds the header's number of fields (so that many
    /// commas and line feeds, less one for the last row) and at least one
    /// byte in each field that is read (an empty value is an error).
    func rowBound(layout: FieldLayout) -> Int {
        let dataBytes = pieces.last.map { $0.upperBound - pieces[0].lowerBound } ?? 0
        let readFields = layout.fieldVariable.filter { $0 != nil }.count
        let shortestRow = max(1, layout.fieldCount + readFields)
        return dataBytes / shortestRow + 2
    }

    /// The header's fields, split by the rows' quoting rules (RFC 4180): a
    /// field that starts with a quote is quoted, runs to the next single quote
    /// (`""` inside stands for a quote; a comma is part of the name) and must
    /// be followed by a comma or the end of the line; in any other field a
    /// quote is an error, as is a quoted field not closed on the line (fields
    /// may not hold line breaks). Spaces around a name are dropped. A comma
    /// followed by a combining mark still separates fields (bytes, not
    /// characters, are split, as in the rows).
    ///
    /// - Parameter bytes: Line 1 without its line break (and without a byte-order mark).
    /// - Throws: ``InputError`` on line 1 naming the header field and its first byte.
    static func splitHeader(_ bytes: UnsafeRawBufferPointer, file: String) throws -> [String] {
        try splitLine(bytes, file: file, line: 1, fieldName: { "header field \($0)" }, what: "column name")
    }

    /// The fields of one line, split as ``splitHeader(_:file:)`` splits the
    /// header (quoting rules, spaces around a field dropped).
    ///
    /// - Parameters:
    ///   - line: The line number for messages.
    ///   - fieldName: How a message names field `k` (from 1).
    ///   - what: What a field holds, for messages ("column name", "value").
    /// - Throws: ``InputError`` on `line` naming the field and its first byte;
    ///   a field that is not valid UTF-8 is an error too.
    static func splitLine(_ bytes: UnsafeRawBufferPointer, file: String, line: Int, fieldName: (Int) -> String,
                          what: String) throws -> [String] {
        var fields: [String] = []
        let n = bytes.count
        var i = 0
        func failure(_ field: Int, byte: Int, _ message: String) -> InputError {
            InputError(file: file, line: line, field: fieldName(field), kind: .badValue, "byte \(byte + 1) of the line: " + message)
        }
        func text(_ raw: UnsafeRawBufferPointer, field: Int, byte: Int) throws -> String {
            guard let s = String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) else {
                throw failure(field, byte: byte, "the \(what) is not valid UTF-8 text; save the file as UTF-8")
            }
            return s.trimmingSpaces
        }
        while true {
            let field = fields.count + 1
            if i < n, bytes[i] == quote {
                let opening = i
                var name: [UInt8] = []
                var q = i + 1
                while true {
                    guard q < n else {
                        throw failure(field, byte: opening,
                            "a quoted field is not closed before the end of the line (fields may not contain line breaks)")
                    }
                    if bytes[q] == quote {
                        if q + 1 < n, bytes[q + 1] == quote { name.append(quote); q += 2; continue }
                        break
                    }
                    name.append(bytes[q])
                    q += 1
                }
                i = q + 1
                if i < n, bytes[i] != comma {
                    throw failure(field, byte: i, "unexpected text after a closing quote; expected a comma or the end of the line")
                }
                fields.append(try name.withUnsafeBytes { try text($0, field: field, byte: opening) })
            } else {
                let start = i
                while i < n, bytes[i] != comma {
                    if bytes[i] == quote {
                        var end = i
                        while end < n, bytes[end] != comma { end += 1 }
                        let name = Self.excerpt(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                        throw failure(field, byte: i,
                            "a quote (\") inside the unquoted \(what) \(name); a quote may only open a field: "
                            + "write the \(what) without quotes, or enclose it whole in quotes and double each quote inside it")
                    }
                    i += 1
                }
                fields.append(try text(UnsafeRawBufferPointer(rebasing: bytes[start..<i]), field: field, byte: start))
            }
            if i >= n { return fields }
            i += 1  // the comma
        }
    }

    /// A column name for a message: quoted, at most 40 bytes (then `...`).
    private static func excerpt(_ bytes: UnsafeRawBufferPointer) -> String {
        let limit = 40
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return "'" + text + (bytes.count > limit ? "...'" : "'")
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

/// The distinct labels of one category column met in one piece, numbered in order of appearance.
struct CategoryLabels {
    private(set) var labels: [String] = []
    private var codes: [CategoryLabel: Int32] = [:]

    /// The local code of `bytes`, adding it if new; `nil` if they are not
    /// valid UTF-8 (the caller reports the field). Small labels (up to 15
    /// bytes) are held inline by `String`, so the lookup allocates nothing.
    @inline(__always)
    mutating func code(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let label = CategoryLabel(text)
        if let c = codes[label] { return c }
        let c = Int32(labels.count)
        codes[label] = c
        labels.append(text)
        return c
    }
}

/// A category label compared and hashed by its UTF-8 bytes: two labels are
/// the same category only if the file wrote the same bytes (`String`'s own
/// equality would merge canonically equivalent spellings such as `café`
/// with a precomposed or a combining accent).
struct CategoryLabel: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (a: CategoryLabel, b: CategoryLabel) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    func hash(into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
