import Testing
@testable import SimKernel

/// Renders a digest as lowercase hex, the form in which the published vectors are written.
private func hex(_ digest: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// One-shot digest of `bytes` through the public `hexDigest(of:)` entry point.
private func oneShot(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
}

/// Deterministic pseudo-random bytes (64-bit LCG, top byte), so failures are reproducible.
private func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

@Suite("SHA-256 (FIPS 180-4)")
struct SHA256Tests {
    @Test("The empty message hashes to the published SHA-256 of zero bytes")
    func emptyMessage() {
        // Source: NIST CAVP SHAVS byte-oriented test vectors, SHA256ShortMsg.rsp, "Len = 0".
        let expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        #expect(oneShot([]) == expected)
        #expect(hex(SHA256Hasher().finalize()) == expected)
    }

    @Test("The message abc hashes to the one-block example of FIPS 180-2 Appendix B.1")
    func abc() {
        // Source: FIPS 180-2 Appendix B.1 and NIST "Examples with Intermediate Values", SHA256.pdf (one block).
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(oneShot(Array("abc".utf8)) == expected)
        var hasher = SHA256Hasher()
        hasher.update("abc".utf8)
        let digest = hasher.finalize()
        #expect(digest.count == 32)
        #expect(hex(digest) == expected)
    }

    @Test("The 448-bit message hashes to the two-block example of FIPS 180-2 Appendix B.2")
    func twoBlockMessage() {
        // Source: FIPS 180-2 Appendix B.2 and NIST "Examples with Intermediate Values", SHA256.pdf (two blocks).
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(message.count * 8 == 448)
        #expect(oneShot(message) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("One million 'a' bytes hash to the long-message example of FIPS 180-2 Appendix B.3")
    func millionA() {
        // Source: FIPS 180-2 Appendix B.3 (1,000,000 repetitions of "a").
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let a = UInt8(ascii: "a")
        #expect(oneShot([UInt8](repeating: a, count: 1_000_000)) == expected)
        // `Repeated` has no contiguous storage, so this also covers the generic copy path.
        var hasher = SHA256Hasher()
        hasher.update(repeatElement(a, count: 1_000_000))
        #expect(hex(hasher.finalize()) == expected)
    }

    @Test("Feeding data in irregular pieces gives the same digest as a single update",
          arguments: [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 10_007])
    func irregularPieces(length: Int) {
        // Expected value: the one-shot digest of the same bytes, itself pinned by the vectors above.
        let data = pseudoRandomBytes(count: length, seed: UInt64(length) &+ 0x5eed)
        let pieceSizes = [1, 63, 64, 65, 127, 0, 128, 129, 3, 55, 56, 1000]
        var hasher = SHA256Hasher()
        var offset = 0, piece = 0
        while offset < data.count {
            let size = min(pieceSizes[piece % pieceSizes.count], data.count - offset)
            data[offset..<(offset + size)].withUnsafeBytes { hasher.update($0) }
            offset += size
            piece += 1
        }
        #expect(hex(hasher.finalize()) == oneShot(data))
    }

    @Test("Unaligned input buffers hash the same as aligned ones")
    func unalignedInput() {
        // Expected value: the digest of the identical bytes starting at an aligned address.
        let payload = pseudoRandomBytes(count: 4099, seed: 42)
        let reference = oneShot(payload)
        for shift in 1..<8 {
            let padded = [UInt8](repeating: 0xff, count: shift) + payload
            let digest = padded.withUnsafeBytes {
                SHA256Hasher.hexDigest(of: UnsafeRawBufferPointer(rebasing: $0[shift...]))
            }
            #expect(digest == reference)
        }
    }
}
