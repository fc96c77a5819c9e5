import Foundation
import Testing
@testable import SimKernel

/// `WelfareAnalysis.compare` with the baseline prepared once (``BaselineCache``) gives the same bits as
/// without, and the sorted samples are built as the original definition builds them.
@Suite("Welfare comparison with a cached baseline")
struct WelfareBaselineCacheTests {
    /// SplitMix64: the same data on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// A random survey: households of 1 to 5 persons, welfare from a few values (ties) with some zero and
    /// negative, a tenth of the weights 0, equivalents per person, strata and PSUs, a reform that changes
    /// some households (and some by less than the "unchanged" tolerance).
    struct Survey {
        let baseline: WelfareDistribution
        let reform: WelfareDistribution
        let ages: [Int32]
        let starts: [Int]
        let region: [Int32]
        let design: SurveyDesign

        init(households n: Int, seed: UInt64, equivalised: Bool) throws {
            var g = Generator(state: seed)
            var starts = [0], ages: [Int32] = [], welfare: [Double] = [], reform: [Double] = [], weight: [Double] = []
            var equivalents: [Double] = [], region: [Int32] = [], stratum: [Int32] = [], psu: [Int32] = []
            for h in 0..<n {
                let size = 1 + g.int(5)
                var children = 0
                for _ in 0..<size {
                    let age = g.int(95)
                    if age < 18 { children += 1 }
                    ages.append(Int32(age))
                }
                starts.append(ages.count)
                let y: Double
                switch g.int(10) {
                case 0: y = 0
                case 1: y = -Double(g.int(50))
                case 2, 3, 4: y = Double(50 * (1 + g.int(8)))  // many ties
                default: y = 1 + 900 * g.uniform()
                }
                welfare.append(y)
                let change = g.int(3) == 0 ? 0 : (g.int(4) == 0 ? 0.001 : 25 * Double(children) - Double(g.int(20)))
                reform.append(y + change)
                weight.append(g.int(10) == 0 ? 0 : Double(1 + g.int(300)) * Double(size))
                equivalents.append(1 / (1 + Double(g.int(3)) / 2))
                region.append(Int32(g.int(4)))
                stratum.append(Int32(h % 3))
                psu.append(Int32(h / 7))
            }
            baseline = WelfareDistribution(welfare: welfare, personWeight: weight, equivalentsPerPerson: equivalised ? equivalents : nil)
            self.reform = WelfareDistribution(welfare: reform, personWeight: weight, equivalentsPerPerson: equivalised ? equivalents : nil)
            self.ages = ages
            self.starts = starts
            self.region = region
            design = try SurveyDesign(stratum: stratum, psu: psu)
        }

        var groupings: [Grouping] {
            [Grouping.ageBands(AgeBand.standard, ages: ages, householdStart: starts),
             Grouping.units(name: "region", labels: ["north", "south", "east", "west"], codes: region)]
        }
    }

    /// Every figure, every bit (a Double's description is the shortest text that reads back to the same bits).
    static func bits(_ c: WelfareComparison) -> String { String(describing: c) }

    static let optionSets = [
        IndicatorOptions(lines: [.euAtRiskOfPoverty, .absolute(200)], fgtAlphas: [0, 0.5, 1, 2]),
        IndicatorOptions(lines: [.absolute(180)], fgtAlphas: [0], quantiles: [], generalizedEntropy: [], atkinson: []),
        IndicatorOptions(lines: [.relative(share: 0.5, of: .mean)], quantileDefinition: .survey, unchangedTolerance: 0),
    ]

    @Test("a cached baseline gives the same bits as none, for every inference, 1 and 2 threads, sizes on both sides of the radix threshold",
          arguments: [(300, UInt64(1), false), (5_000, 2, true), (9_000, 3, false)])
    func sameBits(households: Int, seed: UInt64, equivalised: Bool) throws {
        let survey = try Survey(households: households, seed: seed, equivalised: equivalised)
        for options in Self.optionSets {
            let analysis = try WelfareAnalysis(options: options, design: survey.design, groupings: survey.groupings)
            for inference in [Inference.none, .linearized, .bootstrap(replicates: 5, seed: 9)] {
                for threads in [1, 2] {
                    let plan = ParallelPlan(threads: threads)
                    let cache = BaselineCache()
                    let plain = try analysis.compare(baseline: survey.baseline, reform: survey.reform, inference: inference, plan: plan)
                    let first = try analysis.compare(baseline: survey.baseline, reform: survey.reform, inference: inference,
                                                     plan: plan, baselines: cache)
                    #expect(cache.welfareHits == 0)
                    // A new reform against the cached baseline, and the same again.
                    let second = try analysis.compare(baseline: survey.baseline, reform: survey.reform, inference: inference,
                                                      plan: plan, baselines: cache)
                    #expect(cache.welfareHits == 1)
                    #expect(Self.bits(first) == Self.bits(plain))
                    #expect(Self.bits(second) == Self.bits(plain), "\(households) households, \(inference), \(threads) threads")
                    let other = WelfareDistribution(welfare: survey.reform.welfare.map { $0 + 3 }, personWeight: survey.baseline.personWeight,
                                                    equivalentsPerPerson: survey.baseline.equivalentsPerPerson)
                    let fresh = try analysis.compare(baseline: survey.baseline, reform: other, inference: inference, plan: plan)
                    let cached = try analysis.compare(baseline: survey.baseline, reform: other, inference: inference, plan: plan, baselines: cache)
                    #expect(cache.welfareHits == 2)
                    #expect(Self.bits(cached) == Self.bits(fresh))
                }
            }
        }
    }

    @Test("a baseline, grouping, design or option that differs in any bit is not taken from the cache")
    func misses() throws {
        let survey = try Survey(households: 5_000, seed: 4, equivalised: false)
        let options = IndicatorOptions(lines: [.absolute(200)])
        let analysis = try WelfareAnalysis(options: options, design: survey.design, groupings: survey.groupings)
        let cache = BaselineCache()
        _ = try analysis.compare(baseline: survey.baseline, reform: survey.reform, baselines: cache)
        var welfare = survey.baseline.welfare
        let zero = welfare.firstIndex(of: 0)!
        welfare[zero] = -0.0  // equal under ==, another bit pattern
        let signed = WelfareDistribution(welfare: welfare, personWeight: survey.baseline.personWeight)
        var ages = survey.ages
        ages[7] = ages[7] < 18 ? 40 : 5
        let variants: [(WelfareAnalysis, WelfareDistribution)] = [
            (analysis, signed),
            (try WelfareAnalysis(options: options, design: survey.design,
                                 groupings: [Grouping.ageBands(AgeBand.standard, ages: ages, householdStart: survey.starts), survey.groupings[1]]),
             survey.baseline),
            (try WelfareAnalysis(options: options, design: SurveyDesign(units: 5_000), groupings: survey.groupings), survey.baseline),
            (try WelfareAnalysis(options: IndicatorOptions(lines: [.absolute(201)]), design: survey.design, groupings: survey.groupings),
             survey.baseline),
            (try WelfareAnalysis(options: options, design: survey.design, groupings: Array(survey.groupings.reversed())), survey.baseline),
        ]
        for (i, (a, baseline)) in variants.enumerated() {
            let expected = try a.compare(baseline: baseline, reform: survey.reform)
            let got = try a.compare(baseline: baseline, reform: survey.reform, baselines: cache)
            #expect(cache.welfareHits == 0, "variant \(i)")
            #expect(Self.bits(got) == Self.bits(expected), "variant \(i)")
        }
        cache.removeAll()
        _ = try analysis.compare(baseline: survey.baseline, reform: survey.reform, baselines: cache)
        #expect(cache.welfareHits == 0)
    }

    /// The sorted samples as the original code built them: units visited in welfare order, appended to their
    /// group; a person-level grouping gives one entry per household and group with weight w_h / n_h × n_hg,
    /// in the order the household's members first name the group; PSUs numbered in order of appearance.
    static func reference(_ d: WelfareDistribution, order: [Int32], psuOfUnit: [Int32], grouping: Grouping?,
                          moments: InequalityMoments) -> [SortedSample] {
        let groups = grouping?.labels.count ?? 1
        var ys = [[Double]](repeating: [], count: groups), ws = ys, es = ys
        var ps = [[Int32]](repeating: [], count: groups)
        for o in order {
            let h = Int(o)
            var cells: [(Int, Double)] = []
            switch grouping?.members {
            case nil: cells = [(0, d.personWeight[h])]
            case .units(let codes)?: cells = [(Int(codes[h]), d.personWeight[h])]
            case .persons(let codes, let starts)?:
                var seen: [Int] = []
                for p in starts[h]..<starts[h + 1] where !seen.contains(Int(codes[p])) { seen.append(Int(codes[p])) }
                let members = starts[h + 1] - starts[h]
                for g in seen {
                    let count = (starts[h]..<starts[h + 1]).filter { Int(codes[$0]) == g }.count
                    cells.append((g, d.personWeight[h] / Double(members) * Double(count)))
                }
            }
            for (g, w) in cells {
                ys[g].append(d.welfare[h])
                ws[g].append(w)
                ps[g].append(psuOfUnit[h])
                es[g].append(d.equivalentsPerPerson?[h] ?? 1)
            }
        }
        return (0..<groups).map { g in
            SortedSample(y: ys[g], weight: ws[g], psu: ps[g], equivalents: d.equivalentsPerPerson == nil ? nil : es[g], moments: moments)
        }
    }

    /// f(y) per entry as the original code computed it.
    static func transformed(_ y: [Double], _ moments: InequalityMoments) -> [[Double]] {
        moments.transforms.map { t in t == .log ? y.map { $0 > 0 ? Foundation.log($0) : 0 } : y.map { t.value($0) } }
    }

    /// The incidence as the original code computed it: the baseline gathered in welfare order, cumulative
    /// weights, the decile cuts, then seven compensated sums per decile and for everyone.
    static func referenceIncidence(baseline: WelfareDistribution, reform: WelfareDistribution, options: IndicatorOptions) -> String {
        let n = baseline.count
        let order = baseline.welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
        let w = baseline.personWeight, yb = baseline.welfare, yr = reform.welfare
        let e = baseline.equivalentsPerPerson
        var sortedY = [Double](repeating: 0, count: n), sortedW = sortedY, cumulative = sortedY
        var c = CompensatedSum()
        for (i, o) in order.enumerated() {
            sortedY[i] = yb[Int(o)]
            sortedW[i] = w[Int(o)]
            c.add(sortedW[i])
            cumulative[i] = c.value
        }
        var cuts = [Int](repeating: n, count: 11)
        cuts[0] = 0
        sortedY.withUnsafeBufferPointer { y in
            sortedW.withUnsafeBufferPointer { sw in
                cumulative.withUnsafeBufferPointer { cw in
                    for k in 1...9 {
                        let q = options.quantileDefinition.quantile(Double(k) / 10, y: y, weight: sw, cumulative: cw, count: n)
                        cuts[k] = IndicatorKernel.upperBound(y, q)
                    }
                }
            }
        }
        let tau = options.unchangedTolerance
        var sums = [[CompensatedSum]](repeating: [CompensatedSum](repeating: CompensatedSum(), count: 7), count: 11)
        for d in 0..<10 {
            for i in cuts[d]..<cuts[d + 1] {
                let h = Int(order[i])
                let delta = yr[h] - yb[h]
                let wh = w[h]
                let status = delta > tau ? 4 : delta < -tau ? 5 : 6
                let money = wh * (e?[h] ?? 1) * delta
                for row in stride(from: d, through: 10, by: 10 - d) {
                    sums[row][0].add(wh)
                    sums[row][1].add(wh * yb[h])
                    sums[row][2].add(wh * delta)
                    sums[row][3].add(money)
                    sums[row][status].add(wh)
                }
            }
        }
        let totalWeight = sums[10][0].value, totalMoney = sums[10][3].value
        func row(_ s: [CompensatedSum]) -> Incidence.Row {
            let weight = s[0].value
            return Incidence.Row(populationShare: weight / totalWeight, baselineMean: s[1].value / weight,
                                 meanGain: s[2].value / weight, gainPercent: 100 * s[2].value / s[1].value,
                                 shareOfGains: s[3].value / totalMoney, gaining: s[4].value / weight,
                                 losing: s[5].value / weight, unchanged: s[6].value / weight)
        }
        return "\((0..<10).map { row(sums[$0]) }) \(row(sums[10]))"
    }

    @Test("the incidence by baseline decile is the original definition's, bit for bit, cached or not",
          arguments: [(300, UInt64(7), true), (9_000, 8, false)])
    func incidence(households: Int, seed: UInt64, equivalised: Bool) throws {
        let survey = try Survey(households: households, seed: seed, equivalised: equivalised)
        for options in Self.optionSets {
            let analysis = try WelfareAnalysis(options: options, design: survey.design, groupings: survey.groupings)
            let expected = Self.referenceIncidence(baseline: survey.baseline, reform: survey.reform, options: options)
            let cache = BaselineCache()
            for _ in 0..<2 {
                let c = try analysis.compare(baseline: survey.baseline, reform: survey.reform, baselines: cache)
                let got = "\(c.incidence.deciles) \(c.incidence.total)"
                #expect(got == expected)
            }
            #expect(cache.welfareHits == 1)
        }
    }

    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }

    @Test("the sorted samples of the whole population and of each group are built as the original definition, bit for bit")
    func samples() throws {
        for (n, seed, equivalised) in [(300, UInt64(5), true), (6_000, 6, false)] {
            let survey = try Survey(households: n, seed: seed, equivalised: equivalised)
            let moments = IndicatorLayout(options: IndicatorOptions()).moments
            let order = survey.baseline.welfare.withUnsafeBufferPointer { WelfareSort.permutation($0) }
            for grouping in [nil] + survey.groupings {
                let new = SortedSample.build(survey.baseline, order: order, psuOfUnit: survey.design.psuOfUnit, grouping: grouping,
                                             moments: moments)
                let old = Self.reference(survey.baseline, order: order, psuOfUnit: survey.design.psuOfUnit, grouping: grouping,
                                         moments: moments)
                #expect(new.count == old.count)
                for (a, b) in zip(new, old) {
                    #expect(Self.sameBits(a.y, b.y) && Self.sameBits(a.weight, b.weight) && a.psu == b.psu)
                    #expect(Self.sameBits(a.equivalents ?? [], b.equivalents ?? []) && (a.equivalents == nil) == (b.equivalents == nil))
                    #expect(Self.sameBits(a.logY, b.logY))
                    #expect(a.transformed.count == b.transformed.count && !b.transformed.isEmpty)
                    let f = Self.transformed(b.y, moments)
                    #expect(zip(a.transformed, f).allSatisfy { Self.sameBits($0, $1) })
                    #expect(Self.sameBits(a.logY, b.y.map { $0 > 0 ? Foundation.log($0) : 0 }))
                    // PSUs numbered in order of first appearance, as the original dictionary did, and their totals.
                    var local: [Int32: Int] = [:], psus: [Int32] = []
                    for p in b.psu where local[p] == nil {
                        local[p] = psus.count
                        psus.append(p)
                    }
                    #expect(a.psus == psus)
                    let totals = f.indices.map { t in
                        var totals = [Double](repeating: 0, count: psus.count)
                        for i in 0..<b.count {
                            totals[local[b.psu[i]]!] += b.weight[i] * f[t][i]
                        }
                        return totals
                    }
                    #expect(a.psuTransformTotals.count == totals.count)
                    #expect(zip(a.psuTransformTotals, totals).allSatisfy { Self.sameBits($0, $1) })
                    #expect(a.firstPositive == b.firstPositive && a.firstNonNegative == b.firstNonNegative)
                }
            }
        }
    }
    @Test("age bands looked up by table give each person the first band containing the age, or 'other ages'",
          arguments: [[Int32]([0, 17, 18, 64, 65, 120, -1, 3]), [0, 5, 70_000, -70_000, 30], [20, 30, 40]])
    func ageBandTable(ages: [Int32]) {
        let bands = [AgeBand(0, 17), AgeBand(10, 64), AgeBand(65, nil)]
        let grouping = Grouping.ageBands(bands, ages: ages, householdStart: nil)
        guard case .units(let codes) = grouping.members else { Issue.record("not a grouping of units"); return }
        let expected = ages.map { age in Int32(bands.firstIndex { $0.contains(Int(age)) } ?? bands.count) }
        #expect(codes == expected)
        #expect(grouping.labels.count == bands.count + (expected.contains(Int32(bands.count)) ? 1 : 0))
    }
}
