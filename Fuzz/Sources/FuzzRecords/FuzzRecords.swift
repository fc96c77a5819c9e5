import FuzzSupport

/// libFuzzer's entry point: one input, read as a result record and rendered (see `FuzzTargets.records`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.records(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
