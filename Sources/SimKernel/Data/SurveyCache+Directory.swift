import Foundation

/// Reading a binary survey file's header and directory, and checking them
/// against the file before anything is allocated or read.
///
/// Nothing in a `.simdata` file is trusted: a checksum shows the bytes are
/// those that were written, not that whoever wrote them wrote a survey
/// `simrun data import` could have made. Every size, count and offset is
/// bounded by the file's actual length (with overflow-checked arithmetic)
/// before it is used, every kind, level and element size is one the writer
/// uses, and every known variable is stored as its declared kind and level,
/// in release builds as in debug builds.
extension SurveyCache {
    /// The value of `simrunFormat` in every directory.
    static let formatName = "simrun binary survey"

    /// A directory that passed every check, with where the column data ends.
    struct CheckedDirectory {
        let directory: Directory
        /// The directory's offset: every column lies in `64..<dataEnd`.
        let dataEnd: Int
        /// The columns by name (names are unique).
        let entries: [String: Directory.Entry]
    }

    /// The element size, in bytes, of each stored kind.
    static let elementSizes: [String: Int] = [
        "offsets": MemoryLayout<Int>.stride, "identifier": MemoryLayout<Int64>.stride,
        "real": MemoryLayout<Double>.stride, "integer": MemoryLayout<Int32>.stride,
        "category": MemoryLayout<Int32>.stride,
    ]

    /// The columns every file has, with their kind and level.
    static let structuralColumns: [(name: String, kind: String, level: String)] = [
        ("household_start", "offsets", "household"), ("hh_id", "identifier", "household"),
        ("weight", "real", "household"),
    ]

    /// An error for a file whose structure is not what the writer makes.
    static func damaged(_ file: String, _ why: String, field: String? = nil,
                        kind: InputError.Kind = .inconsistent) -> InputError {
        InputError(file: file, field: field, kind: kind,
                   "the binary survey file is damaged (\(why)); import the CSV again with `simrun data import`")
    }

    /// Reads the header and the directory of the mapped file `bytes` and checks them.
    ///
    /// - Throws: ``InputError`` (kind ``InputError/Kind/inconsistent`` for
    ///   a damaged structure, ``InputError/Kind/unsupported`` for another
    ///   format version) naming what is wrong.
    static func readDirectory(_ bytes: UnsafeRawBufferPointer, file: String) throws -> CheckedDirectory {
        guard bytes.count >= 64, Array(bytes[0..<8]) == magic else {
            throw damaged(file, "not a simrun binary survey file", kind: .badValue)
        }
        let version = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        guard version == Self.version else {
            throw InputError(file: file, kind: .unsupported,
                "binary survey format version \(version) is not supported (this simrun reads version \(Self.version)); import the CSV again")
        }
        func word(_ at: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
        // Sizes are compared as unsigned 64-bit numbers first: a value past
        // Int.max must neither trap nor wrap.
        let fileLength = word(40), directoryOffset = word(16), directoryLength = word(24)
        guard fileLength == UInt64(bytes.count) else {
            throw damaged(file, "its length is \(bytes.count) bytes, the header says \(fileLength)")
        }
        guard directoryOffset >= 64, directoryOffset <= fileLength, directoryLength == fileLength - directoryOffset,
            directoryLength > 0
        else {
            throw damaged(file, "the directory's place in the header (offset \(directoryOffset), length \(directoryLength)) does not end the \(bytes.count)-byte file")
        }
        let dataEnd = Int(directoryOffset)
        let directoryBytes = UnsafeRawBufferPointer(rebasing: bytes[dataEnd..<bytes.count])
        guard ColumnChecksum.of(directoryBytes) == word(32) else { throw damaged(file, "directory checksum mismatch") }
        let directory: Directory
        do {
            directory = try JSONDecoder().decode(Directory.self, from: Data(directoryBytes))
        } catch {
            throw damaged(file, "unreadable directory")
        }
        let entries = try check(directory, dataEnd: dataEnd, file: file)
        return CheckedDirectory(directory: directory, dataEnd: dataEnd, entries: entries)
    }

    /// Checks the directory's counts, source record and every column entry.
    ///
    /// - Returns: The entries by name.
    static func check(_ d: Directory, dataEnd: Int, file: String) throws -> [String: Directory.Entry] {
        guard d.format == Int(version), d.simrunFormat == formatName else {
            throw damaged(file, "the directory says format \(d.format) '\(d.simrunFormat.prefix(40))', expected \(version) '\(formatName)'",
                          kind: .unsupported)
        }
        // A survey has at least one household (the CSV needs a data row),
        // every household at least one person; a person takes at least a
        // byte of the file (a person column takes 4 or 8), so no count can
        // make a run allocate more than a small multiple of the file's size.
        guard d.households >= 1 else {
            throw damaged(file, "the directory says \(d.households) households; a survey has at least one")
        }
        guard d.persons >= d.households, d.persons <= dataEnd else {
            throw damaged(file, "the directory says \(d.persons) persons in \(d.households) households; expected at least one person per household and no more persons than the file's \(dataEnd) bytes of columns can hold")
        }
        let hex = Set("0123456789abcdef")
        guard !d.source.path.isEmpty, d.source.size >= 0, d.source.sha256.count == 64, d.source.sha256.allSatisfy(hex.contains)
        else { throw damaged(file, "the record of the source CSV is incomplete") }
        for (variable, column) in d.columnMap where variable.isEmpty || column.isEmpty {
            throw damaged(file, "the column map has an empty name")
        }

        var entries: [String: Directory.Entry] = [:]
        for e in d.columns {
            try check(e, in: d, dataEnd: dataEnd, file: file)
            guard entries[e.name] == nil else {
                throw damaged(file, "two columns are called '\(e.name.prefix(64))'", field: String(e.name.prefix(64)), kind: .duplicate)
            }
            entries[e.name] = e
        }
        for (name, _, _) in structuralColumns where entries[name] == nil {
            throw damaged(file, "no \(name) column", field: name)
        }
        return entries
    }

    /// Checks one column entry: a known kind, level, element size and
    /// count, labels exactly for categories, and bytes inside the data part.
    static func check(_ e: Directory.Entry, in d: Directory, dataEnd: Int, file: String) throws {
        let name = String(e.name.prefix(64))
        func bad(_ why: String) -> InputError { damaged(file, "column '\(name)': \(why)", field: name) }
        guard !e.name.isEmpty, e.name.utf8.count <= 1024, !e.name.utf8.contains(where: { $0 == 10 || $0 == 0 }) else {
            throw bad("not a column name")
        }
        guard let size = elementSizes[e.kind] else { throw bad("unknown kind '\(e.kind.prefix(32))'") }
        guard e.level == "person" || e.level == "household" else { throw bad("unknown level '\(e.level.prefix(32))'") }
        guard e.elementSize == size else { throw bad("elements of \(e.elementSize) bytes, a \(e.kind) column has \(size)") }
        // What kind and level this name must have.
        if let fixed = structuralColumns.first(where: { $0.name == e.name }) {
            guard e.kind == fixed.kind, e.level == fixed.level else {
                throw bad("stored as \(e.level) \(e.kind), expected \(fixed.level) \(fixed.kind)")
            }
        } else if e.name == Variable.personID.name {
            throw bad("person ids are checked at import and never stored")
        } else if let declared = Variable.declared(e.name) {
            let kind = declared.kind == .real ? "real" : "integer"
            let level = declared.level == .household ? "household" : "person"
            guard e.kind == kind, e.level == level else {
                throw bad("stored as \(e.level) \(e.kind), but \(e.name) is a \(level) variable of kind \(kind) (\(declared.summary))")
            }
        } else {
            guard e.level == "person", e.kind == "real" || e.kind == "category" else {
                throw bad("stored as \(e.level) \(e.kind); a column simrun does not know is a person's number or category")
            }
        }
        let expected = e.kind == "offsets" ? d.households + 1 : e.level == "household" ? d.households : d.persons
        guard e.count == expected else {
            throw bad("\(e.count) values, expected \(expected) (one per \(e.kind == "offsets" ? "household and one more" : e.level))")
        }
        let (bytes, overflow) = e.count.multipliedReportingOverflow(by: e.elementSize)
        guard e.offset >= 64, e.offset % 64 == 0, e.offset <= dataEnd, !overflow, bytes <= dataEnd - e.offset else {
            throw bad("offset \(e.offset) and \(e.count) values of \(e.elementSize) bytes do not lie 64-byte aligned within the \(dataEnd) bytes of columns")
        }
        guard e.checksum.utf8.count <= 16, UInt64(e.checksum, radix: 16) != nil else { throw bad("no checksum") }
        if e.kind == "category" {
            guard let labels = e.labels else { throw bad("a category column without labels") }
            guard labels.count <= Int(Int32.max),
                labels.allSatisfy({ !$0.isEmpty && $0.utf8.first != 0x20 && $0.utf8.last != 0x20 && !$0.utf8.contains(10) })
            else { throw bad("a category label is empty, has surrounding spaces or a line break") }
            guard Set(labels.map(CategoryLabel.init)).count == labels.count else { throw bad("a category label appears twice") }
            guard zip(SurveyLoader.sortedLabels(labels), labels).allSatisfy({ $0.utf8.elementsEqual($1.utf8) }) else { throw bad("the category labels are not in order") }
        } else if e.labels != nil {
            throw bad("labels on a \(e.kind) column")
        }
    }
}
