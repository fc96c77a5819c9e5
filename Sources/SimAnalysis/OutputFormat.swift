/// The formats a command prints its results in (`--format`): a table for reading, JSON and CSV for programs.
package enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}
