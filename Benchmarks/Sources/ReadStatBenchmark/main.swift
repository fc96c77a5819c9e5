// simrun's Stata and SPSS reader, timed on one file: SurveyTable.read, as every
// command reads a .dta. Prints JSON: the seconds the read took (inside this
// process, so process start-up is left out as it is for pandas.read_stata in
// Python) and each numeric column's sum (missing values left out), which
// Benchmarks/stata/read_stata.py compares with pandas'.
//
// usage: ReadStatBenchmark FILE.dta
import Foundation
import SimKernel

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: ReadStatBenchmark FILE.dta\n".utf8))
    exit(64)
}
let file = CommandLine.arguments[1]
let start = DispatchTime.now().uptimeNanoseconds
let table: SurveyTable
do {
    table = try SurveyTable.read(file: file)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(65)
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
var sums: [String: Double] = [:]
for column in table.columns {
    guard case .numbers(let values, _) = column.values else { continue }
    var total = 0.0
    for (r, x) in values.enumerated() where !column.missingCode(r).isMissing { total += x }
    sums[column.name] = total
}
let json = try JSONSerialization.data(withJSONObject: ["seconds": seconds, "rows": table.rowCount, "sums": sums], options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
