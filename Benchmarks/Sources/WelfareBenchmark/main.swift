// WelfareAnalysis.compare on a synthetic survey: what the workshop page computes for each changed option
// (poverty by age group and gains by decile), timed at several sizes.
//
//   swift run -c release --package-path Benchmarks WelfareBenchmark [--repeat N] [--threads T] N...
//
// The survey: N households of 1 to 6 persons (ages 0 to 89), per-capita welfare from a log-normal draw rounded
// to whole units (so many households tie), person weights from 0 to 400 (some 0); the reform adds 30 per child
// (the child grant). Per size it times, median (min–max) of the repeats:
//   cold    compare with no cache: both distributions sorted and evaluated (`report`, `assess`);
//   cached  compare with the baseline prepared before (a BaselineCache hit): what a parameter change costs on
//           the page once the baseline has been seen;
// and checks that both give the same figures, bit for bit (exit 1 otherwise).
import Foundation
import SimKernel

var repeats = 7
var threads = 1
var sizes: [Int] = []
var args = CommandLine.arguments.dropFirst()
while let a = args.first {
    args = args.dropFirst()
    switch a {
    case "--repeat": repeats = Int(args.removeFirst()) ?? 7
    case "--threads": threads = Int(args.removeFirst()) ?? 1
    default:
        guard let n = Int(a), n > 0 else {
            FileHandle.standardError.write(Data("usage: WelfareBenchmark [--repeat N] [--threads T] HOUSEHOLDS...\n".utf8))
            exit(64)
        }
        sizes.append(n)
    }
}
if sizes.isEmpty { sizes = [3000, 50000, 1_000_000] }

/// SplitMix64: the same survey on every run.
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
}

func summary(_ times: [Double]) -> String {
    let t = times.sorted()
    return String(format: "%8.1f ms (%.1f–%.1f)", t[t.count / 2], t.first!, t.last!)
}

print("households  persons  cold compare (median, min–max)  cached-baseline compare (median, min–max)  threads \(threads)")
for n in sizes {
    var g = Generator(state: UInt64(n))
    var starts = [0], ages: [Int32] = [], welfare: [Double] = [], reform: [Double] = [], weight: [Double] = []
    for _ in 0..<n {
        let size = 1 + g.int(6)
        var children = 0
        for _ in 0..<size {
            let age = g.int(90)
            if age < 18 { children += 1 }
            ages.append(Int32(age))
        }
        starts.append(ages.count)
        // Box-Muller: log welfare ~ N(log 300, 0.8), rounded to whole units.
        let z = (-2 * log(max(g.uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * g.uniform())
        let y = (exp(log(300) + 0.8 * z)).rounded()
        welfare.append(y)
        reform.append(y + 30 * Double(children) / Double(size))
        weight.append(g.int(10) == 0 ? 0 : Double(g.int(400) + 1) * Double(size))
    }
    let baseline = WelfareDistribution(welfare: welfare, personWeight: weight)
    let changed = WelfareDistribution(welfare: reform, personWeight: weight)
    let analysis = try WelfareAnalysis(
        options: IndicatorOptions(lines: [.absolute(200)], fgtAlphas: [0], quantiles: [], generalizedEntropy: [], atkinson: []),
        design: SurveyDesign(units: n),
        groupings: [Grouping.ageBands(AgeBand.standard, ages: ages, householdStart: starts)])
    let plan = ParallelPlan(threads: threads)
    var cold: [Double] = [], cached: [Double] = []
    var reference: WelfareComparison?
    let cache = BaselineCache()
    _ = try analysis.compare(baseline: baseline, reform: changed, plan: plan, baselines: cache)  // the baseline seen once
    for _ in 0..<repeats {
        var a: WelfareComparison?, b: WelfareComparison?
        cold.append(try milliseconds { a = try analysis.compare(baseline: baseline, reform: changed, plan: plan) })
        cached.append(try milliseconds { b = try analysis.compare(baseline: baseline, reform: changed, plan: plan, baselines: cache) })
        guard String(describing: a!) == String(describing: b!), reference.map({ String(describing: $0) == String(describing: a!) }) ?? true else {
            FileHandle.standardError.write(Data("WelfareBenchmark: the cached and uncached figures differ at \(n) households\n".utf8))
            exit(1)
        }
        reference = a
    }
    print(String(format: "%10d %8d  %@             %@", n, ages.count, summary(cold), summary(cached)))
}
