import Testing
@testable import Scenarios

@Suite("Code sets")
struct CodeSetTests {
    @Test("the branch-free test agrees with the plain one on every code, in and out of 0...63")
    func branchFree() {
        for codes in [[], [0], [1], [1, 2], [0, 3, 63], Array(0..<64), [-1, 64, 5]] as [[Int32]] {
            let set = CodeSet(codes)
            for code in Int32(-300)...300 {
                #expect(set.containsBranchFree(code) == set.contains(code), "codes \(codes), code \(code)")
                #expect(set.contains(code) == ((0..<64).contains(code) && codes.contains(code)))
            }
            for code in [Int32.min, Int32.max, Int32.min + 63, 1 << 16] {
                #expect(!set.containsBranchFree(code))
            }
        }
    }
}
