import SimKernel

/// Each household's decile of per-capita household income, computed once
/// per run from data columns.
///
/// Income is the sum over members of the given variables (e.g. `earnings`
/// and `other_income`: market income), divided by the number of members.
/// Deciles are of persons: each household counts with weight w_h × n_h. With
/// households sorted by per-capita income (ties by household id) and F(y)
/// the share of the weighted persons at or below y, the k-th cut point q_k
/// (k = 1..9) is the smallest per-capita income with F ≥ k / 10, and a
/// household's decile is 1 + the number of cut points strictly below its
/// income (so tied households share a decile, and decile 1 includes zero and
/// negative incomes).
enum IncomeDeciles {
    /// Every household's decile, 0-based (0 = poorest tenth), in household order.
    static func of(_ population: Population, income variables: [Variable]) -> [UInt8] {
        let n = population.householdCount
        let columns = variables.map { PersonValues($0, in: population).values }
        var perCapita = [Double](repeating: 0, count: n)
        var personWeight = [Double](repeating: 0, count: n)
        for h in 0..<n {
            let members = population.persons(of: h)
            var y = 0.0
            for i in members { for c in columns { y += c[i] } }
            perCapita[h] = y / Double(members.count)
            personWeight[h] = population.weight[h] * Double(members.count)
        }
        // Sorted by income, ties by household id, and summed in that order: the cut points do not
        // depend on the order of rows in the file.
        let id = population.householdID
        let order = (0..<n).sorted { (perCapita[$0], id[$0]) < (perCapita[$1], id[$1]) }
        var total = 0.0
        for h in order { total += personWeight[h] }
        var cuts: [Double] = []
        var cumulative = 0.0
        var k = 1
        for h in order where k <= 9 {
            cumulative += personWeight[h]
            while k <= 9 && 10 * cumulative >= Double(k) * total {  // F ≥ k / 10 without rounding k / 10
                cuts.append(perCapita[h])
                k += 1
            }
        }
        return perCapita.map { y in
            var d: UInt8 = 0
            for q in cuts where q < y { d += 1 }
            return d
        }
    }
}
