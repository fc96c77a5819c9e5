// One changed option recomputed on a loaded survey: the core of the workshop page, `solve` and `sweep`.
//
//   swift run -c release --package-path Benchmarks SessionBenchmark Benchmarks/data/persons-100000.csv [repeats]
//
// Loads the survey once (AnalysisSession), computes the child grant once (its baseline is then cached),
// then times `compare` of the grant at amounts 10, 11, ... (a new reform each time, the baseline reused):
// the median and range of the per-variant wall time, with everything `scenario compare` prints computed.
import Foundation
import Scenarios
import SimAnalysis
import SimKernel

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: SessionBenchmark DATA.csv [repeats]\n".utf8))
    exit(64)
}
let data = arguments[1]
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 21 : 21
let scenarioFile = "inputs/scenarios/universal-child-grant.yaml"
do {
    let document = try ScenarioDocument(file: scenarioFile)
    let start = DispatchTime.now().uptimeNanoseconds
    let session = try AnalysisSession(data: data, columns: nil, country: "example", scenarios: [try document.definition()])
    let loaded = DispatchTime.now().uptimeNanoseconds
    _ = try session.compare([try document.definition()], labels: ["grant"])
    let first = DispatchTime.now().uptimeNanoseconds
    var times: [Double] = [], parse: [Double] = [], simulate: [Double] = []
    for i in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let variant = try document.setting("amount_per_child", to: Double(10 + i)).definition()
        let t1 = DispatchTime.now().uptimeNanoseconds
        let comparison = try session.comparison([variant])
        let t2 = DispatchTime.now().uptimeNanoseconds
        let table = ComparisonTable(comparison: comparison, files: ["grant"], rule: session.rule)
        precondition(table.row("net_cost_annual")!.values[0] > 0)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        parse.append(Double(t1 - t0) / 1e6)
        simulate.append(Double(t2 - t1) / 1e6)
    }
    times.sort(); parse.sort(); simulate.sort()
    print(String(format: "  of which: scenario edit and read %.1f ms, simulation and statistics %.1f ms (medians)",
                 parse[parse.count / 2], simulate[simulate.count / 2]))
    print(String(format: "%@: %d households, %d persons; load %.3f s; first option %.1f ms; per variant (parse + simulate reform + figures, baseline cached) median %.1f ms, min %.1f, max %.1f (n=%d); baseline cache hits %d",
                 data, session.population.householdCount, session.population.personCount, Double(loaded - start) / 1e9,
                 Double(first - loaded) / 1e6, times[times.count / 2], times.first!, times.last!, times.count, session.baselines.hits))
} catch {
    FileHandle.standardError.write(Data("SessionBenchmark: \(error)\n".utf8))
    exit(1)
}
