import Foundation
import Testing
@testable import SimKernel

/// The word-at-a-time pieces of the CSV parser against byte-by-byte
/// references: digit detection and conversion, the plain-number fast paths
/// (which must give the same bits as ``DecimalParser`` or decline), the
/// delimiter bit masks, and the radix sort of the person-id check.
@Suite("CSV load: word-at-a-time scanning")
struct CSVLoadScanTests {
    /// SplitMix64, seeded, for reproducible random inputs.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Calls `body` with the bytes of `text` followed by `CSVScan.lookahead` bytes
    /// of `padding`, so the word-at-a-time functions may read past the text.
    func padded<R>(_ text: [UInt8], padding: UInt8 = 0x2C, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        let bytes = text + [UInt8](repeating: padding, count: CSVScan.lookahead + 8)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    @Test("leadingDigits counts the digits before the first other byte, for every byte value")
    func leadingDigits() {
        var rng = SplitMix64(state: 1)
        for position in 0...8 {
            for other in 0...255 {
                var bytes = (0..<8).map { _ in UInt8.random(in: 0x30...0x39, using: &rng) }
                if position < 8 { bytes[position] = UInt8(other) }
                let expected = bytes.firstIndex { !(0x30...0x39).contains($0) } ?? 8
                let word = bytes.withUnsafeBufferPointer { CSVScan.word($0.baseAddress!, 0) }
                #expect(CSVScan.leadingDigits(word) == expected, "bytes \(bytes)")
            }
        }
    }

    @Test("digitsValue reads 1 to 8 digits as a decimal number")
    func digitsValue() {
        var rng = SplitMix64(state: 2)
        for n in 1...8 {
            for _ in 0..<500 {
                let digits = (0..<8).map { _ in UInt8.random(in: 0x30...0x39, using: &rng) }
                let expected = digits[0..<n].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
                let word = digits.withUnsafeBufferPointer { CSVScan.word($0.baseAddress!, 0) }
                #expect(CSVScan.digitsValue(word, n) == expected)
            }
        }
    }

    /// Random text made of the bytes numbers are made of, and a few others.
    func randomField(_ rng: inout SplitMix64) -> [UInt8] {
        let alphabet = Array("0123456789012345678901234567890123456789..--e+ x".utf8)
        let length = Int.random(in: 1...20, using: &rng)
        return (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
    }

    @Test("wordReal and plainReal give DecimalParser's bits for the text they take, or decline")
    func realFastPaths() {
        var rng = SplitMix64(state: 3)
        let tables = NumberTables()
        defer { tables.free() }
        for _ in 0..<30_000 {
            let field = randomField(&rng)
            padded(field, padding: [0x2C, 0x0A, 0x2E, 0x35].randomElement(using: &rng)!) { base in
                for path in 1..<3 {
                    var p = 0
                    let value = path == 1 ? CSVScan.wordReal(base, &p, tables) : CSVScan.plainReal(base, &p, field.count, tables)
                    guard let value else {
                        #expect(p == 0)
                        continue
                    }
                    #expect(p > 0 && (p <= field.count || path < 2))
                    let reference = DecimalParser.real(base, p)
                    #expect(reference?.bitPattern == value.bitPattern, "\(String(decoding: field, as: UTF8.self)) path \(path)")
                }
            }
        }
    }

    @Test("plain decimals of up to 7 + 7 digits take the word path, with DecimalParser's bits", arguments: [false, true])
    func plainDecimals(negative: Bool) {
        var rng = SplitMix64(state: negative ? 4 : 5)
        let tables = NumberTables()
        defer { tables.free() }
        for whole in 1...7 {
            for decimals in 0...7 {
                for _ in 0..<40 {
                    var text = negative ? "-" : ""
                    text += String((0..<whole).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
                    if decimals > 0 || Bool.random(using: &rng) { text += "." }
                    text += String((0..<decimals).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
                    let bytes = Array(text.utf8)
                    padded(bytes) { base in
                        var p = 0
                        let value = CSVScan.wordReal(base, &p, tables)
                        #expect(p == bytes.count, "\(text)")
                        #expect(value?.bitPattern == DecimalParser.real(base, bytes.count)?.bitPattern, "\(text)")
                        #expect(value?.sign == (negative ? .minus : .plus))
                    }
                }
            }
        }
    }

    @Test("wordInteger and plainInteger give DecimalParser's value for the text they take, or decline")
    func integerFastPaths() {
        var rng = SplitMix64(state: 6)
        let tables = NumberTables()
        defer { tables.free() }
        for _ in 0..<20_000 {
            let field = randomField(&rng)
            padded(field) { base in
                for fast in [true, false] {
                    var p = 0
                    let value = fast ? CSVScan.wordInteger(base, &p, tables) : CSVScan.plainInteger(base, &p, field.count)
                    guard let value else { continue }
                    #expect(DecimalParser.integer(base, p) == value, "\(String(decoding: field, as: UTF8.self))")
                }
            }
        }
        for digits in 1...15 {
            let text = String(repeating: "9", count: digits)
            padded(Array(text.utf8)) { base in
                var p = 0
                #expect(CSVScan.wordInteger(base, &p, tables) == Int64(text), "\(text)")
                #expect(p == digits)
            }
        }
    }

    @Test("delimiterMask marks exactly the commas and line feeds of 64 bytes")
    func delimiterMask() {
        var rng = SplitMix64(state: 7)
        let alphabet: [UInt8] = [0x2C, 0x0A, 0x0D, 0x22, 0x30, 0x39, 0x2E, 0xAC, 0x8A, 0x2D, 0x00, 0xFF, 0x0B, 0x2B, 0x6C]
        for _ in 0..<2_000 {
            let block = (0..<64).map { _ in alphabet.randomElement(using: &rng)! }
            var expected: UInt64 = 0
            for (i, b) in block.enumerated() where b == 0x2C || b == 0x0A { expected |= 1 << UInt64(i) }
            let mask = block.withUnsafeBufferPointer { CSVScan.delimiterMask($0.baseAddress!) }
            #expect(mask == expected)
        }
    }

    @Test("DelimiterBlocks finds the same next delimiter as a byte loop from every position")
    func delimiterBlocks() {
        var rng = SplitMix64(state: 8)
        for sparse in [false, true] {
            let bytes = (0..<3_000).map { _ -> UInt8 in
                let r = Int.random(in: 0..<(sparse ? 400 : 6), using: &rng)
                return r == 0 ? 0x2C : r == 1 ? 0x0A : 0x35
            }
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                var blocks = DelimiterBlocks(base: base, limit: bytes.count - 64)
                var p = 0
                while p < bytes.count {
                    let end = min(bytes.count, p + Int.random(in: 1...900, using: &rng))
                    #expect(blocks.next(from: p, end: end) == CSVScan.delimiter(base, p, end), "from \(p) to \(end)")
                    p += Int.random(in: 1...40, using: &rng)
                }
            }
        }
    }

    @Test("the radix sort of the person-id check sorts any 64-bit keys", arguments: [UInt64.max, 1 << 40, 1_000, 1])
    func radixSort(range: UInt64) {
        var rng = SplitMix64(state: range)
        for count in [0, 1, 2, 100, 50_000] {
            var keys = (0..<count).map { _ in range == .max ? rng.next() : UInt64.random(in: 0...range, using: &rng) }
            let expected = keys.sorted()
            keys.withUnsafeMutableBufferPointer { PersonIDCheck.sort($0) }
            #expect(keys == expected, "count \(count)")
        }
    }

    @Test("repeated person ids are found among negative, huge and ordinary ids")
    func repeatedIDs() {
        var ids: [Int64] = [5, -3, .max, .min, 7, 5, .min, 12, 0, -3, 8]
        let found = ids.withUnsafeMutableBufferPointer { PersonIDCheck.repeatedIDs(sorting: $0) }
        #expect(found == [5, -3, .min])
        var unique: [Int64] = [9, -1, .max, .min, 3]
        #expect(unique.withUnsafeMutableBufferPointer { PersonIDCheck.repeatedIDs(sorting: $0) }.isEmpty)
    }

    @Test("the general path: long mantissas and extreme exponents, any length, correctly rounded (bits from Python's float)")
    func generalPath() {
        let cases: [(String, UInt64)] = [
            ("0.1000000000000000055511151231257827021181583404541015625", 0x3fb9_9999_9999_999a),
            ("123456789012345678901234567890.5e-10", 0x43e5_6a95_319d_63e1),
            ("9007199254740993", 0x4340_0000_0000_0000),
            ("1" + String(repeating: "0", count: 600) + ".5e-590", 0x4202_a05f_2000_0000),  // 600+ characters
            ("-2.2250738585072011e-308", 0x800f_ffff_ffff_ffff),
            ("4.9406564584124654e-324", 0x1),
            ("  1.7976931348623157e308 ", 0x7fef_ffff_ffff_ffff),
        ]
        for (text, bits) in cases {
            let value = Array(text.utf8).withUnsafeBufferPointer { DecimalParser.real($0.baseAddress!, $0.count) }
            #expect(value?.bitPattern == bits, "\(text.prefix(40))")
        }
        for bad in ["1e400", "nan", "inf", "0x1p3", "1,5", "1.5.2", "--1"] {
            let value = Array(bad.utf8).withUnsafeBufferPointer { DecimalParser.real($0.baseAddress!, $0.count) }
            #expect(value == nil, "\(bad)")
        }
    }
}
