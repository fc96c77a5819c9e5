import SimAnalysis
import SimKernel
import Foundation

/// Valid, unique worksheet names.
///
/// Excel refuses a workbook whose sheet names break its rules: 1 to 31 characters, none
/// of `[ ] : * ? / \`, not starting or ending with `'`, unique ignoring case, and not the
/// reserved `History`. ``unique(_:)`` maps any list of wished-for names onto names that
/// keep these rules, changing as little as possible: bad characters become `_`, long
/// names are cut to 31 characters, and a repeated name gets ` (2)`, ` (3)`, ... (cut so
/// the whole stays within 31).
///
///     XLSXSheetNames.unique(["About", "about", "cost/year"])  // ["About", "about (2)", "cost_year"]
package enum XLSXSheetNames {
    /// The longest sheet name Excel accepts.
    package static let maximumLength = 31

    /// `wished` made valid and unique, in the same order.
    package static func unique(_ wished: [String]) -> [String] {
        var taken: Set<String> = []
        var names: [String] = []
        for name in wished {
            let base = valid(name)
            var candidate = base
            var counter = 2
            while taken.contains(candidate.lowercased()) {
                let suffix = " (\(counter))"
                candidate = trimmed(String(base.prefix(maximumLength - suffix.count))) + suffix
                counter += 1
            }
            taken.insert(candidate.lowercased())
            names.append(candidate)
        }
        return names
    }

    /// `name` with forbidden characters replaced, cut to 31 characters, never empty or reserved.
    package static func valid(_ name: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var cleaned = String(name.map { forbidden.contains($0) || $0.isNewline ? "_" : $0 })
        cleaned = String(cleaned.filter { !($0.unicodeScalars.first.map { $0.value < 0x20 } ?? false) })
        cleaned = trimmed(String(cleaned.prefix(maximumLength)))
        if cleaned.isEmpty { return "Sheet" }
        if cleaned.lowercased() == "history" { return "History_" }
        return cleaned
    }

    /// `name` without leading or trailing apostrophes and spaces.
    private static func trimmed(_ name: String) -> String {
        var characters = Substring(name)
        while let first = characters.first, first == "'" || first == " " { characters.removeFirst() }
        while let last = characters.last, last == "'" || last == " " { characters.removeLast() }
        return String(characters)
    }
}
