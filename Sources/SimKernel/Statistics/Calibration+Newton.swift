import Foundation

/// R's design matrix of a calibration, row-major: n rows × p columns, with
/// the totals of its columns (see ``Calibration``, step 1).
struct DesignBasis {
    /// n × p values, row-major.
    private(set) var values: [Double]
    /// The known total of each column.
    let population: [Double]
    let rowCount: Int
    let columnCount: Int

    init(margins: [CalibrationMargin], rowCount n: Int) {
        var columns: [(fill: (Int) -> Double, total: Double)] = []
        if let first = margins.first(where: { if case .categorical = $0.values { return true } else { return false } }),
           case .categorical(_, _, let totals) = first.values {
            columns.append(({ _ in 1 }, totals.reduce(0, +)))
        }
        for margin in margins {
            switch margin.values {
            case .categorical(let codes, let categories, let totals):
                for k in 1..<categories.count {
                    columns.append(({ codes[$0] == k ? 1 : 0 }, totals[k]))
                }
            case .numeric(let v, let total):
                // R drops a column that is 0 everywhere with a total of 0 (validation refuses a non-zero total).
                if total == 0, v.allSatisfy({ $0 == 0 }) { continue }
                columns.append(({ v[$0] }, total))
            }
        }
        let p = columns.count
        var values = [Double](repeating: 0, count: n * p)
        for (j, column) in columns.enumerated() {
            for i in 0..<n { values[i * p + j] = column.fill(i) }
        }
        self.values = values
        self.population = columns.map(\.total)
        self.rowCount = n
        self.columnCount = p
    }

    /// Replaces every column by its household means (R's `ave(x, household)`).
    mutating func averageWithin(_ households: [Int]) {
        let p = columnCount
        var index: [Int: Int] = [:]
        var group = [Int](repeating: 0, count: rowCount)
        for (i, h) in households.enumerated() {
            if let g = index[h] { group[i] = g } else { group[i] = index.count; index[h] = index.count }
        }
        var sums = [Double](repeating: 0, count: index.count * p)
        var counts = [Double](repeating: 0, count: index.count)
        for i in 0..<rowCount {
            counts[group[i]] += 1
            for j in 0..<p { sums[group[i] * p + j] += values[i * p + j] }
        }
        for i in 0..<rowCount {
            for j in 0..<p { values[i * p + j] = sums[group[i] * p + j] / counts[group[i]] }
        }
    }

    /// Σᵢ cᵢxᵢⱼ for every column j.
    func weightedColumnSums(_ c: [Double]) -> [Double] {
        let p = columnCount
        var out = [Double](repeating: 0, count: p)
        values.withUnsafeBufferPointer { x in
            for i in 0..<rowCount where c[i] != 0 {
                for j in 0..<p { out[j] += x[i * p + j] * c[i] }
            }
        }
        return out
    }

    /// Σᵢ cᵢxᵢxᵢ' (p × p, row-major, symmetric).
    func crossProduct(_ c: [Double]) -> [Double] {
        let p = columnCount
        var out = [Double](repeating: 0, count: p * p)
        values.withUnsafeBufferPointer { x in
            for i in 0..<rowCount where c[i] != 0 {
                let row = i * p
                for j in 0..<p {
                    let a = x[row + j] * c[i]
                    if a == 0 { continue }
                    for k in j..<p { out[j * p + k] += a * x[row + k] }
                }
            }
        }
        for j in 0..<p { for k in 0..<j { out[j * p + k] = out[k * p + j] } }
        return out
    }

    /// xᵢ'η for every row.
    func rowProducts(_ eta: [Double]) -> [Double] {
        let p = columnCount
        return values.withUnsafeBufferPointer { x in
            (0..<rowCount).map { i in
                var s = 0.0
                for j in 0..<p { s += x[i * p + j] * eta[j] }
                return s
            }
        }
    }
}

/// A method's F (R's `Fm1`: g − 1 as a function of u = x'η) and its derivative (R's `dF`),
/// written as survey 4.1.1 writes them so that the iterations match R's.
struct CalibrationDistance {
    let method: CalibrationMethod
    let lower: Double
    let upper: Double

    init(method: CalibrationMethod, bounds: CalibrationBounds) {
        self.method = method
        self.lower = bounds.lower
        self.upper = bounds.upper
    }

    /// F(u) = g − 1.
    func fm1(_ u: Double) -> Double {
        switch method {
        case .linear:
            return Swift.min(Swift.max(u + 1, lower), upper) - 1
        case .raking:
            return Swift.min(Swift.max(exp(u), lower), upper) - 1
        case .logit:
            let (l, h) = (lower, upper)
            let a = (h - l) / ((h - 1) * (1 - l))
            let e = exp(a * u)
            return (l * (h - 1) + h * (1 - l) * e) / (h - 1 + (1 - l) * e) - 1
        }
    }

    /// F′(u). For bounded raking this is R's `cal.raking$dF`, which tests u
    /// (not eᵘ) against the bounds minus 1, as survey 4.1.1 does.
    func derivative(_ u: Double) -> Double {
        switch method {
        case .linear:
            return (u < upper - 1 && u > lower - 1) ? 1 : 0
        case .raking:
            return (u < upper - 1 && u > lower - 1) ? exp(u) : 0
        case .logit:
            let (l, h) = (lower, upper)
            let a = (h - l) / ((h - 1) * (1 - l))
            let e = exp(a * u)
            let d = h - 1 + (1 - l) * e
            return h * (1 - l) * e * a / d - ((l * (h - 1) + h * (1 - l) * e) * ((1 - l) * e * a)) / (d * d)
        }
    }
}

/// The Moore-Penrose inverse of a symmetric matrix, as R's `MASS::ginv`:
/// eigenvalues (= singular values up to sign) at most 256·ε times the
/// largest in magnitude are treated as zero. Cyclic Jacobi eigendecomposition.
struct Pseudoinverse {
    private var inverse: [Double]
    private let size: Int

    /// The pseudo-inverse of the symmetric `size` × `size` row-major matrix `a`.
    init(symmetric a: [Double], size p: Int) {
        var m = a
        var v = [Double](repeating: 0, count: p * p)
        for i in 0..<p { v[i * p + i] = 1 }
        var norm = 0.0
        for x in m { norm += x * x }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<p { for j in 0..<p where j != i { off += m[i * p + j] * m[i * p + j] } }
            if off <= 1e-32 * norm || off == 0 { break }
            for r in 0..<p {
                for q in (r + 1)..<Swift.max(r + 1, p) {
                    let arq = m[r * p + q]
                    if arq == 0 { continue }
                    let theta = (m[q * p + q] - m[r * p + r]) / (2 * arq)
                    let t: Double
                    if abs(theta) > 1e150 { t = 1 / (2 * theta) } else {
                        t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    }
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<p {   // columns r, q of m
                        let mkr = m[k * p + r], mkq = m[k * p + q]
                        m[k * p + r] = c * mkr - s * mkq
                        m[k * p + q] = s * mkr + c * mkq
                    }
                    for k in 0..<p {   // rows r, q of m
                        let mrk = m[r * p + k], mqk = m[q * p + k]
                        m[r * p + k] = c * mrk - s * mqk
                        m[q * p + k] = s * mrk + c * mqk
                    }
                    for k in 0..<p {   // columns r, q of v
                        let vkr = v[k * p + r], vkq = v[k * p + q]
                        v[k * p + r] = c * vkr - s * vkq
                        v[k * p + q] = s * vkr + c * vkq
                    }
                }
            }
        }
        let eigen = (0..<p).map { m[$0 * p + $0] }
        let largest = eigen.map(abs).max() ?? 0
        let tolerance = 256 * Double.ulpOfOne * largest
        var inverse = [Double](repeating: 0, count: p * p)
        for e in 0..<p where abs(eigen[e]) > tolerance && largest > 0 {
            let f = 1 / eigen[e]
            for i in 0..<p {
                let vi = v[i * p + e] * f
                for j in 0..<p { inverse[i * p + j] += vi * v[j * p + e] }
            }
        }
        self.inverse = inverse
        self.size = p
    }

    /// A⁺b.
    func times(_ b: [Double]) -> [Double] {
        (0..<size).map { i in
            var s = 0.0
            for j in 0..<size { s += inverse[i * size + j] * b[j] }
            return s
        }
    }
}
