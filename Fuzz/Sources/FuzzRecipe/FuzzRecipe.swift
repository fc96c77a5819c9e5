import FuzzSupport

/// libFuzzer's entry point: one input, fed to the data recipe reader (see `FuzzTargets.recipe`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.recipe(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
