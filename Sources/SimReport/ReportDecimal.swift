import SimAnalysis
import SimKernel
import Foundation

/// Full-precision decimal text for CSV cells, shifted exactly when a value is shown in percent.
///
/// Swift's `description` of a `Double` is the shortest decimal that reads back as exactly
/// that double (`0.07`, `1e-05`, `1234567.4`). Multiplying by 100 before printing would
/// turn `0.07` into `7.000000000000001`; moving the decimal point in the digits does not.
/// Output is plain positional notation (`0.00001`, `7`, `1234567.4`) while the decimal
/// exponent stays within ±20, scientific notation (`1.5e-25`) beyond.
package enum ReportDecimal {
    /// The shortest decimal of `value`, with its decimal point moved `places` to the right.
    ///
    ///     ReportDecimal.shortest(0.07, shiftingPointBy: 2)    // "7"
    ///     ReportDecimal.shortest(-0.0041, shiftingPointBy: 2) // "-0.41"
    ///     ReportDecimal.shortest(1234567.4)                   // "1234567.4"
    ///
    /// - Parameters:
    ///   - value: A finite number (callers print NaN and infinities as empty cells).
    ///   - places: How far to move the point (2 turns a fraction into percent).
    /// - Returns: The text; `0` for both zeros.
    package static func shortest(_ value: Double, shiftingPointBy places: Int = 0) -> String {
        guard value.isFinite else { return "" }
        if value == 0 { return "0" }
        let text = "\(abs(value))"
        // Split "d.ddde±x" into its digits and the position of the decimal point.
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerDigits = String(pieces[0])
        let fractionDigits = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = integerDigits + fractionDigits
        // The decimal point sits after `point` digits of `digits`.
        var point = integerDigits.count + exponent + places
        // Drop leading zeros (each moves the point left) and trailing zeros.
        while digits.count > 1, digits.hasPrefix("0") {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let scientificExponent = point - 1
        if scientificExponent < -20 || scientificExponent > 20 {
            let head = String(digits.prefix(1))
            let tail = String(digits.dropFirst())
            return sign + head + (tail.isEmpty ? "" : "." + tail) + "e" + (scientificExponent < 0 ? "-" : "+")
                + String(abs(scientificExponent))
        }
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return sign + digits + String(repeating: "0", count: point - digits.count)
        }
        let index = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<index] + "." + digits[index...]
    }
}
