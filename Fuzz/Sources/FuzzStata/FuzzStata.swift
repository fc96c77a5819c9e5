import FuzzSupport

/// libFuzzer's entry point: one input, fed to the Stata and SPSS readers (see `FuzzTargets.stata`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.stata(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
