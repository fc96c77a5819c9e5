import Testing
@testable import Scenarios

@Suite("Code sets")
struct CodeSetTests {
    @Test("the branch-free test agrees with the plain one on every code, in and out of 0...63")
    func branchFree() {
        for codes in [[], [0], [1], [1, 2], [0, 3, 63], Array(0..<64), [-1, 64, 5]] as [[Int32]] {
            let set = CodeSet(codes)
            for code in Int32(-300)...300 {
                #expect((set.membership(code) != 0) == set.contains(code), "codes \(codes), code \(code)")
                #expect(set.contains(code) == ((0..<64).contains(code) && codes.contains(code)))
            }
            for code in [Int32.min, Int32.max, Int32.min + 63, 1 << 16] {
                #expect(set.membership(code) == 0)
            }
        }
    }

    @Test("keepMembers zeroes exactly the values whose code is not in the set (few codes and many)")
    func keepMembers() {
        let codes = (Int32(-70)...70).map { $0 } + [Int32.min, Int32.max]
        for set in [[], [1], [1, 2], [2, 2, 1], [0, 3, 63, 7], [0, 1, 2, 3, 4], Array(0..<64), [-1, 64, 5]] as [[Int32]] {
            let codeSet = CodeSet(set)
            var values = codes.map { Double($0) + 0.5 }
            values.withUnsafeMutableBufferPointer { v in
                codes.withUnsafeBufferPointer { c in codeSet.keepMembers(v.baseAddress!, codes: c.baseAddress!, count: c.count) }
            }
            for (k, code) in codes.enumerated() {
                let want = codeSet.contains(code) ? Double(code) + 0.5 : 0
                #expect(values[k].bitPattern == want.bitPattern, "set \(set), code \(code)")
            }
        }
    }
}
