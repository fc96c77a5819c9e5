/// An incremental SHA-256 hasher (FIPS 180-4), written in pure Swift.
///
/// simrun records a provenance checksum for every input file (survey tables,
/// catalogues, configuration) so that a run can later be tied to the exact bytes
/// it consumed. Those checksums only need the standard library, so this type
/// exists to avoid pulling in Foundation, CryptoKit or swift-crypto just for one
/// hash function. It is not intended for secret-dependent use (no constant-time
/// guarantees are made); it is a fast, portable integrity fingerprint.
///
/// Input can be fed in pieces of any size; whole 64-byte blocks are compressed
/// straight from the caller's buffer without copying, and only a trailing
/// partial block is buffered inline. No heap allocation happens per block.
///
/// ```swift
/// var hasher = SHA256Hasher()
/// hasher.update("ab".utf8)
/// hasher.update("c".utf8)
/// let digest = hasher.finalize()   // 32 bytes: ba 78 16 bf ... 15 ad
///
/// let hex = Array("abc".utf8).withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
/// // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
///
/// - Complexity: O(*n*) time in the total number of bytes hashed, O(1) extra memory.
public struct SHA256Hasher: Sendable {
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The eight chaining words H0...H7.
    private var state: State
    /// Bytes of a not-yet-complete block (64 bytes of inline storage).
    private var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    /// Number of valid bytes in `buffer`, always in `0..<64`.
    private var bufferCount: Int
    /// Total number of message bytes seen so far (the length is taken modulo 2^64 bits).
    private var totalBytes: UInt64

    /// Creates a hasher in the FIPS 180-4 initial state (section 5.3.3).
    public init() {
        state = (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
                 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
        buffer = (0, 0, 0, 0, 0, 0, 0, 0)
        bufferCount = 0
        totalBytes = 0
    }

    /// Appends raw bytes to the message.
    ///
    /// - Complexity: O(`bytes.count`).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var source = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalBytes &+= UInt64(truncatingIfNeeded: remaining)

        // Top up a pending partial block first.
        if bufferCount > 0 {
            let filled = bufferCount
            let take = Swift.min(64 - filled, remaining)
            withUnsafeMutableBytes(of: &buffer) { buf in
                (buf.baseAddress! + filled).copyMemory(from: source, byteCount: take)
            }
            bufferCount = filled + take
            source += take
            remaining -= take
            guard bufferCount == 64 else { return }
            let block = buffer
            withUnsafeBytes(of: block) { Self.compress(&state, $0.baseAddress!, blockCount: 1) }
            bufferCount = 0
        }

        // Whole blocks straight from the caller's memory.
        let blocks = remaining / 64
        if blocks > 0 {
            Self.compress(&state, source, blockCount: blocks)
            source += blocks * 64
            remaining -= blocks * 64
        }

        // Keep the tail for later.
        if remaining > 0 {
            let tail = remaining
            withUnsafeMutableBytes(of: &buffer) { buf in
                buf.baseAddress!.copyMemory(from: source, byteCount: tail)
            }
            bufferCount = tail
        }
    }

    /// Appends the bytes of any collection of `UInt8` to the message.
    ///
    /// Contiguous collections (`Array`, `ArraySlice`, `UnsafeBufferPointer`, ...) are
    /// hashed in place; other collections are copied through a small stack buffer.
    ///
    /// - Complexity: O(`bytes.count`).
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled != nil { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            var n = 0
            for byte in bytes {
                chunk[n] = byte
                n += 1
                if n == chunk.count {
                    update(UnsafeRawBufferPointer(chunk))
                    n = 0
                }
            }
            if n > 0 { update(UnsafeRawBufferPointer(start: chunk.baseAddress, count: n)) }
        }
    }

    /// Applies the final padding (FIPS 180-4 section 5.1.1) and returns the 32-byte digest.
    ///
    /// - Complexity: O(1).
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        // 0x80, then zeros up to 56 mod 64, then the 64-bit big-endian bit length.
        let padLength = bufferCount < 56 ? 56 - bufferCount : 120 - bufferCount
        var pad: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &pad) { p in
            p[0] = 0x80
            p.storeBytes(of: bitLength.bigEndian, toByteOffset: padLength, as: UInt64.self)
            update(UnsafeRawBufferPointer(rebasing: p[..<(padLength + 8)]))
        }
        let s = state
        let bigEndianWords = (s.0.bigEndian, s.1.bigEndian, s.2.bigEndian, s.3.bigEndian,
                              s.4.bigEndian, s.5.bigEndian, s.6.bigEndian, s.7.bigEndian)
        return withUnsafeBytes(of: bigEndianWords) { Array($0) }
    }

    /// Returns the SHA-256 of `bytes` as 64 lowercase hexadecimal characters.
    ///
    /// - Complexity: O(`bytes.count`).
    public static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hasher.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Round constants K0...K63 (FIPS 180-4 section 4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// Compresses `blockCount` consecutive 64-byte blocks starting at `blocks` into `state`
    /// (FIPS 180-4 section 6.2.2). One stack allocation, made once per call, holds the message
    /// schedule W0...W63 followed by the round inputs Wt + Kt. Each group of eight rounds
    /// rotates the roles of the working variables instead of moving values between them.
    private static func compress(_ state: inout State, _ blocks: UnsafeRawPointer, blockCount: Int) {
        roundConstants.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 128) { w in
                var (a, b, c, d, e, f, g, h) = state
                var block = blocks
                for _ in 0..<blockCount {
                    for t in 0..<16 {
                        let word = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
                        w[t] = word
                        w[t + 64] = word &+ k[t]
                    }
                    for t in 16..<64 {
                        let x = w[t - 15], y = w[t - 2]
                        let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                        let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                        let word = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                        w[t] = word
                        w[t + 64] = word &+ k[t]
                    }
                    let (a0, b0, c0, d0, e0, f0, g0, h0) = (a, b, c, d, e, f, g, h)
                    var t = 0
                    while t < 64 {
                        round(a, b, c, &d, e, f, g, &h, w[t + 64])
                        round(h, a, b, &c, d, e, f, &g, w[t + 65])
                        round(g, h, a, &b, c, d, e, &f, w[t + 66])
                        round(f, g, h, &a, b, c, d, &e, w[t + 67])
                        round(e, f, g, &h, a, b, c, &d, w[t + 68])
                        round(d, e, f, &g, h, a, b, &c, w[t + 69])
                        round(c, d, e, &f, g, h, a, &b, w[t + 70])
                        round(b, c, d, &e, f, g, h, &a, w[t + 71])
                        t += 8
                    }
                    a &+= a0; b &+= b0; c &+= c0; d &+= d0
                    e &+= e0; f &+= f0; g &+= g0; h &+= h0
                    block += 64
                }
                state = (a, b, c, d, e, f, g, h)
            }
        }
    }

    /// One SHA-256 round with the roles of the working variables supplied by the caller:
    /// `d` receives the new `e` and `h` receives the new `a`.
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ kw
        d &+= t1
        h = t1 &+ (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
