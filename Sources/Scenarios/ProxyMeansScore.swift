import SimKernel
#if canImport(Glibc)
import Glibc  // log
#elseif canImport(Darwin)
import Darwin
#endif

/// A proxy-means test score: a weighted sum of household characteristics
/// that stands in for income where income cannot be observed, as targeting
/// agencies compute it from a short questionnaire.
///
/// score = `score_intercept` + Σ_v `score_weights[v]` × x_v, where x_v is one
/// of the built-in household characteristics:
///
/// | name | x |
/// |---|---|
/// | `members` | number of members |
/// | `log_members` | natural log of the number of members |
/// | `children` | members aged 0 to 17 |
/// | `elderly` | members aged 60 or more |
/// | `disabled_members` | members with `disabled == 1` |
/// | `workers` | members with `labour_status` 1 or 2 |
/// | `formal_workers` | members with `labour_status` 1 |
/// | `unemployed_members` | members with `labour_status` 3 |
///
/// or, for any other name, that data column's value for the household's head
/// (first member): dwelling and asset variables are household
/// characteristics, the same on every member (`urban`, or a column such as
/// `has_electricity`). A column must measure something (a count, a flag, an
/// age, money, a number): a category code such as `region` has no size, so
/// it is refused when the file is read (give a 0/1 column per category), as
/// are the weight and the identifiers (``VariableRequirement/characteristic(builtIn:)``).
/// The score is computed once per run, at bind time, from the data only.
struct ProxyMeansScore: Sendable {
    static let builtIn = ["members", "log_members", "children", "elderly", "disabled_members", "workers",
                          "formal_workers", "unemployed_members"]

    let intercept: Double
    let weights: [KeyedNumber]
    /// The data columns among the weights' names, as the parameter's requirement reads them.
    let columns: [String: Variable]

    init(intercept: Double, weights: [KeyedNumber], parameters p: ResolvedParameters, key: String) throws {
        self.intercept = intercept
        self.weights = weights
        var columns: [String: Variable] = [:]
        for w in weights where !Self.builtIn.contains(w.key) { columns[w.key] = p.variable(named: w.key, for: key) }
        self.columns = columns
    }

    /// The data columns the characteristics need.
    func variables(neededBy who: String) -> [VariableRequest] {
        var v: [VariableRequest] = []
        let names = Set(weights.map(\.key))
        if !names.isDisjoint(with: ["children", "elderly"]) { v.append(VariableRequest(.age, neededBy: who)) }
        if names.contains("disabled_members") { v.append(VariableRequest(.disabled, neededBy: who)) }
        if !names.isDisjoint(with: ["workers", "formal_workers", "unemployed_members"]) {
            v.append(VariableRequest(.labourStatus, neededBy: who))
        }
        for n in weights.map(\.key) { if let column = columns[n] { v.append(VariableRequest(column, neededBy: who)) } }
        return v
    }

    /// Every household's score, in household order.
    func scores(of population: Population) -> [Double] {
        var scores = [Double](repeating: intercept, count: population.householdCount)
        for w in weights {
            let x = characteristic(w.key, population)
            for h in scores.indices { scores[h] += w.value * x[h] }
        }
        return scores
    }

    /// Characteristic `name` of every household.
    private func characteristic(_ name: String, _ population: Population) -> [Double] {
        func count(_ where: (Int) -> Bool) -> [Double] {
            (0..<population.householdCount).map { h in
                var n = 0
                for i in population.persons(of: h) where `where`(i) { n += 1 }
                return Double(n)
            }
        }
        switch name {
        case "members": return count { _ in true }
        case "log_members": return count { _ in true }.map { log($0) }
        case "children": let a = population.integers("age"); return count { a[$0] <= 17 }
        case "elderly": let a = population.integers("age"); return count { a[$0] >= 60 }
        case "disabled_members": let d = population.integers("disabled"); return count { d[$0] == 1 }
        case "workers": let s = population.integers("labour_status"); return count { s[$0] == 1 || s[$0] == 2 }
        case "formal_workers": let s = population.integers("labour_status"); return count { s[$0] == 1 }
        case "unemployed_members": let s = population.integers("labour_status"); return count { s[$0] == 3 }
        default:
            let values = PersonValues(columns[name]!, in: population)
            return (0..<population.householdCount).map { values[population.householdStart[$0]] }
        }
    }
}
