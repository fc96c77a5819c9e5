#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts the text of a CSV field to a number, exactly.
///
/// Accepted: optional spaces, an optional sign, digits with an optional
/// decimal point (`.`), an optional exponent (`e-3`). Not accepted: empty
/// text, `NA`, `nan`, `inf`, thousands separators, a decimal comma.
///
/// Real numbers are correctly rounded (the nearest double, as `strtod`).
/// Most survey values (money with two decimals, up to 15 significant
/// digits) take Clinger's fast path: when the digits form an integer
/// `m < 2^53` and the power of ten `10^k` has `|k| <= 22`, both are exact
/// doubles and one IEEE multiplication or division gives the correctly
/// rounded result. Anything else goes to Swift's `Double(_:)` (the C library's
/// `strtod` in the C locale).
enum DecimalParser {
    /// Exact powers of ten representable as doubles (10^0 ... 10^22).
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a real number from `count` bytes at `start`; `nil` if the text is not one.
    @inline(__always)
    static func real(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        var i = 0
        var n = count
        while i < n, start[i] == 0x20 { i += 1 }
        while n > i, start[n - 1] == 0x20 { n -= 1 }
        if i == n { return nil }
        let textStart = i
        var negative = false
        if start[i] == 0x2D { negative = true; i += 1 } else if start[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits accumulated
        var sawDigit = false
        var exponent = 0        // decimal exponent to apply to the mantissa
        var overflowDigits = false
        while i < n, start[i] &- 0x30 < 10 {
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(start[i] &- 0x30)
                if mantissa != 0 { digits += 1 }
            } else {
                exponent += 1
                overflowDigits = true
            }
            i += 1
        }
        if i < n, start[i] == 0x2E {
            i += 1
            while i < n, start[i] &- 0x30 < 10 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(start[i] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    overflowDigits = true
                }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, start[i] | 0x20 == 0x65 {  // e or E
            i += 1
            var expNegative = false
            if i < n, start[i] == 0x2D { expNegative = true; i += 1 } else if i < n, start[i] == 0x2B { i += 1 }
            var e = 0
            var sawExp = false
            while i < n, start[i] &- 0x30 < 10 {
                sawExp = true
                if e < 100_000 { e = e * 10 + Int(start[i] &- 0x30) }
                i += 1
            }
            guard sawExp else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if !overflowDigits, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 { value /= powersOfTen[-exponent] } else { value *= powersOfTen[exponent] }
            return negative ? -value : value
        }
        let value = slowPath(start + textStart, n - textStart)
        guard let value, value.isFinite else { return nil }
        return value
    }

    /// The correctly rounded double of a decimal number whose syntax has
    /// been checked (sign, digits, point, exponent; no spaces), of any
    /// length: Swift's `Double(_:)`, which reads with the C library's
    /// `strtod` in the C locale whatever the process's locale (a plain
    /// `strtod` would read a decimal comma under a locale that sets one).
    /// Rare: long mantissas and large exponents only.
    private static func slowPath(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        Double(String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self))
    }

    /// Parses a whole number; a decimal part of zeros (`12.0`) is allowed.
    /// Returns `nil` for anything else, including values beyond ±9.2e18.
    @inline(__always)
    static func integer(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var i = 0
        var n = count
        while i < n, start[i] == 0x20 { i += 1 }
        while n > i, start[n - 1] == 0x20 { n -= 1 }
        if i == n { return nil }
        var negative = false
        if start[i] == 0x2D { negative = true; i += 1 } else if start[i] == 0x2B { i += 1 }
        var value: Int64 = 0
        var sawDigit = false
        while i < n, start[i] &- 0x30 < 10 {
            sawDigit = true
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(start[i] &- 0x30))
            if o1 || o2 { return nil }
            value = s
            i += 1
        }
        guard sawDigit else { return nil }
        if i < n, start[i] == 0x2E {
            i += 1
            while i < n, start[i] == 0x30 { i += 1 }
        }
        guard i == n else { return nil }
        return negative ? -value : value
    }
}
