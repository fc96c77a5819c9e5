import SimAnalysis
import SimKernel
import Foundation

/// Why a report could not be written: what is wrong, where, and how to fix it.
///
/// The first three cases are mistakes in the document (the caller's code); the others
/// come from the file system. Nothing is left at the destination when one is thrown
/// (see ``ReportWriter``).
package enum ReportError: Error, Equatable, CustomStringConvertible {
    /// A table id that cannot name a file or a sheet.
    case invalidTableID(String, title: String)
    /// Two tables with the same id (ignoring case).
    case duplicateTableID(String)
    /// A row whose number of cells differs from the number of columns.
    case rowLength(table: String, row: Int, cells: Int, columns: Int)
    /// The destination exists but is not a directory.
    case destinationNotDirectory(path: String)
    /// The destination is a directory holding files that simrun did not write.
    case destinationNotReport(path: String, unexpected: String)
    /// A file or directory could not be created, written, moved or removed.
    case fileSystem(path: String, action: String, reason: String)

    /// What went wrong and how to fix it, for the user.
    package var description: String {
        switch self {
        case .invalidTableID(let id, let title):
            return "report table \"\(title)\" has id \"\(id)\", which cannot name a file: "
                + "use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'"
        case .duplicateTableID(let id):
            return "two report tables have the id \"\(id)\" (ids name files and sheets, so must differ ignoring case)"
        case .rowLength(let table, let row, let cells, let columns):
            return "report table \"\(table)\": row \(row) has \(cells) cells but the table has \(columns) columns"
        case .destinationNotDirectory(let path):
            return "cannot write the report to \(path): it exists and is not a directory; choose another --out"
        case .destinationNotReport(let path, let unexpected):
            return "cannot write the report to \(path): the directory holds \"\(unexpected)\", which is not part "
                + "of a simrun report; choose an empty or new directory for --out, or remove it"
        case .fileSystem(let path, let action, let reason):
            return "cannot \(action) \(path): \(reason)"
        }
    }

    /// The process exit status (sysexits.h): 74 (`EX_IOERR`) when a write
    /// failed part-way (disk full, quota, file size limit, device error),
    /// else 73 (`EX_CANTCREAT`): the report cannot be created there.
    package var exitStatus: Int32 {
        guard case .fileSystem(_, _, let reason) = self else { return 73 }
        let ioFailures = [ENOSPC, EDQUOT, EFBIG, EIO].map { String(cString: strerror($0)) }
        return ioFailures.contains(reason) ? 74 : 73
    }

    /// Wraps a file-system failure with the path and what was being done.
    package static func wrap<T>(_ action: String, _ url: URL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError.fileSystem(path: url.path, action: action, reason: Self.reason(error))
        }
    }

    /// A short reason for a Foundation or ZIPFoundation error (the POSIX message when there is one).
    package static func reason(_ error: Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] {
            if let posix = underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
            if let inner = (underlying as? NSError) ?? (underlying as? Error).map({ $0 as NSError }),
                inner.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(inner.code))
            {
                return String(cString: strerror(code.rawValue))
            }
        }
        if nsError.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(nsError.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return "\(error)"
    }
}
