import SimKernel

/// Unemployment insurance: a benefit for covered workers who lose their job,
/// a share of their reference wage for a limited number of months, financed
/// by contributions; and the reforms that extend it to more workers or change
/// its rate and duration.
///
/// Indonesia (2024) extended its scheme to fixed-term contract workers and
/// set the replacement rate at 45% for the whole six months (instead of 45%
/// for three months and 25% after); Viet Nam's scheme (2009) was advised to
/// cover all employees with a contract of at least three months.
///
/// Who is covered. An employed person (`labour_status` 1 or 2) contributes,
/// and an unemployed person (`labour_status` 3) may claim, if the kind of
/// their job (for the unemployed: `last_job_status`, 1 formal, 2 informal)
/// is in `covered_labour_status` and, when `covered_contract_types` is not
/// empty, their `contract_type` (of the last job, for the unemployed) is in
/// it. A claimant must also have worked `qualifying_months` of the last 24
/// (`months_worked_last_24m`).
///
/// The benefit in month m of a spell is b(m) = rate(m) × W kept between
/// `benefit_floor` and `benefit_ceiling` (0 = none), with rate(m) =
/// `replacement_rate`, or `later_replacement_rate` from month
/// `later_rate_from_month` on (0 = never). The reference wage W is the
/// claimant's earnings if positive, otherwise drawn from employed people of
/// the same kind of job, sex, age band and region (`WageDonorPool`).
///
/// A cross-section has unemployed people but no spells, so each claimant is
/// given one (`duration_source: drawn`): a length D from
/// `duration_distribution` with mean d = `mean_spell_months`
/// (`SpellDuration`), paid for P = min(D, `max_duration_months`) months.
/// In a steady state each unemployed person of the survey stands for 12 / d
/// spells a year, so the claimant's monthly amount is Σ_{m ≤ P} b(m) / d and
/// 12 × that is the yearly cost (a fraction of a month is paid pro rata).
/// With `duration_source: observed` the survey's elapsed spell
/// (`months_unemployed`, m completed months) is used instead: b(m + 1) if m <
/// `max_duration_months`, else 0.
///
/// Net cost. The component's annual amount is the benefits; the counter
/// `contributions_annual` holds the contributions (employee + employer,
/// 12 × rate × earnings up to `contribution_ceiling`) of the covered workers,
/// weighted: net cost = annual amount − contributions_annual (for an
/// extension, the change of each). This module does not deduct the
/// employee's share from household income (a module is one kind); add a
/// `social_contributions` component with the same employee rate and coverage
/// for that.
///
/// Random draws (per claimant, each from its own purpose): take-up, the
/// donor for the reference wage, the spell length.
public struct UnemploymentInsurance: PolicyModule {
    public static let name = "unemployment_insurance"
    public static let summary = "Unemployment insurance: covered groups, contributions, replacement rate, duration, floor and ceiling; spells and wages modelled"

    public enum DurationSource: String, CaseIterable, Sendable { case drawn, observed }

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("covered_labour_status", .integerList, unit: "codes", default: .integerList([1]), range: 1...2,
                      summary: "kinds of job covered: 1 formal employee, 2 informal worker (for the unemployed: last_job_status)"),
        ParameterSpec("covered_contract_types", .integerList, unit: "codes", default: .integerList([]), range: 0...2,
                      summary: "contract_type codes covered: 0 no written contract, 1 permanent, 2 fixed-term; empty = any contract (reads contract_type if not empty)"),
        ParameterSpec("replacement_rate", .number, unit: "share", range: 0...1,
                      summary: "share of the reference wage paid a month (0.45 = 45%)"),
        ParameterSpec("later_replacement_rate", .number, unit: "share", default: .number(0), range: 0...1,
                      summary: "share paid from month later_rate_from_month of the spell on"),
        ParameterSpec("later_rate_from_month", .integer, unit: "months", default: .number(0), range: 0...120,
                      summary: "first month of the spell paid at later_replacement_rate (0 = replacement_rate throughout)"),
        ParameterSpec("max_duration_months", .integer, unit: "months", default: .number(6), range: 1...120,
                      summary: "most months paid per spell"),
        ParameterSpec("benefit_floor", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "lowest monthly benefit"),
        ParameterSpec("benefit_ceiling", .number, unit: "currency_per_month", default: .number(0), range: 0...1e9,
                      summary: "highest monthly benefit (0 = none)"),
        ParameterSpec("qualifying_months", .integer, unit: "months", default: .number(12), range: 0...24,
                      summary: "months worked in the last 24 needed to claim (reads months_worked_last_24m; 0 = no condition)"),
        ParameterSpec("employee_contribution_rate", .number, unit: "share", default: .number(0), range: 0...1,
                      summary: "employee contribution, share of earnings of covered workers (counted in contributions_annual)"),
        ParameterSpec("employer_contribution_rate", .number, unit: "share", default: .number(0), range: 0...1,
                      summary: "employer contribution, share of earnings of covered workers (counted in contributions_annual)"),
        ParameterSpec("contribution_ceiling", .number, unit: "currency_per_month", default: .number(0), range: 0...1e12,
                      summary: "monthly earnings above which no contribution is due (0 = none)"),
        ParameterSpec("duration_source", .choice(DurationSource.allCases.map(\.rawValue)), unit: "choice", default: .text("drawn"),
                      summary: "drawn: each claimant's spell drawn with mean mean_spell_months; observed: the elapsed spell months_unemployed"),
        ParameterSpec("duration_distribution", .choice(SpellDuration.allCases.map(\.rawValue)), unit: "choice", default: .text("geometric"),
                      summary: "distribution of spell lengths (drawn): geometric (whole months), exponential or fixed"),
        ParameterSpec("mean_spell_months", .number, unit: "months", default: .number(6), range: 1...120,
                      summary: "mean length of an unemployment spell (drawn)"),
        ParameterSpec("donor_age_bands", .integerList, unit: "years", default: .integerList([15, 25, 35, 45, 55, 65]), range: 0...130,
                      summary: "rising lower bounds of the age bands of the reference-wage donor cells"),
        ParameterSpec("min_donors", .integer, unit: "persons", default: .number(5), range: 1...10000,
                      summary: "fewest donors in a cell before the match is relaxed (drop region, then age band, then sex)"),
    ] + TakeUp.parameters(unit: "each eligible unemployed person")

    public let kind = ComponentKind.benefit
    public let coveredStatus: [Int32]
    public let coveredContracts: [Int32]
    public let replacementRate: Double
    public let laterReplacementRate: Double
    public let laterRateFromMonth: Int
    public let maxDurationMonths: Int
    public let benefitFloor: Double
    public let benefitCeiling: Double
    public let qualifyingMonths: Int32
    public let employeeRate: Double
    public let employerRate: Double
    public let contributionCeiling: Double
    public let durationSource: DurationSource
    let spellDuration: SpellDuration
    public let meanSpellMonths: Double
    public let donorAgeBands: [Int32]
    public let minDonors: Int
    let takeUp: TakeUp

    public init(parameters p: ResolvedParameters) throws {
        coveredStatus = p.integers("covered_labour_status").map(Int32.init)
        coveredContracts = p.integers("covered_contract_types").map(Int32.init)
        replacementRate = p.number("replacement_rate")
        laterReplacementRate = p.number("later_replacement_rate")
        laterRateFromMonth = Int(p.number("later_rate_from_month"))
        maxDurationMonths = Int(p.number("max_duration_months"))
        benefitFloor = p.number("benefit_floor")
        benefitCeiling = p.number("benefit_ceiling")
        qualifyingMonths = Int32(p.number("qualifying_months"))
        employeeRate = p.number("employee_contribution_rate")
        employerRate = p.number("employer_contribution_rate")
        contributionCeiling = p.number("contribution_ceiling")
        durationSource = DurationSource(rawValue: p.text("duration_source"))!
        spellDuration = SpellDuration(rawValue: p.text("duration_distribution"))!
        meanSpellMonths = p.number("mean_spell_months")
        donorAgeBands = p.integers("donor_age_bands").map(Int32.init)
        minDonors = Int(p.number("min_donors"))
        takeUp = try TakeUp(p)
        if coveredStatus.isEmpty {
            throw p.error("covered_labour_status", "no kind of job is covered; list 1 (formal), 2 (informal) or both")
        }
        if benefitCeiling > 0 && benefitCeiling < benefitFloor {
            throw p.error("benefit_ceiling", "benefit_ceiling (\(benefitCeiling)) is below benefit_floor (\(benefitFloor))")
        }
        if donorAgeBands.isEmpty || zip(donorAgeBands, donorAgeBands.dropFirst()).contains(where: { $0 >= $1 }) {
            throw p.error("donor_age_bands", "the age bands' lower bounds must be given and rise, e.g. [15, 25, 35, 45, 55, 65]")
        }
    }

    public var variables: [VariableRequest] {
        var v = [VariableRequest(.labourStatus, neededBy: ""), VariableRequest(.earnings, neededBy: ""),
                 VariableRequest(.lastJobStatus, neededBy: "(covered_labour_status of the unemployed)"),
                 VariableRequest(.sex, neededBy: "(reference wage)"), VariableRequest(.age, neededBy: "(reference wage)"),
                 VariableRequest(.region, neededBy: "(reference wage)")]
        if !coveredContracts.isEmpty { v.append(VariableRequest(.contractType, neededBy: "(covered_contract_types)")) }
        if qualifyingMonths > 0 { v.append(VariableRequest(.monthsWorkedLast24m, neededBy: "(qualifying_months)")) }
        if durationSource == .observed { v.append(VariableRequest(.monthsUnemployed, neededBy: "(duration_source: observed)")) }
        return v + takeUp.variables(neededBy: "")
    }

    /// `eligible_persons`: unemployed meeting coverage and the qualifying
    /// condition (before take-up); `benefit_months` (drawn spells): months
    /// paid per claim, summed over claimants (÷ recipients = mean months per
    /// claim); `contributors`: covered workers paying; `contributions_annual`:
    /// their yearly contributions, employee and employer (currency per year).
    /// The scheme's contributions (employee and employer) are the fund's revenue, not the budget's.
    public var fundContributionCounters: [String] { ["contributions_annual"] }

    /// The unemployed (covered or not: the coverage gap of the scheme is among all of them).
    public var targetGroup: TargetGroup? { TargetGroup(condition: .unemployed) }

    public var counters: [String] {
        durationSource == .drawn
            ? ["eligible_persons", "benefit_months", "contributors", "contributions_annual"]
            : ["eligible_persons", "contributors", "contributions_annual"]
    }

    /// The monthly benefit in month `month` (1-based) of a spell, on reference wage `wage`.
    public func benefit(month: Int, wage: Double) -> Double {
        let rate = laterRateFromMonth > 0 && month >= laterRateFromMonth ? laterReplacementRate : replacementRate
        let b = max(benefitFloor, rate * wage)
        return benefitCeiling > 0 ? min(b, benefitCeiling) : b
    }

    /// The benefit of a spell paid for `months` months (a fraction paid pro rata).
    public func spellBenefit(months: Double, wage: Double) -> Double {
        let full = Int(months.rounded(.down))
        var total = 0.0
        for m in stride(from: 1, through: full, by: 1) { total += benefit(month: m, wage: wage) }
        let part = months - Double(full)
        if part > 0 { total += part * benefit(month: full + 1, wage: wage) }
        return total
    }

    public func bind(to population: Population, context: RunContext) -> any HouseholdRule {
        Rule(scheme: self, status: population.integers("labour_status"), earnings: population.reals("earnings"),
             lastJob: population.integers("last_job_status"), sex: population.integers("sex"),
             age: population.integers("age"), region: population.integers("region"),
             contract: coveredContracts.isEmpty ? nil : population.integers("contract_type"),
             monthsWorked: qualifyingMonths > 0 ? population.integers("months_worked_last_24m") : nil,
             monthsUnemployed: durationSource == .observed ? population.integers("months_unemployed") : nil,
             donors: WageDonorPool(population: population, ageBandStarts: donorAgeBands, minimumDonors: minDonors),
             covered: CodeSet(coveredStatus), contracts: CodeSet(coveredContracts),
             takeUp: takeUp.bind(to: population),
             purposes: (RandomStream.purpose("unemployment_insurance.take_up"),
                        RandomStream.purpose("unemployment_insurance.reference_wage"),
                        RandomStream.purpose("unemployment_insurance.spell")))
    }

    struct Rule: HouseholdRule {
        let scheme: UnemploymentInsurance
        let status, lastJob, sex, age, region: Column<Int32>
        let earnings: Column<Double>
        let contract, monthsWorked, monthsUnemployed: Column<Int32>?
        let donors: WageDonorPool
        let covered, contracts: CodeSet
        let takeUp: TakeUp.Bound
        let purposes: (takeUp: UInt64, wage: UInt64, spell: UInt64)

        init(scheme: UnemploymentInsurance, status: Column<Int32>, earnings: Column<Double>, lastJob: Column<Int32>,
             sex: Column<Int32>, age: Column<Int32>, region: Column<Int32>, contract: Column<Int32>?,
             monthsWorked: Column<Int32>?, monthsUnemployed: Column<Int32>?, donors: WageDonorPool,
             covered: CodeSet, contracts: CodeSet, takeUp: TakeUp.Bound, purposes: (UInt64, UInt64, UInt64)) {
            self.scheme = scheme
            self.status = status
            self.earnings = earnings
            self.lastJob = lastJob
            self.sex = sex
            self.age = age
            self.region = region
            self.contract = contract
            self.monthsWorked = monthsWorked
            self.monthsUnemployed = monthsUnemployed
            self.donors = donors
            self.covered = covered
            self.contracts = contracts
            self.takeUp = takeUp
            self.purposes = purposes
        }

        /// Whether a job of kind `job` with person `i`'s contract is covered.
        @inline(__always) func isCovered(job: Int32, _ i: Int) -> Bool {
            covered.contains(job) && (contract.map { contracts.contains($0[i]) } ?? true)
        }

        func apply(_ household: HouseholdFrame, amounts: UnsafeMutableBufferPointer<Double>) {
            let drawn = scheme.durationSource == .drawn
            let (contributors, contributions) = drawn ? (2, 3) : (1, 2)
            let contributionRate = scheme.employeeRate + scheme.employerRate
            let ceiling = scheme.contributionCeiling > 0 ? scheme.contributionCeiling : .infinity
            for k in 0..<household.size {
                let i = household.firstPerson + k
                let s = status[i]
                if s == 1 || s == 2 {
                    if isCovered(job: s, i) && earnings[i] > 0 {
                        household.counters[contributors] += 1
                        household.counters[contributions] += 12 * contributionRate * min(earnings[i], ceiling)
                    }
                    continue
                }
                guard s == 3, isCovered(job: lastJob[i], i),
                    (monthsWorked.map { $0[i] >= scheme.qualifyingMonths } ?? true)
                else { continue }
                household.counters[0] += 1
                guard takeUp.takesUp(i, { household.randomStream(purpose: purposes.takeUp, member: k) }) else { continue }
                let wage = earnings[i] > 0
                    ? earnings[i]
                    : donors.draw(job: lastJob[i], sex: sex[i], age: age[i], region: region[i],
                                  stream: household.randomStream(purpose: purposes.wage, member: k))
                if let elapsed = monthsUnemployed?[i] {
                    if Int(elapsed) < scheme.maxDurationMonths { amounts[k] = scheme.benefit(month: Int(elapsed) + 1, wage: wage) }
                } else {
                    let spell = scheme.spellDuration.draw(mean: scheme.meanSpellMonths) {
                        household.randomStream(purpose: purposes.spell, member: k)
                    }
                    let months = min(spell, Double(scheme.maxDurationMonths))
                    household.counters[1] += months
                    amounts[k] = scheme.spellBenefit(months: months, wage: wage) / scheme.meanSpellMonths
                }
            }
        }
    }
}
