#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Byte-level scanning for the CSV parser's fast paths.
///
/// Everything here is conservative: a function either recognises the plain
/// form it is written for and returns the exact value, or returns `nil` and
/// leaves the field to the general path (``DecimalParser``), which accepts
/// every other valid form and words the error messages. Since every path
/// gives the correctly rounded double, which path reads a field never
/// changes the result.
enum CSVScan {
    /// How many bytes past a field's start the word-at-a-time functions may read
    /// (two 8-byte words after a sign and a decimal point, with room to spare).
    static let lookahead = 32

    /// The index of the next comma or line feed at or after `p` (or `end`).
    ///
    /// Eight bytes at a time: a byte equal to `c` makes `(w ^ c·0x0101…) - 0x0101…`
    /// borrow into its high bit (the classic "has zero byte" test; a borrow
    /// only disturbs the bytes after the first match, so the first is exact).
    @inline(__always)
    static func delimiter(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        var i = p
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let commas = ones &* 0x2C
        let newlines = ones &* 0x0A
        while i + 8 <= end {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let a = w ^ commas
            let b = w ^ newlines
            let hit = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
            if hit != 0 { return i + hit.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < end, base[i] != 0x2C, base[i] != 0x0A { i += 1 }
        return i
    }

    /// A bit per byte of the 64 bytes at `p`: set where the byte is a comma or a line feed.
    ///
    /// With SSE2 (every x86-64): four 16-byte compares and `pmovmskb`.
    /// Elsewhere: eight words, an exact zero-byte test each, the high bits
    /// gathered by one multiplication.
    @inline(__always)
    static func delimiterMask(_ p: UnsafePointer<UInt8>) -> UInt64 {
        #if arch(x86_64)
        let commas = _mm_set1_epi8(0x2C)
        let newlines = _mm_set1_epi8(0x0A)
        var mask: UInt64 = 0
        for i in 0..<4 {
            let x = _mm_loadu_si128(UnsafeRawPointer(p + 16 * i).assumingMemoryBound(to: __m128i.self))
            let hit = _mm_or_si128(_mm_cmpeq_epi8(x, commas), _mm_cmpeq_epi8(x, newlines))
            mask |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(hit))) << UInt64(16 * i)
        }
        return mask
        #else
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var mask: UInt64 = 0
        for i in 0..<8 {
            let w = word(p, 8 * i)
            let a = w ^ 0x2C2C_2C2C_2C2C_2C2C, b = w ^ 0x0A0A_0A0A_0A0A_0A0A
            let zeros = ~(((a & low) &+ low) | a | low) | ~(((b & low) &+ low) | b | low)
            mask |= (((zeros >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * i)
        }
        return mask
        #endif
    }

    /// The number of ASCII digits at the start of the little-endian word `w` (0 to 8).
    ///
    /// A byte b is a digit exactly when the high nibbles of b and of b + 6 are
    /// both 3. The addition can carry from one byte into the next only out
    /// of a byte ≥ 0xFA, which is not a digit, so the bytes before the first
    /// non-digit are tested exactly. The first non-zero byte of the result is
    /// found with an exact (carry-free) non-zero-byte test.
    @inline(__always)
    static func leadingDigits(_ w: UInt64) -> Int {
        nonDigits(w).trailingZeroBitCount >> 3
    }

    /// The value of the first `n` (1 to 8) bytes of `w`, all digits, the first
    /// being the most significant.
    ///
    /// The digits are moved to the top of the word (zeros, i.e. leading zero
    /// digits, fill the bottom), then combined pairwise in three multiplications.
    @inline(__always)
    static func digitsValue(_ w: UInt64, _ n: Int) -> UInt64 {
        var v = (w &- 0x3030_3030_3030_3030) &<< UInt64(64 &- 8 &* n)
        v = (v &* 2561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }

    @inline(__always)
    static func word(_ base: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
    }

    /// A bit per byte of `w` (its high bit): set where the byte is not an ASCII
    /// digit. Exact up to and including the first byte ≥ 0xFA (see ``leadingDigits(_:)``).
    @inline(__always)
    static func nonDigits(_ w: UInt64) -> UInt64 {
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let tested = (w & nibbles) | (((w &+ 0x0606_0606_0606_0606) & nibbles) >> 4)
        let other = tested ^ 0x3333_3333_3333_3333
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return (((other & low) &+ low) | other) & ~low
    }

    /// A plain decimal `-?d{1,7}(.d{0,7})?` at `p`, read a word at a time,
    /// converted exactly: the integer mantissa (< 10^14) and the power of ten
    /// are exact doubles, so the one division rounds correctly.
    ///
    /// The caller guarantees that ``lookahead`` bytes from `p` are readable.
    /// Advances `p` past the number; `nil` (and `p` unchanged) otherwise.
    @inline(__always)
    static func wordReal(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ tables: NumberTables) -> Double? {
        var i = p
        let negative = base[i] == 0x2D
        if negative { i += 1 }
        let w = word(base, i)
        let n = leadingDigits(w)
        guard n > 0, n < 8 else { return nil }
        var mantissa = digitsValue(w, n)
        i += n
        var decimals = 0
        if base[i] == 0x2E {
            let f = word(base, i + 1)
            let m = leadingDigits(f)
            guard m < 8 else { return nil }
            if m > 0 { mantissa = mantissa &* tables.integerPowers[m] &+ digitsValue(f, m) }
            decimals = m
            i += 1 + m
        }
        p = i
        // The mantissa is below 10^14, so the signed conversion (one instruction) is exact.
        let value = Double(Int64(bitPattern: mantissa)) / tables.powers[decimals]
        return negative ? -value : value
    }

    /// A plain integer `-?d{1,15}` at `p`, read a word at a time; see ``wordReal(_:_:_:)``.
    @inline(__always)
    static func wordInteger(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ tables: NumberTables) -> Int64? {
        var i = p
        let negative = base[i] == 0x2D
        if negative { i += 1 }
        let w = word(base, i)
        let n = leadingDigits(w)
        guard n > 0 else { return nil }
        var value = digitsValue(w, n)
        i += n
        if n == 8 {
            let v = word(base, i)
            let m = leadingDigits(v)
            guard m < 8 else { return nil }
            if m > 0 { value = value &* tables.integerPowers[m] &+ digitsValue(v, m) }
            i += m
        }
        p = i
        return negative ? -Int64(value) : Int64(value)
    }

    /// A plain decimal `-?digits(.digits)?` at `p`, with at most 15 significant
    /// digits and 15 decimals, converted exactly (both the integer mantissa and
    /// the power of ten are exact doubles, so one division rounds correctly).
    /// Byte by byte, for the last bytes of the file and long numbers.
    /// Advances `p` past it; `nil` (and `p` unchanged) if the text is not of that form.
    @inline(__always)
    static func plainReal(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int, _ tables: NumberTables) -> Double? {
        var i = p
        var negative = false
        if i < end, base[i] == 0x2D { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        let start = i
        while i < end, base[i] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(base[i] &- 0x30)
            i += 1
        }
        var digits = i - start
        guard digits > 0 else { return nil }
        var decimals = 0
        if i < end, base[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < end, base[i] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(base[i] &- 0x30)
                i += 1
            }
            decimals = i - fractionStart
            digits += decimals
        }
        guard digits <= 15, decimals <= 15 else { return nil }
        p = i
        let value = Double(mantissa) / tables.powers[decimals]
        return negative ? -value : value
    }

    /// A plain integer `-?digits` of at most 18 digits at `p`; advances `p` past it.
    @inline(__always)
    static func plainInteger(_ base: UnsafePointer<UInt8>, _ p: inout Int, _ end: Int) -> Int64? {
        var i = p
        var negative = false
        if i < end, base[i] == 0x2D { negative = true; i += 1 }
        var value: Int64 = 0
        let start = i
        while i < end, base[i] &- 0x30 < 10 {
            value = value &* 10 &+ Int64(base[i] &- 0x30)
            i += 1
        }
        let digits = i - start
        guard digits > 0, digits <= 18 else { return nil }
        p = i
        return negative ? -value : value
    }
}

/// The commas and line feeds of a mapped file, found 64 bytes at a time:
/// one bit mask (``CSVScan/delimiterMask(_:)``) serves every field of the
/// block, so finding a field's end costs a shift and a bit count.
struct DelimiterBlocks {
    let base: UnsafePointer<UInt8>
    /// The last position a 64-byte block may start at (the file's length less 64).
    let limit: Int
    private var start = Int.min / 2
    private var mask: UInt64 = 0

    init(base: UnsafePointer<UInt8>, limit: Int) {
        self.base = base
        self.limit = limit
    }

    /// The position of the first comma or line feed at or after `p`, or `end` if none is before it.
    @inline(__always)
    mutating func next(from p: Int, end: Int) -> Int {
        let offset = p &- start
        if UInt(bitPattern: offset) < 64 {
            let bits = mask >> UInt64(offset)
            if bits != 0 {
                let q = p &+ bits.trailingZeroBitCount
                return q > end ? end : q
            }
        }
        return nextInLaterBlock(from: p, end: end)
    }

    /// ``next(from:end:)`` when the current block has no delimiter at or after `p`.
    @inline(never)
    private mutating func nextInLaterBlock(from p: Int, end: Int) -> Int {
        var offset = p &- start
        if UInt(bitPattern: offset) >= 64 {
            guard p <= limit else { return CSVScan.delimiter(base, p, end) }
            start = p
            mask = CSVScan.delimiterMask(base + p)
            offset = 0
        }
        var bits = mask >> UInt64(offset)
        while bits == 0 {
            guard start + 64 <= limit else { return CSVScan.delimiter(base, p, end) }
            start += 64
            mask = CSVScan.delimiterMask(base + start)
            bits = mask
            offset = 0
        }
        let q = start &+ offset &+ bits.trailingZeroBitCount
        return q > end ? end : q
    }
}

/// Powers of ten for the fast paths, in flat memory (no array bounds checks
/// or reference counting in the hot loop). Freed with ``free()``.
struct NumberTables {
    /// 10^0 ... 10^15 as doubles (all exact).
    let powers: UnsafeMutablePointer<Double>
    /// 10^0 ... 10^8 as integers.
    let integerPowers: UnsafeMutablePointer<UInt64>

    init() {
        powers = .allocate(capacity: 16)
        for k in 0..<16 { powers[k] = DecimalParser.powersOfTen[k] }
        integerPowers = .allocate(capacity: 9)
        var p: UInt64 = 1
        for k in 0..<9 { integerPowers[k] = p; p *= 10 }
    }

    func free() {
        powers.deallocate()
        integerPowers.deallocate()
    }
}
