import SimKernel

/// Who among the eligible actually receives a benefit (or joins a scheme):
/// a rate between 0 and 1, optionally different per group (region, urban,
/// any category: a code or a 0/1 flag, or a whole-number column of the data).
///
/// Every benefit module declares the three parameters this type reads:
///
/// ```yaml
/// take_up_rate: 0.8              # everyone not in a listed group
/// take_up_group: urban           # the column that defines the groups
/// take_up_by_group: {0: 0.6, 1: 0.9}
/// ```
///
/// Each eligible unit (a person, or a household for household benefits)
/// draws u ~ U[0, 1) from the household's random stream for the module's
/// purpose, reseeded from (run seed, purpose, household id, member
/// position), and takes up when u < rate. A rate of 1 takes up without a
/// draw and a rate of 0 never does, so with the default (1) results are
/// exactly those of a model without take-up. A household's draw depends on
/// nothing else: not on threads, chunk size, row order, or on the other
/// members' eligibility. The group of a household unit is its head's (first
/// member's) value; a value not listed in `take_up_by_group` gets
/// `take_up_rate`.
struct TakeUp: Sendable {
    /// The keys' prefix: `take_up` (benefits) or `join` (contribution subsidy).
    let prefix: String
    /// The rate for anyone not in a listed group.
    let rate: Double
    /// The variable defining the groups (a category; a custom column is read as whole-number codes).
    let groupVariable: Variable
    /// Rates per group code, from the file.
    let byGroup: [(code: Int, rate: Double)]

    /// The three parameters, for a module's ``PolicyModule/parameters`` list.
    ///
    /// - Parameters:
    ///   - prefix: `take_up` gives `take_up_rate`, `take_up_group`, `take_up_by_group`.
    ///   - unit: Who draws ("each eligible person", "each selected household").
    static func parameters(prefix: String = "take_up", unit: String) -> [ParameterSpec] {
        let what = prefix == "take_up" ? "takes up the benefit" : "joins"
        return [
            ParameterSpec("\(prefix)_rate", .number, unit: "share", default: .number(1), range: 0...1,
                          summary: "probability that \(unit) \(what) (1 = all, no random draw), for groups not listed in \(prefix)_by_group"),
            ParameterSpec("\(prefix)_group", .variable(.category), unit: "variable", default: .text("region"),
                          summary: "category (code or 0/1 flag) defining the groups of \(prefix)_by_group (read only if \(prefix)_by_group is given)"),
            ParameterSpec("\(prefix)_by_group", .codeMap, unit: "share", default: .keyedNumbers([]), range: 0...1,
                          summary: "rate per group code of \(prefix)_group, e.g. {0: 0.6, 1: 0.9}; other codes use \(prefix)_rate"),
        ]
    }

    init(_ p: ResolvedParameters, prefix: String = "take_up") throws {
        self.prefix = prefix
        rate = p.number("\(prefix)_rate")
        groupVariable = p.variable("\(prefix)_group")
        byGroup = p.keyedNumbers("\(prefix)_by_group").map { (Int($0.key)!, $0.value) }
    }

    /// Whether any unit may fail to take up (some rate below 1).
    var isActive: Bool { rate < 1 || byGroup.contains { $0.rate < 1 } }

    /// The group column, when rates differ by group.
    func variables(neededBy who: String) -> [VariableRequest] {
        byGroup.isEmpty ? [] : [VariableRequest(groupVariable, neededBy: who + " (\(prefix)_group)")]
    }

    /// The take-up rule for a population.
    func bind(to population: Population) -> Bound {
        guard !byGroup.isEmpty else { return Bound(rate: rate, group: nil, rates: [:]) }
        var rates: [Int32: Double] = [:]
        for g in byGroup { rates[Int32(clamping: g.code)] = g.rate }
        let values = PersonValues(groupVariable, in: population).values
        let codes = values.map { $0 == $0.rounded() && abs($0) < 2e9 ? Int32($0) : Int32.min }
        return Bound(rate: rate, group: codes, rates: rates)
    }

    /// Take-up bound to a population's group column.
    struct Bound: Sendable {
        let rate: Double
        let group: [Int32]?
        let rates: [Int32: Double]

        /// The take-up rate of person `i` (or of the household whose head is `i`).
        @inline(__always) func rate(of i: Int) -> Double {
            guard let group else { return rate }
            return rates[group[i]] ?? rate
        }

        /// Whether the unit headed by person `i` takes up; draws from `stream()` only for a rate strictly between 0 and 1.
        @inline(__always) func takesUp(_ i: Int, _ stream: () -> RandomStream) -> Bool {
            BenefitPipeline.takesUp(rate: rate(of: i), stream)
        }
    }
}
