import SimAnalysis
import SimKernel

extension LegislationCaseSuite {
    /// `simrun test`'s report: each failed case (`FAIL file:line name`) with its checks' expected and
    /// computed values, then `N passed, M failed`.
    package var report: String {
        var out = ""
        for failure in failures {
            out += "FAIL \(failure.file):\(failure.line) \(failure.name)\n"
            for check in failure.checks {
                out += "  \(check.system == "system" ? "" : check.system + ".")\(check.key): expected \(ParameterValue.number(check.expected)), computed \(check.computed)\n"
            }
        }
        return out + "\(passed) passed, \(failures.count) failed\n"
    }
}
