import SimKernel

/// What `simrun stats` asks: the poverty and inequality profile of a welfare variable already in a
/// survey file, by group, with design-based standard errors.
///
/// The command line, the tests and any other front end build one and call ``run(progress:lap:)``;
/// the table, JSON and CSV (`StatsReport` in SimReport) are views of its ``StatsResult``.
///
/// ```swift
/// var request = StatsRequest(file: "eusilc.csv", settings: settings)
/// request.roles.income = "eqIncome"
/// let result = try request.run()
/// ```
package struct StatsRequest: Sendable {
    /// The columns of each role as the user named them (`--income`, `--weight`, ...), before the column map.
    ///
    /// A role left `nil` falls back to the column map's entry of that role (`income`, `weight`, `stratum`,
    /// `psu`, `age`), then to its default (`weight` for the weight, none for the others).
    package struct Roles: Sendable, Equatable {
        package var income: String?
        package var weight: String?
        package var household: String?
        package var householdSize: String?
        package var householdTotal = false
        package var stratum: String?
        package var psu: String?
        package var by: [String] = []
        package var age: String?
        package init() {}
    }

    /// The survey file: CSV, Stata, SPSS or a data recipe.
    package var file: String
    /// The column map file (`--columns`), or `nil` for none.
    package var columnMapFile: String?
    package var roles = Roles()
    /// The engine's settings (``IndicatorChoices/settings(fixedLines:householdIncome:)``).
    package var settings: StatsSettings
    package var plan = ParallelPlan()

    package init(file: String, columnMapFile: String? = nil, settings: StatsSettings) {
        self.file = file
        self.columnMapFile = columnMapFile
        self.settings = settings
    }
}

/// The profile `simrun stats` prints, with the loaded file's facts its renderers state (rows, units,
/// design, data preparation) and the engine's warnings.
package struct StatsResult: Sendable {
    package let profile: WelfareProfile
    /// The loaded file: its distribution, design, groupings and preparation.
    package let data: WelfareFile
    /// The file columns each role resolved to.
    package let roles: WelfareFile.Columns
    package let settings: StatsSettings
    package let file: String
    package let columnMapFile: String?
    /// The statistics engine's warnings (lonely PSUs, small groups).
    package var warnings: [AnalysisWarning] { profile.warnings }
}

extension StatsRequest {
    /// The file columns of each role: the options first, then the column map's role entries.
    ///
    /// - Throws: ``UsageError`` when no income column is named either way.
    package func columns(_ map: ColumnMap) throws(UsageError) -> WelfareFile.Columns {
        func mapped(_ option: String?, role: String) -> String? {
            if let option { return map.column(for: option) }
            return map.columns[role]
        }
        guard let incomeColumn = mapped(roles.income, role: "income") else {
            throw UsageError("--income is required: name the column with the welfare variable (or add 'income: COLUMN' to the --columns map)")
        }
        return WelfareFile.Columns(
            income: incomeColumn, weight: mapped(roles.weight, role: "weight") ?? "weight",
            household: roles.household.map { map.column(for: $0) }, stratum: mapped(roles.stratum, role: "stratum"),
            psu: mapped(roles.psu, role: "psu"), by: roles.by.map { map.column(for: $0) }, age: mapped(roles.age, role: "age"),
            householdSize: roles.householdSize.map { map.column(for: $0) }, householdTotal: roles.householdTotal)
    }

    /// Reads the column map and the file, then computes the profile (the bootstrap reporting to `progress`).
    ///
    /// - Parameters:
    ///   - progress: Told of the bootstrap's replicates (stage `bootstrap`).
    ///   - lap: Called after each step with its name (`load`, `statistics`; `--timings`).
    /// - Returns: The profile, the loaded file's facts and the warnings.
    /// - Throws: ``UsageError`` (exit 64) for a role the file cannot take or an option the engine rejects;
    ///   `InputError` for the column map, the file and the design (naming the stratum column).
    package func run(progress: any AnalysisProgress = NoProgress(), lap: (String) -> Void = { _ in }) throws -> StatsResult {
        let map = try columnMapFile.map { try ColumnMap(file: $0) } ?? ColumnMap()
        let roles = try columns(map)
        let s = settings
        let data: WelfareFile
        do {
            data = try WelfareFile(file: file, columns: roles, scale: s.scale, ageBands: s.ageBands, lonelyPSU: s.lonelyPSU,
                                   columnMapSource: columnMapFile, plan: plan)
        } catch let error as AnalysisError {
            throw UsageError(error.description)
        }
        lap("load")
        let profile: WelfareProfile
        do {
            let analysis = try WelfareAnalysis(options: s.options, design: data.design, groupings: data.groupings)
            var stage: (any ProgressStage)? = nil
            if case .bootstrap(let replicates, _, _) = s.inference { stage = progress.stage("bootstrap", total: replicates) }
            profile = try analysis.profile(of: data.distribution, inference: s.inference, plan: plan, progress: stage?.reporter)
            stage?.finish()
        } catch let error as AnalysisError {
            switch error {
            case .invalidOption(let message): throw UsageError(message)
            default: throw InputError(file: file, field: roles.stratum, error.description)
            }
        }
        lap("statistics")
        return StatsResult(profile: profile, data: data, roles: roles, settings: s, file: file, columnMapFile: columnMapFile)
    }
}
