internal import CReadStat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SurveyTable {
    /// Runs one ReadStat parse of `mapped`.
    ///
    /// Without a `sink`: the metadata parse (header, variables, value labels) into `collector`.
    /// With one: the data of `rows` (all rows when nil) into the sink's buffers.
    ///
    /// - Throws: ``InputError`` naming the file, and the row and variable where the parse stopped.
    static func parse(mapped: MappedFile, file: String, kind: ReadStatKind, encoding: String?,
                      collector: ReadStatMetadata, sink: UnsafeMutablePointer<ReadStatPieceSink>?,
                      rows: Range<Int>?, variables: [ReadStatVariable] = []) throws {
        guard let parser = readstat_parser_init() else {
            throw InputError(file: file, kind: .io, "cannot start the \(kind.name) reader (out of memory)")
        }
        defer { readstat_parser_free(parser) }
        let io = UnsafeMutablePointer<ReadStatMemoryIO>.allocate(capacity: 1)
        io.initialize(to: ReadStatMemoryIO(base: mapped.bytes.baseAddress, count: mapped.bytes.count))
        defer { io.deallocate() }
        readStatUseMemoryIO(parser, io)
        let context: UnsafeMutableRawPointer
        if let sink {
            readstat_set_value_handler(parser, readStatValueHandler)
            // ReadStat's Stata reader makes its variables only when a variable handler is set.
            readstat_set_variable_handler(parser, readStatAcceptVariable)
            if let rows {
                readstat_set_row_offset(parser, rows.lowerBound)
                // A limit of 0 means "no limit" to ReadStat: an empty piece is not parsed at all.
                if rows.isEmpty { return }
                readstat_set_row_limit(parser, rows.count)
            }
            context = UnsafeMutableRawPointer(sink)
        } else {
            readstat_set_metadata_handler(parser, readStatMetadataHandler)
            readstat_set_variable_handler(parser, readStatVariableHandler)
            readstat_set_value_label_handler(parser, readStatValueLabelHandler)
            readstat_set_error_handler(parser, readStatErrorHandler)
            context = Unmanaged.passUnretained(collector).toOpaque()
        }
        // The path is only for ReadStat's open handler (ours ignores it: the bytes are mapped).
        let status: readstat_error_t = withExtendedLifetime(collector) {
            if let encoding {
                return encoding.withCString { name in
                    readstat_set_file_character_encoding(parser, name)
                    return kind == .stata ? readstat_parse_dta(parser, file, context) : readstat_parse_sav(parser, file, context)
                }
            }
            return kind == .stata ? readstat_parse_dta(parser, file, context) : readstat_parse_sav(parser, file, context)
        }
        if status == READSTAT_OK {
            sink?.pointee.flush(next: 0)   // the last block of rows
            return
        }
        if collector.error != nil { return }   // a handler's own error, thrown by the caller
        throw readStatError(status, file: file, kind: kind, collector: collector, sink: sink,
                            firstRow: rows?.lowerBound ?? 0, variables: variables, encoding: encoding)
    }

    /// The ``InputError`` for a parse that stopped with `status`.
    private static func readStatError(_ status: readstat_error_t, file: String, kind: ReadStatKind, collector: ReadStatMetadata,
                                      sink: UnsafeMutablePointer<ReadStatPieceSink>?, firstRow: Int,
                                      variables: [ReadStatVariable], encoding: String?) -> InputError {
        // Where the parse stopped: the value after the last one handed over.
        var line: Int?
        var field: String?
        if let sink, sink.pointee.lastRow >= 0 {
            var row = sink.pointee.lastRow
            var column = sink.pointee.lastColumn
            if sink.pointee.failure == .none {
                column += 1
                if column >= variables.count { column = 0; row += 1 }
            }
            line = firstRow + row + 1
            if column >= 0, column < variables.count { field = variables[column].name }
        } else if let sink, sink.pointee.failure != .none {
            line = firstRow + 1
        }
        if let sink {
            switch sink.pointee.failure {
            case .none: break
            case .tooManyRows:
                return InputError(file: file, line: line, field: field, kind: .inconsistent, "the data have more rows than the header announces")
            case .unknownVariable:
                return InputError(file: file, line: line, field: field, kind: .inconsistent, "a value of a variable the header does not describe")
            case .textBudget:
                return InputError(file: file, line: line, field: field, kind: .unsupported,
                                  "the text values add up to more than 8 times the file's size (strL values shared by very many rows): refused")
            case .memory:
                return InputError(file: file, line: line, field: field, kind: .io, "not enough memory for the file's text")
            case .typeMismatch:
                return InputError(file: file, line: line, field: field, kind: .inconsistent, "a value of another type than its variable's")
            }
        }
        let what = String(cString: readstat_error_message(status))
        let detail = collector.detail.map { " (\($0))" } ?? ""
        switch status {
        case READSTAT_ERROR_OPEN:
            return InputError(file: file, kind: .noInput, "cannot open the file")
        case READSTAT_ERROR_UNSUPPORTED_CHARSET:
            return InputError(file: file, kind: .unsupported,
                encoding.map { "the encoding '\(readStatExcerpt($0, limit: 40))' is not known (names as iconv knows them: WINDOWS-1252, ISO-8859-1, UTF-8, CP1251, ...)" }
                    ?? "the file's character encoding is not known to iconv; give one (e.g. WINDOWS-1252)")
        case READSTAT_ERROR_UNSUPPORTED_COMPRESSION, READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION:
            return InputError(file: file, line: line, field: field, kind: .unsupported, "\(what)\(detail): not a \(kind.name) file simrun can read")
        case READSTAT_ERROR_CONVERT, READSTAT_ERROR_CONVERT_BAD_STRING, READSTAT_ERROR_CONVERT_SHORT_STRING, READSTAT_ERROR_CONVERT_LONG_STRING:
            return InputError(file: file, line: line, field: field, kind: .badValue,
                "text that cannot be converted from the file's encoding\(encoding.map { " (\(readStatExcerpt($0, limit: 40)))" } ?? "") to UTF-8; give the file's encoding")
        case READSTAT_ERROR_ROW_COUNT_MISMATCH:
            return InputError(file: file, line: line, field: field, kind: .inconsistent, "the number of rows differs from the header's\(detail)")
        case READSTAT_ERROR_MALLOC:
            return InputError(file: file, line: line, field: field, kind: .unsupported, "a size in the file is too large to read\(detail): the file is damaged")
        default:
            return InputError(file: file, line: line, field: field, kind: .badValue,
                "cannot read the \(kind.name) file: \(what.lowercased())\(detail); the file is truncated or damaged")
        }
    }
}
