/// An option's cost carried over the projection years, RAP-style, from the
/// microsimulation of the base year (method: `docs/costing.md`).
///
/// For every component the base-year annual amounts are split by the
/// country profile's age groups and sex (each person's own amount; a
/// household benefit counts for the member it is paid to). For year `t`:
///
/// - population factor `G_t[g,s] = P_t[g,s] / P_base[g,s]` (profile);
/// - indexation factor `I_t` = the cumulative growth of prices, nominal
///   wages or nominal GDP per capita from the scenario's year (else the base
///   year) to `t`, or 1 for `none`;
/// - coverage `c_t` from the phase-in schedule (1 without one);
/// - change in benefits `ΔB_t = Σ_{benefit components} Σ_{g,s} (A_reform − A_baseline)[g,s] · G_t[g,s] · I_t · c_t`;
/// - administrative cost `ADM_t = a · max(ΔB_t, 0)`;
/// - change in revenue `ΔR_t = (R_reform − R_baseline) · GDP_t / GDP_base` (tax and
///   contribution bases grow with the nominal economy; not phased in);
/// - change in state costs not paid to households (subsidies, ``PolicyModule/stateCostCounters``)
///   `ΔS_t = ΔS_base · GDP_t / GDP_base`;
/// - net cost `N_t = ΔB_t + ADM_t + ΔS_t − ΔR_t`, in currency, in US dollars at the
///   base-year rate, and as shares of GDP_t and of government expenditure
///   (a constant share of GDP);
/// - beneficiaries `Σ_{g,s} Bnf[g,s] · G_t[g,s] · c_t`, Bnf being the weighted
///   persons receiving one of the reform's changed benefits.
public struct CostProjection: Sendable {
    /// One projection year.
    public struct Year: Sendable, Equatable {
        public let year: Int
        public let coverage: Double
        public let indexation: Double
        /// ΔB_t: change in benefit spending (currency).
        public let benefits: Double
        public let administrativeCost: Double
        /// ΔR_t: change in tax and contribution revenue (currency).
        public let revenue: Double
        /// N_t = ΔB_t + ADM_t − ΔR_t (currency).
        public let netCost: Double
        public let netCostUSD: Double
        public let shareOfGDP: Double
        public let shareOfExpenditure: Double
        public let beneficiaries: Double
        public let gdp: Double
    }

    public let years: [Year]
    public let currency: String

    /// Projects `run` over `years`.
    ///
    /// - Parameters:
    ///   - run: The option, simulated with `recordPersonAmounts` in its year.
    ///   - population: The survey `run` was simulated on.
    ///   - profile: The country profile: each year's GDP, population and prices.
    ///   - settings: The scenario's `costing:` block (docs/costing.md).
    ///   - years: The projection years, all within the profile's years.
    ///   - aged: `true` when `population` is already the survey aged to the
    ///     one year in `years` (``SurveyAgeing/age(_:to:profile:moneyVariables:uprating:extraMargins:options:)``):
    ///     its weights carry the population growth and its incomes the economy's, so
    ///     `G_t = 1` and revenue and state costs are taken as simulated (no `GDP_t / GDP_base`);
    ///     indexation and coverage still apply. `compare --projection microsim`.
    /// - Precondition: `run` was simulated with `recordPersonAmounts`, and
    ///   `population` holds `age` and `sex`; with `aged`, `years` is one year.
    /// - Throws: ``InputError`` if a year lies outside the profile.
    public init(run: ScenarioRun, population: Population, profile: CountryProfile, settings: CostingSettings,
                years: ClosedRange<Int>, aged: Bool = false) throws {
        precondition(!aged || years.count == 1, "an aged survey stands for one year")
        let available = profile.years
        guard available.contains(years.lowerBound), available.contains(years.upperBound) else {
            throw InputError(file: profile.file, kind: .outOfRange,
                "the projection years \(years.lowerBound)-\(years.upperBound) are not all in the country profile (it covers \(available.lowerBound)-\(available.upperBound)); extend its macro and population tables or choose other years")
        }
        currency = profile.currency
        let groups = profile.ageGroups.count
        let cells = 2 * groups
        let ages = population.integers("age").values
        let sexes = population.integers("sex").values
        let weight = population.weight.values
        let starts = population.householdStart.values
        var cellOf = [Int](repeating: 0, count: population.personCount)
        var personWeight = [Double](repeating: 0, count: population.personCount)
        for h in 0..<population.householdCount {
            for p in starts[h]..<starts[h + 1] {
                cellOf[p] = (sexes[p] == 2 ? groups : 0) + profile.group(ofAge: Int(ages[p]))
                personWeight[p] = weight[h]
            }
        }
        func annualByCell(_ component: SystemOutcome.ComponentOutcome) -> [Double] {
            guard let amounts = component.personAmount?.values else {
                preconditionFailure("cost projection needs per-person amounts (Simulator.recordPersonAmounts)")
            }
            var out = [Double](repeating: 0, count: cells)
            for p in 0..<amounts.count where amounts[p] != 0 { out[cellOf[p]] += 12 * personWeight[p] * amounts[p] }
            return out
        }
        // Benefits by age-sex cell; revenue and state costs are the base year's totals of ``FiscalChange``
        // (the same numbers `compare` shows), grown with GDP.
        var benefitChange = [Double](repeating: 0, count: cells)
        for (sign, outcome) in [(-1.0, run.outcomes.baseline), (1.0, run.outcomes.reform)] {
            for c in outcome.components where c.kind == .benefit {
                let byCell = annualByCell(c)
                for k in 0..<cells { benefitChange[k] += sign * byCell[k] }
            }
        }
        let fiscal = FiscalChange(change: run.change, settings: settings)
        let revenueChange = fiscal.budgetRevenue
        let stateCostChange = fiscal.stateCost
        // Persons receiving one of the reform's changed benefits.
        let changedBits = run.scenario.reform.coverageBits { run.scenario.changedComponents.contains($0.name) }
        let mask = run.outcomes.reform.coverage.values
        var beneficiaries = [Double](repeating: 0, count: cells)
        for p in 0..<mask.count where mask[p] & changedBits != 0 { beneficiaries[cellOf[p]] += personWeight[p] }

        let base = profile.population[profile.baseYear]!
        let reference = run.scenario.year ?? profile.baseYear
        func index(to year: Int) -> Double {
            let rate: (CountryProfile.Macro) -> Double
            switch settings.indexation {
            case .none: return 1
            case .prices: rate = { $0.cpiInflation }
            case .wages: rate = { $0.wageGrowth }
            case .gdpPerCapita:
                let perCapita = { (y: Int) in profile.nominalGDP(in: y) / profile.totalPopulation(in: y) }
                return perCapita(year) / perCapita(min(max(reference, available.lowerBound), available.upperBound))
            }
            let r = min(max(reference, available.lowerBound), available.upperBound)
            return profile.cumulative(rate, to: year) / profile.cumulative(rate, to: r)
        }
        var result: [Year] = []
        for year in years {
            let pop = profile.population[year]!
            var growth = [Double](repeating: 1, count: cells)
            for s in 0..<2 where !aged {
                for g in 0..<groups where base[s][g] > 0 { growth[s * groups + g] = pop[s][g] / base[s][g] }
            }
            let coverage = settings.coverage(in: year)
            let indexation = index(to: year)
            var benefits = 0.0, persons = 0.0
            for k in 0..<cells {
                benefits += benefitChange[k] * growth[k]
                persons += beneficiaries[k] * growth[k]
            }
            benefits *= indexation * coverage
            let gdp = profile.nominalGDP(in: year)
            let revenue = aged ? revenueChange : revenueChange * gdp / profile.gdp
            let stateCosts = aged ? stateCostChange : stateCostChange * gdp / profile.gdp
            let admin = settings.administrativeCost * max(benefits, 0)
            let net = benefits + admin + stateCosts - revenue
            result.append(Year(
                year: year, coverage: coverage, indexation: indexation, benefits: benefits, administrativeCost: admin,
                revenue: revenue, netCost: net, netCostUSD: net / profile.exchangeRate, shareOfGDP: net / gdp,
                shareOfExpenditure: net / profile.governmentExpenditure(in: year), beneficiaries: persons * coverage,
                gdp: gdp))
        }
        self.years = result
    }
}

extension CostProjection {
    /// A projection put together from one-year projections (each on the survey aged to its year).
    init(years: [Year], currency: String) {
        self.years = years
        self.currency = currency
    }
}
