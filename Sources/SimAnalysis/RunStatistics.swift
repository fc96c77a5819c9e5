import SimKernel

/// The poverty and inequality profile `scenario run` adds when given the
/// statistics options (`--se`, `--by`, `--line`, ...): baseline, reform and
/// change from the statistics engine (`WelfareAnalysis/compare(baseline:reform:inference:plan:)`),
/// by group, with the incidence by decile of baseline welfare.
///
/// Welfare is the scenario's concept (`WelfareConcept`, `welfare:`) or, by
/// default, household disposable income under each system, per capita or
/// over an equivalence scale; the scenario's poverty line is always the first
/// line, so `fgt0`, `fgt1` and `fgt2` there mean what the run's own rows mean.
package struct RunStatistics {
    /// What the data must provide besides the scenario's variables, and how it was asked for.
    package struct Needs {
        /// Extra variables to load.
        package let requests: [VariableRequest]
        /// The design variables (`stratum`, `psu`) read, empty for one stratum of household PSUs.
        package let design: [String]
        /// Whether ages are read (age bands, scales that count children).
        package let ages: Bool
        /// Each `--by` column as it is loaded (a categorical column unless the scenario reads it otherwise).
        package let by: [Variable]
        /// Notes for standard error.
        package let notes: [String]
    }

    package let settings: StatsSettings
    package let comparison: WelfareComparison
    package let design: SurveyDesign
    /// The design variables used (`stratum`, `psu`), empty when none.
    package let designVariables: [String]
    /// The file columns of ``designVariables`` (after the column map).
    package let designColumns: [String]
    /// The `--by` columns, as given (without repeats).
    package let by: [String]
    /// The age bands, when the data has ages.
    package let ageBands: [AgeBand]?
    /// The scenario's welfare concept.
    package let concept: WelfareConcept

    /// The variables the analysis needs on top of `scenarioRequests`.
    ///
    /// Strata and PSUs are read only for standard errors, and only when the
    /// data has them; ages whenever the data has them (age bands) and always
    /// for a scale that counts children.
    /// - Throws: ``UsageError`` for a `--by` on an identifier or the weight.
    package static func needs(settings: StatsSettings, by: [String], scenarioRequests: [VariableRequest],
                      available: Set<String>) throws -> Needs {
        var requests: [VariableRequest] = []
        var notes: [String] = []
        var design: [String] = []
        if settings.inference != .none {
            for variable in [Variable.stratum, .psu] where available.contains(variable.name) {
                requests.append(VariableRequest(variable, neededBy: "standard errors (sample design)"))
                design.append(variable.name)
            }
            if design.isEmpty {
                notes.append("the data has no stratum or psu column: standard errors treat households as a simple random sample")
            }
        }
        let ages = settings.scale.needsAges || available.contains(Variable.age.name)
        if ages {
            requests.append(VariableRequest(.age, neededBy: settings.scale.needsAges ? "--equivalence" : "indicators by age band"))
        } else {
            notes.append("the data has no age column: no indicators by age band")
        }
        let known = scenarioRequests + requests
        var byVariables: [Variable] = []
        try check(by: by)
        for name in by {
            if let existing = known.first(where: { $0.variable.name == name })?.variable {
                byVariables.append(existing)
            } else if let earlier = byVariables.first(where: { $0.name == name }) {
                byVariables.append(earlier)
            } else {
                let variable = Variable.category(name)
                requests.append(VariableRequest(variable, neededBy: "--by \(name)"))
                byVariables.append(variable)
            }
        }
        return Needs(requests: requests, design: design, ages: ages, by: byVariables, notes: notes)
    }

    /// Rejects a `--by` on a variable that does not form groups
    /// (`VariableRequirement/grouping`): an identifier, the weight, money.
    /// - Throws: ``UsageError``.
    package static func check(by: [String]) throws {
        for name in by {
            if let problem = VariableRequirement.grouping.problem(with: name, for: "--by") {
                throw UsageError("--by \(name): not a categorical column: \(problem)")
            }
        }
    }

    /// Computes baseline, reform and change of `run` on `population`.
    ///
    /// - Throws: `InputError` (exit status 65) for a stratum with a single
    ///   PSU under `--lonely-psu fail`, naming it; ``UsageError`` (64) for an option the engine rejects.
    package init(run: ScenarioRun, population: Population, settings: StatsSettings, needs: Needs, by: [String],
         dataFile: String, columnMap: ColumnMap, plan: ParallelPlan, progress: any AnalysisProgress = NoProgress()) throws {
        precondition(by.count == needs.by.count, "one variable per --by column")
        self.settings = settings
        self.by = by
        designVariables = needs.design
        designColumns = needs.design.map { columnMap.column(for: $0) }
        let households = population.householdCount
        do {
            design = needs.design.isEmpty
                ? SurveyDesign(units: households)
                : try SurveyDesign(population: population, lonelyPSU: settings.lonelyPSU)
            let starts = population.householdStart.array
            var groupings: [Grouping] = []
            for (name, variable) in zip(by, needs.by) {
                groupings.append(Self.grouping(name: name, variable: variable, population: population, householdStart: starts))
            }
            if needs.ages {
                groupings.append(.ageBands(settings.ageBands, ages: population.integers(Variable.age.name).array, householdStart: starts,
                                           name: by.contains("age") ? "age_band" : "age"))
                ageBands = settings.ageBands
            } else {
                ageBands = nil
            }
            let scale = settings.scale
            concept = run.scenario.welfare
            let distributions: (baseline: WelfareDistribution, reform: WelfareDistribution)
            if let declared = run.welfare {
                // The scenario declares its welfare (and its unit): --equivalence would contradict it.
                guard scale == .perCapita else {
                    throw UsageError("--equivalence: the scenario declares its welfare (welfare: in \(run.scenario.file)), including its unit (per: capita or adult_equivalent); drop --equivalence")
                }
                distributions = declared
            } else {
                distributions = (WelfareDistribution(householdIncome: run.outcomes.baseline.disposableIncome.values, in: population, scale: scale),
                                 WelfareDistribution(householdIncome: run.outcomes.reform.disposableIncome.values, in: population, scale: scale))
            }
            let analysis = try WelfareAnalysis(options: settings.options, design: design, groupings: groupings)
            let bar = Self.bootstrapStage(settings.inference, progress: progress)
            comparison = try analysis.compare(baseline: distributions.baseline, reform: distributions.reform,
                                              inference: settings.inference, plan: plan,
                                              progress: bar?.reporter)
            bar?.finish()
        } catch let error as AnalysisError {
            switch error {
            case .invalidOption(let message): throw UsageError(message)
            case .lonelyPSU:
                throw InputError(file: dataFile, field: columnMap.column(for: Variable.stratum.name), error.description)
            case .mismatch: throw InputError(file: dataFile, kind: .inconsistent, error.description)
            }
        }
    }

    /// A grouping by `variable`: its labels when it is a category, else its
    /// distinct values in numeric order; by person, or by household for a household variable.
    package static func grouping(name: String, variable: Variable, population: Population, householdStart: [Int]) -> Grouping {
        func coded(_ values: [Double]) -> (labels: [String], codes: [Int32]) {
            let distinct = Array(Set(values)).sorted()
            var index: [Double: Int32] = [:]
            for (i, v) in distinct.enumerated() { index[v] = Int32(i) }
            return (distinct.map { PovertyLine.format($0) }, values.map { index[$0]! })
        }
        switch (variable.kind, variable.level) {
        case (.category, _):
            let column = population.category(variable.name)
            return .persons(name: name, labels: column.labels, codes: column.codes.array, householdStart: householdStart)
        case (.integer, .household):
            let c = coded(population.householdIntegers(variable.name).array.map(Double.init))
            return .units(name: name, labels: c.labels, codes: c.codes)
        case (.integer, .person):
            let c = coded(population.integers(variable.name).array.map(Double.init))
            return .persons(name: name, labels: c.labels, codes: c.codes, householdStart: householdStart)
        case (.real, _), (.identifier, _):
            let c = coded(population.reals(variable.name).array)
            return .persons(name: name, labels: c.labels, codes: c.codes, householdStart: householdStart)
        }
    }

    /// The bootstrap's stage (its replicates), when the inference is a bootstrap.
    package static func bootstrapStage(_ inference: Inference, progress: any AnalysisProgress) -> (any ProgressStage)? {
        guard case .bootstrap(let replicates, _, _) = inference else { return nil }
        return progress.stage("bootstrap", total: replicates)
    }

    /// Every warning of the engine, baseline's and reform's tagged as such.
    package var warnings: [AnalysisWarning] {
        comparison.baseline.warnings + comparison.reform.warnings + comparison.change.warnings
    }

    /// Welfare in words.
    package var welfareDescription: String { RunStatisticsRecord.welfareDescription(concept: concept, scale: settings.scale) }
}
