// SPEC.md's reference workload, timed in parts:
//   load     CSV to columnar population
//   compute  baseline + reform simulation and all indicators (data in memory)
//   bin load binary survey file (simrun data import) to population
//   total    the whole `simrun scenario run` process, from outside, on the CSV and on the binary file
//            (the provenance checksums are remembered between runs: see FileDigest)
// and the indicators checked against reference values (see Benchmarks/README.md).
//
// usage: SimrunBenchmarks --scenario FILE --simrun BINARY [--repeat N] [--check DIR] [--compute-only N] [--stats-only N]
//                         [--declared N] DATA.csv...
// --declared N: only the built-in against the declared (docs/rules.md) current law and child grant,
// in memory on each file's .simdata, N runs of each interleaved, checked bit for bit (exit 1 if they differ).
import Foundation
import Scenarios
import SimKernel

struct Options {
    var scenario = "inputs/scenarios/universal-child-grant.yaml"
    var simrun = ".build/release/simrun"
    var repeats = 5
    var checkDir: String?
    var files: [String] = []
    /// Only time the in-memory compute this many times on each file's .simdata (for profiling).
    var computeOnly = 0
    /// Only time one system's indicators (`SystemIndicators`, one thread) this many times on each file's .simdata.
    var statsOnly = 0
    /// Only time the built-in and the declared current law and child grant against each other this many times each.
    var declared = 0
}

var options = Options()
var args = CommandLine.arguments.dropFirst()
while let a = args.first {
    args = args.dropFirst()
    switch a {
    case "--scenario": options.scenario = args.removeFirst()
    case "--simrun": options.simrun = args.removeFirst()
    case "--repeat": options.repeats = Int(args.removeFirst())!
    case "--check": options.checkDir = args.removeFirst()
    case "--compute-only": options.computeOnly = Int(args.removeFirst())!
    case "--stats-only": options.statsOnly = Int(args.removeFirst())!
    case "--declared": options.declared = Int(args.removeFirst())!
    default: options.files.append(a)
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The simulator as `simrun scenario run` sets it up (no per-household component columns).
func asScenarioRun(threads: Int? = nil) -> Simulator {
    var simulator = threads.map { Simulator(plan: ParallelPlan(threads: $0)) } ?? Simulator()
    simulator.keepComponentColumns = false
    return simulator
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func peakKB(ofProcess args: [String]) throws -> (Double, Int) {
    // /usr/bin/time -f "%e %M" gives wall seconds and peak resident KB.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    p.arguments = ["-f", "%e %M"] + args
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { fatalError("simrun failed: \(String(decoding: data, as: UTF8.self))") }
    let last = String(decoding: data, as: UTF8.self).split(separator: "\n").last!.split(separator: " ")
    return (Double(last[0])!, Int(last[1])!)
}

GSL.prepare()
let scenario = try ScenarioDefinition(file: options.scenario, catalog: ScenarioCatalog.standard)
let threads = ParallelPlan().threads
if options.computeOnly > 0 {
    // Profiling aid: load the binary file once, then only the compute, many times.
    for file in options.files {
        let population = try SurveyLoader().load(
            file: ProcessInfo.processInfo.environment["BENCH_CSV"] != nil ? file : file.replacingOccurrences(of: ".csv", with: ".simdata"),
            variables: ScenarioRun.variables(of: scenario))
        var times: [Double] = []
        let threads = ProcessInfo.processInfo.environment["BENCH_THREADS"].flatMap { Int($0) }
        for _ in 0..<options.computeOnly {
            times.append(seconds { _ = ScenarioRun(scenario: scenario, population: population, simulator: asScenarioRun(threads: threads)) })
        }
        if ProcessInfo.processInfo.environment["BENCH_SPLIT"] != nil {
            // The simulation and the two systems' statistics timed apart.
            let simulator = asScenarioRun(threads: threads)
            var simulate: [Double] = [], statistics: [Double] = []
            for _ in 0..<options.computeOnly {
                var outcomes: [SystemOutcome] = []
                simulate.append(seconds { outcomes = simulator.run([scenario.baseline, scenario.reform], on: population) })
                let done = outcomes
                statistics.append(seconds {
                    _ = simulator.plan.map(pieces: 2) { s in
                        SystemIndicators(outcome: done[s], population: population, povertyLine: scenario.povertyLine)
                    }
                })
            }
            print(String(format: "simulate median %.4f s, statistics median %.4f s", median(simulate), median(statistics)))
        }
        if ProcessInfo.processInfo.environment["BENCH_ALL"] != nil { print(times.map { String(format: "%.4f", $0) }.joined(separator: " ")) }
        print(String(format: "%@: compute median %.4f s, min %.4f s, %.1f Mpersons/s", file, median(times), times.min()!,
                     Double(population.personCount) / median(times) / 1e6))
    }
    exit(0)
}
if options.declared > 0 {
    // SPEC.md's baseline and child grant as built-in modules (a) and as declared
    // components (b): the in-memory compute of each (as `compute` above: both
    // systems simulated as `scenario run` sets the simulator up, then every
    // indicator), run alternately so that the machine's slow phases fall on both,
    // and their results compared bit for bit.
    let builtIn = scenario
    let year = builtIn.year
    let declaredLaw = try SystemDefinition.read(file: "inputs/systems/current_law_declared.yaml",
                                                catalog: ScenarioCatalog.standard, year: year)
    let declaredGrant = try ScenarioDefinition(file: "inputs/scenarios/universal-child-grant-declared.yaml",
                                               catalog: ScenarioCatalog.standard)
    guard declaredLaw.components.allSatisfy({ $0.module is DeclaredModule }),
          let grant = declaredGrant.reform.components.last, grant.module is DeclaredModule
    else { fatalError("the declared current law and child grant are not all declared components") }
    let declaredReform = try declaredLaw.applying([grant], name: declaredGrant.reform.name, title: declaredGrant.reform.title,
                                                  source: declaredGrant.reform.source).compilingDeclarations(year: year)
    let systems = [(builtIn.baseline, builtIn.reform), (declaredLaw, declaredReform)]
    let context = RunContext(year: year)
    /// `ScenarioRun`'s compute for any two systems: simulation, then each system's indicators on a thread of its own.
    func compute(_ s: (TaxBenefitSystem, TaxBenefitSystem), _ population: Population, _ simulator: Simulator)
        -> (outcomes: [SystemOutcome], indicators: [SystemIndicators]) {
        let outcomes = simulator.run([s.0, s.1], on: population, context: context)
        var indicators = simulator.plan.map(pieces: 2) { k in
            SystemIndicators(outcome: outcomes[k], population: population, povertyLine: builtIn.povertyLine)
        }
        indicators.append(indicators[1].change(from: indicators[0]))
        return (outcomes, indicators)
    }
    /// Every figure the check compares, as bits (a component's counters excepted: a declared component keeps its own).
    func bits(_ i: SystemIndicators) -> [UInt64] {
        [i.costAnnual, i.stateCostAnnual, i.revenueAnnual, i.fundContributionsAnnual, i.beneficiaries, i.fgt0, i.fgt1, i.fgt2,
         i.gini, i.meanIncome, i.weightedPersons].map(\.bitPattern)
            + i.components.flatMap { [$0.annualAmount, $0.persons, $0.households].map(\.bitPattern) }
    }
    func bits(_ o: SystemOutcome) -> [UInt64] {
        var out = o.disposableIncome.values.map(\.bitPattern) + o.benefitRecipients.values.map { UInt64(bitPattern: Int64($0)) }
        out += o.componentMask?.values.map { UInt64($0) } ?? []
        for c in o.components {
            out += c.amount.values.map(\.bitPattern) + c.recipients.values.map { UInt64(bitPattern: Int64($0)) }
            out += c.personAmount?.values.map(\.bitPattern) ?? []
        }
        return out
    }
    let threadCount = ProcessInfo.processInfo.environment["BENCH_THREADS"].flatMap { Int($0) }
    var failedCheck = false
    for file in options.files {
        let simdata = file.replacingOccurrences(of: ".csv", with: ".simdata")
        let variables = ScenarioRun.variables(of: builtIn) + declaredLaw.variables + declaredReform.variables
        let population = try SurveyLoader().load(file: simdata, variables: variables)
        // The check: every household's disposable income and benefit recipients, every
        // component's household amounts, recipients and person amounts, the coverage bits.
        var checker = Simulator()
        checker.recordPersonAmounts = true
        checker.recordCoverage = true
        let a = compute(systems[0], population, checker), b = compute(systems[1], population, checker)
        var differ: [String] = []
        for k in 0..<2 where bits(a.outcomes[k]) != bits(b.outcomes[k]) { differ.append("\(["baseline", "reform"][k]) outcomes") }
        if a.outcomes.map({ $0.components.map(\.name) }) != b.outcomes.map({ $0.components.map(\.name) }) { differ.append("component names") }
        // The timed runs' indicators are compared too.
        var times: [[Double]] = [[], []]
        let simulator = asScenarioRun(threads: threadCount)
        for run in 0..<options.declared {
            // BENCH_ONLY=0 or 1 (a profiling aid): time only the built-in or only the declared systems.
            let only = ProcessInfo.processInfo.environment["BENCH_ONLY"].flatMap { Int($0) }
            for s in (run % 2 == 0 ? [0, 1] : [1, 0]) where only == nil || only == s {  // each first in every other round
                var result: [SystemIndicators] = []
                times[s].append(seconds { result = compute(systems[s], population, simulator).indicators })
                let reference = s == 0 ? a.indicators : b.indicators
                if result.map(bits) != reference.map(bits) { differ.append("indicators of run \(times[s].count) of \(["built-in", "declared"][s])") }
            }
        }
        for k in 0..<3 where bits(a.indicators[k]) != bits(b.indicators[k]) { differ.append("\(["baseline", "reform", "change"][k]) indicators") }
        if ProcessInfo.processInfo.environment["BENCH_ALL"] != nil {
            for s in 0..<2 { print(["built-in", "declared"][s] + ": " + times[s].map { String(format: "%.4f", $0) }.joined(separator: " ")) }
        }
        guard !times[0].isEmpty && !times[1].isEmpty else {
            print(String(format: "%@: median %.4f s", file, median(times[0] + times[1])))
            continue
        }
        let builtInTime = median(times[0]), declaredTime = median(times[1])
        print(String(format: "%@: %d households, median of %d each: built-in %.4f s (min %.4f), declared %.4f s (min %.4f); declared runs at %.0f%% of built-in speed (time ratio %.3f); %@",
                     file, population.householdCount, options.declared, builtInTime, times[0].min()!, declaredTime, times[1].min()!,
                     100 * builtInTime / declaredTime, declaredTime / builtInTime,
                     differ.isEmpty ? "bit-identical" : "DIFFER: " + differ.joined(separator: "; ")))
        if !differ.isEmpty { failedCheck = true }
    }
    if failedCheck {
        print("the declared current law and child grant do not give the bits of the built-in modules")
        exit(1)
    }
    exit(0)
}
if options.statsOnly > 0 {
    // Profiling aid: simulate baseline and reform once, then time one system's
    // indicators (FGT, mean, Gini and the component totals) on this thread, many times.
    for file in options.files {
        let population = try SurveyLoader().load(file: file.replacingOccurrences(of: ".csv", with: ".simdata"),
                                                 variables: ScenarioRun.variables(of: scenario))
        let outcomes = Simulator().run([scenario.baseline, scenario.reform], on: population)
        var times: [Double] = []
        var last: SystemIndicators?
        for _ in 0..<options.statsOnly {
            times.append(seconds {
                last = SystemIndicators(outcome: outcomes[0], population: population, povertyLine: scenario.povertyLine)
            })
        }
        print(String(format: "%@: stats (one system, 1 thread) median %.5f s, min %.5f s, over %d runs; gini %.17g fgt0 %.17g",
                     file, median(times), times.min()!, times.count, last!.gini, last!.fgt0))
    }
    exit(0)
}
print("SPEC.md workload, \(threads) threads, median of \(options.repeats) runs (in-memory compute: of \(max(options.repeats, 11)))")
print("households   persons  csv load s  bin load s  compute s  Mpersons/s  compute 1t s  total csv s  peak MB  total bin s  peak MB  stats s  boot1000 s  indicators")
var failed = false
for file in options.files {
    var population: Population!
    var loads: [Double] = []
    for _ in 0..<options.repeats {
        loads.append(try seconds {
            population = try SurveyLoader().load(file: file, variables: ScenarioRun.variables(of: scenario))
        })
    }
    // The binary survey file: imported once (outside the timings), then loaded.
    let simdata = file.replacingOccurrences(of: ".csv", with: ".simdata")
    let importer = Process()
    importer.executableURL = URL(fileURLWithPath: options.simrun)
    importer.arguments = ["data", "import", file, "--out", simdata, "--quiet"]
    try importer.run()
    importer.waitUntilExit()
    guard importer.terminationStatus == 0 else { fatalError("simrun data import failed on \(file)") }
    var binaryLoads: [Double] = []
    for _ in 0..<options.repeats {
        binaryLoads.append(try seconds {
            _ = try SurveyLoader().load(file: simdata, variables: ScenarioRun.variables(of: scenario))
        })
    }
    // The in-memory compute, repeated at least 11 times (it is short); each run's
    // result is dropped before the next starts, as in a session that re-runs
    // options, so later runs reuse the memory of earlier ones.
    let computeRepeats = max(options.repeats, 11)
    var computes: [Double] = [], singleThread: [Double] = []
    for _ in 0..<computeRepeats {
        computes.append(seconds { _ = ScenarioRun(scenario: scenario, population: population, simulator: asScenarioRun()) })
    }
    let one = asScenarioRun(threads: 1)
    for _ in 0..<computeRepeats {
        singleThread.append(seconds { _ = ScenarioRun(scenario: scenario, population: population, simulator: one) })
    }
    let run = ScenarioRun(scenario: scenario, population: population, simulator: asScenarioRun())
    // The statistics engine: the whole indicator set (baseline welfare) with the
    // survey design, point estimates; then 1,000 Rao-Wu bootstrap replicates.
    let designed = try SurveyLoader().load(
        file: simdata, variables: ScenarioRun.variables(of: scenario)
            + [VariableRequest(.stratum, neededBy: "benchmark"), VariableRequest(.psu, neededBy: "benchmark")])
    let designRun = ScenarioRun(scenario: scenario, population: designed)
    let welfare = WelfareDistribution(perCapitaIncomeOf: designRun.outcomes.baseline, in: designed)
    let analysis = try WelfareAnalysis(
        options: IndicatorOptions(lines: [.absolute(scenario.povertyLine), .relative(share: 0.6, of: .median)]),
        design: try SurveyDesign(population: designed))
    var statsTimes: [Double] = []
    for _ in 0..<options.repeats { statsTimes.append(try seconds { _ = try analysis.profile(of: welfare) }) }
    let bootTime = try seconds {
        _ = try analysis.profile(of: welfare, inference: .bootstrap(replicates: 1000, seed: 1, interval: .percentile))
    }
    var totals: [Double] = [], binaryTotals: [Double] = []
    var peak = 0, binaryPeak = 0
    // One untimed run of each first: the binary file was just imported, so its
    // provenance digest (SHA-256 of the whole file) is computed once and then
    // remembered, as on a user's second run; timing it would mix the digest
    // into the run's time and peak memory.
    _ = try peakKB(ofProcess: [options.simrun, "scenario", "run", options.scenario, "--data", file, "--format", "json"])
    _ = try peakKB(ofProcess: [options.simrun, "scenario", "run", options.scenario, "--data", simdata, "--format", "json"])
    for _ in 0..<options.repeats {
        let (t, kb) = try peakKB(ofProcess: [options.simrun, "scenario", "run", options.scenario, "--data", file, "--format", "json"])
        totals.append(t)
        peak = max(peak, kb)
        let (tb, kbb) = try peakKB(ofProcess: [options.simrun, "scenario", "run", options.scenario, "--data", simdata, "--format", "json"])
        binaryTotals.append(tb)
        binaryPeak = max(binaryPeak, kbb)
    }
    var verdict = "not checked"
    if let dir = options.checkDir {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let url = URL(fileURLWithPath: dir).appendingPathComponent("\(name).json")
        if let data = try? Data(contentsOf: url),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
            var bad: [String] = []
            for (label, got) in [("baseline", run.baseline), ("reform", run.reform)] {
                let want = json[label] as! [String: Double]
                let pairs: [(String, Double)] = [("cost_annual", got.costAnnual), ("beneficiaries", got.beneficiaries),
                    ("fgt0", got.fgt0), ("fgt1", got.fgt1), ("fgt2", got.fgt2), ("gini", got.gini),
                    ("mean_income", got.meanIncome)]
                for (k, g) in pairs {
                    let w = want[k]!
                    if abs(g - w) > 1e-9 * max(abs(w), 1e-12) { bad.append("\(label).\(k) \(g) != \(w)") }
                }
            }
            verdict = bad.isEmpty ? "match reference" : "DIFFER: " + bad.joined(separator: "; ")
            if !bad.isEmpty { failed = true }
        } else {
            verdict = "no reference file \(url.path)"
            failed = true
        }
    }
    let persons = population.personCount
    let line = String(format: "%10d %9d %11.3f %11.3f %10.3f %11.1f %13.3f %12.3f %8.0f %12.3f %8.0f %8.3f %11.3f  ",
                      population.householdCount, persons, median(loads), median(binaryLoads), median(computes),
                      Double(persons) / median(computes) / 1e6, median(singleThread), median(totals), Double(peak) / 1024,
                      median(binaryTotals), Double(binaryPeak) / 1024, median(statsTimes), bootTime)
    print(line + verdict)
}
if failed {
    print("benchmark indicators differ from the reference values")
    exit(1)
}
