import FuzzSupport

/// libFuzzer's entry point: one input, fed to the sweep file reader (see `FuzzTargets.sweep`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.sweep(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
