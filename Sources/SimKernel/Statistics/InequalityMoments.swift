import Foundation

/// The weighted moments behind generalised entropy and Atkinson indices, and
/// their definitions.
///
/// Every one of these indices is a smooth function of three weighted totals
/// over the units where it is defined (its *eligible* set `S`):
/// `W_S = Σ_S w`, `Y_S = Σ_S w y` and `T_S = Σ_S w f(y)` for one transform
/// `f`. With `μ = Y_S / W_S`:
///
/// | index | f(y) | eligible | formula |
/// |---|---|---|---|
/// | GE(0), mean log deviation | log y | y > 0 | log μ − T/W |
/// | GE(1), Theil | y log y | y > 0 | T/Y − log μ |
/// | GE(α), other α | y^α | y > 0 if α < 0; y ≥ 0 if α > 0 is not whole; all y if α is a whole number ≥ 2 | (T / (W μ^α) − 1) / (α(α − 1)) |
/// | Atkinson ε = 1 | log y | y > 0 | 1 − exp(T/W) / μ |
/// | Atkinson ε ≠ 1 | y^(1−ε) | y > 0 if ε > 1; y ≥ 0 if 0 < ε < 1; all y if ε = 0 | 1 − (T/W)^(1/(1−ε)) / μ |
///
/// Units outside `S` (zero or negative welfare where `log`, `y^α` for α not
/// whole, or `y^(1−ε)` for ε > 1 are undefined) are **left out** of the
/// index, from every total including `W_S` and `μ`, and counted in a
/// warning. If `μ ≤ 0` or `W_S = 0` the index is undefined (`nan`).
/// Sources: Shorrocks (1980) for GE, Atkinson (1970); the same definitions
/// as Stata's `ineqdeco` and R convey's `svygei`/`svyatk` on positive incomes.
struct InequalityMoments: Sendable, Hashable {
    /// A per-unit transform `f(y)` whose weighted total an index needs.
    enum Transform: Sendable, Hashable {
        case log
        case yLog
        case power(Double)

        /// Which units the transform is defined on.
        var eligibility: Eligibility {
            switch self {
            case .log, .yLog: return .positive
            case .power(let a):
                if a <= 0 { return .positive }
                return a == a.rounded() ? .all : .nonNegative
            }
        }

        /// f(y), or 0 outside the eligible set (those units are left out anyway).
        func value(_ y: Double) -> Double {
            switch eligibility {
            case .positive where !(y > 0): return 0
            case .nonNegative where !(y >= 0): return 0
            default: break
            }
            switch self {
            case .log: return Foundation.log(y)
            case .yLog: return y * Foundation.log(y)
            case .power(let a):
                if a == 1 { return y }
                if a == 2 { return y * y }
                if a == 0.5 { return y.squareRoot() }
                if a == -1 { return 1 / y }
                return pow(y, a)
            }
        }
    }

    /// Which units an index is computed on. Sorted ascending, each set is a suffix.
    enum Eligibility: Sendable, Hashable {
        case all, nonNegative, positive
    }

    /// One index: what it is and which transform it sums.
    struct Measure: Sendable, Hashable {
        enum Kind: Sendable, Hashable { case generalizedEntropy(Double), atkinson(Double) }
        let kind: Kind
        /// Index into ``InequalityMoments/transforms``.
        let transform: Int
    }

    /// The distinct transforms, each summed once per evaluation.
    let transforms: [Transform]
    /// GE measures then Atkinson measures, in the options' order.
    let measures: [Measure]

    init(options: IndicatorOptions) {
        var transforms: [Transform] = []
        func slot(_ t: Transform) -> Int {
            if let i = transforms.firstIndex(of: t) { return i }
            transforms.append(t)
            return transforms.count - 1
        }
        var measures: [Measure] = []
        for a in options.generalizedEntropy where !measures.contains(where: { $0.kind == .generalizedEntropy(a) }) {
            let t: Transform = a == 0 ? .log : a == 1 ? .yLog : .power(a)
            measures.append(Measure(kind: .generalizedEntropy(a), transform: slot(t)))
        }
        for e in options.atkinson where !measures.contains(where: { $0.kind == .atkinson(e) }) {
            let t: Transform = e == 1 ? .log : .power(1 - e)
            measures.append(Measure(kind: .atkinson(e), transform: slot(t)))
        }
        self.transforms = transforms
        self.measures = measures
    }

    /// The index from the totals over its eligible set.
    ///
    /// - Parameters:
    ///   - w: W_S. - y: Y_S. - t: T_S, the total of the measure's transform.
    static func index(_ kind: Measure.Kind, w: Double, y: Double, t: Double) -> Double {
        guard w > 0 else { return .nan }
        let mu = y / w
        guard mu > 0 else { return .nan }
        switch kind {
        case .generalizedEntropy(let a):
            if a == 0 { return Foundation.log(mu) - t / w }
            if a == 1 { return t / y - Foundation.log(mu) }
            return (t / (w * pow(mu, a)) - 1) / (a * (a - 1))
        case .atkinson(let e):
            if e == 0 { return 0 }
            if e == 1 { return 1 - exp(t / w) / mu }
            return 1 - pow(t / w, 1 / (1 - e)) / mu
        }
    }

    /// The derivatives of ``index(_:w:y:t:)`` with respect to (W_S, Y_S, T_S),
    /// for Taylor linearisation: the linearised variable of unit i in S is
    /// `w_i (dW + dY y_i + dT f(y_i))`.
    static func gradient(_ kind: Measure.Kind, w: Double, y: Double, t: Double) -> (dW: Double, dY: Double, dT: Double) {
        let mu = y / w
        switch kind {
        case .generalizedEntropy(let a):
            if a == 0 { return (-1 / w + t / (w * w), 1 / y, -1 / w) }
            if a == 1 { return (1 / w, -t / (y * y) - 1 / y, 1 / y) }
            // GE = (T W^(a-1) Y^(-a) - 1) / (a(a-1))
            let core = t * pow(w, a - 1) * pow(y, -a) / (a * (a - 1))
            return ((a - 1) * core / w, -a * core / y, core / t)
        case .atkinson(let e):
            if e == 0 { return (0, 0, 0) }
            if e == 1 {
                let ede = exp(t / w)  // equally distributed equivalent
                return (-ede / y + ede * t / (w * y), ede * w / (y * y), -ede / y)
            }
            let ede = pow(t / w, 1 / (1 - e))
            return (-ede / y + ede / ((1 - e) * y), ede / (mu * y), -(w / y) * ede / ((1 - e) * t))
        }
    }
}
