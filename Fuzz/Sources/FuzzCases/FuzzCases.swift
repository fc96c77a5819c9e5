import FuzzSupport

/// libFuzzer's entry point: one input, fed to the legislation case reader (see `FuzzTargets.cases`).
///
/// The function must return 0; a crash, a hang or an allocation past
/// libFuzzer's limits is the finding. `@_cdecl` gives it the C name libFuzzer's
/// `main` calls.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.cases(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
