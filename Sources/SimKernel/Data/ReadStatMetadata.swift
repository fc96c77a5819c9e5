internal import CReadStat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A variable of a Stata or SPSS file, as ReadStat's variable handler describes it.
struct ReadStatVariable: Sendable {
    var name: String
    var label: String?
    /// Text (Stata str#/strL, SPSS A format).
    var isText: Bool
    /// A Stata strL.
    var isStrL: Bool
    /// Stata byte, int or long.
    var isIntegerType: Bool
    /// An SPSS numeric display format without decimals (F8.0, N4, ...).
    var hasWholeFormat: Bool
    /// SPSS user-missing values or ranges are declared.
    var hasUserMissing: Bool
    /// Bytes per row in the file.
    var storageWidth: Int
    /// The name of its value-label set, if any.
    var labelSet: String?
}

/// A value-label set: labels of values and of Stata's extended missing values.
struct ReadStatLabelSet {
    var values: [Double: String] = [:]
    var missing: [MissingCode: String] = [:]
}

/// What ReadStat's metadata, variable, value-label and error handlers report.
///
/// Used by one parse on one thread (its address is the parse's context pointer).
final class ReadStatMetadata {
    var rowCount: Int = -1
    var variableCount: Int = -1
    var formatVersion: Int = 0
    var compression: readstat_compress_t = READSTAT_COMPRESS_NONE
    var fileLabel: String?
    var variables: [ReadStatVariable] = []
    var labelSets: [String: ReadStatLabelSet] = [:]
    /// ReadStat's own message about the first defect (shortened, printable characters only).
    var detail: String?
    /// The first defect found by a handler.
    var error: InputError?
    let file: String

    init(file: String = "") { self.file = file }

    /// The width of a Stata label-set name field (ReadStat passes the field itself, which has no NUL when full).
    var labelSetNameWidth: Int { formatVersion >= 118 ? 129 : 33 }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> ReadStatMetadata {
        Unmanaged<ReadStatMetadata>.fromOpaque(ctx!).takeUnretainedValue()
    }
}

/// A C string from the file as text: `nil` for NULL or empty, U+FFFD for bytes that are not UTF-8.
///
/// `maxLength` bounds the read for strings ReadStat hands over without a
/// terminating NUL when the file's field is full (label-set names).
func readStatText(_ p: UnsafePointer<CChar>?, maxLength: Int = Int.max) -> String? {
    guard let p, p.pointee != 0 else { return nil }
    return String(decoding: UnsafeRawBufferPointer(start: p, count: strnlen(p, maxLength)).bindMemory(to: UInt8.self), as: UTF8.self)
}

/// A short, printable excerpt of text from a file, for messages (at most `limit` characters).
func readStatExcerpt(_ text: String, limit: Int = 60) -> String {
    let printable = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    return printable.count <= limit ? printable : String(printable.prefix(limit)) + "…"
}

let readStatMetadataHandler: readstat_metadata_handler = { metadata, ctx in
    let m = ReadStatMetadata.from(ctx)
    guard let metadata else { return Int32(READSTAT_HANDLER_ABORT) }
    m.rowCount = Int(metadata.pointee.row_count)
    m.variableCount = Int(metadata.pointee.var_count)
    m.formatVersion = Int(metadata.pointee.file_format_version)
    m.compression = metadata.pointee.compression
    m.fileLabel = readStatText(metadata.pointee.file_label)
    return Int32(READSTAT_HANDLER_OK)
}

let readStatVariableHandler: readstat_variable_handler = { index, variable, labelSet, ctx in
    let m = ReadStatMetadata.from(ctx)
    guard let variable, Int(index) == m.variables.count else {
        m.error = InputError(file: m.file, kind: .inconsistent, "the variables are not numbered in order")
        return Int32(READSTAT_HANDLER_ABORT)
    }
    guard let nameBytes = readstat_variable_get_name(variable), nameBytes.pointee != 0 else {
        m.error = InputError(file: m.file, field: "variable \(index + 1)", kind: .badValue, "a variable has no name")
        return Int32(READSTAT_HANDLER_ABORT)
    }
    guard let name = String(validatingCString: nameBytes) else {
        m.error = InputError(file: m.file, field: "variable \(index + 1)", kind: .badValue,
                             "the variable's name is not valid text in the file's encoding; give the encoding")
        return Int32(READSTAT_HANDLER_ABORT)
    }
    let type = readstat_variable_get_type(variable)
    let format = readStatText(readstat_variable_get_format(variable)) ?? ""
    m.variables.append(ReadStatVariable(
        name: name,
        label: readStatText(readstat_variable_get_label(variable)),
        isText: type == READSTAT_TYPE_STRING || type == READSTAT_TYPE_STRING_REF,
        // ReadStat reports a Stata strL as a string of storage width 0.
        isStrL: type == READSTAT_TYPE_STRING_REF || (type == READSTAT_TYPE_STRING && readstat_variable_get_storage_width(variable) == 0),
        isIntegerType: type == READSTAT_TYPE_INT8 || type == READSTAT_TYPE_INT16 || type == READSTAT_TYPE_INT32,
        hasWholeFormat: type == READSTAT_TYPE_DOUBLE && spssFormatHasNoDecimals(format),
        hasUserMissing: readstat_variable_get_missing_ranges_count(variable) > 0,
        storageWidth: Int(readstat_variable_get_storage_width(variable)),
        labelSet: readStatText(labelSet, maxLength: m.labelSetNameWidth)))
    return Int32(READSTAT_HANDLER_OK)
}

/// Whether an SPSS print format (`F8.0`, `N4`, `COMMA10.2`) shows whole numbers.
private func spssFormatHasNoDecimals(_ format: String) -> Bool {
    let letters = format.prefix { $0.isLetter }.uppercased()
    guard ["F", "N", "COMMA", "DOT"].contains(letters) else { return false }
    guard let dot = format.firstIndex(of: ".") else { return true }
    return Int(format[format.index(after: dot)...]) == 0
}

let readStatValueLabelHandler: readstat_value_label_handler = { setName, value, label, ctx in
    let m = ReadStatMetadata.from(ctx)
    guard let set = readStatText(setName, maxLength: m.labelSetNameWidth) else { return Int32(READSTAT_HANDLER_OK) }
    let text = readStatText(label) ?? ""
    var entry = m.labelSets[set] ?? ReadStatLabelSet()
    if creadstat_value_is_tagged_missing(value) != 0 {
        let tag = UInt8(bitPattern: value.tag)
        if tag >= 0x61 && tag <= 0x7A { entry.missing[.extended(Character(Unicode.Scalar(tag)))] = text }
    } else if creadstat_value_is_system_missing(value) != 0 {
        entry.missing[.system] = text
    } else {
        let key: Double
        switch value.type {
        case READSTAT_TYPE_DOUBLE: key = value.v.double_value
        case READSTAT_TYPE_INT32: key = Double(value.v.i32_value)
        case READSTAT_TYPE_INT16: key = Double(value.v.i16_value)
        case READSTAT_TYPE_INT8: key = Double(value.v.i8_value)
        case READSTAT_TYPE_FLOAT: key = Double(value.v.float_value)
        default: return Int32(READSTAT_HANDLER_OK)   // labels of text values are not kept
        }
        guard key.isFinite else { return Int32(READSTAT_HANDLER_OK) }
        entry.values[key] = text
    }
    m.labelSets[set] = entry
    return Int32(READSTAT_HANDLER_OK)
}

let readStatErrorHandler: readstat_error_handler = { message, ctx in
    let m = ReadStatMetadata.from(ctx)
    if m.detail == nil, let text = readStatText(message) { m.detail = readStatExcerpt(text, limit: 120) }
}
