import Foundation
import SimKernel

/// What `simrun household` and `simrun scenario explain` print: one
/// household's trace under each system (baseline and reform, or one system).
///
/// Its table and JSON (docs/explain.md) are rendered from this one value in SimReport
/// (`HouseholdExplanation+Table.swift`, `HouseholdExplanation+JSON.swift`), so a number
/// cannot differ between them; ``HouseholdFileRequest`` and ``SurveyHouseholdRequest``
/// build it from a household file or a survey.
package struct HouseholdExplanation {
    /// Where the household comes from.
    package enum Origin {
        /// A hand-written household file (`simrun household`), with its `name:` if any.
        case file(String, name: String?)
        /// A household of a survey (`simrun scenario explain`), by its identifier.
        case survey(String)
    }

    /// The rules the household is run under.
    package enum Rules {
        case scenario(ScenarioDefinition)
        case system(TaxBenefitSystem)
    }

    package let origin: Origin
    package let rules: Rules
    package let year: Int?
    package let seed: UInt64
    /// `(role, system, trace)`: `baseline` and `reform` for a scenario, `system` for a system alone.
    package let traces: [(role: String, system: TaxBenefitSystem, trace: HouseholdTrace)]

    /// Runs the household (index `household` of `population`) under `rules`.
    ///
    /// - Parameters:
    ///   - origin: Where the household comes from (a household file or the survey), for the header.
    ///   - rules: The scenario (baseline and reform) or the system alone.
    ///   - systemYear: The simulated year of a system alone (`year:`; a scenario's is its own `ScenarioDefinition.year`).
    ///   - population: The survey, or the household as a one-household survey.
    ///   - household: The household's index in `population`.
    ///   - seed: The seed of every random draw.
    /// - Throws: `InputError` when a result is not a finite number (`HouseholdTrace/requireFinite(file:)`).
    package init(origin: Origin, rules: Rules, year systemYear: Int?, population: Population, household: Int, seed: UInt64) throws {
        self.origin = origin
        self.rules = rules
        self.seed = seed
        let systems: [(String, TaxBenefitSystem)]
        let line: Double?
        switch rules {
        case .scenario(let s):
            systems = [("baseline", s.baseline), ("reform", s.reform)]
            // The trace compares per-capita disposable income with the line: only the default welfare is that
            // (a declared concept, docs/welfare.md, is measured on the whole survey by scenario run).
            line = s.welfare.isDefault ? s.povertyLine : nil
            year = s.year
        case .system(let s):
            systems = [("system", s)]
            line = nil
            year = systemYear
        }
        let context = RunContext(seed: seed, year: year)
        traces = systems.map { role, system in
            (role, system, HouseholdStepper(system: system, population: population, context: context)
                .trace(household: household, povertyLine: line))
        }
        let file: String
        switch rules {
        case .scenario(let s): file = s.file
        case .system(let s): file = s.source ?? s.name
        }
        for t in traces { try t.trace.requireFinite(file: file) }
    }
}
