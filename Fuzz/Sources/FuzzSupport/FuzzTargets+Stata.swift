import Foundation
import SimKernel

extension FuzzTargets {
    // MARK: stata

    /// The Stata and SPSS readers (`SurveyTable.read`, through ReadStat), on
    /// the input as a `.dta` file and as a `.sav` file (each refuses what does
    /// not begin as its format, so a mutation of either kind of seed reaches
    /// its reader), and as a `.dta` read as Windows-1252 and as UTF-8.
    ///
    /// A table read is checked: one value and one missing code per row in
    /// every column, a value present only where it is a finite number, NaN at
    /// every missing value but an SPSS user-missing one, text empty exactly
    /// where it is missing, value labels only on numbers.
    public static func stata(_ input: UnsafeRawBufferPointer) {
        begin(input)
        for (name, encoding) in [("data/input.dta", nil), ("data/input.sav", nil), ("data/input.dta", "UTF-8")] as [(String, String?)] {
            let file = workspace.write(input, to: name)
            expectingInputErrors("stata (\(name), \(encoding ?? "default encoding"))") {
                let table = try SurveyTable.read(file: file, encoding: encoding)
                if let why = surveyTableFailure(table) {
                    fatalError("stata: \(name): an accepted table breaks its rules: \(why)")
                }
            }
        }
    }

    /// Why a table read breaks the rules of ``SurveyTable``, if it does.
    static func surveyTableFailure(_ table: SurveyTable) -> String? {
        for column in table.columns {
            guard column.count == table.rowCount else { return "\(column.name): \(column.count) values for \(table.rowCount) rows" }
            if let missing = column.missing {
                guard missing.count == table.rowCount else { return "\(column.name): \(missing.count) missing codes" }
                if let bad = missing.first(where: { $0.rawValue > MissingCode.user.rawValue }) { return "\(column.name): missing code \(bad.rawValue)" }
            }
            switch column.values {
            case .numbers(let values, let whole):
                for (r, x) in values.enumerated() {
                    let code = column.missingCode(r)
                    if code == .present || code == .user {
                        if !x.isFinite { return "\(column.name) row \(r + 1): a present value that is not a finite number" }
                        if whole && x != x.rounded() { return "\(column.name) row \(r + 1): whole-number storage holds \(x)" }
                    } else if !x.isNaN {
                        return "\(column.name) row \(r + 1): missing (\(code)) but the value is \(x)"
                    }
                }
                if column.valueLabels.keys.contains(where: { !$0.isFinite }) { return "\(column.name): a value label on a non-number" }
            case .text(let texts):
                for (r, t) in texts.enumerated() where t.isEmpty != column.missingCode(r).isMissing {
                    return "\(column.name) row \(r + 1): text \(t.isEmpty ? "empty" : "present") but missing code \(column.missingCode(r))"
                }
                if !column.valueLabels.isEmpty { return "\(column.name): value labels on text" }
            }
        }
        return nil
    }
}
