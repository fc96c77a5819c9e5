import Foundation
import Testing

/// `--help` at every level: exit 0, help on standard output, every option of
/// `scenario run` documented with its default.
@Suite("simrun --help")
struct HelpTests {
    /// Splits `scenario run --help` into one entry per option: the line that
    /// starts with `  --name` and its indented continuation lines, joined.
    static func optionEntries(_ help: String) -> [String: String] {
        var entries: [String: String] = [:]
        var current: String?
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if line.hasPrefix("  -"), let name = trimmed.split(separator: " ").first(where: { $0.hasPrefix("--") }) {
                current = String(name)
                entries[String(name)] = String(trimmed)
            } else if let name = current, line.hasPrefix("        "), !trimmed.isEmpty {
                entries[name, default: ""] += " " + trimmed
            } else {
                current = nil
            }
        }
        return entries
    }

    @Test("simrun --help exits 0 and names the scenario subcommand and the exit statuses")
    func topLevelHelp() {
        let result = runSimrun(["--help"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("USAGE: simrun"))
        #expect(result.stdout.contains("scenario"))
        for status in ["64", "65", "66", "73", "74"] {
            #expect(result.stdout.contains(status), "no exit status \(status) in:\n\(result.stdout)")
        }
    }

    @Test("simrun scenario --help exits 0 and lists run, list and describe")
    func scenarioHelp() {
        let result = runSimrun(["scenario", "--help"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for subcommand in ["run", "list", "describe"] {
            #expect(result.stdout.contains("  \(subcommand) "), "no subcommand \(subcommand) in:\n\(result.stdout)")
        }
    }

    @Test("simrun scenario run --help exits 0 and documents every option")
    func scenarioRunHelpListsOptions() throws {
        let result = runSimrun(["scenario", "run", "--help"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let entries = Self.optionEntries(result.stdout)
        for option in ["--data", "--columns", "--format", "--threads", "--year", "--chunk-size", "--timings", "--quiet"] {
            #expect(entries[option] != nil, "\(option) is missing from:\n\(result.stdout)")
            #expect(result.stdout.contains("[\(option)"), "\(option) is missing from the usage line")
        }
    }

    /// What each option's help must say its default is.
    @Test("simrun scenario run --help states the default of every option that takes a value",
          arguments: [
              ("--data", "the example data the scenario names"),
              ("--columns", "every variable under its own name"),
              ("--format", "table"),
              ("--threads", "all cores"),
              ("--year", "the scenario's 'year:' key"),
              ("--chunk-size", "4096"),
          ])
    func scenarioRunHelpStatesDefaults(option: String, defaultText: String) throws {
        let result = runSimrun(["scenario", "run", "--help"])
        let entry = try #require(Self.optionEntries(result.stdout)[option], "\(option) is missing")
        #expect(entry.lowercased().contains("default"), "\(option) states no default: \(entry)")
        #expect(entry.contains(defaultText), "\(option)'s help does not say its default is \(defaultText): \(entry)")
    }

    @Test("the flags --timings and --quiet say what they do and that timings go to standard error")
    func flagsAreExplained() throws {
        let entries = Self.optionEntries(runSimrun(["scenario", "run", "--help"]).stdout)
        let timings = try #require(entries["--timings"])
        #expect(timings.contains("standard error"))
        let quiet = try #require(entries["--quiet"])
        #expect(quiet.contains("standard error"))
    }

    @Test("simrun --version prints the version and exits 0")
    func version() {
        let result = runSimrun(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3,
                "not a version number: \(result.stdout)")
    }
}
